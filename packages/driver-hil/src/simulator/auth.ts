import type { IncomingMessage } from 'node:http';
import { HilApiError, notFound } from './api-error.js';
import type { SimState } from './state.js';

/** Which of HIL's auth extensions the simulator runs. */
export type SimAuthMode = 'database' | 'keystone' | 'null';

/** What a Keystone token stands for: the OpenStack project id (a HIL project label) and roles. */
export interface KeystoneTokenInfo {
  project: string;
  roles?: string[];
}

/** Who made a request, once authenticated; answers HIL's `have_*`/`require_*` questions. */
export interface Principal {
  /** The basic-auth user name, when one authenticated. */
  readonly user: string | undefined;
  haveAdmin(): boolean;
  /** Admins have access to every project. A null project (a free node) needs an admin. */
  haveProjectAccess(project: string | null): boolean;
  requireAdmin(): void;
  requireProjectAccess(project: string | null): void;
}

function principal(user: string | undefined, admin: boolean, access: (project: string) => boolean): Principal {
  const haveProjectAccess = (project: string | null): boolean => admin || (project !== null && access(project));
  return {
    user,
    haveAdmin: () => admin,
    haveProjectAccess,
    requireAdmin() {
      if (!admin) throw new HilApiError('AuthorizationError', 'This operation is administrator-only.');
    },
    requireProjectAccess(project) {
      if (!haveProjectAccess(project))
        throw new HilApiError('AuthorizationError', 'You do not have access to the required project.');
    },
  };
}

/** Nobody: what an unauthenticated request is when authentication is not required. */
export const ANONYMOUS: Principal = principal(undefined, false, () => false);

/**
 * HIL's database backend (hil/ext/auth/database.py): HTTP Basic against stored users. An unknown
 * user name is a NotFoundError (404), not a 401 — `_must_find` runs before the password check.
 * Returns undefined when authentication failed.
 */
export function authenticateDatabase(request: IncomingMessage, state: SimState): Principal | undefined {
  const credentials = basicCredentials(request.headers.authorization);
  if (credentials === undefined) return undefined;
  const user = state.users.get(credentials.username);
  if (user === undefined) throw notFound('User', credentials.username);
  if (user.password !== credentials.password) return undefined;
  return principal(user.name, user.isAdmin, (project) => user.projects.has(project));
}

/**
 * HIL's Keystone backend behind keystonemiddleware: admin when the token's roles include `admin`,
 * otherwise access only to the HIL project whose label is the token's OpenStack project id.
 * Returns undefined for a missing or unknown token (the middleware then answers 401 itself).
 */
export function authenticateKeystone(
  request: IncomingMessage,
  tokens: ReadonlyMap<string, KeystoneTokenInfo>,
  state: SimState,
): Principal | undefined {
  const header = request.headers['x-auth-token'];
  const token = Array.isArray(header) ? header[0] : header;
  const info = token === undefined ? undefined : tokens.get(token);
  if (info === undefined) return undefined;
  const admin = (info.roles ?? []).includes('admin');
  return principal(undefined, admin, (project) => project === info.project && state.projects.has(project));
}

/** HIL's null backend: everyone is an administrator. */
export const NULL_AUTH_PRINCIPAL: Principal = principal(undefined, true, () => true);

function basicCredentials(header: string | undefined): { username: string; password: string } | undefined {
  const match = header === undefined ? null : /^Basic\s+(\S+)$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
