import type { EnclaveEvents } from '../enclave/enclave-types.js';
import type { CapabilityName } from '../spec/capabilities.js';
import type { Quota } from '../spec/quota.js';
import type { AuditEntry } from './audit-log.js';

/**
 * Every event the exchange emits, by name. Portals and bots subscribe with
 * `exchange.events.on(name, listener)`. Payloads never carry secrets.
 *
 * Packages that add state changes (enclaves, onboarding, billing) extend this interface by
 * declaration merging, so their events are typed too.
 */
export interface ExchangeEvents extends EnclaveEvents {
  'landlord.registered': { landlord: string; name: string; organization: string; services: string[] };
  'landlord.unregistered': { landlord: string };
  'service.registered': { landlord: string; service: string; kind: string; capabilities: CapabilityName[] };
  'service.unregistered': { landlord: string; service: string };
  'audit.recorded': AuditEntry;
  'quota.changed': { quota: Quota; previousLimit: string | null | undefined };
  'quota.breached': { quota: Quota; inUse: string };
  'usage.ingested': { inserted: number; duplicates: number; landlords: string[] };
  'usage.collection-failed': { landlord: string; service: string; meter: string; error: string };
  'user.created': { user: string; organization: string };
  'user.left': { user: string; closedProjects: string[] };
  'project.created': { project: string; organization: string; lead: string };
  'project.closed': { project: string; organization: string; closedAt: string };
  'subscription.changed': { subscription: string; project: string; landlord: string; service: string; status: string };
}

export type ExchangeEventName = keyof ExchangeEvents;
