import { parseWith, type Secret, SecretSchema } from '@ocx/core';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/** Password authentication of a Keystone user, scoped to a project. */
const PasswordAuthSchema = z
  .object({
    /** Keystone's URL, with or without the `/v3` suffix. */
    url: httpUrl,
    /** The user's name (with `userDomain`), or give `userId`. */
    username: z.string().min(1).optional(),
    userId: z.string().min(1).optional(),
    password: SecretSchema,
    /** The user's domain name. Default `Default`. */
    userDomain: z.string().min(1).optional(),
    userDomainId: z.string().min(1).optional(),
    /** The project to scope the token to, by name (with `projectDomain`); or give `projectId`. */
    project: z.string().min(1).optional(),
    projectId: z.string().min(1).optional(),
    /** The project's domain name. Default `Default`. */
    projectDomain: z.string().min(1).optional(),
    projectDomainId: z.string().min(1).optional(),
  })
  .strict()
  .refine((auth) => (auth.username === undefined) !== (auth.userId === undefined), {
    message: 'give exactly one of username and userId',
    path: ['username'],
  })
  .refine((auth) => !(auth.project !== undefined && auth.projectId !== undefined), {
    message: 'give at most one of project and projectId',
    path: ['project'],
  });

/** Application-credential authentication: the credential fixes the user, project and roles. */
const ApplicationCredentialAuthSchema = z
  .object({
    url: httpUrl,
    applicationCredentialId: z.string().min(1),
    applicationCredentialSecret: SecretSchema,
  })
  .strict();

/** Password auth after parsing. */
export type PasswordAuth = z.output<typeof PasswordAuthSchema> & { kind: 'password' };
/** Application-credential auth after parsing. */
export type ApplicationCredentialAuth = z.output<typeof ApplicationCredentialAuthSchema> & {
  kind: 'application-credential';
};
/** How the driver authenticates to Keystone, after parsing. */
export type KeystoneAuth = PasswordAuth | ApplicationCredentialAuth;

/**
 * How the driver authenticates to Keystone: a password (user by name or id, scoped to a project),
 * or an application credential (id and secret; the credential fixes the scope). Secrets may be
 * strings or `Secret`s and are never shown.
 */
export type KeystoneAuthOptions = z.input<typeof PasswordAuthSchema> | z.input<typeof ApplicationCredentialAuthSchema>;

/**
 * Parse auth options, choosing the form by its keys so that a mistake is reported on the field
 * (`auth.password`) rather than as "matches neither form".
 */
export function parseKeystoneAuth(input: unknown, prefix = 'auth'): KeystoneAuth {
  const isApplicationCredential =
    typeof input === 'object' &&
    input !== null &&
    ('applicationCredentialId' in input || 'applicationCredentialSecret' in input);
  if (isApplicationCredential) {
    const parsed = parseWith(ApplicationCredentialAuthSchema, input, { what: 'OpenStack auth options', prefix });
    return { ...parsed, kind: 'application-credential' };
  }
  const parsed = parseWith(PasswordAuthSchema, input, { what: 'OpenStack auth options', prefix });
  return { ...parsed, kind: 'password' };
}

/** Keystone's v3 base URL: the given URL with `/v3` added when it is not there yet. */
export function keystoneV3Url(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return /\/v3$/.test(trimmed) ? trimmed : `${trimmed}/v3`;
}

function domainRef(name: string | undefined, id: string | undefined): { id: string } | { name: string } {
  return id !== undefined ? { id } : { name: name ?? 'Default' };
}

/** The body of `POST /v3/auth/tokens` for these credentials. */
export function authRequestBody(auth: KeystoneAuth): unknown {
  if (auth.kind === 'application-credential') {
    // No scope: the application credential fixes it, and Keystone refuses one given here.
    return {
      auth: {
        identity: {
          methods: ['application_credential'],
          application_credential: {
            id: auth.applicationCredentialId,
            secret: reveal(auth.applicationCredentialSecret),
          },
        },
      },
    };
  }
  const user =
    auth.userId !== undefined
      ? { id: auth.userId, password: reveal(auth.password) }
      : { name: auth.username, domain: domainRef(auth.userDomain, auth.userDomainId), password: reveal(auth.password) };
  const scope =
    auth.projectId !== undefined
      ? { project: { id: auth.projectId } }
      : auth.project !== undefined
        ? { project: { name: auth.project, domain: domainRef(auth.projectDomain, auth.projectDomainId) } }
        : undefined;
  return {
    auth: { identity: { methods: ['password'], password: { user } }, ...(scope === undefined ? {} : { scope }) },
  };
}

function reveal(secret: Secret): string {
  return secret.reveal();
}
