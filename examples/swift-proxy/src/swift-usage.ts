import { OcxError } from '@ocx/core';
import type { HttpHeaders } from '@ocx/core/http';

/** The usage headers of an account or a container, as exact integers. */
export type Usage = Record<string, bigint>;

/** Swift's account usage headers. */
export const ACCOUNT_USAGE_HEADERS = [
  'x-account-container-count',
  'x-account-object-count',
  'x-account-bytes-used',
] as const;
/** Swift's container usage headers. */
export const CONTAINER_USAGE_HEADERS = ['x-container-object-count', 'x-container-bytes-used'] as const;

/**
 * Read usage headers as bigints, so sums stay exact past 2^53 bytes. A missing header counts as
 * 0 (an account Swift has not created yet); a malformed one is a `protocol` error naming the landlord.
 */
export function readUsage(headers: HttpHeaders, names: readonly string[], landlord: string): Usage {
  const usage: Usage = {};
  for (const name of names) {
    const value = headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    if (text === undefined) {
      usage[name] = 0n;
      continue;
    }
    if (!/^\d+$/.test(text)) {
      throw new OcxError({
        code: 'protocol',
        message: `${landlord} sent a malformed ${name} header`,
        backend: landlord,
        fault: 'server',
      });
    }
    usage[name] = BigInt(text);
  }
  return usage;
}

/** Add usages header by header. */
export function sumUsage(usages: readonly Usage[], names: readonly string[]): Usage {
  const total: Usage = {};
  for (const name of names) total[name] = usages.reduce((sum, usage) => sum + (usage[name] ?? 0n), 0n);
  return total;
}
