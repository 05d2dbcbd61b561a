import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from './clock.js';

describe('clocks', () => {
  it('ManualClock wakes sleepers when time passes their deadline, and leaves no abort listener behind', async () => {
    const clock = new ManualClock('2026-11-01T00:00:00Z');
    const controller = new AbortController();
    let listeners = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
      listeners += 1;
      add(...args);
    }) as typeof add;
    controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
      listeners -= 1;
      remove(...args);
    }) as typeof remove;
    const woken: string[] = [];
    const first = clock.sleep(1_000, controller.signal).then(() => woken.push('first'));
    const second = clock.sleep(5_000, controller.signal).then(() => woken.push('second'));
    clock.advance(1_000);
    await first;
    expect(woken).toEqual(['first']);
    clock.set('2026-11-01T00:00:05Z');
    await second;
    expect(woken).toEqual(['first', 'second']);
    expect(listeners).toBe(0);
    expect(clock.now().toISOString()).toBe('2026-11-01T00:00:05.000Z');
  });

  it('an aborted sleep rejects at once', async () => {
    const controller = new AbortController();
    const sleeping = new ManualClock().sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(systemClock.sleep(60_000, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
  });
});
