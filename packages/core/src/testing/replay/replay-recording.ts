import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isDeepStrictEqual } from 'node:util';

/**
 * One recorded exchange, one JSON object per line of a recording: what was sent to a real
 * server and what it answered. `body` is the raw text; `json` (instead) is compared as JSON.
 */
export interface RecordedExchange {
  request: { method: string; path: string; headers?: Record<string, string>; body?: string };
  response: { status: number; body?: string; json?: unknown };
}

/** Where the simulator's answer differs from the recorded one. */
export interface ReplayDifference {
  /** 1-based line of the recording. */
  line: number;
  request: string;
  field: 'status' | 'body';
  recorded: unknown;
  simulated: unknown;
}

/** Options of {@link replayRecording}. */
export interface ReplayOptions {
  /** Headers added to every request (credentials, say), unless the line sets them. */
  headers?: Record<string, string>;
  /** TLS material for an https simulator that demands a client certificate. */
  tls?: { ca?: string; cert?: string; key?: string };
}

/**
 * Parse a recording (JSON lines; blank lines and lines starting with `#` are skipped). A line that
 * is not a recorded exchange is an error naming the line and the field.
 */
export function parseRecording(text: string): Array<{ line: number; exchange: RecordedExchange }> {
  const exchanges: Array<{ line: number; exchange: RecordedExchange }> = [];
  text.split('\n').forEach((raw, index) => {
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    let value: unknown;
    try {
      value = JSON.parse(content);
    } catch {
      throw new Error(`recording line ${index + 1}: not JSON`);
    }
    const exchange = value as RecordedExchange;
    const problem =
      typeof exchange?.request?.method !== 'string'
        ? 'request.method'
        : typeof exchange.request.path !== 'string' || !exchange.request.path.startsWith('/')
          ? 'request.path'
          : !Number.isInteger(exchange.response?.status)
            ? 'response.status'
            : undefined;
    if (problem !== undefined) throw new Error(`recording line ${index + 1}: ${problem} is missing or malformed`);
    exchanges.push({ line: index + 1, exchange });
  });
  return exchanges;
}

function send(
  baseUrl: string,
  exchange: RecordedExchange,
  options: ReplayOptions,
): Promise<{ status: number; body: string }> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${exchange.request.path}`);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = exchange.request.body;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      url,
      {
        method: exchange.request.method,
        agent: false,
        ...options.tls,
        headers: {
          ...options.headers,
          ...exchange.request.headers,
          ...(body === undefined ? {} : { 'content-length': Buffer.byteLength(body) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/**
 * Replay a recording against a simulator, in order (a recording is a session: each call may
 * depend on the previous ones), and list every difference in status and body. An empty list
 * means the simulator answered every recorded request as the real server did.
 *
 * @example
 * ```ts
 * const differences = await replayRecording(sim.url, readFileSync('hil-session.jsonl', 'utf8'));
 * expect(differences).toEqual([]);
 * ```
 */
export async function replayRecording(
  baseUrl: string,
  recording: string,
  options: ReplayOptions = {},
): Promise<ReplayDifference[]> {
  const differences: ReplayDifference[] = [];
  for (const { line, exchange } of parseRecording(recording)) {
    const answer = await send(baseUrl, exchange, options);
    const what = `${exchange.request.method} ${exchange.request.path}`;
    if (answer.status !== exchange.response.status) {
      differences.push({
        line,
        request: what,
        field: 'status',
        recorded: exchange.response.status,
        simulated: answer.status,
      });
    }
    if (exchange.response.json !== undefined) {
      let simulated: unknown = answer.body;
      try {
        simulated = JSON.parse(answer.body);
      } catch {
        // Compared as text below: not JSON is a difference.
      }
      if (!isDeepStrictEqual(simulated, exchange.response.json)) {
        differences.push({ line, request: what, field: 'body', recorded: exchange.response.json, simulated });
      }
    } else if (exchange.response.body !== undefined && answer.body !== exchange.response.body) {
      differences.push({
        line,
        request: what,
        field: 'body',
        recorded: exchange.response.body,
        simulated: answer.body,
      });
    }
  }
  return differences;
}
