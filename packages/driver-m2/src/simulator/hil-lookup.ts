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
 * M2's own words, any other error is 500 quoting HIL's status and `msg`, and an error body that is
 * not HIL's JSON crashes M2's parser into Werkzeug's 500 page.
 */
export function createHilLookup(options: { hilUrl: string; timeoutMs: number }): HilLookup {
  const base = options.hilUrl.replace(/\/+$/, '');

  const get = (path: string, credentials: HilCredentials): Promise<HilAnswer> =>
    new Promise((resolve, reject) => {
      const url = new URL(`${base}/v0/${path}`);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
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
      const message = isRecord(parsed) && typeof parsed.msg === 'string' ? parsed.msg : undefined;
      // M2 reads `msg` from HIL's JSON without a guard: anything else is an uncaught exception.
      if (message === undefined) throw new M2ReplyError(werkzeugErrorPage(500));
      throw new M2ReplyError(textReply(500, `Got status code ${answer.status} from HIL with message : ${message}`));
    }
    return parsed;
  };

  return {
    async nicMacAddress(node, nic, credentials) {
      const info = await call(`node/${encodeURIComponent(node)}`, credentials);
      const nics = isRecord(info) && Array.isArray(info.nics) ? info.nics : undefined;
      if (nics === undefined) throw new M2ReplyError(werkzeugErrorPage(500));
      const match = nics.find((entry: unknown) => isRecord(entry) && entry.label === nic) as
        | Record<string, unknown>
        | undefined;
      // Upstream does not say; the simulator reports a missing NIC the way M2 reports a missing image.
      if (match === undefined) throw new M2ReplyError(textReply(404, `${nic} not found`));
      if (typeof match.macaddr !== 'string') throw new M2ReplyError(werkzeugErrorPage(500));
      return match.macaddr;
    },
    async validateProject(project, credentials) {
      await call(`project/${encodeURIComponent(project)}/nodes`, credentials);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
