import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { M2_CALLS, type M2CallName } from '../m2-calls.js';

const fixturesDir = new URL('../__fixtures__/', import.meta.url);

const callName = z.enum(Object.keys(M2_CALLS) as [M2CallName, ...M2CallName[]]);
const form = z.record(z.string(), z.string());

const FixtureCaseSchema = z
  .object({
    name: z.string().min(1),
    note: z.string().optional(),
    /** False for requests the client never sends (missing fields, wrong method or path, no credentials). */
    client: z.boolean().default(true),
    given: z
      .object({
        /** Calls made through the simulator, with valid credentials, before the request. */
        calls: z.array(z.object({ call: callName, form })).default([]),
        /**
         * `unreachable`: nothing listens at HIL's URL; `html-error`: HIL answers every request with
         * an HTML 500; `json-error-without-msg`: with a JSON 500 that has no `msg`.
         */
        hil: z.enum(['unreachable', 'html-error', 'json-error-without-msg']).optional(),
      })
      .strict()
      .default({ calls: [] }),
    request: z
      .object({
        method: z.string(),
        path: z.string(),
        /**
         * `malformed`: a word Python 2 cannot base64-decode; `scheme-only`: no word after the
         * scheme; `three-parts`: base64 of `user:password:extra`.
         */
        authorization: z.enum(['valid', 'wrong-password', 'none', 'malformed', 'scheme-only', 'three-parts']),
        form,
      })
      .strict(),
    response: z
      .object({
        status: z.number().int(),
        contentType: z.string(),
        /** The recorded body; `{origin}` stands for the server's origin. */
        body: z.string(),
        /** When part of the body comes from HIL (whose wording may differ), what the simulator's must match. */
        bodyMatches: z.string().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      })
      .strict(),
    /** What the client makes of the response. */
    expect: z.union([
      z.object({ result: z.unknown() }).strict(),
      z
        .object({
          // Status and message are absent when the answer is not an M2 error (an empty 200 where JSON was due).
          error: z
            .object({ code: z.string(), status: z.number().int().optional(), backendMessage: z.string().optional() })
            .strict(),
        })
        .strict(),
    ]),
    /** The simulator's state after the request. */
    after: z
      .object({
        files: z.array(z.string()).optional(),
        targets: z.array(z.string()).optional(),
        /** The requests M2 made to HIL while answering (not while setting up). */
        hilRequests: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const FixtureFileSchema = z
  .object({ call: callName, description: z.string().optional(), cases: z.array(FixtureCaseSchema).min(1) })
  .strict();

const WorldSchema = z.object({
  description: z.string(),
  m2: z.object({ uid: z.string(), iscsiIp: z.string(), projects: z.array(z.string()), images: z.array(z.string()) }),
  hil: z.object({
    users: z.array(z.object({ username: z.string(), password: z.string(), projects: z.array(z.string()) })),
    nodes: z.array(
      z.object({
        name: z.string(),
        project: z.string().nullable(),
        nics: z.array(z.object({ label: z.string(), macaddr: z.string() })),
      }),
    ),
  }),
  credentials: z.object({
    valid: z.object({ username: z.string(), password: z.string() }),
    'wrong-password': z.object({ username: z.string(), password: z.string() }),
  }),
});

/** One recorded exchange with M2. */
export type M2FixtureCase = z.output<typeof FixtureCaseSchema>;
/** The recorded exchanges of one call. */
export type M2FixtureFile = z.output<typeof FixtureFileSchema> & { file: string };
/** The installation the fixtures were recorded against. */
export type M2FixtureWorld = z.output<typeof WorldSchema>;

/** The installation of `__fixtures__/world.json`. */
export function loadFixtureWorld(): M2FixtureWorld {
  return WorldSchema.parse(JSON.parse(readFileSync(new URL('world.json', fixturesDir), 'utf8')));
}

/** Every fixture file but the world, parsed and checked; a malformed fixture fails loudly. */
export function loadFixtureFiles(): M2FixtureFile[] {
  return readdirSync(fixturesDir)
    .filter((name) => name.endsWith('.json') && name !== 'world.json')
    .sort()
    .map((file) => ({
      file,
      ...FixtureFileSchema.parse(JSON.parse(readFileSync(new URL(file, fixturesDir), 'utf8'))),
    }));
}

/** The request's Authorization header for a fixture's `authorization` value. */
export function fixtureAuthorization(
  world: M2FixtureWorld,
  kind: M2FixtureCase['request']['authorization'],
): string | undefined {
  if (kind === 'none') return undefined;
  if (kind === 'malformed') return 'Basic not*base64';
  if (kind === 'scheme-only') return 'Basic';
  if (kind === 'three-parts') {
    const { username, password } = world.credentials.valid;
    return `Basic ${Buffer.from(`${username}:${password}:extra`).toString('base64')}`;
  }
  const { username, password } = world.credentials[kind];
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** Replace `{origin}` in a recorded text. */
export function withOrigin(text: string, origin: string): string {
  return text.split('{origin}').join(origin);
}
