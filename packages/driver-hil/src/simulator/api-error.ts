import type { ServerResponse } from 'node:http';
import { pythonJsonDumps } from './python/python-json.js';

/** HIL's `APIError` subclasses and the status each answers with (hil/errors.py, hil/rest.py). */
export const HIL_ERROR_STATUS = {
  ValidationError: 400,
  BadArgumentError: 400,
  AuthorizationError: 401,
  NotFoundError: 404,
  DuplicateError: 409,
  ProjectMismatchError: 409,
  BlockedError: 409,
  IllegalStateError: 409,
} as const;

/** The name of one of HIL's JSON-reported error types. */
export type HilErrorType = keyof typeof HIL_ERROR_STATUS;

/** An error HIL reports as `{"type": …, "msg": …}` with the type's status. */
export class HilApiError extends Error {
  readonly status: number;
  constructor(
    readonly type: HilErrorType,
    message: string,
  ) {
    super(message);
    this.status = HIL_ERROR_STATUS[type];
  }
}

/**
 * One of HIL's `ServerError` subclasses (`AllocationError`, `OBMError`, `SwitchError`): werkzeug
 * answers these with its plain HTML 500 page, not JSON, so the type name never reaches the client.
 */
export class HilServerError extends Error {
  constructor(
    readonly type: 'AllocationError' | 'OBMError' | 'SwitchError',
    message: string,
  ) {
    super(message);
  }
}

/** `NotFoundError` worded as HIL's `_must_find` words it. */
export function notFound(kind: string, name: string): HilApiError {
  return new HilApiError('NotFoundError', `${kind} ${name} does not exist.`);
}

/** `NotFoundError` for an object inside another (a NIC of a node, a port of a switch). */
export function notFoundIn(kind: string, name: string, ownerKind: string, owner: string): HilApiError {
  return new HilApiError('NotFoundError', `${kind} ${name} on ${ownerKind} ${owner} does not exist.`);
}

/** `DuplicateError` worded as HIL's `_assert_absent` words it. */
export function duplicate(kind: string, name: string): HilApiError {
  return new HilApiError('DuplicateError', `${kind} ${name} already exists.`);
}

/** Python 2's `%r` of a unicode string, which HIL's messages embed. */
export function pythonRepr(text: string): string {
  return `u'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Flask turns a view's string into a `text/html` response, JSON or not; HIL's bodies are such strings. */
const FLASK_CONTENT_TYPE = 'text/html; charset=utf-8';

/**
 * Answer 200 (or `status`) with a body HIL built with Python 2's `json.dumps` (`sortKeys` where
 * HIL passes `sort_keys=True`, else Python 2's dict order); undefined sends an empty body.
 */
export function sendHilBody(response: ServerResponse, body: unknown, status = 200, sortKeys = false): void {
  const text = body === undefined ? '' : pythonJsonDumps(body, { sortKeys });
  response.writeHead(status, { 'content-type': FLASK_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Answer an `APIError` the way `APIError.get_response` does: `json.dumps({'type': …, 'msg': …})`,
 * which Python 2 writes as `{"msg": …, "type": …}`.
 */
export function sendHilError(response: ServerResponse, error: HilApiError): void {
  sendHilBody(response, { type: error.type, msg: error.message }, error.status);
}

/** werkzeug's HTML error page, which HIL sends for unknown routes, wrong methods and ServerErrors. */
export function sendWerkzeugPage(
  response: ServerResponse,
  status: 404 | 405 | 500,
  description?: string,
  headers: Record<string, string> = {},
): void {
  const pages = {
    404: [
      'Not Found',
      'The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.',
    ],
    405: ['Method Not Allowed', 'The method is not allowed for the requested URL.'],
    500: [
      'Internal Server Error',
      'The server encountered an internal error and was unable to complete your request.  Either the server is overloaded or there is an error in the application.',
    ],
  } as const;
  const [title, standard] = pages[status];
  const text = `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>${status} ${title}</title>\n<h1>${title}</h1>\n<p>${escapeHtml(description ?? standard)}</p>\n`;
  response.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/** werkzeug's `escape` as `HTTPException.get_description` calls it: quotes are left alone. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
