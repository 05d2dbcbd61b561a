import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OcxError } from '../errors/ocx-error.js';
import { Decimal } from './decimal.js';

const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 12 }))
  .map(([negative, digits, scale]) => {
    const text = digits.toString().padStart(scale + 1, '0');
    const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
    return negative && digits !== 0n ? `-${body}` : body;
  });

describe('Decimal', () => {
  it('adds what binary floats cannot', () => {
    expect(Decimal.from('0.1').add('0.2').toString()).toBe('0.3');
    expect(Decimal.from('1.005').multiply('1000').toString()).toBe('1005');
  });

  it('parses and prints canonically', () => {
    expect(Decimal.from('-0012.5000').toString()).toBe('-12.5');
    expect(Decimal.from('0.000001').toString()).toBe('0.000001');
    expect(Decimal.from('42').toFixed(2)).toBe('42.00');
    expect(Decimal.from(7).toString()).toBe('7');
  });

  it('refuses floats, exponents and junk with a typed error', () => {
    for (const bad of ['1e5', '', '1.', '.5', 'NaN', '1,5', ' 1']) {
      expect(() => Decimal.from(bad)).toThrowError(OcxError);
    }
    expect(() => Decimal.from(0.1)).toThrow(/binary float/);
  });

  it('rounds by every mode', () => {
    const cases: Array<[string, Parameters<Decimal['round']>[1], string]> = [
      ['2.5', 'half-even', '2'],
      ['3.5', 'half-even', '4'],
      ['2.5', 'half-up', '3'],
      ['-2.5', 'half-up', '-3'],
      ['2.5', 'half-down', '2'],
      ['2.1', 'up', '3'],
      ['-2.1', 'up', '-3'],
      ['2.9', 'down', '2'],
      ['-2.1', 'floor', '-3'],
      ['-2.9', 'ceiling', '-2'],
      ['2.1', 'ceiling', '3'],
    ];
    for (const [value, mode, expected] of cases)
      expect(Decimal.from(value).round(0, mode).toString(), `${value} ${mode}`).toBe(expected);
  });

  it('divides with an explicit scale', () => {
    expect(Decimal.from('10').divide('3', 4).toString()).toBe('3.3333');
    expect(Decimal.from('2').divide('3', 2, 'half-up').toString()).toBe('0.67');
    expect(Decimal.from('-1').divide('8', 2, 'half-even').toString()).toBe('-0.12');
    expect(() => Decimal.from('1').divide('0', 2)).toThrowError(OcxError);
  });

  it('addition is exact: a + b - b = a (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        expect(Decimal.from(a).add(b).subtract(b).equals(a)).toBe(true);
      }),
    );
  });

  it('round-trips through its string (property)', () => {
    fc.assert(
      fc.property(decimalText, (a) => {
        expect(Decimal.from(Decimal.from(a).toString()).equals(a)).toBe(true);
      }),
    );
  });

  it('multiplication agrees with scaled bigint arithmetic (property)', () => {
    fc.assert(
      fc.property(decimalText, decimalText, (a, b) => {
        const x = Decimal.from(a);
        const y = Decimal.from(b);
        const product = x.multiply(y);
        expect(product.coefficient).toBe(x.coefficient * y.coefficient);
        expect(product.scale).toBe(x.scale + y.scale);
      }),
    );
  });

  it('rounding half-even never moves a value by more than half a unit (property)', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 6 }), (a, scale) => {
        const value = Decimal.from(a);
        const error = value.round(scale).subtract(value).abs();
        const halfUnit = Decimal.from('5').multiply(`0.${'0'.repeat(scale)}1`);
        expect(error.compare(halfUnit)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
