import { OcxError } from '../errors/ocx-error.js';
import type { Driver } from '../spec/driver.js';
import type { CallOptions } from '../spec/primitives.js';
import type { AuditLog } from './audit-log.js';
import { SYSTEM_PRINCIPAL } from './principal.js';

/** The capability methods that change state, and so are audited. Reads are not. */
const MUTATING_METHODS = {
  hardware: [
    'ensureProject',
    'allocate',
    'createNetwork',
    'deleteNetwork',
    'attachNetwork',
    'detachNetwork',
    'power',
    'setBootDevice',
    'release',
  ],
  provisioner: ['provision', 'deprovision'],
  attestor: ['enroll', 'remove'],
  tenancy: ['ensureProject', 'ensureMember', 'removeMember', 'disableProject', 'deleteProject', 'releaseResources'],
  quotas: ['setQuotas'],
} as const;

type AuditedCapability = keyof typeof MUTATING_METHODS;

/** Which argument holds the call options, per method (the last one). */
function optionsOf(args: unknown[]): CallOptions | undefined {
  const last = args[args.length - 1];
  return typeof last === 'object' && last !== null && ('signal' in last || 'actor' in last)
    ? (last as CallOptions)
    : undefined;
}

function targetOf(capability: AuditedCapability, args: unknown[]): { type: string; id: string } | undefined {
  const first = args[0];
  if (typeof first === 'string') return { type: capability === 'attestor' ? 'agent' : 'project', id: first };
  if (typeof first === 'object' && first !== null) {
    const input = first as Record<string, unknown>;
    for (const key of ['node', 'agent', 'network', 'project', 'id'] as const) {
      if (typeof input[key] === 'string') return { type: key === 'id' ? 'project' : key, id: input[key] as string };
    }
  }
  return undefined;
}

/**
 * Wrap a driver so that every state-changing capability call is recorded in the audit log,
 * with its principal (from `options.actor`), landlord, target and outcome. Reads, `ext`,
 * meters, `health` and `dispose` pass through untouched.
 */
export function auditedDriver(driver: Driver, context: { landlord: string; service: string; audit: AuditLog }): Driver {
  const wrapped: Record<string, unknown> = { ...driver };
  for (const capability of Object.keys(MUTATING_METHODS) as AuditedCapability[]) {
    const implementation = driver[capability] as unknown as Record<string, unknown> | undefined;
    if (implementation === undefined) continue;
    const proxy: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(implementation)) proxy[key] = implementation[key];
    // Keep non-enumerable members (class-based implementations) reachable too.
    Object.setPrototypeOf(proxy, implementation);
    for (const method of MUTATING_METHODS[capability]) {
      const original = implementation[method];
      if (typeof original !== 'function') continue;
      proxy[method] = async (...args: unknown[]) => {
        const options = optionsOf(args);
        const entry = {
          actor: options?.actor ?? SYSTEM_PRINCIPAL,
          action: `${capability}.${method}`,
          target: targetOf(capability, args),
          landlord: context.landlord,
          details: { service: context.service, input: args[0] },
        };
        try {
          const result = await (original as (...parameters: unknown[]) => Promise<unknown>).apply(implementation, args);
          await context.audit.record({ ...entry, outcome: 'success' });
          return result;
        } catch (error) {
          await context.audit.record({
            ...entry,
            outcome: 'failure',
            details: { ...entry.details, error: OcxError.is(error) ? error.code : 'unexpected' },
          });
          throw error;
        }
      };
    }
    wrapped[capability] = proxy;
  }
  return wrapped as unknown as Driver;
}
