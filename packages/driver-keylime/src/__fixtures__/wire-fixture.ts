/**
 * One recorded exchange with a Keylime server: the request a client sends and the answer the
 * server gives. Shapes and messages come from the upstream source and REST docs named in
 * `source`; client tests replay the answers, simulator tests check the simulator gives them.
 */
export interface WireFixture {
  /** Where the shape and wording come from (upstream file). */
  source: string;
  request: {
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
    /** The path after `/v{version}` (or the whole path when `versioned` is false). */
    path: string;
    /** Default true: the client puts `/v{negotiated version}` in front. */
    versioned?: boolean;
    query?: Record<string, string>;
    body?: unknown;
    /** A body sent as this exact text instead of `body` as JSON (e.g. one that is not JSON). */
    rawBody?: string;
  };
  response: {
    status: number;
    /** Absent for a response without a body (204, and the web framework's bare 404/405/500). */
    body?: unknown;
    /** The exact bytes Keylime writes (Python's json.dumps), when a fixture pins them. */
    text?: string;
    /** Headers the answer must carry (lower-case names). */
    headers?: Record<string, string>;
  };
  /** Fields of `results` whose values vary from run to run (times, counters, ports). */
  dynamic?: readonly string[];
}

/** The agent UUID of Keylime's documentation examples. */
export const FIXTURE_AGENT = 'd432fbb3-d2f1-4a97-9ef7-75bd81c00000';

/** A second agent, for lists. */
export const FIXTURE_OTHER_AGENT = '5e600bce-a5cb-4f5a-bf08-46d0b45081c5';

/** The web framework's answer without a body (DefaultController `send_response(code)`). */
export const BARE_RESPONSE_HEADERS = Object.freeze({ 'content-type': 'text/html; charset=UTF-8' });

/** Keylime's envelope. */
export function envelope(
  code: number,
  status: string,
  results: unknown = {},
): { code: number; status: string; results: unknown } {
  return { code, status, results };
}
