import { Decimal, type Meter, TimeWindowSchema } from '@ocx/core';
import { checkInput, checkSignal } from '../checks.js';
import { hourlyPieces } from './hours.js';
import type { SampleKind, SampleStore } from './storage-samples.js';
import { type MeterContext, usageRecord } from './usage-record.js';

/** Bytes × milliseconds in one GB-hour (GB = 10^9 bytes). */
const BYTE_MS_PER_GB_HOUR = Decimal.from('3600000000000000');
/** GB-hours are kept to 12 decimal places (a byte held for a millisecond is 2.8e-16 GB·h, rounded away). */
const SCALE = 12;

/** Options of {@link createSampledGbHoursMeter}. */
export interface SampledGbHoursMeterOptions {
  name: string;
  metric: string;
  kind: SampleKind;
  resourceType: string;
}

/**
 * GB-hours from time-stamped samples. Each sample stands for the interval since the previous
 * sample of the same resource: its bytes × that interval, cut at whole UTC hours, one record per
 * piece, id `<resource>/<sample time>/<piece start>`. Samples never change once written, so a
 * record never changes either; pieces are reported only when they lie wholly inside the
 * window, so adjoining whole-hour windows split the usage without loss or overlap. The first
 * sample of a resource only starts its clock.
 */
export function createSampledGbHoursMeter(
  samples: SampleStore,
  context: MeterContext,
  options: SampledGbHoursMeterOptions,
): Meter {
  return {
    name: options.name,
    metrics: [options.metric],
    async *collect(requested, callOptions) {
      const window = checkInput(TimeWindowSchema, requested, 'collect');
      checkSignal(callOptions, 'collect');
      const start = Date.parse(window.start);
      const end = Date.parse(window.end);
      const groups = await samples.byResource(options.kind);
      for (const resource of [...groups.keys()].sort()) {
        const series = groups.get(resource)!;
        for (let index = 1; index < series.length; index += 1) {
          const previous = Date.parse(series[index - 1]!.time);
          const sample = series[index]!;
          const taken = Date.parse(sample.time);
          if (taken <= start || previous >= end) continue;
          for (const piece of hourlyPieces(previous, taken)) {
            if (piece.start < start || piece.end > end) continue;
            yield usageRecord(context, {
              id: `${resource}/${sample.time}/${new Date(piece.start).toISOString()}`,
              project: sample.project,
              organization: sample.organization,
              resource: { id: resource, type: options.resourceType },
              metric: options.metric,
              unit: 'GB·h',
              quantity: Decimal.from(sample.bytes)
                .multiply(Decimal.from(piece.end - piece.start))
                .divide(BYTE_MS_PER_GB_HOUR, SCALE)
                .toString(),
              start: piece.start,
              end: piece.end,
              attributes: { bytes: sample.bytes, basis: sample.basis ?? 'stored' },
            });
          }
        }
      }
    },
  };
}
