import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errorPage, loginPage } from './login-pages.js';
import type { LocalUser } from './provider-options.js';

const MAX_FORM_BYTES = 16 * 1024;

/** Finds a user by `sub` or e-mail; undefined when unknown (or removed). */
export type UserLookup = (login: string) => LocalUser | undefined;

/**
 * The provider's own login interaction (instead of oidc-provider's devInteractions, which are
 * not meant to be served): `GET /interaction/:uid` shows the form, `POST …/login` signs in,
 * `POST …/abort` cancels. Consent is never asked: every registered client is first-party, and
 * `loadExistingGrant` grants what it requests.
 */
export async function handleInteraction(
  provider: Provider,
  request: IncomingMessage,
  response: ServerResponse,
  findUser: UserLookup,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://local');
  const match = /^\/interaction\/([^/]+)(?:\/(login|abort))?$/.exec(url.pathname);
  if (match === null) return send(response, 404, errorPage('No such page.'));
  const action = match[2];
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(request, response);
  } catch {
    return send(
      response,
      400,
      errorPage('This sign-in request has expired or is unknown. Start again from the application.'),
    );
  }
  if (details.uid !== decodeURIComponent(match[1]!))
    return send(response, 400, errorPage('This sign-in request does not match your browser session.'));
  const clientId = String(details.params.client_id ?? '');

  if (action === undefined && request.method === 'GET') {
    if (details.prompt.name === 'login') return send(response, 200, loginPage({ uid: details.uid, clientId }));
    // Any other prompt (consent) is granted at once: see loadExistingGrant in the provider configuration.
    return provider.interactionFinished(request, response, {}, { mergeWithLastSubmission: true });
  }
  if (request.method !== 'POST') return send(response, 405, errorPage('Method not allowed.'));
  if (action === 'abort') {
    return provider.interactionFinished(
      request,
      response,
      { error: 'access_denied', error_description: 'The user cancelled the sign-in.' },
      { mergeWithLastSubmission: false },
    );
  }
  const form = await readForm(request);
  if (form === undefined) return send(response, 413, errorPage('The form is too large.'));
  const login = form.get('login')?.trim() ?? '';
  const user = findUser(login);
  if (user === undefined || !passwordMatches(user, form.get('password') ?? '')) {
    return send(
      response,
      200,
      loginPage({ uid: details.uid, clientId, login, error: 'Unknown user or wrong password.' }),
    );
  }
  return provider.interactionFinished(
    request,
    response,
    { login: { accountId: user.sub } },
    { mergeWithLastSubmission: false },
  );
}

function passwordMatches(user: LocalUser, given: string): boolean {
  if (user.password === undefined) return true;
  const expected = Buffer.from(user.password.reveal());
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, html: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  response.end(html);
}
