import { OcxError, redactText } from '@ocx/core';
import type { SwiftBackend } from './swift-backend.js';

/** A landlord that did not answer, and why (redacted: never a token or key). */
export interface Unavailable {
  landlord: string;
  reason: string;
}

/** What every landlord answered, in the landlords' order, and which could not. */
export interface FanOutResult<Value> {
  answers: Array<{ landlord: string; value: Value }>;
  unavailable: Unavailable[];
}

/**
 * Ask every landlord at once. A landlord that fails (connection refused, timeout, 5xx after the
 * HTTP layer's retries, a bad answer) is reported in `unavailable` instead of failing the whole
 * request: the proxy then answers with what the others said, marked partial.
 */
export async function fanOut<Value>(
  backends: readonly SwiftBackend[],
  call: (backend: SwiftBackend) => Promise<Value>,
): Promise<FanOutResult<Value>> {
  const settled = await Promise.allSettled(backends.map((backend) => call(backend)));
  const result: FanOutResult<Value> = { answers: [], unavailable: [] };
  settled.forEach((outcome, index) => {
    const landlord = backends[index]!.landlord;
    if (outcome.status === 'fulfilled') result.answers.push({ landlord, value: outcome.value });
    else result.unavailable.push({ landlord, reason: describe(outcome.reason) });
  });
  return result;
}

function describe(error: unknown): string {
  const text = OcxError.is(error)
    ? `${error.code}${error.status === undefined ? '' : ` ${error.status}`}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  return redactText(text);
}
