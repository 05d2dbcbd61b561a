import { describe, expect, it } from 'vitest';
import { findEndpoint } from '../keystone/catalog.js';
import { decimalFromJsonNumber } from './json-number.js';
import { compareMicroversions } from './microversion.js';
import { novaTime, parseOpenStackTime } from './openstack-time.js';
import { stripVersionSuffix, versionRoot } from './service-paths.js';

describe('shared helpers', () => {
  it('reads JSON floats as the decimals they print as', () => {
    expect(decimalFromJsonNumber(0.0005555555555555556).toString()).toBe('0.0005555555555555556');
    expect(decimalFromJsonNumber(1e-7).toString()).toBe('0.0000001');
    expect(decimalFromJsonNumber(1.5e21).toString()).toBe('1500000000000000000000');
    expect(decimalFromJsonNumber(-2.5e-3).toString()).toBe('-0.0025');
  });

  it('reads OpenStack timestamps as UTC with or without an offset', () => {
    expect(parseOpenStackTime('2026-11-21T09:58:43.000000')).toBe(Date.parse('2026-11-21T09:58:43Z'));
    expect(parseOpenStackTime('2026-11-21T09:58:43Z')).toBe(Date.parse('2026-11-21T09:58:43Z'));
    expect(parseOpenStackTime(null)).toBeUndefined();
    expect(novaTime(Date.parse('2026-11-21T09:58:43.123Z'))).toBe('2026-11-21T09:58:43.123000');
  });

  it('compares microversions numerically', () => {
    expect(compareMicroversions('2.9', '2.40')).toBeLessThan(0);
    expect(compareMicroversions('3.0', '2.93')).toBeGreaterThan(0);
    expect(compareMicroversions('2.79', '2.79')).toBe(0);
  });

  it('finds endpoints by type alias, interface and region', () => {
    const catalog = [
      {
        type: 'volumev3',
        endpoints: [
          { interface: 'public', region_id: 'RegionOne', url: 'http://c1/v3/p' },
          { interface: 'internal', region_id: 'RegionTwo', url: 'http://c2/v3/p' },
        ],
      },
    ];
    expect(findEndpoint(catalog, { type: 'block-storage', interface: 'public' })).toBe('http://c1/v3/p');
    expect(findEndpoint(catalog, { type: 'block-storage', interface: 'internal', region: 'RegionTwo' })).toBe(
      'http://c2/v3/p',
    );
    expect(
      findEndpoint(catalog, { type: 'block-storage', interface: 'internal', region: 'RegionOne' }),
    ).toBeUndefined();
  });

  it('normalises catalog URLs', () => {
    expect(stripVersionSuffix('http://n:9696/v2.0/', 'v2.0')).toBe('http://n:9696');
    expect(stripVersionSuffix('http://g:9292', 'v2')).toBe('http://g:9292');
    expect(versionRoot('http://c:8776/v3/abc', /^v3$/)).toBe('http://c:8776/');
    expect(versionRoot('http://h/volume/v3/abc', /^v3$/)).toBe('http://h/volume/');
  });
});
