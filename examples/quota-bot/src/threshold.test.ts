import { describe, expect, it } from 'vitest';
import { billingMonth } from './billing-month.js';
import { NoticeMemory } from './notice-memory.js';
import { levelFor, percentOf } from './threshold.js';

describe('levelFor', () => {
  it('compares exactly, with no float rounding at the threshold', () => {
    expect(levelFor('7.99', '10', '80')).toBe('ok');
    expect(levelFor('8', '10', '80')).toBe('near');
    expect(levelFor('9.999999999999999999', '10', '80')).toBe('near');
    expect(levelFor('10', '10', '80')).toBe('over');
    expect(levelFor('0.3', '0.375', '80')).toBe('near');
    expect(levelFor('0.29', '0.375', '80')).toBe('ok');
    expect(levelFor('80.5', '100', '80.5')).toBe('near');
    expect(levelFor('80.49', '100', '80.5')).toBe('ok');
  });

  it('treats a zero limit as ok when unused and over when used', () => {
    expect(levelFor('0', '0', '80')).toBe('ok');
    expect(levelFor('0.01', '0', '80')).toBe('over');
  });
});

describe('percentOf', () => {
  it('rounds half-up to one decimal and has no percentage of zero', () => {
    expect(percentOf('2', '3')).toBe('66.7');
    expect(percentOf('1', '8')).toBe('12.5');
    expect(percentOf('5', '5')).toBe('100.0');
    expect(percentOf('1', '0')).toBeNull();
  });
});

describe('NoticeMemory', () => {
  it('reports only rises, and a rise again after a fall', () => {
    const memory = new NoticeMemory();
    expect(memory.observe('q', 'near')).toBe(true);
    expect(memory.observe('q', 'near')).toBe(false);
    expect(memory.observe('q', 'over')).toBe(true);
    expect(memory.observe('q', 'near')).toBe(false);
    expect(memory.observe('q', 'over')).toBe(true);
    expect(memory.observe('q', 'ok')).toBe(false);
    expect(memory.observe('q', 'near')).toBe(true);
    memory.forget('q');
    expect(memory.observe('q', 'near')).toBe(true);
  });
});

describe('billingMonth', () => {
  it('is the UTC calendar month, half-open, across a year end', () => {
    expect(billingMonth(new Date('2026-12-31T23:59:59.999Z'))).toEqual({
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
    expect(billingMonth(new Date('2027-01-01T00:00:00Z'))).toEqual({
      start: '2027-01-01T00:00:00.000Z',
      end: '2027-02-01T00:00:00.000Z',
    });
  });
});
