import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Logger, OcxError, type Principal, parseWith, SecretSchema, silentLogger } from '@ocx/core';
import { z } from 'zod';
import type { Deprovisioning } from './deprovisioning.js';

const MAX_BODY_BYTES = 64 * 1024;
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** Options of {@link createScimDeprovisioningHandler}, as a schema. */
export const ScimDeprovisioningOptionsSchema = z
  .object({
    deprovisioning: z.custom<Deprovisioning>(
      (value) => typeof (value as Deprovisioning | undefined)?.userLeft === 'function',
      'expected a Deprovisioning',
    ),
    /** The identity provider whose subjects the SCIM user ids are. */
    issuer: z.string().min(1),
    /** The bearer token the provider sends. */
    token: SecretSchema,
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.warn === 'function', 'expected a Logger')
      .optional(),
  })
  .strict();
/** Options of {@link createScimDeprovisioningHandler}. */
export type ScimDeprovisioningOptions = z.input<typeof ScimDeprovisioningOptionsSchema>;

/** A request as any HTTP framework can give it. */
export interface ScimRequest {
  method: string;
  /** The path, e.g. `/scim/v2/Users/alice`; only its `/Users/<id>` ending matters. */
  path: string;
  authorization?: string | undefined;
  /** The parsed JSON body (PATCH, PUT), if any. */
  body?: unknown;
}

/** The answer to send back. */
export interface ScimResponse {
  status: number;
  body?: Record<string, unknown>;
}

/** Handles an identity provider's SCIM deprovisioning calls. */
export interface ScimDeprovisioningHandler {
  /** Framework-neutral: decide and act on one request. */
  handle(request: ScimRequest): Promise<ScimResponse>;
  /** A `node:http` request listener (reads the body, answers JSON). */
  listener(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

const PatchSchema = z
  .object({
    Operations: z.array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown() }).loose()).min(1),
  })
  .loose();

/**
 * The "user left" signal from an identity provider, SCIM-style (RFC 7644): `DELETE /Users/<sub>`,
 * or a `PATCH`/`PUT` that sets `active` to false, with the provider's bearer token. The user is
 * offboarded through {@link Deprovisioning.userLeft}, audited under the provider as principal
 * (`idp:<host>`). A user the exchange never knew is a 404, as SCIM asks. Any other change is
 * refused: the exchange takes only departures from the provider.
 *
 * @example
 * ```ts
 * const scim = createScimDeprovisioningHandler({ deprovisioning, issuer: 'https://idp.bu.edu', token: process.env.SCIM_TOKEN! });
 * http.createServer((request, response) => void scim.listener(request, response)).listen(8443, '127.0.0.1');
 * ```
 */
export function createScimDeprovisioningHandler(options: ScimDeprovisioningOptions): ScimDeprovisioningHandler {
  const config = parseWith(ScimDeprovisioningOptionsSchema, options, { what: 'SCIM deprovisioning options' });
  const logger = config.logger ?? silentLogger;
  const expected = Buffer.from(`Bearer ${config.token.reveal()}`);
  const actor: Principal = { kind: 'system', id: `idp:${safeHost(config.issuer)}` };

  const handle = async (request: ScimRequest): Promise<ScimResponse> => {
    const given = Buffer.from(request.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return scimError(401, 'Missing or wrong bearer token');
    const match = /\/Users\/([^/]+)\/?$/.exec(request.path);
    if (match === null) return scimError(404, 'Only /Users/<id> is served here');
    let subject: string;
    try {
      subject = decodeURIComponent(match[1]!);
    } catch {
      return scimError(400, 'The user id is not valid percent-encoding', 'invalidValue');
    }
    const method = request.method.toUpperCase();
    if (method === 'PATCH' || method === 'PUT') {
      const deactivates = method === 'PATCH' ? patchDeactivates(request.body) : putDeactivates(request.body);
      if (deactivates === undefined)
        return scimError(400, 'The body is not a SCIM request this endpoint understands', 'invalidSyntax');
      if (!deactivates) return scimError(400, 'Only deactivation (active: false) is accepted here', 'mutability');
    } else if (method !== 'DELETE') {
      return scimError(405, `${method} is not supported`);
    }
    try {
      const report = await config.deprovisioning.userLeft({ issuer: config.issuer, subject }, { actor });
      if (report.user === undefined) return scimError(404, 'No such user at this exchange');
      return { status: 204 };
    } catch (error) {
      logger.error('SCIM deprovisioning failed; resume() will finish it', {
        issuer: config.issuer,
        error: OcxError.is(error) ? error.message : String(error),
      });
      return scimError(500, 'The departure was recorded but not finished; the exchange will complete it');
    }
  };

  return {
    handle,
    async listener(request, response) {
      let body: unknown;
      const text = await readBody(request);
      if (text === undefined) return send(response, scimError(413, 'The body is too large'));
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          return send(response, scimError(400, 'The body is not JSON', 'invalidSyntax'));
        }
      }
      const answer = await handle({
        method: request.method ?? 'GET',
        path: new URL(request.url ?? '/', 'http://local').pathname,
        authorization: request.headers.authorization,
        body,
      });
      send(response, answer);
    },
  };
}

/** True/false when the PATCH sets `active`, undefined when it is not a PATCH body. */
function patchDeactivates(body: unknown): boolean | undefined {
  const parsed = PatchSchema.safeParse(body);
  if (!parsed.success) return undefined;
  return parsed.data.Operations.some((operation) => {
    const op = operation.op.toLowerCase();
    if (op !== 'replace' && op !== 'add') return false;
    if (operation.path?.toLowerCase() === 'active') return operation.value === false || operation.value === 'false';
    return (
      operation.path === undefined &&
      typeof operation.value === 'object' &&
      operation.value !== null &&
      (operation.value as { active?: unknown }).active === false
    );
  });
}

function putDeactivates(body: unknown): boolean | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  return (body as { active?: unknown }).active === false;
}

function scimError(status: number, detail: string, scimType?: string): ScimResponse {
  return {
    status,
    body: { schemas: [ERROR_SCHEMA], status: String(status), detail, ...(scimType === undefined ? {} : { scimType }) },
  };
}

function send(response: ServerResponse, answer: ScimResponse): void {
  if (answer.body === undefined) {
    response.writeHead(answer.status).end();
    return;
  }
  response.writeHead(answer.status, { 'content-type': 'application/scim+json' }).end(JSON.stringify(answer.body));
}

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function safeHost(issuer: string): string {
  try {
    return new URL(issuer).host || 'unknown';
  } catch {
    return 'unknown';
  }
}
