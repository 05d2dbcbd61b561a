import { M2_CALLS, M2_PROJECT_FIELD, type M2CallName } from '../m2-calls.js';
import type { HilCredentials, HilLookup } from './hil-lookup.js';
import { M2_HANDLERS } from './m2-handlers.js';
import { type M2Reply, M2ReplyError, textReply } from './m2-reply.js';
import type { M2State } from './m2-state.js';
import { werkzeugErrorPage, werkzeugRedirect } from './werkzeug-pages.js';

/** One request as the simulator's HTTP server received it. */
export interface M2Request {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The server's origin, for Werkzeug's absolute redirect URLs. */
  origin: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

const CALL_BY_PATH = new Map<string, M2CallName>(
  (Object.keys(M2_CALLS) as M2CallName[]).map((name) => [M2_CALLS[name].path, name]),
);

/**
 * Answer one request the way M2 does, in its order: Flask's routing (404, the 301 for a missing
 * trailing slash, 405), then the `project` field (a missing one is Werkzeug's 400, an unknown one
 * M2's 404 — both before any credential check), then the `Authorization` header (missing: 400
 * "No Authentication Details Given"; undecodable: an uncaught exception, so Werkzeug's 500), then
 * the call's own fields (missing: 400), then the call itself.
 */
export async function answerM2Request(state: M2State, hil: HilLookup, request: M2Request): Promise<M2Reply> {
  const name = CALL_BY_PATH.get(request.path);
  if (name === undefined) {
    if (CALL_BY_PATH.has(`${request.path}/`)) return werkzeugRedirect(`${request.origin}${request.path}/`);
    return werkzeugErrorPage(404);
  }
  const call = M2_CALLS[name];
  if (request.method.toUpperCase() !== call.method) return werkzeugErrorPage(405, { allow: `${call.method}, OPTIONS` });

  const form = parseForm(request);
  const project = form.get(M2_PROJECT_FIELD);
  if (project === undefined) return werkzeugErrorPage(400);
  if (!state.projects.has(project)) return textReply(404, `${project} not found`);
  if (request.authorization === undefined) return textReply(400, 'No Authentication Details Given');
  const credentials = decodeCredentials(request.authorization);
  if (credentials === undefined) return werkzeugErrorPage(500);

  const fields: Record<string, string> = {};
  for (const field of call.fields) {
    const value = form.get(field);
    if (value === undefined) return werkzeugErrorPage(400);
    fields[field] = value;
  }
  try {
    return await M2_HANDLERS[name]({ state, hil, project, credentials, form: fields });
  } catch (error) {
    if (error instanceof M2ReplyError) return error.reply;
    throw error;
  }
}

/** Flask's `request.form`: only a form-encoded body fills it; the first of repeated fields wins. */
function parseForm(request: M2Request): Map<string, string> {
  const form = new Map<string, string>();
  if (!request.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return form;
  for (const [key, value] of new URLSearchParams(request.body)) {
    if (!form.has(key)) form.set(key, value);
  }
  return form;
}

/**
 * M2 takes the word after the first space, base64-decodes it and splits it at `:` into exactly a
 * username and a password. Whatever breaks that (no space, bad base64, no colon, a colon in the
 * password) raises in M2, which Flask answers with a 500 page. The scheme word is never checked.
 */
function decodeCredentials(header: string): HilCredentials | undefined {
  const token = header.split(' ')[1];
  if (token === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) return undefined;
  const parts = Buffer.from(token, 'base64').toString('utf8').split(':');
  if (parts.length !== 2) return undefined;
  return { username: parts[0]!, password: parts[1]! };
}
