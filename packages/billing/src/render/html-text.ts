import { Decimal } from '@ocx/core';

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * An amount for display: its exact digits, padded to at least `scale` decimals (`12.5` → `12.50`).
 * Never rounded, so what is shown is what is billed.
 */
export function displayAmount(amount: string, scale: number): string {
  const value = Decimal.from(amount);
  const digits = value.toString().split('.')[1]?.length ?? 0;
  return value.toFixed(Math.max(scale, digits));
}
