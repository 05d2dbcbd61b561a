import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OcxError, parseWith } from '@ocx/core';
import Provider, { type Configuration, type KoaContextWithOIDC, errors as oidcErrors } from 'oidc-provider';
import { type DeprovisioningDelivery, pushDeparture } from './deprovisioning-push.js';
import { handleInteraction } from './interactions.js';
import { createMemoryAdapterFactory } from './memory-adapter.js';
import {
  type LocalIdentityProviderOptions,
  LocalIdentityProviderOptionsSchema,
  type LocalUser,
  type LocalUserInput,
  LocalUserSchema,
  type ParsedLocalIdentityProviderOptions,
} from './provider-options.js';
import { type LocalTokenSet, scriptedLogin } from './scripted-login.js';
import { createSigningKey, type PrivateSigningJwk } from './signing-keys.js';

/** Options of {@link LocalIdentityProvider.token}. */
export interface LocalTokenOptions {
  /** `jwt` (default): an RFC 9068 access token for the configured resource; `opaque`: one for the userinfo endpoint. */
  accessToken?: 'jwt' | 'opaque';
  /** Scopes to request; default every scope the provider offers. */
  scope?: string;
  nonce?: string;
}

/** A running local OpenID Connect provider on 127.0.0.1. */
export interface LocalIdentityProvider {
  /** The issuer identifier (`iss`), e.g. `http://127.0.0.1:41234`. */
  readonly issuer: string;
  /** The base URL (same as the issuer). */
  readonly url: string;
  /** The JWKS endpoint. */
  readonly jwksUri: string;
  /** Sign a user in through the provider's real login and code flow and return the tokens it issued. */
  token(userSub: string, clientId: string, options?: LocalTokenOptions): Promise<LocalTokenSet>;
  /** Make a new signing key the current one; the previous key stays published (for tokens already issued) unless `retirePrevious`. */
  rotateKeys(options?: { retirePrevious?: boolean }): Promise<{ kid: string }>;
  /** The `kid`s published, current first. */
  keyIds(): string[];
  /** While down, the JWKS endpoint answers 503 (as a failing identity provider would). */
  setJwksDown(down: boolean): void;
  /** Add (or replace) a user. */
  addUser(user: LocalUserInput): void;
  /** The user has left: they can no longer sign in, and every deprovisioning target is told (SCIM DELETE). */
  removeUser(sub: string): Promise<DeprovisioningDelivery[]>;
  /** Stop listening. */
  close(): Promise<void>;
}

const BASE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
  eduperson: ['eduPersonScopedAffiliation'],
  schac: ['schacHomeOrganization'],
};

/**
 * Start a local OpenID Connect identity provider (the npm package `oidc-provider`) on 127.0.0.1,
 * for demos, portals and tests: discovery, JWKS, a real login page, the authorization code flow
 * with PKCE, ID tokens and RFC 9068 JWT access tokens, plus key rotation, a JWKS outage switch and
 * SCIM-style departure notices. Not for production: state is in memory.
 *
 * @example
 * ```ts
 * const idp = await createLocalIdentityProvider({
 *   clients: [{ clientId: 'portal', redirectUris: ['http://127.0.0.1:3000/callback'] }],
 *   users: [{ sub: 'alice', email: 'alice@bu.edu', name: 'Alice', eduPersonScopedAffiliation: ['member@bu.edu'] }],
 * });
 * const { idToken } = await idp.token('alice', 'portal');
 * await idp.close();
 * ```
 */
export async function createLocalIdentityProvider(
  options: LocalIdentityProviderOptions,
): Promise<LocalIdentityProvider> {
  const config = parseWith(LocalIdentityProviderOptionsSchema, options, { what: 'local identity provider options' });
  const users = new Map<string, LocalUser>(config.users.map((user) => [user.sub, user]));
  const findUser = (login: string) =>
    users.get(login) ?? [...users.values()].find((user) => user.email.toLowerCase() === login.toLowerCase());
  const adapter = createMemoryAdapterFactory();
  const cookieKeys = [randomBytes(32).toString('base64url')];
  let keys: PrivateSigningJwk[] = [await createSigningKey()];
  let jwksDown = false;
  let provider: Provider | undefined;
  let handle: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://local').pathname;
    if (jwksDown && path === '/jwks') {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      response.end(
        JSON.stringify({ error: 'temporarily_unavailable', error_description: 'the key set is down (setJwksDown)' }),
      );
      return;
    }
    if (provider === undefined || handle === undefined) {
      response.writeHead(503).end();
      return;
    }
    if (path.startsWith('/interaction/')) {
      handleInteraction(provider, request, response, findUser).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.message : 'error');
      });
      return;
    }
    handle(request, response);
  });
  const requestedPort = config.issuer === undefined ? config.port : Number(new URL(config.issuer).port || 80);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = config.issuer === undefined ? `http://127.0.0.1:${port}` : new URL(config.issuer).origin;

  // oidc-provider fixes its keys and claims at construction, so rotating a key or adding a claim
  // builds a new instance over the same adapter (sessions, grants and codes survive).
  const rebuild = () => {
    provider = new Provider(issuer, configuration(config, users, keys, adapter, cookieKeys));
    // An HTTP issuer on loopback: no proxy, no secure cookies.
    provider.proxy = false;
    handle = provider.callback() as (request: IncomingMessage, response: ServerResponse) => void;
  };
  rebuild();

  const scopeFor = () =>
    [
      'openid',
      ...Object.keys(claimsConfig(users)).filter((scope) => scope !== 'openid'),
      ...config.resource.scopes,
    ].join(' ');

  return {
    issuer,
    url: issuer,
    jwksUri: `${issuer}/jwks`,
    async token(userSub, clientId, tokenOptions = {}) {
      const client = config.clients.find((candidate) => candidate.clientId === clientId);
      if (client === undefined) throw refused('clientId', `No client ${clientId} at this provider`);
      const user = users.get(userSub);
      if (user === undefined) throw refused('userSub', `No user ${userSub} at this provider`);
      return scriptedLogin({
        issuer,
        clientId,
        ...(client.clientSecret === undefined ? {} : { clientSecret: client.clientSecret.reveal() }),
        redirectUri: client.redirectUris[0]!,
        login: user.sub,
        ...(user.password === undefined ? {} : { password: user.password.reveal() }),
        scope: tokenOptions.scope ?? scopeFor(),
        ...(tokenOptions.accessToken === 'opaque' ? {} : { resource: config.resource.indicator }),
        ...(tokenOptions.nonce === undefined ? {} : { nonce: tokenOptions.nonce }),
      });
    },
    async rotateKeys(rotation = {}) {
      const key = await createSigningKey();
      keys = rotation.retirePrevious === true ? [key] : [key, ...keys].slice(0, 3);
      rebuild();
      return { kid: key.kid };
    },
    keyIds: () => keys.map((key) => key.kid),
    setJwksDown(down) {
      jwksDown = down;
    },
    addUser(input) {
      const user = parseWith(LocalUserSchema, input, { what: 'local user', prefix: 'user' });
      const before = JSON.stringify(claimsConfig(users));
      users.set(user.sub, user);
      if (JSON.stringify(claimsConfig(users)) !== before) rebuild();
    },
    async removeUser(sub) {
      if (!users.delete(sub)) throw refused('sub', `No user ${sub} at this provider`);
      return pushDeparture(config.deprovisioning, sub);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/** The scopes and the claims each releases: the standard ones plus every extra claim a user has (scope `ocx`). */
function claimsConfig(users: Map<string, LocalUser>): Record<string, string[]> {
  const extra = new Set<string>();
  for (const user of users.values()) for (const name of Object.keys(user.claims ?? {})) extra.add(name);
  return extra.size === 0 ? BASE_CLAIMS : { ...BASE_CLAIMS, ocx: [...extra].sort() };
}

function configuration(
  config: ParsedLocalIdentityProviderOptions,
  users: Map<string, LocalUser>,
  keys: PrivateSigningJwk[],
  adapter: ReturnType<typeof createMemoryAdapterFactory>,
  cookieKeys: string[],
): Configuration {
  const claims = claimsConfig(users);
  const { resource } = config;
  return {
    adapter,
    clients: config.clients.map((client) => ({
      client_id: client.clientId,
      ...(client.clientSecret === undefined
        ? { token_endpoint_auth_method: 'none' }
        : { client_secret: client.clientSecret.reveal(), token_endpoint_auth_method: 'client_secret_basic' }),
      redirect_uris: client.redirectUris,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    jwks: { keys },
    cookies: { keys: cookieKeys },
    claims,
    // ID tokens carry the user's claims (affiliation, home organization) even in the code flow:
    // relying parties map them to organizations without a userinfo call.
    conformIdTokenClaims: false,
    pkce: { required: () => true, methods: ['S256'] },
    ttl: {
      IdToken: config.ttl.idTokenSeconds,
      AccessToken: config.ttl.accessTokenSeconds,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    findAccount: (_context, sub) => {
      const user = users.get(sub);
      if (user === undefined) return undefined;
      return { accountId: sub, claims: () => userClaims(user) };
    },
    // Every client here is first-party: grant what it asks for instead of showing a consent page.
    loadExistingGrant: async (context: KoaContextWithOIDC) => {
      const session = context.oidc.session;
      const client = context.oidc.client;
      if (session?.accountId === undefined || client === undefined) return undefined;
      const existing = context.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      const grant =
        (existing === undefined ? undefined : await context.oidc.provider.Grant.find(existing)) ??
        new context.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(Object.keys(claims).join(' '));
      grant.addOIDCClaims(Object.values(claims).flat());
      grant.addResourceScope(resource.indicator, resource.scopes.join(' '));
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_context, _client, oneOf) => oneOf ?? undefined!,
        useGrantedResource: () => true,
        getResourceServerInfo: (_context, indicator) => {
          if (indicator !== resource.indicator) throw new oidcErrors.InvalidTarget();
          return {
            scope: resource.scopes.join(' '),
            audience: resource.audience,
            accessTokenTTL: config.ttl.accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    interactions: { url: (_context, interaction) => `/interaction/${interaction.uid}` },
    // The provider's own rendering: the 'Error' page must not echo internals.
    renderError: (context, out) => {
      context.type = 'html';
      context.body = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Error</title></head><body><h1>${String(out.error)}</h1><p>${String(out.error_description ?? '').replace(/[&<>"']/g, '')}</p></body></html>`;
    },
  };
}

function userClaims(user: LocalUser): { sub: string; [claim: string]: unknown } {
  return {
    ...(user.claims ?? {}),
    sub: user.sub,
    email: user.email,
    email_verified: user.emailVerified,
    name: user.name,
    preferred_username: user.sub,
    ...(user.eduPersonScopedAffiliation === undefined
      ? {}
      : { eduPersonScopedAffiliation: user.eduPersonScopedAffiliation }),
    ...(user.schacHomeOrganization === undefined ? {} : { schacHomeOrganization: user.schacHomeOrganization }),
  };
}

function refused(path: string, message: string): OcxError {
  return new OcxError({ code: 'not-found', message, issues: [{ path, message }], fault: 'client' });
}
