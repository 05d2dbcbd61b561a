import type { ErrorParser } from '@ocx/core/http';
import { z } from 'zod';

/**
 * Keylime's response envelope (keylime/web_util.py `echo_json_response`, and `Controller.respond`
 * in the newer web layer): `{"code": <http status>, "status": "<text>", "results": {…}}`.
 */
export function envelopeSchema<Results extends z.ZodType>(results: Results) {
  return z.object({ code: z.number().int(), status: z.string(), results });
}

/** An envelope whose results the caller ignores (POST, PUT and DELETE answers). */
export const EmptyEnvelopeSchema = envelopeSchema(z.unknown());

/**
 * Reads Keylime's own verdict from a failed response: the envelope's `status` is its message
 * (`agent id not found`, `Agent of uuid … already exists. Please use delete or update.`) and
 * is kept as the backend's error type too, as the SDK's error docs say for Keylime. Anything
 * else (a proxy's HTML page, a truncated body) is left to the default parser.
 */
export const keylimeErrorParser: ErrorParser = ({ bodyText }) => {
  let value: unknown;
  try {
    value = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const parsed = z.object({ code: z.number(), status: z.string() }).safeParse(value);
  if (!parsed.success) return undefined;
  return { type: parsed.data.status, message: parsed.data.status };
};
