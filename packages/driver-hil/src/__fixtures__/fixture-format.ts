import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The HIL wire fixtures: for each call, the requests the client sends and the responses HIL
 * answers (errors included). The simulator's tests replay the requests and demand these exact
 * responses; the client's tests serve these responses and demand these exact requests and
 * results. Both sides read the same files, so they cannot drift apart.
 *
 * Strings may hold `{{name}}` placeholders: a value that differs per run (a networking-action
 * id, an OBMd URL or token). The simulator side captures them on first sight; the client side
 * fills them from `variables`.
 */
export interface FixtureFile {
  description: string;
  /** Options for `createHilSimulator` (JSON). */
  simulator: Record<string, unknown>;
  /** Named credentials; `null` sends none. A `token` credential is a Keystone token. */
  credentials: Record<string, { username: string; password: string } | { token: string } | null>;
  /** Values for placeholders on the client side (`obmd` is always the fake OBMd's URL). */
  variables: Record<string, string>;
  entries: FixtureEntry[];
}

/** A simulator control applied before an exchange. */
export type FixtureControl = 'pause-actions' | 'resume-actions' | 'settle' | 'fail-next-action';

/** One client call (or one raw request) and what HIL answers. */
export interface FixtureEntry {
  name: string;
  /** The client call: `group.method` and its arguments. Absent for raw requests. */
  call?: { method: string; args: unknown[] };
  /** Which credentials the call uses (default `admin`). */
  as?: string;
  exchanges: FixtureExchange[];
  /** The client's result (deep equal), when the call succeeds. */
  result?: unknown;
  /** The client's error, when the call fails. */
  error?: { code: string; backendErrorType?: string; status?: number };
  /**
   * Why only the simulator replays this entry: a request the client never sends (a form body, a
   * repeated query parameter, OPTIONS, HEAD, a request straight to OBMd). The client's suite leaves
   * these out, naming the reason.
   */
  simulatorOnly?: string;
}

/** One HTTP request and its response. */
export interface FixtureExchange {
  before?: FixtureControl[];
  /** `obmd` for the hop after HIL's 307. */
  server?: 'hil' | 'obmd';
  request: {
    method: string;
    /** Path and query, e.g. `/v0/node/node-001`. */
    path: string;
    /** A JSON body. */
    json?: unknown;
    /** A raw body (for malformed requests, or bodies JSON.stringify cannot write such as `NaN`). */
    body?: string;
    /** Request headers to send, e.g. a form content type. */
    headers?: Record<string, string>;
  };
  response: {
    status: number;
    /** Headers that must match (lower-case names). */
    headers?: Record<string, string>;
    /** A JSON body; `null` means JSON null, absent means not compared unless `text` is given. */
    json?: unknown;
    /**
     * The exact bytes (`""` for HIL's empty 200). With `json` too, both must hold: HIL writes JSON
     * with Python 2's `json.dumps` (`", "` and `": "`, `\uXXXX` escapes, Python 2's key order).
     */
    text?: string;
  };
}

const here = dirname(fileURLToPath(import.meta.url));

/** Every fixture file in this folder, by file name. */
export function loadFixtureFiles(): Array<{ file: string; fixture: FixtureFile }> {
  return readdirSync(here)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(here, file), 'utf8')) as FixtureFile }));
}

const PLACEHOLDER = /\{\{([a-zA-Z]+)\}\}/g;

/** Replace every known `{{name}}` in strings inside `value`. */
export function fillTemplate<T>(value: T, variables: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (whole, name: string) => variables[name] ?? whole) as T;
  }
  if (Array.isArray(value)) return value.map((item) => fillTemplate(item, variables)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillTemplate(item, variables)])) as T;
  }
  return value;
}

/**
 * Match an actual value against a template, capturing unknown placeholders into `variables`.
 * Returns a description of the first difference, or undefined when they match.
 */
export function matchTemplate(
  template: unknown,
  actual: unknown,
  variables: Record<string, string>,
  path = '$',
): string | undefined {
  if (typeof template === 'string') {
    if (typeof actual !== 'string') return `${path}: expected a string, got ${JSON.stringify(actual)}`;
    const names: string[] = [];
    const source = template
      .split(PLACEHOLDER)
      .map((part, index) => {
        if (index % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        if (variables[part] !== undefined) return variables[part]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(part);
        return '([^/?&"]+)';
      })
      .join('');
    const match = new RegExp(`^${source}$`).exec(actual);
    if (match === null) return `${path}: expected ${JSON.stringify(template)}, got ${JSON.stringify(actual)}`;
    names.forEach((name, index) => {
      variables[name] = match[index + 1]!;
    });
    return undefined;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(actual) || actual.length !== template.length)
      return `${path}: expected ${JSON.stringify(template)}, got ${JSON.stringify(actual)}`;
    for (let index = 0; index < template.length; index += 1) {
      const difference = matchTemplate(template[index], actual[index], variables, `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  if (typeof template === 'object' && template !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual))
      return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    const expectedKeys = Object.keys(template).sort();
    const actualKeys = Object.keys(actual).sort();
    if (expectedKeys.join(',') !== actualKeys.join(','))
      return `${path}: expected keys ${expectedKeys.join(',')}, got ${actualKeys.join(',')}`;
    for (const key of expectedKeys) {
      const difference = matchTemplate(
        (template as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        variables,
        `${path}.${key}`,
      );
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return Object.is(template, actual)
    ? undefined
    : `${path}: expected ${JSON.stringify(template)}, got ${JSON.stringify(actual)}`;
}
