import { OcxError, TimestampSchema } from '@ocx/core';
import { z } from 'zod';
import { parseDataText } from '../price-list/load-price-list.js';
import type { Outage } from '../price-list/price-list-schema.js';

/** The end given to an outage whose `until` is absent (NERC: still ongoing): after any period. */
const ONGOING_END = '9999-12-31T00:00:00.000Z';

const TimeframeSchema = z
  .object({
    from: TimestampSchema,
    until: TimestampSchema.nullable().optional(),
    affected_services: z.array(z.string().min(1).max(200)).min(1),
  })
  .strict();

const OutageItemSchema = z
  .object({
    name: z.string().max(500).optional(),
    url: z.url().optional(),
    timeframes: z.array(TimeframeSchema).min(1),
  })
  .strict();

/** nerc-rates' `outages.yaml`: a list of outage events, each with timeframes and affected services. */
export const NercOutagesSchema = z.array(OutageItemSchema).nullable();

/**
 * Read CCI-MOC/nerc-rates' `outages.yaml` (or the same as JSON) into price-list outage windows,
 * one per timeframe, keeping the affected service names (`NERC OpenStack`, `ocp-prod`) so that
 * `rateInstanceActions` credits only the service its rules name. A timeframe without `until`
 * (ongoing) runs past any period. Bad data fails with a `validation` OcxError naming the field.
 *
 * @example
 * ```ts
 * const outages = loadNercOutages(await readFile('nerc-rates/outages.yaml', 'utf8'));
 * rateInstanceActions({ priceList: nercPriceList(), period, actions, outages });
 * ```
 */
export function loadNercOutages(text: string): Outage[] {
  const parsed = NercOutagesSchema.safeParse(parseDataText(text, 'outages file'));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    throw new OcxError({
      code: 'validation',
      message: `Invalid outages file: ${issues[0]?.path}: ${issues[0]?.message}`,
      issues,
      fault: 'client',
    });
  }
  const outages: Outage[] = [];
  (parsed.data ?? []).forEach((item, index) => {
    item.timeframes.forEach((frame, at) => {
      const end = frame.until ?? ONGOING_END;
      if (Date.parse(end) <= Date.parse(frame.from)) {
        throw new OcxError({
          code: 'validation',
          message: `Invalid outages file: ${index}.timeframes.${at}.until: must be after from`,
          issues: [{ path: `${index}.timeframes.${at}.until`, message: 'must be after from' }],
          fault: 'client',
        });
      }
      outages.push({
        start: frame.from,
        end,
        services: frame.affected_services,
        ...(item.name !== undefined || item.url !== undefined ? { description: item.name ?? item.url } : {}),
      });
    });
  });
  return outages;
}
