import { OcxError } from '@ocx/core';
import { z } from 'zod';

/**
 * The pull-mode (2.x) API versions this client speaks (keylime/api_version.py lists 2.0–2.6; 3.0
 * is the push model, which has other routes). Every call the client makes exists in all of them
 * except the measured-boot policy routes, which arrived in 2.3.
 */
export const CLIENT_API_VERSIONS = ['2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6'] as const;

/** The first API version with `/mbpolicies` (Keylime 7.12). */
export const MEASURED_BOOT_POLICY_MIN_VERSION = '2.3';

/** A `major.minor` API version such as `2.5`. */
export const ApiVersionSchema = z.string().regex(/^\d+\.\d+$/, 'must be an API version such as "2.5"');

/** `GET /version` results: the server's current version and, from 2.5 on, all it supports. */
export const VersionInfoSchema = z.object({
  current_version: ApiVersionSchema,
  supported_versions: z.array(z.string()).optional(),
});

/** What `GET /version` reports. */
export type VersionInfo = z.infer<typeof VersionInfoSchema>;

/** Compare two `major.minor` versions numerically (`2.10` is after `2.9`). */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/**
 * Pick the API version to use with one server: `preferred` when the server offers it, otherwise
 * the highest 2.x version both sides speak, as the Keylime tenant does. No shared version is an
 * `OcxError` with code `capability`.
 *
 * @example
 * ```ts
 * negotiateApiVersion({ current_version: '2.6', supported_versions: ['1.0', '2.0', '2.6', '3.0'] }); // '2.6'
 * ```
 */
export function negotiateApiVersion(info: VersionInfo, options: { preferred?: string; backend?: string } = {}): string {
  const offered = info.supported_versions ?? [info.current_version];
  const shared = offered.filter((version) => (CLIENT_API_VERSIONS as readonly string[]).includes(version));
  if (options.preferred !== undefined && shared.includes(options.preferred)) return options.preferred;
  const highest = shared.sort(compareApiVersions).at(-1);
  if (highest === undefined) {
    throw new OcxError({
      code: 'capability',
      backend: options.backend,
      operation: 'negotiate_api_version',
      message:
        `${options.backend ?? 'keylime'} offers API versions ${offered.join(', ') || '(none)'}; ` +
        `this client speaks ${CLIENT_API_VERSIONS.join(', ')}`,
    });
  }
  return highest;
}
