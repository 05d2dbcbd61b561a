import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A project, user or role as the fake Keystone keeps it. */
export interface FakeProject {
  id: string;
  name: string;
  domain_id: string;
  enabled: boolean;
  description: string;
  tags: string[];
  is_domain: boolean;
  parent_id: string;
}

/** A server line the fake Nova reports in `os-simple-tenant-usage`. */
export interface FakeServerUsage {
  instance_id: string;
  name: string;
  tenant_id: string;
  vcpus: number;
  memory_mb: number;
  local_gb: number;
  flavor: string;
  started_at: string;
  ended_at: string | null;
  state: string;
}

/** Everything the fake cloud holds. Tests read and change it directly. */
export interface FakeState {
  adminProjectId: string;
  /** Token text → its project and whether it is still accepted. */
  tokens: Map<string, { projectId: string; valid: boolean; expiresAt: number }>;
  /** How long new tokens live. */
  tokenTtlMs: number;
  /** Issued tokens, in order. */
  issued: string[];
  /** When set, token requests with this password are refused (401). */
  refusePasswords: Set<string>;
  projects: Map<string, FakeProject>;
  users: Map<string, { id: string; name: string; domain_id: string; enabled: boolean }>;
  roles: Map<string, { id: string; name: string }>;
  /** `project|user|role` triples. */
  grants: Set<string>;
  /** When set, Keystone lists are cut to this many items with `truncated: true`. */
  listLimit?: number;
  novaQuotas: Map<string, Record<string, { limit: number; in_use: number; reserved: number }>>;
  cinderQuotas: Map<string, Record<string, { limit: number; in_use: number; reserved: number }>>;
  neutronQuotas: Map<string, Record<string, { limit: number; used: number; reserved: number }>>;
  serverUsages: FakeServerUsage[];
  /** Server id → instance actions (newest first, as Nova lists them). */
  instanceActions: Map<string, Array<{ action: string; start_time: string; request_id: string }>>;
  volumes: Array<{ id: string; name: string; status: string; size: number; created_at: string; project: string }>;
  floatingIps: Array<{
    id: string;
    floating_ip_address: string;
    project_id: string;
    created_at: string;
    floating_network_id: string;
  }>;
  swiftAccounts: Map<string, { bytes: number; objects: number; containers: number; quotaBytes?: string }>;
  images: Map<
    string,
    { id: string; name: string; owner: string; visibility: string; status: string; members: Map<string, string> }
  >;
  /** Every request's path with its auth header, for assertions about what was sent where. */
  log: Array<{ method: string; path: string; token: string | undefined }>;
}

/** A fresh id in Keystone's style (32 hex digits). */
export const keystoneId = (): string => randomUUID().replaceAll('-', '');

/** The initial state: an admin project, the `member`, `reader` and `admin` roles. */
export function createFakeState(): FakeState {
  const adminProjectId = keystoneId();
  const roles = new Map(
    ['member', 'reader', 'admin'].map((name) => [keystoneId(), name] as const).map(([id, name]) => [id, { id, name }]),
  );
  return {
    adminProjectId,
    tokens: new Map(),
    tokenTtlMs: 3_600_000,
    issued: [],
    refusePasswords: new Set(),
    projects: new Map([
      [
        adminProjectId,
        {
          id: adminProjectId,
          name: 'admin',
          domain_id: 'default',
          enabled: true,
          description: '',
          tags: [],
          is_domain: false,
          parent_id: 'default',
        },
      ],
    ]),
    users: new Map(),
    roles,
    grants: new Set(),
    novaQuotas: new Map(),
    cinderQuotas: new Map(),
    neutronQuotas: new Map(),
    serverUsages: [],
    instanceActions: new Map(),
    volumes: [],
    floatingIps: [],
    swiftAccounts: new Map(),
    images: new Map(),
    log: [],
  };
}

/** The query parameters of a request. */
export function queryOf(request: IncomingMessage): URLSearchParams {
  return new URL(request.url ?? '/', 'http://fake').searchParams;
}

/** The token a request carries, if the fake still accepts it. */
export function acceptedToken(state: FakeState, request: IncomingMessage, now: number): string | undefined {
  const token = request.headers['x-auth-token'];
  const text = Array.isArray(token) ? token[0] : token;
  if (text === undefined) return undefined;
  const known = state.tokens.get(text);
  return known?.valid && known.expiresAt > now ? text : undefined;
}
