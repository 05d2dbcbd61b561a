import { describe, expect, it } from 'vitest';
import { pythonJsonDumps } from './python-json.js';
import { pythonBase64DecodeText, pythonInt, pythonRepr } from './python-semantics.js';
import { matchRoute, versionScoped } from './route-table.js';
import { checkRuntimePolicyText, EMPTY_RUNTIME_POLICY_TEXT } from './runtime-policy-check.js';

describe('Python’s json.dumps, as Keylime writes its answers', () => {
  it('handlers: ", " and ": " separators, non-ASCII escaped', () => {
    expect(pythonJsonDumps({ code: 200, status: 'é', results: { a: [1, null, true], b: {} } })).toBe(
      '{"code": 200, "status": "\\u00e9", "results": {"a": [1, null, true], "b": {}}}',
    );
  });

  it('controllers: indent=4, with empty containers kept on one line', () => {
    expect(pythonJsonDumps({ a: [], b: { c: 'x' } }, 4)).toBe(
      '{\n    "a": [],\n    "b": {\n        "c": "x"\n    }\n}',
    );
  });

  it('the verifier’s default empty runtime policy', () => {
    expect(EMPTY_RUNTIME_POLICY_TEXT).toBe(
      '{"meta": {"version": 1, "generator": 1}, "release": 0, "digests": {}, "excludes": [], "keyrings": {}, ' +
        '"ima": {"ignored_keyrings": [], "log_hash_alg": "sha1", "dm_policy": null}, "ima-buf": {}, "verification-keys": ""}',
    );
  });
});

describe('Python semantics behind Keylime’s exception messages', () => {
  it('int(): strings with spaces and underscores, truncated floats, and the messages of what it refuses', () => {
    expect(pythonInt(' 9_002 ')).toEqual({ ok: true, value: 9002 });
    expect(pythonInt(9002.9)).toEqual({ ok: true, value: 9002 });
    expect(pythonInt('')).toEqual({ ok: false, message: "invalid literal for int() with base 10: ''" });
    expect(pythonInt(null)).toEqual({
      ok: false,
      message: "int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    });
  });

  it('repr and base64', () => {
    expect(pythonRepr(["it's", { a: null }])).toBe(`["it's", {'a': None}]`);
    expect(pythonBase64DecodeText('e30=')).toEqual({ ok: true, text: '{}' });
    expect(pythonBase64DecodeText('e30')).toEqual({ ok: false, message: 'Incorrect padding' });
    expect(pythonBase64DecodeText(7)).toMatchObject({ ok: false, message: expect.stringContaining("not 'int'") });
  });
});

describe('runtime policies as ima.py checks them', () => {
  it('the shallowest schema error, in jsonschema’s words', () => {
    const policy = JSON.parse(EMPTY_RUNTIME_POLICY_TEXT) as Record<string, unknown>;
    const { release: _release, ...withoutRelease } = policy;
    expect(checkRuntimePolicyText(JSON.stringify({ ...withoutRelease, digests: { '/a': ['XYZ'] } }))).toEqual({
      kind: 'refused',
      code: 400,
      message: "Runtime policy is malformatted: 'release' is a required property",
    });
    expect(checkRuntimePolicyText(JSON.stringify({ ...policy, digests: { '/a': ['XYZ'] } }))).toMatchObject({
      message: "Runtime policy is malformatted: 'XYZ' does not match '^[0-9a-f]{40,128}$'",
    });
    expect(checkRuntimePolicyText('[]')).toEqual({
      kind: 'exception',
      message: "'list' object has no attribute 'get'",
    });
    expect(checkRuntimePolicyText(EMPTY_RUNTIME_POLICY_TEXT)).toMatchObject({ kind: 'ok', stored: { generator: 1 } });
  });
});

describe('routes as keylime/web/base/route.py matches them', () => {
  const routes = versionScoped(2, [
    { method: 'GET', pattern: '/agents/:agent_id', action: 'show' },
    { method: 'DELETE', pattern: '/agents/:agent_id', action: 'delete' },
  ]);

  it('raw segments, a trailing slash, any minor version, 405 for a known path and 404 otherwise', () => {
    expect(matchRoute(routes, 'GET', '/v2.7/agents/a%20b/')).toMatchObject({
      kind: 'found',
      params: { agent_id: 'a%20b' },
    });
    expect(matchRoute(routes, 'GET', '/v2/agents/x')).toMatchObject({ kind: 'found', action: 'show' });
    expect(matchRoute(routes, 'PUT', '/v2.5/agents/x')).toEqual({ kind: 'method-not-allowed' });
    expect(matchRoute(routes, 'GET', '/v2.5/agents/x/y')).toEqual({ kind: 'not-found' });
    expect(matchRoute(routes, 'GET', '/v2.5/agents/"x"')).toEqual({ kind: 'invalid-path' });
  });
});
