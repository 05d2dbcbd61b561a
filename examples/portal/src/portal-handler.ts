import type { IncomingMessage, ServerResponse } from 'node:http';
import { OcxError, parseWith, redactingLogger, redactText, silentLogger } from '@ocx/core';
import { createClaimMapper, createOidcVerifier, createSignIn } from '@ocx/identity';
import { html, page } from './html.js';
import { sendHtml } from './http-io.js';
import { createOidcClient } from './oidc-client.js';
import { type Call, PortalContext, type Route } from './portal-context.js';
import { type PortalOptions, PortalOptionsSchema } from './portal-options.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { projectRoutes } from './routes/project-routes.js';
import { signInRoutes } from './routes/sign-in-routes.js';
import { SessionStore } from './sessions.js';

/** The portal as a `node:http` request handler; see {@link createPortalHandler}. */
export interface PortalHandler {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Release the identity clients. */
  close(): Promise<void>;
}

/**
 * A small web portal on an exchange, server-rendered: sign-in with OpenID Connect (authorization
 * code + PKCE, verified and mapped to an organization by `@ocx/identity`), the catalog with prices
 * (`exchange.catalog.find`), projects, sign-up for services (`exchange.onboarding.signUp`),
 * quotas (`exchange.quotas.current` / `history` / `check`), and the project's bill with charts
 * (`@ocx/billing`). Every change is made as the signed-in user (`actor`), so the audit log names
 * them. Forms carry a per-session CSRF token; only project members see a project, only its
 * admins sign it up for services.
 *
 * @example
 * ```ts
 * const server = await serveLoopback({ port: 8400 });
 * const portal = createPortalHandler({ exchange, billing, baseUrl: server.url,
 *   identity: { issuer: idp.issuer, clientId: 'portal', clientSecret: 'portal-secret' } });
 * server.use(portal.handle);
 * ```
 */
export function createPortalHandler(options: PortalOptions): PortalHandler {
  const config = parseWith(PortalOptionsSchema, options, { what: 'portal options' });
  const { exchange, identity } = config;
  const logger = redactingLogger(config.logger ?? silentLogger);
  const oidc = createOidcClient({
    issuer: identity.issuer,
    clientId: identity.clientId,
    clientSecret: identity.clientSecret,
    redirectUri: new URL('/callback', config.baseUrl).toString(),
    scope: identity.scope,
  });
  const verifier = createOidcVerifier({ providers: [{ issuer: identity.issuer, audiences: [identity.clientId] }] });
  const mapper = createClaimMapper({
    rules: identity.organizationRules ?? [{ kind: 'scoped-affiliation' }, { kind: 'email-domain' }],
    roles: identity.roleRules,
  });
  const signIn = createSignIn({ exchange, verifier, mapper, expect: 'id-token' });
  const context = new PortalContext(config, new SessionStore(), oidc, signIn);
  const routes: Route[] = [...signInRoutes(context), ...catalogRoutes(context), ...projectRoutes(context)];

  return {
    handle: async (request, response) => {
      const url = new URL(request.url ?? '/', config.baseUrl);
      const call: Call = {
        request,
        response,
        url,
        session: context.sessions.fromCookie(request.headers.cookie, Date.now()),
      };
      const session = call.session === undefined ? {} : { session: call.session };
      const method = request.method === 'HEAD' ? 'GET' : request.method;
      try {
        for (const route of routes) {
          const match = route.method === method ? route.path.exec(url.pathname) : null;
          if (match !== null) return await route.run(call, match);
        }
        sendHtml(response, 404, page({ title: 'Not found', ...session, body: html`<h1>Not found</h1>` }));
      } catch (error) {
        const known = OcxError.is(error);
        logger.error('The portal failed a request', {
          path: url.pathname,
          code: known ? error.code : 'internal',
          error: String(error),
        });
        if (response.headersSent) return void response.destroy();
        // A refused identity or a bad request is the user's to read; a backend failure is not (it is logged).
        const status = known && error.code === 'auth' ? 401 : known && error.code === 'validation' ? 400 : 502;
        const text =
          status === 502
            ? 'Something went wrong talking to a backend. Try again in a moment.'
            : redactText((error as OcxError).message);
        sendHtml(
          response,
          status,
          page({ title: 'Error', ...session, body: html`<h1>Sorry</h1><p>${text}</p><p><a href="/">Home</a></p>` }),
        );
      }
    },
    async close() {
      await oidc.close();
      await verifier.close();
    },
  };
}
