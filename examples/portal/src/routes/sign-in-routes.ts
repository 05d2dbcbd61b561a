import { html, page } from '../html.js';
import { redirect, sendHtml } from '../http-io.js';
import type { PortalContext, Route } from '../portal-context.js';
import { SessionStore } from '../sessions.js';

/**
 * Sign-in with OpenID Connect: `/login` starts the authorization-code flow with PKCE, `/callback`
 * checks the state, exchanges the code, verifies the ID token (nonce included) and signs the user
 * into the exchange's directory; `/logout` ends the session.
 */
export function signInRoutes(context: PortalContext): Route[] {
  return [
    {
      method: 'GET',
      path: /^\/login$/,
      run: async (call) => {
        const pending = await context.oidc.begin();
        context.sessions.addPending(pending, Date.now());
        redirect(call.response, pending.authorizationUrl);
      },
    },
    {
      method: 'GET',
      path: /^\/callback$/,
      run: async (call) => {
        const pending = context.sessions.takePending(call.url.searchParams.get('state') ?? '', Date.now());
        const code = call.url.searchParams.get('code');
        if (pending === undefined || code === null) {
          const reason =
            call.url.searchParams.get('error_description') ??
            (pending === undefined
              ? 'This sign-in has expired or was not started here.'
              : 'The identity provider sent no code.');
          sendHtml(
            call.response,
            400,
            page({
              title: 'Sign-in failed',
              body: html`<h1>Sign-in failed</h1><p>${reason}</p><p><a href="/login">Try again</a></p>`,
            }),
          );
          return;
        }
        const idToken = await context.oidc.finish(code, pending);
        const result = await context.signIn.signIn(idToken, { nonce: pending.nonce });
        const session = context.sessions.create(result.principal, result.user, Date.now());
        session.flash = {
          kind: 'ok',
          text: result.created
            ? `Welcome, ${result.user.name}: your account was created.`
            : `Welcome back, ${result.user.name}.`,
        };
        redirect(call.response, '/', { 'set-cookie': SessionStore.cookie(session) });
      },
    },
    {
      method: 'POST',
      path: /^\/logout$/,
      run: async (call) => {
        const session = context.requireSession(call);
        if (session === undefined || (await context.postedForm(call, session)) === undefined) return;
        context.sessions.end(session);
        redirect(call.response, '/', { 'set-cookie': SessionStore.cookie(undefined) });
      },
    },
  ];
}
