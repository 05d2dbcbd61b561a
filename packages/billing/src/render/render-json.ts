/**
 * Render an invoice, summary, settlement or any billing value as JSON: two-space indented, with
 * amounts as the exact decimal strings they already are (no number ever passes through a float).
 *
 * @example
 * ```ts
 * await writeFile('invoice.json', renderJson(invoice));
 * ```
 */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
