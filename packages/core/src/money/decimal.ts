import { OcxError } from '../errors/ocx-error.js';

/** How to round a decimal to fewer digits. */
export type RoundingMode = 'half-up' | 'half-even' | 'half-down' | 'up' | 'down' | 'ceiling' | 'floor';

/** A decimal number written as a string: `-12.5`, `0.000001`, `42`. No exponent, no float. */
export type DecimalString = string;

const DECIMAL_PATTERN = /^([+-])?(\d+)(?:\.(\d+))?$/;
const DECIMAL_BRAND = Symbol.for('@ocx/core.Decimal');
const POWERS_OF_TEN: bigint[] = [];
function powerOfTen(exponent: number): bigint {
  let power = POWERS_OF_TEN[exponent];
  if (power === undefined) {
    power = 10n ** BigInt(exponent);
    POWERS_OF_TEN[exponent] = power;
  }
  return power;
}

/**
 * An exact decimal number: a bigint coefficient and a power-of-ten scale
 * (`value = coefficient / 10^scale`). Money and usage quantities use it so that no binary
 * float ever touches an amount. Immutable.
 *
 * @example
 * ```ts
 * Decimal.from('0.1').add('0.2').toString(); // '0.3'
 * Decimal.from('10').divide('3', 4, 'half-even').toString(); // '3.3333'
 * ```
 */
export class Decimal {
  readonly coefficient: bigint;
  readonly scale: number;

  private constructor(coefficient: bigint, scale: number) {
    this.coefficient = coefficient;
    this.scale = scale;
  }

  /** True for a Decimal from any copy of `@ocx/core` (ESM and CJS builds, two versions). */
  static isDecimal(value: unknown): value is Decimal {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DECIMAL_BRAND] === true;
  }

  static readonly ZERO = new Decimal(0n, 0);

  /** True when `text` is a plain decimal string (`-1.25`); exponents and floats are not. */
  static isDecimalString(text: string): boolean {
    return DECIMAL_PATTERN.test(text);
  }

  /**
   * Make a Decimal from a decimal string, a bigint, an integer number or another Decimal.
   * Non-integer numbers are refused: they are binary floats and may already be inexact.
   */
  static from(value: Decimal | DecimalString | bigint | number): Decimal {
    if (value instanceof Decimal) return value;
    if (Decimal.isDecimal(value)) {
      // A Decimal from another copy of the package: rebuild it from its parts.
      const foreign = value as { coefficient: bigint; scale: number };
      return new Decimal(foreign.coefficient, foreign.scale);
    }
    if (typeof value === 'bigint') return new Decimal(value, 0);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) {
        throw new OcxError({
          code: 'validation',
          message: `Decimal.from refuses the number ${value}: pass a decimal string, not a binary float`,
          issues: [{ path: '', message: 'expected an integer or a decimal string' }],
          fault: 'client',
        });
      }
      return new Decimal(BigInt(value), 0);
    }
    const match = DECIMAL_PATTERN.exec(value);
    if (match === null) {
      throw new OcxError({
        code: 'validation',
        message: `Not a decimal number: ${JSON.stringify(value.slice(0, 40))}`,
        issues: [{ path: '', message: 'expected a decimal string such as "12.50"' }],
        fault: 'client',
      });
    }
    const fraction = match[3] ?? '';
    const digits = BigInt((match[2] ?? '0') + fraction);
    return new Decimal(match[1] === '-' ? -digits : digits, fraction.length);
  }

  /** Sum any number of decimals exactly. */
  static sum(values: Iterable<Decimal | DecimalString>): Decimal {
    let total = Decimal.ZERO;
    for (const value of values) total = total.add(value);
    return total;
  }

  private static align(a: Decimal, b: Decimal): [bigint, bigint, number] {
    if (a.scale === b.scale) return [a.coefficient, b.coefficient, a.scale];
    if (a.scale > b.scale) return [a.coefficient, b.coefficient * powerOfTen(a.scale - b.scale), a.scale];
    return [a.coefficient * powerOfTen(b.scale - a.scale), b.coefficient, b.scale];
  }

  add(other: Decimal | DecimalString): Decimal {
    const [x, y, scale] = Decimal.align(this, Decimal.from(other));
    return new Decimal(x + y, scale);
  }

  subtract(other: Decimal | DecimalString): Decimal {
    const [x, y, scale] = Decimal.align(this, Decimal.from(other));
    return new Decimal(x - y, scale);
  }

  multiply(other: Decimal | DecimalString): Decimal {
    const factor = Decimal.from(other);
    return new Decimal(this.coefficient * factor.coefficient, this.scale + factor.scale);
  }

  /** Divide, keeping `scale` digits after the point, rounded by `mode`. */
  divide(other: Decimal | DecimalString, scale: number, mode: RoundingMode = 'half-even'): Decimal {
    const divisor = Decimal.from(other);
    if (divisor.coefficient === 0n) {
      throw new OcxError({ code: 'validation', message: 'Division by zero', fault: 'client' });
    }
    // this / divisor = (c1 / 10^s1) / (c2 / 10^s2); scale the numerator so the quotient has `scale` digits.
    const shift = scale + divisor.scale - this.scale;
    let numerator = this.coefficient;
    let denominator = divisor.coefficient;
    if (shift >= 0) numerator *= powerOfTen(shift);
    else denominator *= powerOfTen(-shift);
    return new Decimal(roundedQuotient(numerator, denominator, mode), scale);
  }

  negate(): Decimal {
    return new Decimal(-this.coefficient, this.scale);
  }

  abs(): Decimal {
    return this.coefficient < 0n ? this.negate() : this;
  }

  /** -1, 0 or 1. */
  compare(other: Decimal | DecimalString): -1 | 0 | 1 {
    const [x, y] = Decimal.align(this, Decimal.from(other));
    return x < y ? -1 : x > y ? 1 : 0;
  }

  equals(other: Decimal | DecimalString): boolean {
    return this.compare(other) === 0;
  }

  isZero(): boolean {
    return this.coefficient === 0n;
  }

  isNegative(): boolean {
    return this.coefficient < 0n;
  }

  max(other: Decimal | DecimalString): Decimal {
    const value = Decimal.from(other);
    return this.compare(value) >= 0 ? this : value;
  }

  min(other: Decimal | DecimalString): Decimal {
    const value = Decimal.from(other);
    return this.compare(value) <= 0 ? this : value;
  }

  /** Round to `scale` digits after the point. */
  round(scale: number, mode: RoundingMode = 'half-even'): Decimal {
    if (scale >= this.scale) return new Decimal(this.coefficient * powerOfTen(scale - this.scale), scale);
    return new Decimal(roundedQuotient(this.coefficient, powerOfTen(this.scale - scale), mode), scale);
  }

  /** The canonical string: no exponent, no trailing zeros after the point. */
  toString(): string {
    let coefficient = this.coefficient;
    let scale = this.scale;
    while (scale > 0 && coefficient % 10n === 0n) {
      coefficient /= 10n;
      scale -= 1;
    }
    return format(coefficient, scale);
  }

  /** Exactly `scale` digits after the point (rounding half-even when digits are dropped). */
  toFixed(scale: number, mode: RoundingMode = 'half-even'): string {
    const rounded = this.round(scale, mode);
    return format(rounded.coefficient, rounded.scale);
  }

  toJSON(): string {
    return this.toString();
  }

  /** The brand that {@link Decimal.isDecimal} checks. */
  get [DECIMAL_BRAND](): true {
    return true;
  }
}

function format(coefficient: bigint, scale: number): string {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/** numerator / denominator as an integer, rounded by `mode`. */
function roundedQuotient(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const quotient = n / d; // truncates toward zero
  const remainder = n % d;
  if (remainder === 0n) return quotient;
  const sign = n < 0n ? -1n : 1n;
  const twiceRemainder = (remainder < 0n ? -remainder : remainder) * 2n;
  const awayFromZero = quotient + sign;
  switch (mode) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'floor':
      return sign < 0n ? awayFromZero : quotient;
    case 'ceiling':
      return sign > 0n ? awayFromZero : quotient;
    case 'half-up':
      return twiceRemainder >= d ? awayFromZero : quotient;
    case 'half-down':
      return twiceRemainder > d ? awayFromZero : quotient;
    case 'half-even':
      if (twiceRemainder > d) return awayFromZero;
      if (twiceRemainder < d) return quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
  }
}
