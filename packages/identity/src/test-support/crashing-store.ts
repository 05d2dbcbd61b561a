import type { CrashSwitch } from '@ocx/core/testing';

export { CrashSwitch, crashingStore } from '@ocx/core/testing';

/**
 * A driver whose capability calls fail once the process has crashed, so nothing keeps running in
 * a "dead" exchange (its landlord's state stays as it was). Tests only.
 */
export function crashingDriver<Driver extends object>(driver: Driver, crash: CrashSwitch): Driver {
  const wrapped: Record<string, unknown> = { ...(driver as Record<string, unknown>) };
  for (const capability of ['hardware', 'tenancy', 'quotas'] as const) {
    const implementation = (driver as Record<string, unknown>)[capability] as Record<string, unknown> | undefined;
    if (implementation === undefined) continue;
    const proxy: Record<string, unknown> = { ...implementation };
    for (const [method, value] of Object.entries(implementation)) {
      if (typeof value !== 'function') continue;
      proxy[method] = (...args: unknown[]) => {
        try {
          crash.check();
        } catch (error) {
          return Promise.reject(error);
        }
        return (value as (...parameters: unknown[]) => unknown).apply(implementation, args);
      };
    }
    wrapped[capability] = proxy;
  }
  return wrapped as unknown as Driver;
}
