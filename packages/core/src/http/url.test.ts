import { describe, expect, it } from 'vitest';
import { appendQuery, isAbsoluteUrl, normaliseBaseUrl, pathForDisplay, requestTarget, resolveUrl } from './url.js';

describe('url helpers', () => {
  it('joins paths under the base path', () => {
    const base = normaliseBaseUrl('https://nova.example/v2.1/abc/');
    expect(base).toBe('https://nova.example/v2.1/abc');
    expect(resolveUrl(base, '/servers')).toBe('https://nova.example/v2.1/abc/servers');
    expect(resolveUrl(base, 'servers/detail')).toBe('https://nova.example/v2.1/abc/servers/detail');
    expect(resolveUrl(base, '//evil.example/x')).toBe('https://nova.example/v2.1/abc/evil.example/x');
    expect(resolveUrl(base, 'https://other.example/x')).toBe('https://other.example/x');
  });

  it('encodes queries, dropping undefined and null, repeating arrays', () => {
    expect(appendQuery('/a', { x: 'a&b', y: undefined, z: null, n: 0, t: true, list: ['1', 2] })).toBe(
      '/a?x=a%26b&n=0&t=true&list=1&list=2',
    );
    expect(appendQuery('/a?k=1', { m: 'v' })).toBe('/a?k=1&m=v');
    expect(appendQuery('/a', { y: undefined })).toBe('/a');
    expect(appendQuery('/a', undefined)).toBe('/a');
  });

  it('shows paths without query or fragment', () => {
    expect(pathForDisplay('https://h.example:8080/v3/auth?token=x#f')).toBe('/v3/auth');
    expect(pathForDisplay('https://h.example')).toBe('/');
    expect(isAbsoluteUrl('http://x')).toBe(true);
    expect(isAbsoluteUrl('/x')).toBe(false);
  });

  it('splits plain URLs under a known origin without parsing, and normalises the rest', () => {
    expect(requestTarget('https://a.example:8443/v1/x?y=1', 'https://a.example:8443')).toEqual({
      origin: 'https://a.example:8443',
      path: '/v1/x?y=1',
      url: 'https://a.example:8443/v1/x?y=1',
    });
    expect(requestTarget('https://a.example:8443/x', 'https://a.example:844').origin).toBe('https://a.example:8443');
    expect(requestTarget('https://a.example/v1/../v2/a b#frag', 'https://a.example').path).toBe('/v2/a%20b');
    expect(requestTarget('HTTPS://A.EXAMPLE/x').origin).toBe('https://a.example');
  });
});
