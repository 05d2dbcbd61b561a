import { randomBytes } from 'node:crypto';

/** Names one stored item of one upload of one object on a target. */
export type StoredItem = { kind: 'manifest' } | { kind: 'key-share' } | { kind: 'part'; part: number };

/** A stored key, understood. */
export interface ParsedKey {
  objectId: string;
  uploadId: string;
  item: StoredItem;
}

const UPLOAD_ID = /^[0-9a-z]{9}-[0-9a-f]{16}$/;
const MANIFEST = 'manifest.json';
const KEY_SHARE = 'key-share.json';
const PART = /^part-(\d{8})$/;

/** Upload ids sort by time: 9 base-36 digits of milliseconds, then 8 random bytes. */
export function newUploadId(now: Date): string {
  return `${now.getTime().toString(36).padStart(9, '0')}-${randomBytes(8).toString('hex')}`;
}

/** Whether `value` is an upload id. */
export function isUploadId(value: string): boolean {
  return UPLOAD_ID.test(value);
}

/**
 * Where everything of one object lives on a target: `<keyPrefix><encoded id>/`. The id is
 * percent-encoded (so `/` and other reserved characters never split it), which keeps prefixes: the
 * encoding of a prefix of an id is a prefix of the id's encoding.
 */
export function objectPrefix(keyPrefix: string, objectId: string): string {
  return `${keyPrefix}${encodeURIComponent(objectId)}/`;
}

/** `<object prefix><upload id>/`: one attempt to store the object. */
export function uploadPrefix(keyPrefix: string, objectId: string, uploadId: string): string {
  return `${objectPrefix(keyPrefix, objectId)}${uploadId}/`;
}

/** The key of one item of an upload. */
export function itemKey(keyPrefix: string, objectId: string, uploadId: string, item: StoredItem): string {
  const base = uploadPrefix(keyPrefix, objectId, uploadId);
  if (item.kind === 'manifest') return `${base}${MANIFEST}`;
  if (item.kind === 'key-share') return `${base}${KEY_SHARE}`;
  return `${base}part-${String(item.part).padStart(8, '0')}`;
}

/** Understand a key the store wrote; `undefined` for anything else under the prefix. */
export function parseKey(keyPrefix: string, key: string): ParsedKey | undefined {
  if (!key.startsWith(keyPrefix)) return undefined;
  const [encodedId, uploadId, name, ...rest] = key.slice(keyPrefix.length).split('/');
  if (encodedId === undefined || uploadId === undefined || name === undefined || rest.length > 0) return undefined;
  if (!isUploadId(uploadId)) return undefined;
  let objectId: string;
  try {
    objectId = decodeURIComponent(encodedId);
  } catch {
    return undefined;
  }
  if (encodeURIComponent(objectId) !== encodedId) return undefined;
  if (name === MANIFEST) return { objectId, uploadId, item: { kind: 'manifest' } };
  if (name === KEY_SHARE) return { objectId, uploadId, item: { kind: 'key-share' } };
  const part = PART.exec(name);
  return part ? { objectId, uploadId, item: { kind: 'part', part: Number(part[1]) } } : undefined;
}
