import { createHash } from 'node:crypto';

/**
 * The exchange user id for an identity: a readable slug of the user's name at the provider
 * (e-mail local part or preferred username) and a hash of issuer and subject, e.g.
 * `alice-6f1c0e9b2d7a4c11`. Deterministic, so a retried or concurrent first sign-in yields the
 * same id; the hash keeps two providers' `alice`s apart.
 */
export function defaultUserId(identity: { issuer: string; subject: string }, claims: Record<string, unknown>): string {
  const hint =
    typeof claims.preferred_username === 'string'
      ? claims.preferred_username
      : typeof claims.email === 'string'
        ? claims.email.split('@')[0]
        : undefined;
  const slug = (hint ?? 'user')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 40)
    .replace(/[-.]+$/, '');
  const hash = createHash('sha256').update(`${identity.issuer}\n${identity.subject}`).digest('hex').slice(0, 16);
  return `${slug === '' ? 'user' : slug}-${hash}`;
}
