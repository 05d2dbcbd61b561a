import { describe, expect, it } from 'vitest';
import { decodeM2Credentials, python2Base64Decode } from './python-basic-credentials.js';

// Every expectation was printed by CPython 2.7.18 running
// `tuple(base64.b64decode(word).split(':'))`, as einstein's __process_credentials does.
describe("M2's credential decoding", () => {
  it.each([
    ['YWxpY2U6cHc=', { username: 'alice', password: 'pw' }],
    ['!!YWxpY2U6cHc=', { username: 'alice', password: 'pw' }],
    ['YWxpY2U6cHc=====', { username: 'alice', password: 'pw' }],
    ['', { error: 'need more than 1 value to unpack' }],
    ['YWJj', { error: 'need more than 1 value to unpack' }],
    ['YTpiOmM=', { error: 'too many values to unpack' }],
    ['abc', { error: 'Incorrect padding' }],
    ['YWxpY2U6cHc', { error: 'Incorrect padding' }],
    ['Y', { error: 'Incorrect padding' }],
    ['YW', { error: 'Incorrect padding' }],
  ])('%j decodes as Python 2 does', (word, expected) => {
    expect(decodeM2Credentials(word)).toEqual(expected);
  });

  it('keeps bytes that are not UTF-8 as they came', () => {
    const word = Buffer.from([0x75, 0x3a, 0xe9]).toString('base64');
    expect(decodeM2Credentials(word)).toEqual({ username: 'u', password: '\u00e9' });
    expect(python2Base64Decode(word)).toEqual(Buffer.from([0x75, 0x3a, 0xe9]));
  });
});
