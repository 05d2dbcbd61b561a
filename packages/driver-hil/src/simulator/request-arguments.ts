import { HilApiError } from './api-error.js';
import { PythonDict } from './python/python-json.js';
import { parsePythonJson } from './python/python-json-parse.js';
import { python2Order } from './python/python-order.js';
import { type CallSchema, matchesSchema } from './request-schema.js';

/** A Python exception HIL does not catch (a `TypeError`): werkzeug answers it with its plain 500 page. */
export class UncaughtPythonError extends Error {}

/** What `_do_validation` reads from one request. */
export interface RequestParts {
  method: string;
  url: URL;
  body: string;
  contentType: string | undefined;
  /** The path arguments, as werkzeug's router extracted them. */
  pathArgs: Record<string, string>;
}

const invalid = (): HilApiError =>
  new HilApiError('ValidationError', 'Request arguments are not valid for this request');

/**
 * Flask's `request.data`: the raw body, except for form content types, whose body Flask parses into
 * `request.form` and leaves `data` empty — HIL then sees no body at all.
 */
function requestData(parts: RequestParts): string {
  const formLike = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(parts.contentType ?? '');
  return formLike ? '' : parts.body;
}

/**
 * hil/rest.py `_do_validation`, before authentication: a GET takes the query string (werkzeug's
 * `args.iteritems()` yields the first value of a repeated parameter; an empty one is refused) and
 * must have no body; every other method (HEAD included) takes a JSON body. A path argument repeated
 * in the body is refused. A body that is JSON but not an object is not checked either: Python's
 * `key in body` and `body[key] = …` then behave as they do on lists, strings and numbers.
 */
export function requestArguments(schema: CallSchema, parts: RequestParts): Record<string, unknown> {
  const data = requestData(parts);
  let body: unknown = new PythonDict();
  if (parts.method === 'GET') {
    if (data !== '') throw new HilApiError('ValidationError', 'GET request made with a non-empty request body');
    const query = new PythonDict();
    for (const [key, value] of parts.url.searchParams) {
      if (query.has(key)) continue;
      if (value === '') throw new HilApiError('ValidationError', 'Empty parameter specified');
      query.set(key, value);
    }
    body = query;
  } else if (data !== '') {
    try {
      body = parsePythonJson(data);
    } catch {
      throw new HilApiError('ValidationError', 'The request body is not valid JSON');
    }
  }
  const pathKeys = python2Order(Object.keys(parts.pathArgs));
  if (!(body instanceof PythonDict)) {
    // `schema.validate` of a non-dict fails; before that, the loop over path arguments trips on it.
    const first = pathKeys[0];
    if (first === undefined) throw invalid();
    if (Array.isArray(body) && body.includes(first)) throw invalid();
    if (typeof body === 'string' && body.includes(first)) throw invalid();
    throw new UncaughtPythonError(`cannot merge path argument ${first} into a JSON ${typeof body} body`);
  }
  for (const key of pathKeys) {
    if (body.has(key)) throw invalid();
    body.set(key, parts.pathArgs[key]);
  }
  const args = Object.fromEntries(body);
  if (!matchesSchema(schema, args)) throw invalid();
  return args;
}
