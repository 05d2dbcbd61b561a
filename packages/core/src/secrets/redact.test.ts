import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { REDACTED, redactText, redactValue, registerSecret } from './redact.js';
import { Secret } from './secret.js';

describe('secret redaction', () => {
  it('a Secret never shows itself', () => {
    const secret = Secret.from('hunter2-very-secret');
    expect(String(secret)).toBe(REDACTED);
    expect(JSON.stringify({ secret })).toBe(`{"secret":"${REDACTED}"}`);
    expect(inspect({ secret })).not.toContain('hunter2');
    expect(`${secret}`).toBe(REDACTED);
    expect(secret.reveal()).toBe('hunter2-very-secret');
  });

  it('registered secrets and their base64 form are redacted from text', () => {
    registerSecret('s3cr3t-landlord-key');
    const basic = Buffer.from('s3cr3t-landlord-key').toString('base64');
    expect(redactText(`failed with s3cr3t-landlord-key and ${basic}`)).toBe(`failed with ${REDACTED} and ${REDACTED}`);
  });

  it('patterns catch secrets the SDK never saw', () => {
    const text = [
      'Authorization: Bearer eyJhbGciOi.abc.def',
      'X-Auth-Token: gAAAAABk-token-value',
      'password=opensesame&user=bob',
      '{"password": "opensesame2"}',
      'https://admin:pa55word@hil.example/v0',
      'https://obmd.example/power_on?token=abcdef123456',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
    ].join('\n');
    const redacted = redactText(text);
    for (const leaked of ['eyJhbGciOi', 'gAAAAABk', 'opensesame', 'pa55word', 'abcdef123456', 'MIIEow']) {
      expect(redacted).not.toContain(leaked);
    }
    expect(redacted).toContain('user=bob');
  });

  it('redactValue hides secret-named fields deeply and keeps the rest', () => {
    const value = { user: 'bob', password: 'x1', nested: [{ apiKey: 'k', region: 'us' }], token: null };
    expect(redactValue(value)).toEqual({
      user: 'bob',
      password: REDACTED,
      nested: [{ apiKey: REDACTED, region: 'us' }],
      token: null,
    });
    expect(value.password).toBe('x1');
  });

  it('an OcxError redacts its message, backend message and cause', () => {
    registerSecret('cause-secret-value');
    const error = new OcxError({
      code: 'http',
      message: 'call failed: cause-secret-value',
      backendMessage: 'token=cause-secret-value',
      cause: new Error('socket said cause-secret-value'),
    });
    const shown = [error.message, inspect(error, { depth: 5 }), JSON.stringify(error), String(error.stack)].join('\n');
    expect(shown).not.toContain('cause-secret-value');
  });

  it('OcxError.is works by brand, not instanceof', () => {
    const error = new OcxError({ code: 'internal', message: 'x' });
    expect(OcxError.is(error)).toBe(true);
    expect(OcxError.is({ ...error })).toBe(false);
    expect(OcxError.is(new Error('x'))).toBe(false);
    const foreign = Object.create(null);
    foreign[Symbol.for('@ocx/core.OcxError')] = true;
    expect(OcxError.is(foreign)).toBe(true);
  });
});
