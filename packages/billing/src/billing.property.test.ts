import { createMemoryStore, Decimal, ManualClock } from '@ocx/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBilling } from './create-billing.js';
import type { Adjustment } from './invoice/adjustment.js';
import { buildInvoices } from './invoice/build-invoices.js';
import type { Rounding } from './money/rounding.js';
import { billingPeriod } from './period/billing-period.js';
import { parsePriceList } from './price-list/load-price-list.js';
import { ratePeriod } from './rating/rate-period.js';
import type { UsagePart } from './rating/usage-part.js';
import { settle } from './settlement/settle.js';

const period = billingPeriod('2026-11');
const HOUR = 3_600_000;
const PERIOD_HOURS = 720;

const decimal = (maxUnits: number, scale: number) =>
  fc.integer({ min: 0, max: maxUnits * 10 ** scale }).map((value) =>
    Decimal.from(BigInt(value))
      .divide(Decimal.from(BigInt(10 ** scale)), scale)
      .toString(),
  );
const positive = (maxUnits: number, scale: number) =>
  decimal(maxUnits, scale).filter((text) => !Decimal.from(text).isZero());

const tiers = fc
  .uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 3 })
  .chain((bounds) =>
    fc.tuple(
      ...[...bounds.sort((a, b) => a - b), null].map((upTo) =>
        decimal(2, 4).map((unitPrice) => ({ upTo: upTo === null ? null : String(upTo), unitPrice })),
      ),
    ),
  );
const pricing = fc.oneof(
  decimal(3, 5).map((unitPrice) => ({ model: 'unit', unitPrice })),
  tiers.map((list) => ({ model: 'graduated', tiers: list })),
  tiers.map((list) => ({ model: 'volume', tiers: list })),
  fc
    .record({ packageSize: positive(100, 1), packagePrice: decimal(20, 2) })
    .map((value) => ({ model: 'package', ...value })),
);
const rate = (metric: string) =>
  fc.record(
    {
      metric: fc.constant(metric),
      unit: fc.constant('u'),
      pricing,
      freeAllowance: positive(500, 2),
      minimumCharge: positive(50, 2),
      aggregation: fc.constantFrom('project', 'user', 'resource'),
    },
    { requiredKeys: ['metric', 'unit', 'pricing', 'aggregation'] },
  );
const priceList = (landlord: string) =>
  fc
    .tuple(
      rate('m1'),
      rate('m2'),
      fc.option(fc.integer({ min: 1, max: PERIOD_HOURS - 1 }), { nil: undefined }),
      rate('m1'),
    )
    .map(([first, second, changeAt, changed]) =>
      parsePriceList({
        id: `${landlord}-prices`,
        landlord,
        currency: 'USD',
        versions: [
          { version: 'v1', effectiveFrom: '2026-01-01T00:00:00Z', rates: [first, second] },
          ...(changeAt === undefined
            ? []
            : [
                {
                  version: 'v2',
                  effectiveFrom: new Date(Date.parse(period.start) + changeAt * HOUR).toISOString(),
                  rates: [changed, second],
                },
              ]),
        ],
      }),
    );
const part = fc
  .record({
    landlord: fc.constantFrom('landlord-a', 'landlord-b'),
    project: fc.constantFrom('p1', 'p2'),
    user: fc.constantFrom('u1', 'u2'),
    resourceId: fc.constantFrom('r1', 'r2', 'r3'),
    metric: fc.constantFrom('m1', 'm2', 'm3'),
    quantity: decimal(1000, 6),
    startHour: fc.integer({ min: 0, max: PERIOD_HOURS - 1 }),
    hours: fc.integer({ min: 1, max: 48 }),
  })
  .map((value): Omit<UsagePart, 'key'> => {
    const startMs = Date.parse(period.start) + value.startHour * HOUR;
    return {
      landlord: value.landlord,
      service: 'svc',
      organization: value.project === 'p1' ? 'o1' : 'o2',
      project: value.project,
      user: value.user,
      resourceId: value.resourceId,
      resourceType: 'server',
      metric: value.metric,
      unit: 'u',
      quantity: value.quantity,
      startMs,
      endMs: Math.min(startMs + value.hours * HOUR, Date.parse(period.end)),
    };
  });
const usage = fc
  .array(part, { maxLength: 60 })
  .map((parts) => parts.map((item, index): UsagePart => ({ ...item, key: `k${index}` })));
const rounding: fc.Arbitrary<Rounding> = fc.record({
  level: fc.constantFrom('line', 'invoice'),
  scale: fc.integer({ min: 0, max: 4 }),
  mode: fc.constantFrom('half-up', 'half-even', 'half-down', 'up', 'down', 'ceiling', 'floor'),
});
const adjustments = fc
  .array(
    fc.oneof(
      fc
        .record({
          project: fc.constantFrom('p1', 'p2'),
          percent: positive(100, 2),
          landlord: fc.option(fc.constantFrom('landlord-a', 'landlord-b'), { nil: undefined }),
        })
        .map(
          (value): Adjustment => ({
            id: 'd',
            period: period.id,
            kind: 'discount',
            organization: value.project === 'p1' ? 'o1' : 'o2',
            project: value.project,
            percent: value.percent,
            description: 'discount',
            ...(value.landlord === undefined ? {} : { landlord: value.landlord }),
          }),
        ),
      fc.record({ project: fc.constantFrom('p1', 'p2'), amount: positive(200, 2), funded: fc.boolean() }).map(
        (value): Adjustment => ({
          id: 'c',
          period: period.id,
          kind: 'credit',
          organization: value.project === 'p1' ? 'o1' : 'o2',
          project: value.project,
          amount: value.amount,
          currency: 'USD',
          description: 'credit',
          ...(value.funded ? { landlord: 'landlord-a', fundedBy: 'landlord' as const } : {}),
        }),
      ),
    ),
    { maxLength: 4 },
  )
  .map((list) => list.map((adjustment, index) => ({ ...adjustment, id: `${adjustment.id}${index}` })));
const scenario = fc.record({
  lists: fc.tuple(priceList('landlord-a'), priceList('landlord-b')),
  usage,
  rounding,
  adjustments,
  granularity: fc.constantFrom('day' as const, 'period' as const),
});

const digits = (text: string) => text.split('.')[1]?.length ?? 0;

describe('billing properties', () => {
  it('invoice totals equal the sum of their lines, and settlement sums to the invoice totals, to the last digit', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.constantFrom('0', '5', '12.5', '33.333'),
        ({ lists, usage: parts, rounding: round, adjustments: extra, granularity }, feePercent) => {
          const { lines } = ratePeriod({ period, usage: parts, priceLists: lists, rounding: round, granularity });
          const invoices = buildInvoices({
            period,
            lines,
            adjustments: extra,
            rounding: round,
            status: 'finalized',
            finalizeAfter: period.end,
          });
          let invoiced = Decimal.ZERO;
          for (const invoice of invoices) {
            expect(invoice.totals.total).toBe(Decimal.sum(invoice.lines.map((line) => line.amount)).toString());
            expect(digits(invoice.totals.total)).toBeLessThanOrEqual(round.scale);
            invoiced = invoiced.add(invoice.totals.total);
          }
          const settlement = settle({ period: period.id, invoices, feePercent, rounding: round });
          const landlords = Decimal.sum(settlement.statements.flatMap((statement) => [statement.net, statement.fee]));
          const exchangeFunded = Decimal.sum(settlement.exchange.map((side) => side.funded));
          expect(landlords.add(exchangeFunded).toString()).toBe(invoiced.toString());
          for (const statement of settlement.statements) expect(digits(statement.fee)).toBeLessThanOrEqual(round.scale);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('rates every unit exactly once: billed, free, credited or reported as unrated', () => {
    fc.assert(
      fc.property(scenario, ({ lists, usage: parts, rounding: round, granularity }) => {
        const { lines, unrated } = ratePeriod({
          period,
          usage: parts,
          priceLists: lists,
          rounding: round,
          granularity,
        });
        const unratedKeys = new Set(unrated.map((item) => item.key));
        const expected = Decimal.sum(parts.filter((item) => !unratedKeys.has(item.key)).map((item) => item.quantity));
        const rated = Decimal.sum(lines.filter((line) => line.category === 'usage').map((line) => line.quantity));
        expect(rated.toString()).toBe(expected.toString());
      }),
      { numRuns: 150 },
    );
  });

  it('re-rating gives the same result, whatever order the usage comes in', () => {
    fc.assert(
      fc.property(scenario, fc.integer(), ({ lists, usage: parts, rounding: round, granularity }, seed) => {
        const shuffled = [...parts].sort((a, b) => ((a.key.length * 31 + seed) % 7) - ((b.key.length * 17 + seed) % 5));
        const first = ratePeriod({ period, usage: parts, priceLists: lists, rounding: round, granularity });
        expect(ratePeriod({ period, usage: shuffled, priceLists: lists, rounding: round, granularity })).toEqual(first);
        expect(ratePeriod({ period, usage: parts, priceLists: lists, rounding: round, granularity })).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('the ledger gives the same invoices whether records come at once, in chunks, twice or re-rated', async () => {
    await fc.assert(
      fc.asyncProperty(usage, fc.integer({ min: 1, max: 7 }), async (parts, chunk) => {
        const records = parts.map((item) => ({
          id: item.key,
          source: 'ocx://test',
          time: new Date(item.endMs).toISOString(),
          subject: { organization: item.organization, project: item.project, user: item.user! },
          landlord: item.landlord,
          service: item.service,
          resource: { id: item.resourceId, type: item.resourceType },
          metric: item.metric,
          unit: item.unit,
          quantity: item.quantity,
          window: { start: new Date(item.startMs).toISOString(), end: new Date(item.endMs).toISOString() },
        }));
        const lists = [
          parsePriceList({
            id: 'a',
            landlord: 'landlord-a',
            currency: 'USD',
            versions: [
              {
                version: '1',
                effectiveFrom: '2026-01-01T00:00:00Z',
                rates: [
                  {
                    metric: 'm1',
                    unit: 'u',
                    freeAllowance: '100',
                    pricing: {
                      model: 'graduated',
                      tiers: [
                        { upTo: '500', unitPrice: '0.013' },
                        { upTo: null, unitPrice: '0.007' },
                      ],
                    },
                  },
                ],
              },
            ],
          }),
        ];
        const make = () =>
          createBilling({
            store: createMemoryStore(),
            clock: new ManualClock('2026-11-20T00:00:00Z'),
            priceLists: lists,
          });
        const once = make();
        await once.ingest(records);
        const chunked = make();
        for (let start = 0; start < records.length; start += chunk)
          await chunked.ingest(records.slice(start, start + chunk));
        await chunked.ingest(records);
        const expected = await once.invoices.list('2026-11');
        expect(await chunked.invoices.list('2026-11')).toEqual(expected);
        expect(await chunked.refreshDrafts('2026-11')).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
