import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';

/** How a hostile backend answers one request. */
export type HostileAnswer = (request: IncomingMessage, response: ServerResponse, body: string) => void;

/** What a scenario needs to know: where "elsewhere" is, and what to echo back. */
export interface ScenarioContext {
  /** The other origin (an attacker's server) that must never receive anything. */
  otherUrl: string;
  /** The secrets the subject holds; the echo scenario writes them into its error body. */
  secrets: readonly string[];
}

/** One hostile behaviour, named for the test title. */
export interface HostileScenario {
  name: string;
  /** What the suite expects of the probe: an `OcxError`, or (for `readsBody: false` probes) no crash. */
  kind: 'redirect' | 'body' | 'slow' | 'echo';
  answer(context: ScenarioContext): HostileAnswer;
}

/** The redirect statuses, each sent for every probe. */
export const REDIRECT_SCENARIOS: readonly HostileScenario[] = [301, 302, 303, 307, 308].map((status) => ({
  name: `a ${status} to another origin`,
  kind: 'redirect' as const,
  answer:
    ({ otherUrl }) =>
    (_request, response) => {
      response.writeHead(status, { location: `${otherUrl}/stolen?from=hostile`, 'content-length': '0' });
      response.end();
    },
}));

/** Stream a body until the client hangs up. */
function pump(response: ServerResponse, chunk: Buffer): void {
  // A HEAD answer has no body: Node ignores every write and reports it taken, so writing "while
  // the socket takes it" would never yield. The headers were the whole answer.
  if (response.req.method === 'HEAD') {
    response.end();
    return;
  }
  let closed = false;
  response.socket?.once('close', () => {
    closed = true;
  });
  const write = (): void => {
    // At most a few MiB per turn of the event loop, so the client's side always gets to run.
    for (let written = 0; !closed && written < 64; written += 1) {
      if (!response.write(chunk)) {
        response.once('drain', write);
        return;
      }
    }
    if (!closed) setImmediate(write);
  };
  write();
}

let bomb: Promise<Buffer> | undefined;
/** 512 MiB of zeros, gzipped to about 500 KiB: computed once, in chunks, without holding 512 MiB. */
export function gzipBomb(): Promise<Buffer> {
  bomb ??= new Promise<Buffer>((resolve, reject) => {
    const gzip = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    gzip.on('end', () => resolve(Buffer.concat(parts)));
    gzip.on('error', reject);
    const zeros = Buffer.alloc(1024 * 1024);
    let left = 512;
    const feed = (): void => {
      while (left > 0) {
        left -= 1;
        if (!gzip.write(zeros)) {
          gzip.once('drain', feed);
          return;
        }
      }
      gzip.end();
    };
    feed();
  });
  return bomb;
}

/** Bodies no client may trust: endless, huge, compressed bombs, malformed, mistyped. */
export function bodyScenarios(bombBody: Buffer): HostileScenario[] {
  const json = { 'content-type': 'application/json' };
  return [
    {
      name: 'an endless JSON body',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, json);
        response.write('[');
        pump(response, Buffer.from('{"id":"x","name":"yyyyyyyyyyyyyyyyyyyyyyyy"},'.repeat(2048)));
      },
    },
    {
      name: 'a declared content-length of 100 GiB',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, { ...json, 'content-length': String(100 * 1024 ** 3) });
        pump(response, Buffer.alloc(64 * 1024, 0x20));
      },
    },
    {
      name: 'a gzip bomb (512 MiB of zeros)',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, { ...json, 'content-encoding': 'gzip', 'content-length': String(bombBody.length) });
        response.end(bombBody);
      },
    },
    {
      name: 'malformed JSON',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, json);
        response.end('{"items": [1, 2, {"id": ');
      },
    },
    {
      name: 'an HTML page where JSON was expected',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!doctype html><html><head><title>Sign in</title></head><body>portal</body></html>');
      },
    },
    {
      name: 'JSON of the wrong shape',
      kind: 'body',
      answer: () => (_request, response) => {
        response.writeHead(200, json);
        response.end(JSON.stringify({ unexpected: [{ deeply: { nested: true } }], items: 'not a list' }));
      },
    },
  ];
}

/** Answers that never finish: headers a byte at a time, a body that drips. */
export const SLOW_SCENARIOS: readonly HostileScenario[] = [
  {
    name: 'slow-loris headers',
    kind: 'slow',
    answer: () => (request) => {
      const socket = request.socket;
      socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => {
        if (socket.destroyed) clearInterval(timer);
        else socket.write('X-Slow: y\r\n');
      }, 50);
      socket.once('close', () => clearInterval(timer));
    },
  },
  {
    name: 'a body that drips a byte at a time',
    kind: 'slow',
    answer: () => (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
      response.write('[');
      const timer = setInterval(() => {
        if (response.destroyed) clearInterval(timer);
        else response.write(' ');
      }, 50);
      response.once('close', () => clearInterval(timer));
    },
  },
];

/** Error bodies that echo back everything the client sent, and every secret the subject holds. */
export const ECHO_SCENARIOS: readonly HostileScenario[] = [400, 401, 403, 409, 500].map((status) => ({
  name: `a ${status} whose body echoes the request and the secrets`,
  kind: 'echo' as const,
  answer:
    ({ secrets }) =>
    (request, response, body) => {
      const echo = {
        error: `denied: ${request.method} ${request.url} ${secrets.join(' ')}`,
        message: `token=${secrets[0] ?? ''} password=${secrets[1] ?? secrets[0] ?? ''}`,
        headers: request.headers,
        body,
        secrets,
      };
      response.writeHead(status, {
        'content-type': 'application/json',
        'x-echo': Buffer.from(secrets.join(',')).toString('base64'),
      });
      response.end(JSON.stringify(echo));
    },
}));
