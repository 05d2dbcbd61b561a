import { OcxError, parseWith } from '@ocx/core';
import { isScalar, parseDocument, visit } from 'yaml';
import { type BillingPriceList, BillingPriceListSchema } from './price-list-schema.js';

/**
 * Validate a price list given as an object. A bad field fails with an OcxError `validation`
 * whose issues name it (`versions.0.rates.2.pricing.tiers.1.upTo`).
 */
export function parsePriceList(input: unknown): BillingPriceList {
  return parseWith(BillingPriceListSchema, input, { what: 'price list' });
}

/**
 * Read a price list from JSON or YAML text (JSON is read as YAML 1.2, of which it is a subset).
 * Numbers are kept as the digits written in the file, never turned into binary floats, so
 * `unitPrice: 0.1` means exactly one tenth.
 *
 * @example
 * ```ts
 * const list = loadPriceList(await readFile('prices.yaml', 'utf8'));
 * ```
 */
export function loadPriceList(text: string): BillingPriceList {
  return parsePriceList(parseDataText(text, 'price list'));
}

/** Parse JSON or YAML text into plain data, with numbers as their source digits. */
export function parseDataText(text: string, what: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      path: '',
      message: `${error.code} at line ${error.linePos?.[0]?.line ?? '?'}, column ${error.linePos?.[0]?.col ?? '?'}`,
    }));
    throw new OcxError({
      code: 'validation',
      message: `Invalid ${what}: not valid JSON or YAML (${issues[0]?.message ?? 'unreadable'})`,
      issues,
      fault: 'client',
    });
  }
  visit(document, {
    Scalar(_key, node) {
      if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'bigint')) {
        node.value = typeof node.source === 'string' && node.source !== '' ? node.source : String(node.value);
      }
    },
  });
  return document.toJS({ maxAliasCount: 100 });
}
