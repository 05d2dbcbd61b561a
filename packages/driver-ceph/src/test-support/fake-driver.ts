import type { Clock, Store } from '@ocx/core';
import { type CephDriver, createCephDriver } from '../driver.js';
import type { FakeRgw } from './fake-rgw.js';

/** The admin keys the unit tests sign with: registered secrets, so they must never appear anywhere. */
export const FAKE_ADMIN_ACCESS = 'FAKEADMINACCESSKEY01';
export const FAKE_ADMIN_SECRET = 'fake-admin-secret-key-do-not-leak-0001';

/** A Ceph driver on the fake RGW, with quick retries. */
export function fakeDriver(rgw: FakeRgw, options: { clock?: Clock; store?: Store; graceMs?: number } = {}): CephDriver {
  return createCephDriver({
    landlord: 'ceph-lab',
    service: 'object-storage',
    rgw: {
      endpoint: rgw.url,
      accessKey: FAKE_ADMIN_ACCESS,
      secretKey: FAKE_ADMIN_SECRET,
      region: 'default',
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    },
    usageLog: { graceMs: options.graceMs ?? 2000 },
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.store === undefined ? {} : { store: options.store }),
  });
}
