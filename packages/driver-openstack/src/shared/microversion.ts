import { OcxError } from '@ocx/core';
import type { HttpClient } from '@ocx/core/http';
import { z } from 'zod';

/** A microversion `major.minor`, compared numerically (2.9 < 2.40). */
export type Microversion = `${number}.${number}`;

const VersionSchema = z.looseObject({
  id: z.string().optional(),
  version: z.string().nullish(),
  min_version: z.string().nullish(),
});
/** Nova answers `{version: {…}}` at its endpoint; Cinder answers `{versions: [{…}]}`. */
const VersionDocumentSchema = z.looseObject({
  version: VersionSchema.optional(),
  versions: z.array(VersionSchema).optional(),
});

/** Parse `2.40` into `[2, 40]`. */
export function parseMicroversion(text: string): [number, number] {
  const match = /^(\d+)\.(\d+)$/.exec(text.trim());
  if (match === null) throw new Error(`not a microversion: ${text}`);
  return [Number(match[1]), Number(match[2])];
}

/** Negative when a < b, zero when equal, positive when a > b. */
export function compareMicroversions(a: string, b: string): number {
  const [aMajor, aMinor] = parseMicroversion(a);
  const [bMajor, bMinor] = parseMicroversion(b);
  return aMajor === bMajor ? aMinor - bMinor : aMajor - bMajor;
}

/** Options of {@link negotiateMicroversion}. */
export interface NegotiationOptions {
  /** The service, for errors: `nova`, `cinder`. */
  service: string;
  /** The version document's path relative to the client's base URL (Nova: `''`, Cinder: the `/v3/` root). */
  path: string;
  /** The highest version the driver is written for. */
  wanted: string;
  /** The lowest the driver can work with. */
  minimum: string;
  signal?: AbortSignal;
}

/**
 * Ask a service which microversions it supports (`GET` its version document: `version` is the
 * maximum, `min_version` the minimum) and choose the highest both sides know. A service older
 * than `minimum` is a `capability` error; a service without microversions (empty `version`)
 * gets its base version.
 *
 * @example
 * ```ts
 * const version = await negotiateMicroversion(nova, { service: 'nova', path: '', wanted: '2.79', minimum: '2.40' });
 * ```
 */
export async function negotiateMicroversion(client: HttpClient, options: NegotiationOptions): Promise<string> {
  const { data } = await client.get(options.path, {
    schema: VersionDocumentSchema,
    operation: 'get_version_document',
    // A service's root lists its versions with 300 Multiple Choices.
    expectedStatus: [200, 300],
    signal: options.signal,
  });
  const document = data.version ?? data.versions?.find((version) => version.version) ?? data.versions?.[0];
  const maximum = document?.version;
  if (maximum === undefined || maximum === null || maximum === '') {
    throw new OcxError({
      code: 'capability',
      backend: options.service,
      operation: 'negotiate_microversion',
      message: `${options.service} does not support microversions; the driver needs at least ${options.minimum}`,
    });
  }
  if (compareMicroversions(maximum, options.minimum) < 0) {
    throw new OcxError({
      code: 'capability',
      backend: options.service,
      operation: 'negotiate_microversion',
      message: `${options.service} supports microversions up to ${maximum}; the driver needs at least ${options.minimum}`,
    });
  }
  return compareMicroversions(maximum, options.wanted) < 0 ? maximum : options.wanted;
}
