import { Decimal } from '@ocx/core';

/**
 * The exact decimal a JSON number was written as. OpenStack reports usage totals as JSON floats
 * (`0.0005555555555555556`, sometimes `1e-05`); `Decimal.from` refuses binary floats, so the
 * shortest round-trip text of the number is expanded into a plain decimal string instead.
 *
 * @example
 * decimalFromJsonNumber(1e-5).toString(); // '0.00001'
 */
export function decimalFromJsonNumber(value: number): Decimal {
  if (!Number.isFinite(value)) return Decimal.ZERO;
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (match === null) return Decimal.from(text);
  const [, sign, whole, fraction = '', exponentText] = match;
  const exponent = Number(exponentText);
  const digits = `${whole}${fraction}`;
  const point = whole!.length + exponent;
  let plain: string;
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) plain = `${digits}${'0'.repeat(point - digits.length)}`;
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return Decimal.from(`${sign}${plain}`);
}
