import { z } from 'zod';

/** Hash algorithms Keylime accepts for PCR banks and file digests. */
export const HASH_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512', 'sm3_256'] as const;

/** A hash algorithm Keylime knows. */
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** Hex characters of one digest of each algorithm. */
export const DIGEST_HEX_LENGTH: Readonly<Record<HashAlgorithm, number>> = Object.freeze({
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  sm3_256: 64,
});

const ALL_LENGTHS = new Set(Object.values(DIGEST_HEX_LENGTH));

/**
 * A hex digest, lower-cased. With `algorithm` its length must be that algorithm's; without, it
 * must be the length of one of Keylime's algorithms (a PCR list may hold several banks' values).
 */
export function hexDigestSchema(algorithm?: HashAlgorithm): z.ZodType<string> {
  const lengths = algorithm === undefined ? ALL_LENGTHS : new Set([DIGEST_HEX_LENGTH[algorithm]]);
  const expected =
    algorithm === undefined
      ? 'a sha1, sha256, sha384 or sha512 digest (40, 64, 96 or 128 hex characters)'
      : `a ${algorithm} digest (${DIGEST_HEX_LENGTH[algorithm]} hex characters)`;
  // One issue per digest: a non-hex value is reported as such, not also as the wrong length.
  return z
    .string()
    .superRefine((digest, context) => {
      if (!/^[0-9a-fA-F]+$/.test(digest))
        context.addIssue({ code: 'custom', message: `must be hex digits: ${expected}` });
      else if (!lengths.has(digest.length)) context.addIssue({ code: 'custom', message: `must be ${expected}` });
    })
    .transform((digest) => digest.toLowerCase());
}
