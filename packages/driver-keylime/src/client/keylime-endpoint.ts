import { type CallOptions, type Logger, OcxError } from '@ocx/core';
import type { HttpClient, Query } from '@ocx/core/http';
import type { z } from 'zod';
import { compareApiVersions, negotiateApiVersion, type VersionInfo, VersionInfoSchema } from './api-version.js';
import { envelopeSchema } from './envelope.js';

/** One versioned call: the path after `/v{version}`, and the schema of the envelope's results. */
export interface EndpointCall<Results extends z.ZodType> extends CallOptions {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** E.g. `/agents/abc`; the client puts `/v{negotiated version}` in front. */
  path: string;
  operation: string;
  results: Results;
  json?: unknown;
  query?: Query;
  /** Statuses that count as success; default any 2xx. */
  expectedStatus?: readonly number[];
  /** The oldest API version that has this route. */
  minVersion?: string;
}

/** What a successful call gives: the HTTP status and the envelope's parsed results. */
export interface EndpointResult<Results> {
  status: number;
  /** Undefined when the server answered without a body (204). */
  results: Results | undefined;
}

/** One Keylime server (verifier or registrar): its HTTP client and the API version it speaks. */
export interface KeylimeEndpoint {
  readonly backend: string;
  /** `GET /version` (uncached). */
  versionInfo(options?: CallOptions): Promise<VersionInfo>;
  /** The negotiated API version; asked once per client and kept (a failed ask is retried next time). */
  apiVersion(options?: CallOptions): Promise<string>;
  call<Results extends z.ZodType>(call: EndpointCall<Results>): Promise<EndpointResult<z.output<Results>>>;
  close(): Promise<void>;
}

/** Wrap one server's HTTP client with version negotiation and envelope parsing. */
export function createKeylimeEndpoint(
  http: HttpClient,
  options: { preferredVersion?: string; logger?: Logger },
): KeylimeEndpoint {
  const backend = http.backend;
  let negotiated: Promise<string> | undefined;

  const versionInfo = async (callOptions: CallOptions = {}): Promise<VersionInfo> => {
    const { data } = await http.get('/version', {
      operation: 'get_version',
      schema: envelopeSchema(VersionInfoSchema),
      signal: callOptions.signal,
    });
    return data.results;
  };

  const apiVersion = (callOptions: CallOptions = {}): Promise<string> => {
    if (negotiated === undefined) {
      const attempt = versionInfo(callOptions).then((info) => {
        const version = negotiateApiVersion(info, { preferred: options.preferredVersion, backend });
        if (options.preferredVersion !== undefined && version !== options.preferredVersion) {
          options.logger?.warn('keylime: preferred API version not offered; using the highest shared one', {
            backend,
            preferred: options.preferredVersion,
            using: version,
          });
        }
        return version;
      });
      negotiated = attempt;
      // A failed negotiation (network, abort) must not stick: the next call asks again.
      attempt.catch(() => {
        if (negotiated === attempt) negotiated = undefined;
      });
    }
    return negotiated;
  };

  const call = async <Results extends z.ZodType>(
    request: EndpointCall<Results>,
  ): Promise<EndpointResult<z.output<Results>>> => {
    if (request.signal?.aborted) {
      throw new OcxError({
        code: 'aborted',
        backend,
        operation: request.operation,
        message: `${backend}: ${request.operation} was aborted before it was sent`,
      });
    }
    const version = await apiVersion({ signal: request.signal });
    if (request.minVersion !== undefined && compareApiVersions(version, request.minVersion) < 0) {
      throw new OcxError({
        code: 'capability',
        backend,
        operation: request.operation,
        message: `${backend}: ${request.operation} needs API ${request.minVersion} or later; the server speaks ${version}`,
      });
    }
    // A 204 has no body; every other answer must be the envelope.
    const schema = envelopeSchema(request.results).optional();
    const response = await http.request({
      method: request.method,
      path: `/v${version}${request.path}`,
      operation: request.operation,
      schema,
      json: request.json,
      query: request.query,
      signal: request.signal,
      expectedStatus: request.expectedStatus,
    });
    const envelope = response.data as { results: z.output<Results> } | undefined;
    if (envelope === undefined && response.status !== 204) {
      throw new OcxError({
        code: 'protocol',
        backend,
        operation: request.operation,
        status: response.status,
        fault: 'server',
        message: `${backend}: ${request.operation} answered HTTP ${response.status} without Keylime's JSON envelope`,
      });
    }
    return { status: response.status, results: envelope?.results };
  };

  return { backend, versionInfo, apiVersion, call, close: () => http.close() };
}
