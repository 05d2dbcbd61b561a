import { createHash, randomBytes } from 'node:crypto';
import { OcxError } from '@ocx/core';
import { createHttpClient, type HttpHeaders } from '@ocx/core/http';
import { z } from 'zod';

/** What the token endpoint answered, in camelCase. */
export interface LocalTokenSet {
  idToken: string;
  accessToken: string;
  tokenType: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  scope: string;
  refreshToken?: string;
}

const TokenResponseSchema = z.object({
  id_token: z.string().min(1),
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number(),
  scope: z.string().default(''),
  refresh_token: z.string().optional(),
});

/** Everything one scripted sign-in needs. */
export interface ScriptedLoginInput {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  redirectUri: string;
  login: string;
  password?: string;
  scope: string;
  /** The resource indicator for a JWT access token; omitted for an opaque one. */
  resource?: string;
  nonce?: string;
}

const MAX_HOPS = 6;

/**
 * Sign a user in the way a browser and a relying party would, over HTTP: the authorization
 * request with PKCE, the provider's login form, the redirects back, and the code exchange at the
 * token endpoint. The tokens come from oidc-provider's own code path, signed with its current key.
 */
export async function scriptedLogin(input: ScriptedLoginInput): Promise<LocalTokenSet> {
  const http = createHttpClient({
    backend: 'local-idp',
    baseUrl: input.issuer,
    retry: { retries: 0 },
    timeoutMs: 10_000,
  });
  const cookies = new Map<string, string>();
  const cookieHeader = () => ({ cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') });
  const remember = (headers: HttpHeaders) => {
    const setCookie = headers['set-cookie'];
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie]) {
      const [pair = ''] = line.split(';');
      const index = pair.indexOf('=');
      if (index <= 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  /** One browser step: send, keep the cookies, and return where it leads (or the page it shows). */
  const step = async (path: string, form?: Record<string, string>): Promise<{ location?: string; page: string }> => {
    const response = await http.request({
      method: form === undefined ? 'GET' : 'POST',
      path,
      ...(form === undefined ? {} : { form }),
      headers: cookieHeader(),
      responseType: 'text',
      expectedStatus: [200, 302, 303],
      followRedirects: false,
      operation: 'sign-in',
    });
    remember(response.headers);
    const location = response.headers.location;
    return typeof location === 'string' && response.status !== 200
      ? { location: new URL(location, input.issuer).toString(), page: '' }
      : { page: response.data };
  };

  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL('auth', input.issuer.endsWith('/') ? input.issuer : `${input.issuer}/`);
  const query: Record<string, string> = {
    response_type: 'code',
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: input.scope,
    state,
    nonce: input.nonce ?? randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(input.resource === undefined ? {} : { resource: input.resource }),
  };
  for (const [name, value] of Object.entries(query)) authorize.searchParams.set(name, value);

  let next = authorize.toString();
  for (let hop = 0; hop < MAX_HOPS && !next.startsWith(input.redirectUri); hop += 1) {
    const shown = await step(next);
    if (shown.location !== undefined) {
      next = shown.location;
      continue;
    }
    const uid = /\/interaction\/([^/?#]+)$/.exec(new URL(next).pathname)?.[1];
    if (uid === undefined || !shown.page.includes('name="login"'))
      throw loginError(`${new URL(next).pathname} showed a page instead of redirecting`);
    const answer = await step(`/interaction/${uid}/login`, { login: input.login, password: input.password ?? '' });
    if (answer.location === undefined)
      throw loginError(/role="alert">([^<]*)</.exec(answer.page)?.[1] ?? 'the login form was shown again');
    next = answer.location;
  }
  const callback = new URL(next);
  if (!next.startsWith(input.redirectUri)) throw loginError('the provider never redirected back to the client');
  if (callback.searchParams.get('state') !== state) throw loginError('the state returned does not match');
  const error = callback.searchParams.get('error');
  if (error !== null) throw loginError(`${error}: ${callback.searchParams.get('error_description') ?? ''}`);
  const code = callback.searchParams.get('code');
  if (code === null) throw loginError('no authorization code');

  const clientAuth: Record<string, string> =
    input.clientSecret === undefined
      ? {}
      : {
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(input.clientId)}:${encodeURIComponent(input.clientSecret)}`).toString('base64')}`,
        };
  const { data } = await http.post('/token', {
    form: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: input.redirectUri,
      code_verifier: verifier,
      ...(input.clientSecret === undefined ? { client_id: input.clientId } : {}),
      ...(input.resource === undefined ? {} : { resource: input.resource }),
    },
    headers: clientAuth,
    schema: TokenResponseSchema,
    operation: 'token',
  });
  await http.close();
  return {
    idToken: data.id_token,
    accessToken: data.access_token,
    tokenType: data.token_type,
    expiresIn: data.expires_in,
    scope: data.scope,
    ...(data.refresh_token === undefined ? {} : { refreshToken: data.refresh_token }),
  };
}

function loginError(reason: string): OcxError {
  return new OcxError({
    code: 'auth',
    backend: 'local-idp',
    operation: 'sign-in',
    backendErrorType: 'login-failed',
    message: `Local identity provider: the sign-in did not complete: ${reason}`,
  });
}
