/** What the simulator answers one request with. */
export interface M2Reply {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
}

/**
 * Flask sends a view's string return value as `text/html`, whatever it holds: M2's plain-text
 * errors, `Success` and its JSON bodies all carry this content type.
 */
export const FLASK_CONTENT_TYPE = 'text/html; charset=utf-8';

/** A reply the way M2's REST wrapper returns an operation's message: plain text with a status. */
export function textReply(status: number, message: string): M2Reply {
  return { status, body: message, contentType: FLASK_CONTENT_TYPE };
}

/** A successful reply carrying a JSON value, serialized the way Python 2's `json.dumps` does. */
export function jsonReply(value: unknown): M2Reply {
  return { status: 200, body: pythonJson(value), contentType: FLASK_CONTENT_TYPE };
}

/**
 * An error raised inside a handler that ends the request with `reply`. Handlers throw it so that
 * a failure deep in a HIL lookup ends the request the way M2's exception handlers do.
 */
export class M2ReplyError extends Error {
  constructor(readonly reply: M2Reply) {
    super(`M2 replies ${reply.status}: ${reply.body.slice(0, 80)}`);
  }
}

/**
 * `json.dumps` with Python's defaults: `", "` and `": "` separators and non-ASCII characters
 * escaped as `\uXXXX` (`ensure_ascii`), so recorded bodies match byte for byte.
 */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(
      /[\u007f-\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  }
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`)
      .join(', ')}}`;
  }
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}
