import { OcxError } from '@ocx/core';
import { describe, expect, it } from 'vitest';
import {
  checkHilName,
  encodePortPath,
  encodeSegment,
  HilChannelSchema,
  HilNameSchema,
  HilNetIdSchema,
  HilPortNameSchema,
} from './names.js';

describe('client-side name rules', () => {
  it.each(['node-01', 'Project_A', 'a b', "o'brien", 'x.y+z!*(1),$'])('accepts %j', (name) => {
    expect(HilNameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['', 'a/b', '..', '.', 'naïve', 'a%2Fb', 'semi;colon', 'tab\there', 'q?x', 'h#x'])('refuses %j', (name) => {
    expect(HilNameSchema.safeParse(name).success).toBe(false);
  });

  it('ports may hold slashes between non-empty parts', () => {
    expect(HilPortNameSchema.safeParse('gi1/0/11').success).toBe(true);
    expect(HilPortNameSchema.safeParse('te1/3').success).toBe(true);
    for (const port of ['gi1//1', '/gi1', 'gi1/', '../etc', 'gi1/../x', ''])
      expect(HilPortNameSchema.safeParse(port).success).toBe(false);
  });

  it('channels and net ids may hold slashes; a net id may be empty, a channel may not', () => {
    expect(HilChannelSchema.safeParse('vlan/native').success).toBe(true);
    expect(HilChannelSchema.safeParse('').success).toBe(false);
    expect(HilNetIdSchema.safeParse('').success).toBe(true);
    expect(HilNetIdSchema.safeParse('1000').success).toBe(true);
    expect(HilNetIdSchema.safeParse('10;00').success).toBe(false);
  });

  it('a refused name is a validation error naming the field and the call', () => {
    let error: unknown;
    try {
      checkHilName(HilNameSchema, 'a/b', 'node', 'show_node');
    } catch (caught) {
      error = caught;
    }
    expect(OcxError.is(error)).toBe(true);
    expect((error as OcxError).code).toBe('validation');
    expect((error as OcxError).operation).toBe('show_node');
    expect((error as OcxError).issues[0]?.path).toBe('node');
  });

  it('path segments are percent-encoded; port slashes are kept', () => {
    expect(encodeSegment("a b,$'")).toBe("a%20b%2C%24'");
    expect(encodePortPath('gi1/0/11')).toBe('gi1/0/11');
    expect(encodePortPath('te 1/3')).toBe('te%201/3');
  });
});
