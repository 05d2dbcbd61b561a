import { redactText, redactValue } from '../secrets/redact.js';

/** Structured fields attached to a log line. */
export type LogFields = Record<string, unknown>;

/**
 * The logger the SDK writes to. Any object with these four methods works (pino, console
 * wrappers, …). The SDK redacts secrets before calling it, via {@link redactingLogger}.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** Wrap a logger so that no message or field ever carries a secret. */
export function redactingLogger(logger: Logger): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void =>
      logger[level](redactText(message), fields === undefined ? undefined : redactValue(fields));
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/** A logger that prints JSON lines to stderr at or above `level`. */
export function consoleLogger(level: keyof Logger = 'info'): Logger {
  const order: Array<keyof Logger> = ['debug', 'info', 'warn', 'error'];
  const threshold = order.indexOf(level);
  const write =
    (current: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      if (order.indexOf(current) < threshold) return;
      process.stderr.write(`${JSON.stringify({ level: current, message, ...fields })}\n`);
    };
  return redactingLogger({ debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') });
}
