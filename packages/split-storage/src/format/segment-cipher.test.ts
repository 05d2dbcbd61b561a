import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyCommitment, objectCipher, segmentAad, segmentNonce } from './segment-cipher.js';

const join = (pieces: Buffer[]) => Buffer.concat(pieces);
const params = () => ({ key: randomBytes(32), objectId: 'o', noncePrefix: randomBytes(7), segmentSize: 1024 });

describe('segment cipher', () => {
  it('nonce = 7-byte prefix, 32-bit big-endian index, final flag', () => {
    const prefix = Buffer.from('01020304050607', 'hex');
    expect(segmentNonce(prefix, 0x0a0b0c0d, true).toString('hex')).toBe('010203040506070a0b0c0d01');
    expect(segmentNonce(prefix, 1, false).toString('hex')).toBe('010203040506070000000100');
  });

  it('AAD binds format, object id, segment size, index and final flag', () => {
    const aad = segmentAad('ab', 1024, 3, true);
    expect(aad.toString('hex')).toBe(
      `${Buffer.from('ocx-split-storage/v1').toString('hex')}00000002${Buffer.from('ab').toString('hex')}000004000000000301`,
    );
  });

  it('opens what it sealed, large segments included', () => {
    const cipher = objectCipher(params());
    const plaintext = randomBytes(300_000);
    const { ciphertext, tag } = cipher.seal(7, false, plaintext);
    expect(ciphertext.map((piece) => piece.byteLength)).toEqual([65536, 65536, 65536, 65536, 37856]);
    expect(join(ciphertext).equals(plaintext)).toBe(false);
    expect(join(cipher.open(7, false, join(ciphertext), tag)).equals(plaintext)).toBe(true);
  });

  it.each([
    ['another index', (c: ReturnType<typeof objectCipher>, ct: Buffer, tag: Buffer) => c.open(8, false, ct, tag)],
    ['the final flag set', (c: ReturnType<typeof objectCipher>, ct: Buffer, tag: Buffer) => c.open(7, true, ct, tag)],
    [
      'a flipped ciphertext bit',
      (c: ReturnType<typeof objectCipher>, ct: Buffer, tag: Buffer) => {
        ct[0] = (ct[0] as number) ^ 1;
        return c.open(7, false, ct, tag);
      },
    ],
  ])('refuses a segment opened with %s', (_name, open) => {
    const cipher = objectCipher(params());
    const { ciphertext, tag } = cipher.seal(7, false, randomBytes(100));
    expect(() => open(cipher, join(ciphertext), tag)).toThrow();
  });

  it('refuses a segment of another object id with the same key', () => {
    const shared = params();
    const { ciphertext, tag } = objectCipher(shared).seal(0, true, randomBytes(10));
    expect(() => objectCipher({ ...shared, objectId: 'p' }).open(0, true, join(ciphertext), tag)).toThrow();
  });

  it('copies its key, so the caller may wipe its own', () => {
    const input = params();
    const cipher = objectCipher(input);
    const { ciphertext, tag } = cipher.seal(0, true, Buffer.from('x'));
    input.key.fill(0);
    expect(join(cipher.open(0, true, join(ciphertext), tag)).toString()).toBe('x');
  });

  it('commits to the key, the object and the upload', () => {
    const key = randomBytes(32);
    const commitment = keyCommitment(key, 'o', 'u');
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(keyCommitment(key, 'o', 'u')).toBe(commitment);
    expect(keyCommitment(key, 'o', 'v')).not.toBe(commitment);
    expect(keyCommitment(randomBytes(32), 'o', 'u')).not.toBe(commitment);
  });
});
