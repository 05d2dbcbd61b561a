import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { TenantProjectSchema } from '../spec/interfaces/tenancy.js';
import { checkInput, checkSignal, conflict, NameSchema, notFound, undefinedIfNotFound } from './index.js';

describe('@ocx/core/driver-kit', () => {
  it('checkInput returns the parsed input, and names the bad field in a validation error', () => {
    expect(checkInput(TenantProjectSchema, { id: 'p1', name: 'P', organization: 'bu' }, 'ensureProject')).toEqual({
      id: 'p1',
      name: 'P',
      organization: 'bu',
    });
    let caught: unknown;
    try {
      checkInput(TenantProjectSchema, { id: 'p1', name: '', organization: 'bu' }, 'ensureProject');
    } catch (error) {
      caught = error;
    }
    expect(OcxError.is(caught)).toBe(true);
    expect((caught as OcxError).code).toBe('validation');
    expect((caught as OcxError).message).toContain('name');
  });

  it('NameSchema refuses shell metacharacters and leading dots', () => {
    expect(NameSchema.safeParse('genomics-01').success).toBe(true);
    expect(NameSchema.safeParse('a;rm -rf /').success).toBe(false);
    expect(NameSchema.safeParse('.hidden').success).toBe(false);
  });

  it('checkSignal refuses an aborted call as aborted, and lets a live one through', () => {
    const controller = new AbortController();
    expect(() => checkSignal({ signal: controller.signal }, 'op', 'mine')).not.toThrow();
    controller.abort();
    expect(() => checkSignal({ signal: controller.signal }, 'op', 'mine')).toThrow(
      expect.objectContaining({ code: 'aborted', backend: 'mine' }),
    );
  });

  it('notFound and conflict carry code, status and backend', () => {
    expect(notFound('Project "p1"', 'getProject', 'mine')).toMatchObject({
      code: 'not-found',
      status: 404,
      backend: 'mine',
    });
    expect(conflict('in use', 'deleteProject', 'mine')).toMatchObject({ code: 'conflict', status: 409 });
  });

  it('undefinedIfNotFound maps not-found to undefined and rethrows anything else', async () => {
    expect(await undefinedIfNotFound(Promise.resolve(3))).toBe(3);
    expect(await undefinedIfNotFound(Promise.reject(notFound('x', 'get', 'mine')))).toBeUndefined();
    await expect(undefinedIfNotFound(Promise.reject(conflict('busy', 'get', 'mine')))).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
