import type { HttpHeaders } from './request-types.js';

/** What an {@link ErrorParser} is given: a failed response, its body read as text (capped). */
export interface ErrorResponseInfo {
  status: number;
  headers: HttpHeaders;
  bodyText: string;
  contentType: string | undefined;
}

/** What an {@link ErrorParser} found in a failed response. Absent fields fall back to the default. */
export interface BackendErrorDetails {
  /** The backend's own error type (HIL's `type`, Keylime's `status`, RGW's `Code`, Nova's key). */
  type?: string;
  message?: string;
  requestId?: string;
}

/**
 * Extracts a backend's own error type and message from a failed response. Drivers pass one to
 * the client when their backend has an error format the default does not know.
 */
export type ErrorParser = (info: ErrorResponseInfo) => BackendErrorDetails | undefined;

/** Error bodies are cut to this many characters before they go into an error. */
export const MAX_ERROR_BODY_CHARS = 2048;

/**
 * The default error parser. It knows the common shapes:
 * `{message}`, `{error: "…"}`, `{error: {message, type|code|title}}` (Keystone), `{type, msg}`
 * (HIL), `{code: 404, status: "…"}` (Keylime), `{Code, Message, RequestId}` (RGW JSON),
 * `{itemNotFound: {message}}` and `{NeutronError: {type, message}}` (OpenStack), S3-style XML,
 * HTML (the `<title>`) and plain text.
 */
export function parseBackendError(info: ErrorResponseInfo): BackendErrorDetails | undefined {
  const text = info.bodyText.trim();
  if (text === '') return undefined;
  const contentType = info.contentType?.toLowerCase() ?? '';
  if (contentType.includes('json') || text.startsWith('{') || text.startsWith('[')) {
    const details = parseJsonError(text);
    if (details !== undefined) return details;
  }
  if (contentType.includes('html') || /^<!doctype html|^<html/i.test(text)) {
    const title = htmlTitle(text);
    return title === undefined ? { message: `HTML error page (${text.length} characters)` } : { message: title };
  }
  if (contentType.includes('xml') || text.startsWith('<?xml') || text.startsWith('<Error')) {
    const details = parseXmlError(text);
    if (details !== undefined) return details;
  }
  return { message: capText(text.replace(/\s+/g, ' ')) };
}

/** The text of an HTML page's `<title>` (or first `<h1>`), tags and entities tidied. */
export function htmlTitle(html: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  if (match === null) return undefined;
  const title = decodeEntities(match[1]!.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
  return title === '' ? undefined : capText(title, 200);
}

/** Cut text to at most `max` characters, saying how much was left out. */
export function capText(text: string, max = MAX_ERROR_BODY_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

function parseJsonError(text: string): BackendErrorDetails | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { message: `malformed JSON error body: ${capText(text.replace(/\s+/g, ' '), 200)}` };
  }
  if (!isRecord(value)) return undefined;
  const details: BackendErrorDetails = {};
  const message = firstString(value, ['message', 'msg', 'Message', 'error_description', 'detail', 'description']);
  if (message !== undefined) details.message = message;
  const type = firstString(value, ['type', 'Code', 'error_type', 'title']);
  if (type !== undefined) details.type = type;
  const requestId = firstString(value, ['RequestId', 'request_id', 'requestId']);
  if (requestId !== undefined) details.requestId = requestId;

  // Keylime: {"code": 404, "status": "agent not found", "results": {}}.
  if (typeof value.code === 'number' && typeof value.status === 'string') {
    details.message ??= value.status;
    details.type ??= value.status;
  } else if (typeof value.code === 'string') {
    details.type ??= value.code;
  }

  const error = value.error;
  if (typeof error === 'string') {
    details.message ??= error;
  } else if (isRecord(error)) {
    const nestedMessage = firstString(error, ['message', 'msg', 'description']);
    if (nestedMessage !== undefined) details.message ??= nestedMessage;
    const nestedType = firstString(error, ['type', 'title', 'code']) ?? numberText(error.code);
    if (nestedType !== undefined) details.type ??= nestedType;
  }

  // OpenStack wraps errors in one key naming the fault: {"itemNotFound": {"message": …}}.
  const keys = Object.keys(value);
  if (details.message === undefined && keys.length === 1 && isRecord(value[keys[0]!])) {
    const wrapped = value[keys[0]!] as Record<string, unknown>;
    const wrappedMessage = firstString(wrapped, ['message', 'msg', 'detail']);
    if (wrappedMessage !== undefined) {
      details.message = wrappedMessage;
      details.type ??= firstString(wrapped, ['type']) ?? keys[0];
    }
  }
  if (details.message !== undefined) details.message = capText(details.message);
  return details.message === undefined && details.type === undefined ? undefined : details;
}

function parseXmlError(text: string): BackendErrorDetails | undefined {
  const element = (name: string): string | undefined => {
    const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(text);
    return match === null ? undefined : decodeEntities(match[1]!.trim());
  };
  const details: BackendErrorDetails = {};
  const type = element('Code');
  const message = element('Message');
  const requestId = element('RequestId');
  if (type !== undefined) details.type = type;
  if (message !== undefined) details.message = capText(message);
  if (requestId !== undefined) details.requestId = requestId;
  return type === undefined && message === undefined ? undefined : details;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function numberText(value: unknown): string | undefined {
  return typeof value === 'number' ? String(value) : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = Number(name.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}
