import type { BackendErrorDetails, ErrorResponseInfo } from '@ocx/core/http';

/** The type name given to HIL's 500s, whose real type (AllocationError, OBMError…) HIL does not send. */
export const HIL_SERVER_ERROR_TYPE = 'ServerError';

/**
 * Read HIL's error bodies. An `APIError` is `{"type": "<ClassName>", "msg": "…"}` (sent as
 * text/html, like every Flask string); the type name is kept as the error's `backendErrorType`.
 * A `ServerError` is werkzeug's plain 500 page, not JSON: it becomes type `ServerError` with the
 * page's description (`No more networks`) or the text itself. Anything else is left to the default
 * parser (e.g. keystonemiddleware's `{"error": {…}}`).
 *
 * @example
 * ```ts
 * parseHilError({ status: 409, headers: {}, contentType: 'text/html', bodyText: '{"type":"BlockedError","msg":"Node attached to a network"}' });
 * // { type: 'BlockedError', message: 'Node attached to a network' }
 * ```
 */
export function parseHilError(info: ErrorResponseInfo): BackendErrorDetails | undefined {
  const text = info.bodyText.trim();
  if (text.startsWith('{')) {
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null) {
        const { type, msg } = value as { type?: unknown; msg?: unknown };
        if (typeof type === 'string' && type !== '') return { type, message: typeof msg === 'string' ? msg : '' };
      }
    } catch {
      // Not JSON after all: fall through to the plain-text handling below.
    }
  }
  if (info.status < 500) return undefined;
  const looksLikeHtml = /^<(!doctype|html|title|h1|p)\b/i.test(text) || /html/i.test(info.contentType ?? '');
  if (looksLikeHtml) {
    const description = /<p>([\s\S]*?)(<\/p>|$)/i.exec(text)?.[1];
    const message = stripTags(description ?? text);
    return { type: HIL_SERVER_ERROR_TYPE, message: message === '' ? 'Internal Server Error' : message };
  }
  return { type: HIL_SERVER_ERROR_TYPE, message: text === '' ? 'Internal Server Error' : text.replace(/\s+/g, ' ') };
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
