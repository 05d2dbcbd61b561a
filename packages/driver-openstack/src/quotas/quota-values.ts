import { type FieldIssue, OcxError } from '@ocx/core';
import { QUOTA_RESOURCES } from './quota-resources.js';

/** A parsed limit: a whole number, or `null` for unlimited. */
export type ParsedLimit = bigint | null;

function refuse(issues: FieldIssue[]): never {
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.path}: ${issue.message}`)
    .join('; ');
  throw new OcxError({ code: 'validation', fault: 'client', message: `Invalid quota limits: ${summary}`, issues });
}

/**
 * Check quota limits before any call, the way the services would: each resource must be one
 * this driver offers; each value `null` or `"-1"` (unlimited) or a whole, non-negative decimal
 * string no larger than the service stores (2³¹−1 for Nova, Cinder and Neutron; 2⁶³−1 bytes for
 * Swift). Every bad field is named in one `validation` error, and nothing is sent.
 *
 * @example
 * parseQuotaLimits({ cores: '16', 'ram-mb': null }, ['cores', 'ram-mb']); // Map { cores → 16n, ram-mb → null }
 */
export function parseQuotaLimits(limits: unknown, offered: readonly string[]): Map<string, ParsedLimit> {
  if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
    refuse([{ path: 'limits', message: 'expected an object of resource → limit' }]);
  }
  const issues: FieldIssue[] = [];
  const parsed = new Map<string, ParsedLimit>();
  for (const [resource, value] of Object.entries(limits)) {
    const path = `limits.${resource}`;
    const definition = QUOTA_RESOURCES[resource];
    if (definition === undefined || !offered.includes(resource)) {
      issues.push({ path, message: `unknown resource; this driver sets ${offered.join(', ')}` });
      continue;
    }
    if (value === null) {
      parsed.set(resource, null);
      continue;
    }
    if (typeof value !== 'string') {
      issues.push({ path, message: 'must be a decimal string or null (unlimited)' });
      continue;
    }
    const text = value.trim();
    if (text === '-1') {
      parsed.set(resource, null);
      continue;
    }
    if (/^-\d+(\.\d+)?$/.test(text)) {
      issues.push({ path, message: `must not be negative (got ${text}); use null or "-1" for unlimited` });
      continue;
    }
    const whole = /^\+?(\d+)(?:\.0+)?$/.exec(text);
    if (whole === null) {
      issues.push({ path, message: `must be a whole number (got ${JSON.stringify(text.slice(0, 40))})` });
      continue;
    }
    const number = BigInt(whole[1]!);
    if (number > definition.max) {
      issues.push({ path, message: `must be at most ${definition.max} (${definition.service} refuses larger values)` });
      continue;
    }
    parsed.set(resource, number);
  }
  if (issues.length > 0) refuse(issues);
  return parsed;
}

/**
 * Nova and Cinder refuse a limit below what is already used and reserved (unless forced); the
 * driver checks that first, with the numbers it just read, and names the field.
 */
export function refuseBelowUsage(
  checks: ReadonlyArray<{ resource: string; limit: ParsedLimit; inUse: number; reserved: number }>,
): void {
  const issues: FieldIssue[] = [];
  for (const check of checks) {
    if (check.limit === null) continue;
    const minimum = BigInt(check.inUse + check.reserved);
    if (check.limit < minimum) {
      issues.push({
        path: `limits.${check.resource}`,
        message: `must be at least ${minimum}, what is already in use and reserved`,
      });
    }
  }
  if (issues.length > 0) refuse(issues);
}
