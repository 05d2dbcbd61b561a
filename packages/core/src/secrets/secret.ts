import { inspect } from 'node:util';
import { REDACTED, registerSecret } from './redact.js';

const SECRET_BRAND = Symbol.for('@ocx/core.Secret');

/**
 * A secret value (password, token, private key) that hides itself: `String(secret)`,
 * `JSON.stringify(secret)` and `util.inspect(secret)` all show `[REDACTED]`. Only
 * {@link Secret.reveal} gives the text, and only code that sends it to its own backend calls it.
 *
 * @example
 * ```ts
 * const password = Secret.from(process.env.HIL_PASSWORD!);
 * console.log(password); // [REDACTED]
 * ```
 */
export class Secret {
  readonly #value: string;

  private constructor(value: string) {
    this.#value = value;
    registerSecret(value);
    Object.defineProperty(this, SECRET_BRAND, { value: true, enumerable: false });
  }

  /** Wrap a string (or return an existing Secret unchanged). */
  static from(value: string | Secret): Secret {
    return Secret.is(value) ? value : new Secret(value);
  }

  /** True for a Secret from any copy of `@ocx/core`. */
  static is(value: unknown): value is Secret {
    return typeof value === 'object' && value !== null && SECRET_BRAND in value;
  }

  /** The secret's text. Call only where it is sent to its own backend. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** Text of a string-or-Secret. */
export function revealSecret(value: string | Secret): string {
  return Secret.is(value) ? value.reveal() : value;
}
