/**
 * Secret redaction. Two mechanisms work together:
 *
 * 1. Every secret the SDK is handed (a password, token or key in options or landlord
 *    credentials) is registered, and its exact text is replaced wherever it appears.
 * 2. Patterns catch secrets the SDK never saw in advance: `Authorization` headers, bearer
 *    tokens, `password=` fields, URL query tokens, PEM private keys, SigV4 signatures.
 */

/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

const registeredSecrets = new Set<string>();

/** Shorter strings would redact ordinary words; such secrets are still caught by the patterns. */
const MINIMUM_REGISTERED_LENGTH = 4;

/**
 * Register a secret so that its text is redacted from every error, log line and event.
 * Drivers call this for each credential they receive; `Secret` does it automatically.
 */
export function registerSecret(value: string): void {
  if (value.length >= MINIMUM_REGISTERED_LENGTH) {
    registeredSecrets.add(value);
    // Base64 forms appear in Basic auth headers and M2's Authorization fields.
    registeredSecrets.add(Buffer.from(value).toString('base64'));
  }
}

/** Forget a secret, e.g. a bearer token that expired and was replaced. */
export function forgetSecret(value: string): void {
  registeredSecrets.delete(value);
  registeredSecrets.delete(Buffer.from(value).toString('base64'));
}

const SECRET_KEY_PATTERN =
  /(pass(word|wd|phrase)?|secret|token|authori[sz]ation|private[_-]?key|api[_-]?key|access[_-]?key|credential|cookie|signature|admin_token)/i;

/** True when a field of this name holds a secret and its value must never be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key);
}

const TEXT_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\b(Bearer|Basic|Negotiate|AWS4-HMAC-SHA256)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
  [
    /((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|admin_token|signature|credential)["']?\s*[:=]\s*["']?)([^"'&\s,;}]+)/gi,
    `$1${REDACTED}`,
  ],
  [/((?:X-Auth-Token|X-Subject-Token|Authorization|Cookie):\s*)([^\r\n]+)/gi, `$1${REDACTED}`],
  [/(\/\/[^/\s:@]+:)([^@\s/]+)@/g, `$1${REDACTED}@`],
];

/** A cheap test that says whether any of the patterns could match, to skip them on plain text. */
const MAYBE_SECRET =
  /bearer|basic|negotiate|aws4|pass|secret|token|key|signature|credential|authori|cookie|private|\/\/[^/\s:@]+:/i;

/** Redact every registered secret and every secret-shaped pattern from a string. */
export function redactText(text: string): string {
  let result = text;
  for (const secret of registeredSecrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  if (!MAYBE_SECRET.test(result)) return result;
  for (const [pattern, replacement] of TEXT_PATTERNS) {
    result = result.replace(pattern, replacement);
  }
  return result;
}

/**
 * Deep-copy a value, replacing the values of secret-named fields with `[REDACTED]` and
 * redacting secrets from every string. Safe for logs, events and audit entries.
 */
export function redactValue<T>(value: T, seen: WeakSet<object> = new WeakSet()): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (seen.has(value)) return '[Circular]' as T;
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, seen)) as T;
  if (isSecretLike(value)) return REDACTED as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && item !== undefined && item !== null ? REDACTED : redactValue(item, seen);
  }
  return copy as T;
}

function isSecretLike(value: object): boolean {
  return typeof (value as { reveal?: unknown }).reveal === 'function';
}
