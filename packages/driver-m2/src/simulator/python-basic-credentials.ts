import type { HilCredentials } from './hil-lookup.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The next character `a2b_base64` counts as valid (alphabet or `=`) at or after `from`. */
function nextValid(text: string, from: number): string | undefined {
  for (let index = from; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '=' || ALPHABET.includes(char)) return char;
  }
  return undefined;
}

/**
 * Python 2's `base64.b64decode` (`binascii.a2b_base64`): characters outside the alphabet are
 * skipped, a `=` ends the data once a quad has two characters and the next valid one is `=` too,
 * and leftover bits are an error (`TypeError: Incorrect padding`).
 */
export function python2Base64Decode(text: string): Buffer | { error: string } {
  const bytes: number[] = [];
  let quadPosition = 0;
  let bits = 0;
  let pending = 0;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '=') {
      if (quadPosition < 2 || (quadPosition === 2 && nextValid(text, index + 1) !== '=')) continue;
      bits = 0;
      break;
    }
    const value = ALPHABET.indexOf(char);
    if (value < 0) continue;
    quadPosition = (quadPosition + 1) & 3;
    pending = (pending << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((pending >> bits) & 0xff);
      pending &= (1 << bits) - 1;
    }
  }
  if (bits !== 0) return { error: 'Incorrect padding' };
  return Buffer.from(bytes);
}

/**
 * What einstein's `__process_credentials` makes of the word after the first space of the
 * Authorization header: `username, password = tuple(base64.b64decode(word).split(':'))`. Its
 * failures are Python exceptions the RPC server reports as a 500 carrying `str(exception)`.
 * Names are kept as bytes (latin1), as Python 2's `str` keeps them.
 */
export function decodeM2Credentials(word: string): HilCredentials | { error: string } {
  const decoded = python2Base64Decode(word);
  if (!Buffer.isBuffer(decoded)) return decoded;
  const parts = decoded.toString('latin1').split(':');
  if (parts.length < 2) return { error: 'need more than 1 value to unpack' };
  if (parts.length > 2) return { error: 'too many values to unpack' };
  return { username: parts[0]!, password: parts[1]! };
}
