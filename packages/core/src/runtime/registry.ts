import { z } from 'zod';
import { OcxError } from '../errors/ocx-error.js';
import { parseWith } from '../errors/validation.js';
import type { Secret } from '../secrets/secret.js';
import type { CapabilityName } from '../spec/capabilities.js';
import { type Driver, type DriverSource, driverCapabilityNames, validateDriver } from '../spec/driver.js';
import {
  CredentialsSchema,
  IdSchema,
  type LandlordDescription,
  LandlordDescriptionSchema,
  type ServiceDescription,
  ServiceDescriptionSchema,
} from '../spec/index.js';
import type { Store } from '../store/store.js';
import type { AuditLog } from './audit-log.js';
import { auditedDriver } from './audited-driver.js';
import type { ExchangeEvents } from './events.js';
import { type ActionOptions, SYSTEM_PRINCIPAL } from './principal.js';
import type { TypedEmitter } from './typed-emitter.js';

const DriverSourceSchema = z.custom<DriverSource>(
  (value) => typeof value === 'function' || (typeof value === 'object' && value !== null),
  'must be a driver object or a function returning one',
);

/** A service as registered: its public description plus the driver that serves it. */
export const ServiceRegistrationSchema = ServiceDescriptionSchema.extend({ driver: DriverSourceSchema });
export type ServiceRegistration = z.input<typeof ServiceRegistrationSchema>;

/** A landlord as registered: public description, private credentials, services. */
export const LandlordRegistrationSchema = LandlordDescriptionSchema.extend({
  credentials: CredentialsSchema.default({}),
  services: z.array(ServiceRegistrationSchema).default([]),
});
export type LandlordRegistration = z.input<typeof LandlordRegistrationSchema>;

/** A registered service, as the exchange's users see it. */
export interface ServiceHandle {
  landlord: LandlordDescription;
  service: ServiceDescription;
  /** The service's driver; its state-changing calls are recorded in the audit log. */
  driver: Driver;
  capabilities: CapabilityName[];
}

interface LandlordEntry {
  description: LandlordDescription;
  credentials: Readonly<Record<string, Secret>>;
  services: Map<string, ServiceHandle>;
}

const LANDLORDS = 'landlords';

function refused(code: 'conflict' | 'not-found' | 'validation', message: string, path?: string): OcxError {
  return new OcxError({
    code,
    message,
    fault: 'client',
    issues: path === undefined ? undefined : [{ path, message }],
  });
}

/**
 * The landlords and services of an exchange. Registration validates everything first and
 * changes nothing when any part fails: bad fields, a duplicate id, a driver that does not meet
 * the v1 specification.
 */
export class LandlordRegistry {
  readonly #entries = new Map<string, LandlordEntry>();
  readonly #store: Store;
  readonly #audit: AuditLog;
  readonly #events: TypedEmitter<ExchangeEvents>;

  constructor(store: Store, audit: AuditLog, events: TypedEmitter<ExchangeEvents>) {
    this.#store = store;
    this.#audit = audit;
    this.#events = events;
  }

  /**
   * Register a landlord and its services. Each service's driver (or driver factory, which is
   * called with this landlord's credentials and no one else's) is validated against spec v1.
   *
   * @example
   * ```ts
   * await exchange.landlords.register({
   *   id: 'bu', name: 'Boston University', organization: 'BU',
   *   credentials: { hilPassword: process.env.HIL_PASSWORD! },
   *   services: [{ id: 'hil', kind: 'bare-metal', endpoint: 'https://hil.bu.edu',
   *     driver: ({ credentials }) => createHilDriver({ endpoint: 'https://hil.bu.edu', username: 'ocx', password: credentials.hilPassword! }) }],
   * });
   * ```
   */
  async register(registration: LandlordRegistration, options: ActionOptions = {}): Promise<LandlordDescription> {
    const input = parseWith(LandlordRegistrationSchema, registration, { what: 'landlord registration' });
    if (this.#entries.has(input.id)) throw refused('conflict', `Landlord "${input.id}" is already registered`, 'id');
    const serviceIds = new Set<string>();
    input.services.forEach((service, index) => {
      if (serviceIds.has(service.id)) {
        throw refused('validation', `Service id "${service.id}" appears twice`, `services.${index}.id`);
      }
      serviceIds.add(service.id);
    });
    const description: LandlordDescription = {
      id: input.id,
      name: input.name,
      organization: input.organization,
      ...(input.contact === undefined ? {} : { contact: input.contact }),
    };
    const credentials = Object.freeze({ ...input.credentials });
    const handles = await this.#createHandles(description, credentials, input.services);
    this.#entries.set(input.id, {
      description,
      credentials,
      services: new Map(handles.map((handle) => [handle.service.id, handle])),
    });
    await this.#persist(input.id);
    await this.#audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action: 'landlord.register',
      target: { type: 'landlord', id: input.id },
      landlord: input.id,
      outcome: 'success',
      details: { services: handles.map((handle) => handle.service.id) },
    });
    this.#events.emit('landlord.registered', {
      landlord: input.id,
      name: input.name,
      organization: input.organization,
      services: handles.map((handle) => handle.service.id),
    });
    for (const handle of handles) this.#emitServiceRegistered(handle);
    return description;
  }

  /** Add one service to a registered landlord. */
  async registerService(
    landlordId: string,
    registration: ServiceRegistration,
    options: ActionOptions = {},
  ): Promise<ServiceHandle> {
    const entry = this.#entry(landlordId);
    const input = parseWith(ServiceRegistrationSchema, registration, { what: 'service registration' });
    if (entry.services.has(input.id)) {
      throw refused('conflict', `Landlord "${landlordId}" already has a service "${input.id}"`, 'id');
    }
    const [handle] = await this.#createHandles(entry.description, entry.credentials, [input]);
    if (handle === undefined) throw new OcxError({ code: 'internal', message: 'No service handle was created' });
    entry.services.set(input.id, handle);
    await this.#persist(landlordId);
    await this.#audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action: 'service.register',
      target: { type: 'service', id: `${landlordId}/${input.id}` },
      landlord: landlordId,
      outcome: 'success',
      details: { kind: input.kind },
    });
    this.#emitServiceRegistered(handle);
    return handle;
  }

  /** Remove a service and dispose its driver. */
  async unregisterService(landlordId: string, serviceId: string, options: ActionOptions = {}): Promise<void> {
    const handle = this.service(landlordId, serviceId);
    this.#entry(landlordId).services.delete(serviceId);
    await handle.driver.dispose();
    await this.#persist(landlordId);
    await this.#audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action: 'service.unregister',
      target: { type: 'service', id: `${landlordId}/${serviceId}` },
      landlord: landlordId,
      outcome: 'success',
    });
    this.#events.emit('service.unregistered', { landlord: landlordId, service: serviceId });
  }

  /** Remove a landlord, disposing every driver of its services. */
  async unregister(landlordId: string, options: ActionOptions = {}): Promise<void> {
    const entry = this.#entry(landlordId);
    this.#entries.delete(landlordId);
    await Promise.allSettled([...entry.services.values()].map((handle) => handle.driver.dispose()));
    await this.#store.delete(LANDLORDS, landlordId);
    await this.#audit.record({
      actor: options.actor ?? SYSTEM_PRINCIPAL,
      action: 'landlord.unregister',
      target: { type: 'landlord', id: landlordId },
      landlord: landlordId,
      outcome: 'success',
    });
    for (const serviceId of entry.services.keys())
      this.#events.emit('service.unregistered', { landlord: landlordId, service: serviceId });
    this.#events.emit('landlord.unregistered', { landlord: landlordId });
  }

  /** The public description of a landlord (never its credentials). */
  get(landlordId: string): LandlordDescription {
    return { ...this.#entry(landlordId).description };
  }

  /** True if a landlord with this id is registered. */
  has(landlordId: string): boolean {
    return this.#entries.has(landlordId);
  }

  list(): LandlordDescription[] {
    return [...this.#entries.values()]
      .map((entry) => ({ ...entry.description }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One registered service; throws `not-found` naming what is missing. */
  service(landlordId: string, serviceId: string): ServiceHandle {
    parseWith(IdSchema, serviceId, { what: 'service id', prefix: 'service' });
    const handle = this.#entry(landlordId).services.get(serviceId);
    if (handle === undefined)
      throw refused('not-found', `Landlord "${landlordId}" has no service "${serviceId}"`, 'service');
    return handle;
  }

  /** Every registered service, ordered by landlord then service id. */
  services(): ServiceHandle[] {
    return [...this.#entries.values()]
      .flatMap((entry) => [...entry.services.values()])
      .sort((a, b) => a.landlord.id.localeCompare(b.landlord.id) || a.service.id.localeCompare(b.service.id));
  }

  /** Dispose every driver (the exchange is closing). */
  async disposeAll(): Promise<void> {
    await Promise.allSettled(this.services().map((handle) => handle.driver.dispose()));
  }

  #entry(landlordId: string): LandlordEntry {
    parseWith(IdSchema, landlordId, { what: 'landlord id', prefix: 'landlord' });
    const entry = this.#entries.get(landlordId);
    if (entry === undefined) throw refused('not-found', `No landlord "${landlordId}" is registered`, 'landlord');
    return entry;
  }

  async #createHandles(
    landlord: LandlordDescription,
    credentials: Readonly<Record<string, Secret>>,
    services: ReadonlyArray<z.output<typeof ServiceRegistrationSchema>>,
  ): Promise<ServiceHandle[]> {
    const handles: ServiceHandle[] = [];
    try {
      for (const registration of services) {
        const { driver: source, ...service } = registration;
        const driver =
          typeof source === 'function'
            ? await source({ landlord: landlord.id, service: service.id, endpoint: service.endpoint, credentials })
            : source;
        validateDriver(driver);
        handles.push({
          landlord,
          service,
          driver: auditedDriver(driver, { landlord: landlord.id, service: service.id, audit: this.#audit }),
          capabilities: driverCapabilityNames(driver),
        });
      }
    } catch (error) {
      // A refused service must not leave the others' drivers running.
      await Promise.allSettled(handles.map((handle) => handle.driver.dispose()));
      if (OcxError.is(error)) throw error;
      // A factory's own error may quote its credentials: rebuild it from redacted text.
      throw new OcxError({
        code: 'internal',
        message: `The driver factory of landlord "${landlord.id}" failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    return handles;
  }

  async #persist(landlordId: string): Promise<void> {
    const entry = this.#entry(landlordId);
    await this.#store.put(LANDLORDS, landlordId, {
      ...entry.description,
      services: [...entry.services.values()].map((handle) => ({
        ...handle.service,
        capabilities: handle.capabilities,
      })),
    });
  }

  #emitServiceRegistered(handle: ServiceHandle): void {
    this.#events.emit('service.registered', {
      landlord: handle.landlord.id,
      service: handle.service.id,
      kind: handle.service.kind,
      capabilities: handle.capabilities,
    });
  }
}
