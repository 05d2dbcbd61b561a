import { IdSchema, OrganizationIdSchema, TimestampSchema } from '@ocx/core';
import { z } from 'zod';
import { FORMAT_VERSION, NONCE_PREFIX_BYTES } from './segment-cipher.js';

/** How the ciphertext is spread over the targets; see the README's threat model. */
export const LayoutSchema = z.enum(['xor', 'replicated']);
/**
 * - `xor`: k = n; n − 1 targets hold random pads, the last the ciphertext XOR all pads. Each
 *   target's data share is uniformly random on its own.
 * - `replicated`: every target holds the whole ciphertext; the key is split k-of-n.
 */
export type Layout = z.infer<typeof LayoutSchema>;

/** One target of a placement, as every manifest records it. */
export const PlacementEntrySchema = z.object({
  landlord: IdSchema,
  organization: OrganizationIdSchema.optional(),
  service: IdSchema,
  /** The x-coordinate of this target's Shamir key share (1–255); public, needed to rebuild a lost share. */
  keyShareX: z.number().int().min(1).max(255),
});
/** {@link PlacementEntrySchema} as parsed. */
export type PlacementEntry = z.infer<typeof PlacementEntrySchema>;

const hex = (bytes: number) =>
  z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes of hex`);

/**
 * The manifest each target holds for one upload of one object, written last: its presence is the
 * commit. Everything in it is readable by that landlord, so it holds no secret (the key commitment
 * is an HMAC under the object's random key). Every field but `shareIndex` is the same on every target.
 */
export const ManifestSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  objectId: z.string().min(1),
  uploadId: z.string().min(1),
  layout: LayoutSchema,
  threshold: z.number().int().min(2).max(255),
  /** Which entry of `placement` this target is. */
  shareIndex: z.number().int().min(0).max(254),
  placement: z.array(PlacementEntrySchema).min(2).max(255),
  /** Plaintext bytes. */
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  segmentSize: z.number().int().min(1),
  segmentsPerPart: z.number().int().min(1),
  noncePrefix: hex(NONCE_PREFIX_BYTES),
  keyCommitment: hex(32),
  createdAt: TimestampSchema,
  /** The caller's metadata, stored in the clear on every target. */
  metadata: z.record(z.string(), z.string()).optional(),
});
/** {@link ManifestSchema} as parsed. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** The fields every target's manifest must agree on, as one comparable string. */
export function sharedFieldsOf(manifest: Manifest): string {
  const { shareIndex: _ignored, ...shared } = manifest;
  return canonicalJson(shared);
}

/** JSON with object keys sorted at every level, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The key-share object each target holds beside its manifest. */
export const KeyShareFileSchema = z.object({
  format: z.literal(FORMAT_VERSION),
  objectId: z.string().min(1),
  uploadId: z.string().min(1),
  shareIndex: z.number().int().min(0).max(254),
  /** The Shamir share (32 bytes and its x-coordinate), base64. */
  share: z.string().regex(/^[A-Za-z0-9+/]{44}$/, 'must be 33 bytes of base64'),
});
/** {@link KeyShareFileSchema} as parsed. */
export type KeyShareFile = z.infer<typeof KeyShareFileSchema>;
