import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { Secret } from '../secrets/secret.js';
import { CAPABILITY_NAMES, type Capabilities, CapabilitiesSchema, type CapabilityName } from './capabilities.js';
import type { Attestor } from './interfaces/attestor.js';
import type { HardwarePool } from './interfaces/hardware-pool.js';
import type { Meter } from './interfaces/meter.js';
import type { Provisioner } from './interfaces/provisioner.js';
import type { QuotaProvider } from './interfaces/quota-provider.js';
import type { Tenancy } from './interfaces/tenancy.js';
import type { CallOptions } from './primitives.js';

/** The version of the driver specification this package defines. */
export const SPECIFICATION_VERSION = 'v1' as const;

/** What `health()` reports. */
export interface HealthReport {
  ok: boolean;
  /** Per backend or component, e.g. `{ keystone: { ok: true, latencyMs: 12 } }`. */
  checks: Record<string, { ok: boolean; latencyMs?: number; message?: string }>;
}

/**
 * A driver: a plain object returned by a factory such as `createHilDriver(options)`. It has
 * one property per capability it implements, and declares the same set in `capabilities`.
 * What it cannot do is absent, never a method that throws "not implemented". Backend-only
 * calls live under `ext`.
 */
export interface Driver<Extension = unknown> {
  readonly specificationVersion: typeof SPECIFICATION_VERSION;
  /** The driver's name, e.g. `hil`, `openstack`, `reference`. */
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly hardware?: HardwarePool;
  readonly provisioner?: Provisioner;
  readonly attestor?: Attestor;
  readonly tenancy?: Tenancy;
  readonly quotas?: QuotaProvider;
  readonly meters?: readonly Meter[];
  /** Backend-specific calls outside the standard interfaces. */
  readonly ext?: Extension;
  health(options?: CallOptions): Promise<HealthReport>;
  /** Close connections and timers. Idempotent. */
  dispose(): Promise<void>;
}

/** What the exchange hands a driver factory registered as a function. */
export interface DriverContext {
  landlord: string;
  service: string;
  /** The service's endpoint, when it declared one. */
  endpoint?: string;
  /** This landlord's credentials, and only this landlord's. */
  credentials: Readonly<Record<string, Secret>>;
}

/** A driver, or a function the exchange calls with the landlord's context to make one. */
export type DriverSource = Driver | ((context: DriverContext) => Driver | Promise<Driver>);

const REQUIRED_METHODS: Record<Exclude<CapabilityName, 'meters'>, readonly string[]> = {
  hardware: [
    'listFreeNodes',
    'listProjectNodes',
    'getNode',
    'ensureProject',
    'allocate',
    'createNetwork',
    'deleteNetwork',
    'attachNetwork',
    'detachNetwork',
    'power',
    'powerStatus',
    'setBootDevice',
    'release',
  ],
  provisioner: ['listImages', 'provision', 'deprovision'],
  attestor: ['enroll', 'status', 'waitForVerdict', 'watch', 'remove'],
  tenancy: ['ensureProject', 'getProject', 'ensureMember', 'removeMember', 'disableProject', 'deleteProject'],
  quotas: ['getQuotas', 'setQuotas'],
};

function driverError(name: string, message: string, path: string): OcxError {
  return new OcxError({
    code: 'validation',
    message: `Driver "${name}" is invalid: ${message}`,
    issues: [{ path, message }],
    fault: 'client',
  });
}

/**
 * Check a driver object against the v1 specification: version, name, declared capabilities
 * matching the interfaces present, and every interface method present. Throws an `OcxError`
 * (`validation`) naming the first problem. Returns the driver unchanged.
 */
export function validateDriver<D extends Driver>(driver: D): D {
  if (typeof driver !== 'object' || driver === null) {
    throw driverError('?', 'expected an object returned by a driver factory', '');
  }
  const name = typeof driver.name === 'string' && driver.name.length > 0 ? driver.name : '?';
  if (name === '?') throw driverError(name, 'name must be a non-empty string', 'name');
  if (driver.specificationVersion !== SPECIFICATION_VERSION) {
    throw driverError(name, `specificationVersion must be "${SPECIFICATION_VERSION}"`, 'specificationVersion');
  }
  const capabilities = parseWith(CapabilitiesSchema, driver.capabilities, {
    what: `capabilities of driver "${name}"`,
    prefix: 'capabilities',
  });
  for (const capability of CAPABILITY_NAMES) {
    const declared = capabilities[capability] !== undefined;
    const present = driver[capability] !== undefined;
    if (declared !== present) {
      throw driverError(
        name,
        declared
          ? `declares ${capability} but has no ${capability} property`
          : `has ${capability} but does not declare it in capabilities`,
        capability,
      );
    }
    if (!present) continue;
    if (capability === 'meters') {
      const meters = driver.meters ?? [];
      if (!Array.isArray(meters) || meters.length === 0)
        throw driverError(name, 'meters must be a non-empty array', 'meters');
      const seen = new Set<string>();
      meters.forEach((meter, index) => {
        if (typeof meter?.collect !== 'function')
          throw driverError(name, 'meter has no collect()', `meters.${index}.collect`);
        if (typeof meter.name !== 'string' || seen.has(meter.name)) {
          throw driverError(name, 'meter names must be unique strings', `meters.${index}.name`);
        }
        seen.add(meter.name);
      });
      continue;
    }
    const implementation = driver[capability] as unknown as Record<string, unknown>;
    if (capability === 'tenancy') {
      const declared = capabilities.tenancy?.releasesResources === true;
      if (declared !== (typeof implementation.releaseResources === 'function')) {
        throw driverError(
          name,
          'tenancy.releaseResources must be present exactly when capabilities.tenancy.releasesResources is true',
          'tenancy.releaseResources',
        );
      }
    }
    for (const method of REQUIRED_METHODS[capability]) {
      if (typeof implementation[method] !== 'function') {
        throw driverError(name, `${capability}.${method} must be a function`, `${capability}.${method}`);
      }
    }
  }
  for (const method of ['health', 'dispose'] as const) {
    if (typeof driver[method] !== 'function') throw driverError(name, `${method} must be a function`, method);
  }
  return driver;
}

/** The capability names a driver implements. */
export function driverCapabilityNames(driver: Driver): CapabilityName[] {
  return CAPABILITY_NAMES.filter((capability) => driver.capabilities[capability] !== undefined);
}
