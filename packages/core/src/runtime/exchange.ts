import { z } from 'zod';
import { EnclaveService } from '../enclave/enclave-service.js';
import { parseWith } from '../errors/validation.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { Directory } from '../workflows/directory.js';
import { Offboarding } from '../workflows/offboarding.js';
import { Onboarding } from '../workflows/onboarding.js';
import { Support } from '../workflows/support.js';
import { AuditLog } from './audit-log.js';
import { Catalog } from './catalog.js';
import { type Clock, systemClock } from './clock.js';
import type { ExchangeEvents } from './events.js';
import { type Logger, redactingLogger, silentLogger } from './logger.js';
import { QuotaLedger } from './quota-ledger.js';
import { LandlordRegistry } from './registry.js';
import { TypedEmitter } from './typed-emitter.js';
import { UsageLedger } from './usage-ledger.js';

const ExchangeOptionsSchema = z
  .object({
    store: z
      .custom<Store>((value) => typeof (value as Store | undefined)?.append === 'function', 'must be a Store')
      .optional(),
    clock: z
      .custom<Clock>((value) => typeof (value as Clock | undefined)?.now === 'function', 'must be a Clock')
      .optional(),
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.info === 'function', 'must be a Logger')
      .optional(),
    name: z.string().min(1).optional(),
  })
  .strict();

/** Options of {@link createExchange}. Everything has a default. */
export interface ExchangeOptions {
  /** Where state lives; defaults to an in-memory store. */
  store?: Store;
  /** Where time comes from; defaults to the system clock. */
  clock?: Clock;
  /** Where logs go (redacted); defaults to nowhere. */
  logger?: Logger;
  /** A name for logs and bills. */
  name?: string;
}

/** An Open Cloud eXchange: landlords, their services, the catalog, events, audit, quotas and usage. */
export interface Exchange {
  readonly name: string;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Typed events of every state change. */
  readonly events: TypedEmitter<ExchangeEvents>;
  /** Register, unregister and look up landlords and services. */
  readonly landlords: LandlordRegistry;
  /** Which services of which kind, from whom, at what price. */
  readonly catalog: Catalog;
  /** The append-only record of every mutating action. */
  readonly audit: AuditLog;
  /** Limits per scope, applied to the services and kept with their history. */
  readonly quotas: QuotaLedger;
  /** Usage records, ingested once each. */
  readonly usage: UsageLedger;
  /** Secure elastic enclaves of bare-metal nodes across landlords. */
  readonly enclaves: EnclaveService;
  /** Organizations, users, projects and memberships. */
  readonly directory: Directory;
  /** Self sign-up of projects for landlords' services. */
  readonly onboarding: Onboarding;
  /** Releasing what departing users and closing projects hold. */
  readonly offboarding: Offboarding;
  /** Answers for support staff about a user. */
  readonly support: Support;
  /** Dispose every driver and close the store. */
  close(): Promise<void>;
}

/**
 * Assemble an exchange.
 *
 * @example
 * ```ts
 * import { createExchange, createMemoryStore } from '@ocx/core';
 * import { createReferenceDriver } from '@ocx/core/testing';
 *
 * const exchange = createExchange({ store: createMemoryStore() });
 * exchange.events.on('landlord.registered', (event) => console.log('new landlord', event.landlord));
 * await exchange.landlords.register({
 *   id: 'bu', name: 'Boston University', organization: 'BU',
 *   services: [{ id: 'metal', kind: 'bare-metal', driver: createReferenceDriver({ landlord: 'bu', service: 'metal' }) }],
 * });
 * console.log(exchange.catalog.find({ kind: 'bare-metal' }));
 * ```
 */
export function createExchange(options: ExchangeOptions = {}): Exchange {
  const parsed = parseWith(ExchangeOptionsSchema, options, { what: 'exchange options' });
  const store = parsed.store ?? createMemoryStore();
  const clock = parsed.clock ?? systemClock;
  const logger = redactingLogger(parsed.logger ?? silentLogger);
  const events = new TypedEmitter<ExchangeEvents>(logger);
  const audit = new AuditLog(store, clock, (entry) => events.emit('audit.recorded', entry));
  const landlords = new LandlordRegistry(store, audit, events);
  const quotas = new QuotaLedger(store, landlords, audit, events, clock);
  const enclaves = new EnclaveService({ store, registry: landlords, audit, events, clock, logger });
  const directory = new Directory(store, audit, events);
  const workflowDependencies = { store, registry: landlords, directory, quotas, audit, events, clock, logger };
  const onboarding = new Onboarding(workflowDependencies);
  const offboarding = new Offboarding({ ...workflowDependencies, enclaves, onboarding });
  return {
    name: parsed.name ?? 'ocx',
    store,
    clock,
    logger,
    events,
    landlords,
    catalog: new Catalog(landlords),
    audit,
    quotas,
    usage: new UsageLedger(store, landlords, events, () => clock.now()),
    enclaves,
    directory,
    onboarding,
    offboarding,
    support: new Support({ directory, onboarding, enclaves, quotas, audit }),
    async close() {
      await landlords.disposeAll();
      await store.close();
    },
  };
}
