import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { M2ReplyError, textReply } from './m2-reply.js';
import { werkzeugErrorPage } from './werkzeug-pages.js';

/** The caller's HIL credentials, which M2 forwards to HIL as they came. */
export interface HilCredentials {
  username: string;
  password: string;
}

/** The two questions M2 asks HIL. Each failure is an {@link M2ReplyError} with M2's answer. */
export interface HilLookup {
  /** The MAC address of `nic` on `node` (`GET /v0/node/{node}`). */
  nicMacAddress(node: string, nic: string, credentials: HilCredentials): Promise<string>;
  /** Checks the caller may see the project (`GET /v0/project/{project}/nodes`). */
  validateProject(project: string, credentials: HilCredentials): Promise<void>;
}

interface HilAnswer {
  status: number;
  body: string;
}

/**
 * M2's HIL client, in the simulator: the same two GETs with the caller's Basic credentials, and
 * HIL's failures turned into M2's answers as `ims/einstein/hil.py` and `ims/exception/hil_exceptions.py`
 * do — a connection failure is 500 "Couldnt connect to HIL", 401 and 403 keep their status with
 * M2's own words, any other error is 500 quoting HIL's status and `msg`. An answer M2's parser
 * trips on (an error body that is not HIL's JSON, a node without NICs) raises a Python exception
 * that the RPC server reports as a 500 carrying `str(exception)`.
 */
export function createHilLookup(options: { hilUrl: string; timeoutMs: number }): HilLookup {
  const base = options.hilUrl.replace(/\/+$/, '');

  const get = (path: string, credentials: HilCredentials): Promise<HilAnswer> =>
    new Promise((resolve, reject) => {
      // M2 pastes the names into the URL unescaped (`urlparse.urljoin(base_url, "node/" + node)`),
      // and requests quotes only what may not appear in a URL: a "/" in a name is a path separator
      // to HIL, "?" and "#" start the query and fragment. A backslash stays a backslash.
      const url = new URL(`${base}/v0/${path.replace(/\\/g, '%5C')}`);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      // The names are the bytes M2 decoded (latin1 here), sent on as they came.
      const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'latin1').toString('base64')}`;
      const request = send(
        url,
        { method: 'GET', headers: { authorization }, timeout: options.timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error('HIL did not answer in time')));
      request.on('error', reject);
      request.end();
    });

  const call = async (path: string, credentials: HilCredentials): Promise<unknown> => {
    let answer: HilAnswer;
    try {
      answer = await get(path, credentials);
    } catch {
      throw new M2ReplyError(textReply(500, 'Couldnt connect to HIL'));
    }
    if (answer.status === 401) throw new M2ReplyError(textReply(401, 'Authentication Failed'));
    if (answer.status === 403) throw new M2ReplyError(textReply(403, 'Authorization Failed'));
    const parsed = parseJson(answer.body);
    if (answer.status >= 400) {
      // `obj.json()[MESSAGE_KEY]` without a guard.
      if (parsed === NOT_JSON) throw pythonError('No JSON object could be decoded');
      const message = pythonItem(parsed, 'msg');
      // Concatenating a message that is not a string fails after the reply is built: Flask's 500 page.
      if (typeof message !== 'string') throw new M2ReplyError(werkzeugErrorPage(500));
      throw new M2ReplyError(textReply(500, `Got status code ${answer.status} from HIL with message : ${message}`));
    }
    // A 2xx body that is not JSON leaves no RETURN_VALUE_KEY in M2's answer dict.
    return parsed === NOT_JSON || answer.status !== 200 ? MISSING : parsed;
  };

  return {
    async nicMacAddress(node, nic, credentials) {
      const answer = await call(`node/${node}`, credentials);
      if (answer === MISSING) throw pythonError("'retval'");
      const nics = pythonItem(answer, 'nics');
      if (!Array.isArray(nics)) {
        if (isRecord(nics)) throw pythonError('0');
        if (typeof nics === 'string')
          throw pythonError(nics === '' ? 'string index out of range' : 'string indices must be integers, not str');
        throw pythonError(`'${pythonTypeName(nics)}' object has no attribute '__getitem__'`);
      }
      if (nics.length === 0) throw pythonError('list index out of range');
      const match = nics.find((entry: unknown) => isRecord(entry) && entry.label === nic);
      // Upstream (as read) takes the first NIC's MAC; asked for a NIC HIL does not list, the
      // simulator answers the way M2 reports a missing image.
      if (match === undefined) throw new M2ReplyError(textReply(404, `${nic} not found`));
      const macaddr = pythonItem(match, 'macaddr');
      if (typeof macaddr !== 'string') throw new M2ReplyError(werkzeugErrorPage(500));
      return macaddr;
    },
    async validateProject(project, credentials) {
      await call(`project/${project}/nodes`, credentials);
    },
  };
}

const NOT_JSON = Symbol('not JSON');
const MISSING = Symbol('no return value');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** A Python exception escaping M2's operation: the RPC server answers 500 with `str(exception)`. */
function pythonError(message: string): M2ReplyError {
  return new M2ReplyError(textReply(500, message));
}

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return typeof value;
}

/** Python's `value[key]` on what `json.loads` returned, raising as Python raises. */
function pythonItem(value: unknown, key: string): unknown {
  if (isRecord(value)) {
    if (!Object.hasOwn(value, key)) throw pythonError(`'${key}'`);
    return value[key];
  }
  if (Array.isArray(value)) throw pythonError('list indices must be integers, not str');
  if (typeof value === 'string') throw pythonError('string indices must be integers, not str');
  throw pythonError(`'${pythonTypeName(value)}' object has no attribute '__getitem__'`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
