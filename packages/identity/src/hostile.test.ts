import { OcxError, Secret } from '@ocx/core';
import { runHostileBackendSuite } from '@ocx/core/testing';
import { generateKeyPair, SignJWT } from 'jose';
import { createOidcVerifier } from './oidc-verifier.js';
import { pushDeparture } from './provider/deprovisioning-push.js';
import { scriptedLogin } from './provider/scripted-login.js';

const CLIENT_SECRET = 'hostile-introspection-client-secret-01';
/** An opaque access token: introspecting it sends it to the provider, so it is at stake too. */
const OPAQUE_TOKEN = 'hostile-opaque-access-token-value-0001';
const SCIM_TOKEN = 'hostile-scim-bearer-token-0001';
const LOGIN_PASSWORD = 'hostile-login-password-0001';

const { privateKey } = await generateKeyPair('ES256');

/** A well-formed ID token from the hostile issuer (verification must fetch its keys to check it). */
const idToken = (issuer: string) =>
  new SignJWT({ sub: 'alice', nonce: 'n-1' })
    .setProtectedHeader({ alg: 'ES256', kid: 'hostile-1' })
    .setIssuer(issuer)
    .setAudience('portal')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);

const verifierProbes = async (
  url: string,
  logger: Parameters<typeof createOidcVerifier>[0]['logger'],
  timeoutMs: number,
) => {
  const verifier = createOidcVerifier({
    providers: [
      {
        issuer: url,
        audiences: ['portal'],
        introspection: { clientId: 'portal', clientSecret: CLIENT_SECRET },
        cooldownMs: 0,
      },
    ],
    timeoutMs,
    retries: 0,
    ...(logger === undefined ? {} : { logger }),
  });
  const token = await idToken(url);
  return {
    secrets: [CLIENT_SECRET, OPAQUE_TOKEN],
    probes: {
      warmUp: { run: () => verifier.warmUp() },
      'verify id token': { run: () => verifier.verify(token, { expect: 'id-token', nonce: 'n-1' }) },
      'verify opaque token (introspection)': {
        run: () => verifier.verify(OPAQUE_TOKEN, { expect: 'access-token', issuer: url }),
      },
    },
    close: () => verifier.close(),
  };
};

// OIDC discovery itself (`/.well-known/openid-configuration`) answered by a hostile server:
// every probe needs it first.
runHostileBackendSuite({
  name: 'oidc discovery',
  probes: ['warmUp', 'verify id token', 'verify opaque token (introspection)'],
  connect: ({ url, timeoutMs, logger }) => verifierProbes(url, logger, timeoutMs),
});

// An honest discovery document, then a hostile JWKS endpoint and a hostile introspection
// endpoint (which receives the client secret in Basic auth, and the token in the body).
runHostileBackendSuite({
  name: 'oidc jwks and introspection',
  probes: ['warmUp', 'verify id token', 'verify opaque token (introspection)'],
  honest: (request, response, _body, { url }) => {
    if (new URL(request.url ?? '/', url).pathname !== '/.well-known/openid-configuration') return false;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        issuer: url,
        jwks_uri: `${url}/jwks`,
        token_endpoint: `${url}/token`,
        introspection_endpoint: `${url}/token/introspection`,
      }),
    );
    return true;
  },
  connect: ({ url, timeoutMs, logger }) => verifierProbes(url, logger, timeoutMs),
});

// The local identity provider's side: its SCIM departure push (bearer token) and the scripted
// sign-in (password and client secret), pointed at a hostile relying party and issuer.
runHostileBackendSuite({
  name: 'identity provider side (scim push, scripted sign-in)',
  probes: ['scim push', 'scripted sign-in'],
  connect: ({ url, timeoutMs, logger }) => ({
    secrets: [SCIM_TOKEN, LOGIN_PASSWORD, CLIENT_SECRET],
    probes: {
      'scim push': {
        run: async () => {
          const [delivery] = await pushDeparture([{ url: `${url}/scim/v2`, token: Secret.from(SCIM_TOKEN) }], 'alice', {
            timeoutMs,
            retries: 0,
            logger,
          });
          // A push reports rather than throws; a failed delivery is the error the kit inspects.
          if (delivery?.ok !== true)
            throw new OcxError({ code: 'http', message: `scim push failed: ${delivery?.error ?? ''}` });
          return delivery;
        },
        // A DELETE answered 204: no body is read.
        readsBody: false,
      },
      'scripted sign-in': {
        run: () =>
          scriptedLogin({
            issuer: url,
            clientId: 'portal',
            clientSecret: CLIENT_SECRET,
            redirectUri: 'http://127.0.0.1:9/callback',
            login: 'alice',
            password: LOGIN_PASSWORD,
            scope: 'openid',
          }),
      },
    },
  }),
});
