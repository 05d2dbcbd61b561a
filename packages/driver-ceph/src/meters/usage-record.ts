import type { UsageRecordInput } from '@ocx/core';

/** Where a meter's records come from: the landlord and service they are reported for, and the time. */
export interface MeterContext {
  landlord: string;
  service: string;
  now(): Date;
}

/** The parts of a usage record that differ between records. */
export interface RecordFields {
  id: string;
  project: string;
  organization: string;
  resource: { id: string; type: string; name?: string };
  metric: string;
  unit: string;
  quantity: string;
  start: number;
  end: number;
  attributes?: Record<string, string>;
}

/** A usage record of this landlord and service; `source` is the service, so ids need only be unique within it. */
export function usageRecord(context: MeterContext, fields: RecordFields): UsageRecordInput {
  return {
    specversion: '1.0',
    type: 'ocx.usage.v1',
    id: fields.id,
    source: `ocx://${context.landlord}/${context.service}`,
    time: context.now().toISOString(),
    subject: { organization: fields.organization, project: fields.project },
    landlord: context.landlord,
    service: context.service,
    resource: fields.resource,
    metric: fields.metric,
    unit: fields.unit,
    quantity: fields.quantity,
    window: { start: new Date(fields.start).toISOString(), end: new Date(fields.end).toISOString() },
    ...(fields.attributes === undefined ? {} : { attributes: fields.attributes }),
  };
}
