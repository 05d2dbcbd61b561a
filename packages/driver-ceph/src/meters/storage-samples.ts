import type { Store } from '@ocx/core';

const COLLECTION = 'ceph-storage-samples';

/** What a sample measures: an RGW user's stored objects, or an RBD image. */
export type SampleKind = 'rgw-user' | 'rbd-image';

/** One measurement of how many bytes a resource held at one time. */
export interface StorageSample {
  kind: SampleKind;
  /** The RGW uid, or `pool/namespace/image`. */
  resource: string;
  project: string;
  organization: string;
  /** ISO time the sample was taken (the driver's clock). */
  time: string;
  bytes: string;
  /** For RBD: `used` (fast-diff disk usage) or `provisioned` (image size, when usage is unknown). */
  basis?: 'used' | 'provisioned' | 'stored';
}

const keyOf = (sample: Pick<StorageSample, 'kind' | 'resource' | 'time'>): string =>
  `${sample.kind}|${sample.resource}|${sample.time}`;

/**
 * Samples kept in the exchange's `Store` (collection `ceph-storage-samples`), so that a driver
 * restarted with a durable store goes on from its last sample. A sample is written once: the
 * same resource and time again is a duplicate and changes nothing.
 */
export function createSampleStore(store: Store) {
  return {
    /** Store samples; returns how many were new. */
    async add(samples: readonly StorageSample[]): Promise<number> {
      if (samples.length === 0) return 0;
      const { inserted } = await store.insertMany(
        COLLECTION,
        samples.map((sample) => ({ key: keyOf(sample), value: sample })),
      );
      return inserted.length;
    },

    /** Every sample of a kind, grouped by resource, each group in time order. */
    async byResource(kind: SampleKind): Promise<Map<string, StorageSample[]>> {
      const groups = new Map<string, StorageSample[]>();
      for await (const { value } of store.list<StorageSample>(COLLECTION, { prefix: `${kind}|` })) {
        const group = groups.get(value.resource) ?? [];
        group.push(value);
        groups.set(value.resource, group);
      }
      for (const group of groups.values()) group.sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      return groups;
    },
  };
}

/** The store {@link createSampleStore} returns. */
export type SampleStore = ReturnType<typeof createSampleStore>;
