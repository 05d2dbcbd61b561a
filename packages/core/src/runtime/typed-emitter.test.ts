import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TypedEmitter } from './typed-emitter.js';

interface Events {
  'landlord.registered': { landlord: string; password?: string };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

// Why the exchange's events are not Node's EventEmitter typed with the typed-emitter package
// (the same `on`/`once`/`off`/`emit` names, typed per event): Node's emitter lets one throwing
// listener abort `emit` and skip every later listener, and hands listeners the payload as
// emitted, secrets included. These tests pin both differences.
describe('TypedEmitter', () => {
  it('a throwing listener is logged and skipped: later listeners still run, emit does not throw', () => {
    const errors: string[] = [];
    const emitter = new TypedEmitter<Events>({ ...silent, error: (message) => errors.push(message) });
    const seen: string[] = [];
    emitter.on('landlord.registered', () => {
      throw new Error('bad subscriber');
    });
    emitter.on('landlord.registered', (event) => seen.push(event.landlord));
    expect(() => emitter.emit('landlord.registered', { landlord: 'bu' })).not.toThrow();
    expect(seen).toEqual(['bu']);
    expect(errors).toEqual(['An event listener threw']);
  });

  it('what would break on Node EventEmitter: the throw escapes emit and the second listener never runs', () => {
    const emitter = new EventEmitter();
    const seen: string[] = [];
    emitter.on('landlord.registered', () => {
      throw new Error('bad subscriber');
    });
    emitter.on('landlord.registered', (event: { landlord: string }) => seen.push(event.landlord));
    expect(() => emitter.emit('landlord.registered', { landlord: 'bu' })).toThrow('bad subscriber');
    expect(seen).toEqual([]);
  });

  it('listeners get a redacted copy: a secret field never reaches a subscriber', () => {
    const emitter = new TypedEmitter<Events>(silent);
    const payloads: unknown[] = [];
    emitter.onAny((_name, payload) => payloads.push(payload));
    emitter.on('landlord.registered', (event) => payloads.push(event));
    emitter.emit('landlord.registered', { landlord: 'bu', password: 'hunter2-secret' });
    expect(JSON.stringify(payloads)).not.toContain('hunter2-secret');
    expect(payloads).toHaveLength(2);
  });

  it('what would break on Node EventEmitter: the listener sees the secret as emitted', () => {
    const emitter = new EventEmitter();
    let payload: unknown;
    emitter.on('landlord.registered', (event: unknown) => {
      payload = event;
    });
    emitter.emit('landlord.registered', { landlord: 'bu', password: 'hunter2-secret' });
    expect(JSON.stringify(payload)).toContain('hunter2-secret');
  });

  it('on returns an unsubscribe function; next resolves with the next matching event', async () => {
    const emitter = new TypedEmitter<Events>(silent);
    const seen: string[] = [];
    const off = emitter.on('landlord.registered', (event) => seen.push(event.landlord));
    const next = emitter.next('landlord.registered', { filter: (event) => event.landlord === 'mit' });
    emitter.emit('landlord.registered', { landlord: 'bu' });
    off();
    emitter.emit('landlord.registered', { landlord: 'mit' });
    expect(seen).toEqual(['bu']);
    expect((await next).landlord).toBe('mit');
    expect(emitter.listenerCount('landlord.registered')).toBe(0);
  });
});
