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

/** Field names that hold secrets although the pattern above does not catch them. */
const SECRET_FIELD_NAMES: ReadonlySet<string> = new Set([
  'sig',
  'temp_url_sig',
  'temp_url_key',
  'x-auth-key',
  'x-account-meta-temp-url-key',
  'x-container-meta-temp-url-key',
  'x-account-meta-temp-url-key-2',
  'x-container-meta-temp-url-key-2',
  'client_secret',
]);

/** True when a field of this name holds a secret and its value must never be shown. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key) || SECRET_FIELD_NAMES.has(key.toLowerCase());
}

/**
 * Query parameters whose values are redacted wherever a URL appears in text (`?sig=…`,
 * `&X-Amz-Signature=…`), compared case-insensitively: signed-URL conventions (S3 SigV4 and
 * SigV2, Swift TempURL, Azure SAS, Google signed URLs), API keys, OAuth tokens and codes,
 * passwords and secrets.
 */
export const SECRET_QUERY_PARAMETERS: readonly string[] = [
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'awsaccesskeyid',
  'temp_url_sig',
  'x-goog-signature',
  'x-goog-credential',
  'key',
  'api_key',
  'apikey',
  'api-key',
  'access_key',
  'access_token',
  'id_token',
  'refresh_token',
  'token',
  'code',
  'client_secret',
  'password',
  'passwd',
  'pass',
  'secret',
  'auth',
  'session',
  'sessionid',
];

/**
 * Request and response headers whose values are redacted wherever a header line appears in text
 * (`X-Auth-Token: …`), compared case-insensitively.
 */
export const SECRET_HEADERS: readonly string[] = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-auth-token',
  'x-subject-token',
  'x-service-token',
  'x-storage-token',
  'x-auth-key',
  'x-api-key',
  'x-amz-security-token',
  'x-account-meta-temp-url-key',
  'x-container-meta-temp-url-key',
  'x-account-meta-temp-url-key-2',
  'x-container-meta-temp-url-key-2',
  'x-vault-token',
];

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const QUERY_PATTERN = new RegExp(
  `([?&;](?:${SECRET_QUERY_PARAMETERS.map(escapeRegExp).join('|')})=)([^&#\\s"'<>]+)`,
  'gi',
);
const HEADER_PATTERN = new RegExp(
  `((?:${SECRET_HEADERS.map(escapeRegExp).join('|')})["']?\\s*:\\s*["']?)([^\\r\\n"']+)`,
  'gi',
);

const TEXT_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [QUERY_PATTERN, `$1${REDACTED}`],
  [HEADER_PATTERN, `$1${REDACTED}`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\b(Bearer|Basic|Negotiate|AWS4-HMAC-SHA256)\s+[^\s"',]+/gi, `$1 ${REDACTED}`],
  [
    /((?:pass(?:word|wd)?|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|admin_token|signature|credential)["']?\s*[:=]\s*["']?)([^"'&\s,;}]+)/gi,
    `$1${REDACTED}`,
  ],
  [/(\/\/[^/\s:@]+:)([^@\s/]+)@/g, `$1${REDACTED}@`],
];

/** A cheap test that says whether any of the patterns could match, to skip them on plain text. */
const MAYBE_SECRET =
  /bearer|basic|negotiate|aws4|pass|secret|token|key|sig|credential|authori|cookie|private|auth|code=|session|\/\/[^/\s:@]+:/i;

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
