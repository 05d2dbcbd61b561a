import { M2_CALLS, M2_PROJECT_FIELD, type M2CallName } from '../m2-calls.js';
import type { HilLookup } from './hil-lookup.js';
import { M2_HANDLERS } from './m2-handlers.js';
import { type M2Reply, M2ReplyError, textReply } from './m2-reply.js';
import type { M2State } from './m2-state.js';
import { decodeM2Credentials } from './python-basic-credentials.js';
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
 * Flask's `Allow` for a rule of one method: the method and OPTIONS, in Python 2's set order
 * (CPython 2.7 iterates {'DELETE', 'OPTIONS'} as OPTIONS first, the others as written).
 */
function allowHeader(method: string): string {
  return method === 'DELETE' ? 'OPTIONS, DELETE' : `${method}, OPTIONS`;
}

/**
 * Answer one request the way M2 does, in its order (ims/picasso/rest.py `_rest_wrapper`, then
 * ims/rpc/server/rpc_server.py and einstein's `BMI.__init__`): Flask's routing (404, the 301 for a
 * missing trailing slash, the automatic OPTIONS, 405); the `Authorization` header (missing: 400
 * "No Authentication Details Given"; no space in it: an IndexError, Werkzeug's 500 page); the
 * `project` field and the call's fields (missing: Werkzeug's 400 page); then, over RPC, the
 * project (unknown: 404) and the credentials (undecodable: a 500 carrying Python's message);
 * then the call itself.
 */
export async function answerM2Request(state: M2State, hil: HilLookup, request: M2Request): Promise<M2Reply> {
  const name = CALL_BY_PATH.get(request.path);
  if (name === undefined) {
    if (CALL_BY_PATH.has(`${request.path}/`)) return werkzeugRedirect(`${request.origin}${request.path}/`);
    return werkzeugErrorPage(404);
  }
  const call = M2_CALLS[name];
  const method = request.method.toUpperCase();
  if (method === 'OPTIONS') {
    // Flask answers OPTIONS itself (`make_default_options_response`), before any M2 code.
    return {
      status: 200,
      body: '',
      contentType: 'text/html; charset=utf-8',
      headers: { allow: allowHeader(call.method) },
    };
  }
  if (method !== call.method) return werkzeugErrorPage(405, { allow: allowHeader(call.method) });

  if (request.authorization === undefined) return textReply(400, 'No Authentication Details Given');
  const word = request.authorization.split(' ')[1];
  if (word === undefined) return werkzeugErrorPage(500);
  const form = parseForm(request);
  const project = form.get(M2_PROJECT_FIELD);
  if (project === undefined) return werkzeugErrorPage(400);
  const fields: Record<string, string> = {};
  for (const field of call.fields) {
    const value = form.get(field);
    if (value === undefined) return werkzeugErrorPage(400);
    fields[field] = value;
  }

  if (!state.projects.has(project)) return textReply(404, `${project} not found`);
  const credentials = decodeM2Credentials(word);
  if ('error' in credentials) return textReply(500, credentials.error);
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
