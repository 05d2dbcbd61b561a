import type { Principal, User } from '@ocx/core';
import { type PendingSignIn, randomToken } from './oidc-client.js';

/** A signed-in browser: who it is, and the token its forms must carry (CSRF). */
export interface Session {
  id: string;
  principal: Principal;
  user: User;
  csrf: string;
  expiresAt: number;
  /** A message for the next page shown (after a redirect), then forgotten. */
  flash?: { kind: 'ok' | 'error'; text: string };
}

const COOKIE = 'ocx_portal';
const SESSION_MS = 8 * 3_600_000;
const PENDING_MS = 10 * 60_000;

/**
 * Sessions and sign-ins under way, in memory: the browser holds only a random session id in an
 * HttpOnly cookie. A restart signs everyone out, which a demo portal can afford.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Map<string, PendingSignIn & { expiresAt: number }>();

  /** Remember a sign-in under way, keyed by its `state`. */
  addPending(pending: PendingSignIn, now: number): void {
    this.#prune(now);
    this.#pending.set(pending.state, { ...pending, expiresAt: now + PENDING_MS });
  }

  /** Take (once) the sign-in a callback's `state` names; undefined when unknown or expired. */
  takePending(state: string, now: number): PendingSignIn | undefined {
    const pending = this.#pending.get(state);
    this.#pending.delete(state);
    return pending !== undefined && pending.expiresAt > now ? pending : undefined;
  }

  create(principal: Principal, user: User, now: number): Session {
    this.#prune(now);
    const session: Session = { id: randomToken(), principal, user, csrf: randomToken(), expiresAt: now + SESSION_MS };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The session a request's cookie names, if it is live. */
  fromCookie(cookieHeader: string | undefined, now: number): Session | undefined {
    const id = readCookie(cookieHeader, COOKIE);
    const session = id === undefined ? undefined : this.#sessions.get(id);
    return session !== undefined && session.expiresAt > now ? session : undefined;
  }

  end(session: Session): void {
    this.#sessions.delete(session.id);
  }

  /** The `Set-Cookie` value that gives the browser this session (or clears it). */
  static cookie(session: Session | undefined): string {
    return session === undefined
      ? `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`
      : `${COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MS / 1000}`;
  }

  #prune(now: number): void {
    for (const [key, value] of this.#pending) if (value.expiresAt <= now) this.#pending.delete(key);
    for (const [key, value] of this.#sessions) if (value.expiresAt <= now) this.#sessions.delete(key);
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
