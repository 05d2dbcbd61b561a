import { type CallOptions, type Logger, OcxError, parseWith, Secret } from '@ocx/core';
import { basicAuth, createHttpClient, type RetryOptions } from '@ocx/core/http';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { M2_CALLS, M2_PROJECT_FIELD, M2_SUCCESS_BODY, type M2CallName } from './m2-calls.js';
import { M2NameSchema } from './m2-name.js';
import { parseM2Error } from './parse-m2-error.js';

const M2ClientOptionsSchema = z
  .object({
    /** M2's REST endpoint ("picasso"), e.g. `http://m2.example:8000`. */
    endpoint: z.url({ protocol: /^https?$/ }),
    /** The caller's HIL username: M2 authenticates nobody itself and forwards these to HIL. */
    username: z.string().min(1),
    /** The caller's HIL password. Never logged; redacted from every error. */
    password: z.union([z.string().min(1), z.custom<Secret>((value) => Secret.is(value), 'must be a string or Secret')]),
    /** The HIL project calls act in, unless a call names its own. */
    project: M2NameSchema.optional(),
    /** The undici dispatcher (connection pool); injected ones stay open on `close()`. */
    dispatcher: z
      .custom<Dispatcher>(
        (value) => typeof (value as Dispatcher | undefined)?.dispatch === 'function',
        'must be an undici Dispatcher',
      )
      .optional(),
    /** Per-attempt timeout in milliseconds. Default 30000: cloning a disk takes a while. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Receives one redacted debug line per HTTP attempt. */
    logger: z
      .custom<Logger>((value) => typeof (value as Logger | undefined)?.debug === 'function', 'must be a Logger')
      .optional(),
    /** How failed idempotent calls are retried (see `@ocx/core/http`). */
    retry: z
      .custom<Partial<RetryOptions>>((value) => typeof value === 'object' && value !== null, 'must be retry options')
      .optional(),
  })
  .strict();

/** Options of {@link createM2Client}. */
export type M2ClientOptions = z.input<typeof M2ClientOptionsSchema>;

/** A snapshot M2 lists: its name and the image the snapshotted disk was cloned from. */
export interface M2Snapshot {
  snapshot: string;
  parent: string;
}

/** Every call may name the project it acts in; without one the client's `project` is used. */
interface InProject {
  project?: string;
}

/**
 * M2's REST calls, one method each, in M2's wire format. Failures are `OcxError`s with M2's
 * status and its message as `backendMessage` (404 `not-found`, 409 `conflict`, 401/403 `auth`,
 * others `http`); answers that are not M2's are `protocol` or `validation` errors naming `m2` and
 * the call.
 */
export interface M2Client {
  /** The endpoint this client talks to. */
  readonly endpoint: string;
  /** `create_disk`: clone `image` into a new disk with an iSCSI target; resolves to the target name. */
  createDisk(input: InProject & { disk: string; image: string }, options?: CallOptions): Promise<string>;
  /** `delete_disk`: remove the disk and its iSCSI target. */
  deleteDisk(input: InProject & { disk: string }, options?: CallOptions): Promise<void>;
  /** `provision`: make `node` network-boot `disk` through `nic` (M2 asks HIL for the NIC's MAC). */
  provision(input: InProject & { node: string; disk: string; nic: string }, options?: CallOptions): Promise<void>;
  /** `deprovision`: stop `node` network-booting (delete its PXE and iPXE files). */
  deprovision(input: InProject & { node: string; nic: string }, options?: CallOptions): Promise<void>;
  /** `create_snapshot`: snapshot `disk` into a new image named `snapshot`. */
  createSnapshot(input: InProject & { disk: string; snapshot: string }, options?: CallOptions): Promise<void>;
  /** `list_images`: the project's golden images (disks and snapshots are not listed). */
  listImages(input?: InProject, options?: CallOptions): Promise<string[]>;
  /** `list_snapshots`: the project's snapshots with their parent images. */
  listSnapshots(input?: InProject, options?: CallOptions): Promise<M2Snapshot[]>;
  /** `remove_image`: delete an image or snapshot (M2 refuses one that disks were cloned from). */
  removeImage(input: InProject & { image: string }, options?: CallOptions): Promise<void>;
  /** Release the connections the client owns. */
  close(): Promise<void>;
}

const inProject = { project: M2NameSchema.optional() };
const INPUTS = {
  create_disk: z.object({ ...inProject, disk: M2NameSchema, image: M2NameSchema }).strict(),
  delete_disk: z.object({ ...inProject, disk: M2NameSchema }).strict(),
  provision: z.object({ ...inProject, node: M2NameSchema, disk: M2NameSchema, nic: M2NameSchema }).strict(),
  deprovision: z.object({ ...inProject, node: M2NameSchema, nic: M2NameSchema }).strict(),
  create_snapshot: z.object({ ...inProject, disk: M2NameSchema, snapshot: M2NameSchema }).strict(),
  list_images: z.object(inProject).strict(),
  list_snapshots: z.object(inProject).strict(),
  remove_image: z.object({ ...inProject, image: M2NameSchema }).strict(),
} satisfies Record<M2CallName, z.ZodType>;

/** Which input field fills each wire field. */
const WIRE_FIELDS: Record<string, string> = {
  disk_name: 'disk',
  img: 'image',
  node: 'node',
  nic: 'nic',
  snap_name: 'snapshot',
};

const TargetSchema = z.string().min(1);
const ImagesSchema = z.array(z.string());
const SnapshotsSchema = z.array(z.tuple([z.string(), z.string()]));

/**
 * Create a client of one M2 (BMI) endpoint. It sends each call as M2 expects it — the exact
 * path, form-encoded fields, the `project` field and HTTP Basic with the caller's HIL
 * credentials — through `@ocx/core/http` (timeouts, retries of idempotent calls, redaction).
 *
 * @example
 * ```ts
 * const m2 = createM2Client({ endpoint: 'http://m2.example:8000', username: 'alice', password: Secret.from(pw), project: 'genomics' });
 * const target = await m2.createDisk({ disk: 'genomics-node-01', image: 'ubuntu-22.04' });
 * await m2.provision({ node: 'node-01', disk: 'genomics-node-01', nic: 'eth0' });
 * ```
 */
export function createM2Client(options: M2ClientOptions): M2Client {
  const config = parseWith(M2ClientOptionsSchema, options, { what: 'M2 client options' });
  const http = createHttpClient({
    backend: 'm2',
    baseUrl: config.endpoint,
    timeoutMs: config.timeoutMs,
    dispatcher: config.dispatcher,
    auth: basicAuth({ username: config.username, password: config.password }),
    logger: config.logger,
    retry: config.retry,
    errorParser: parseM2Error,
  });

  /** Check the input, then build the call's form: `project` first, then the call's fields in M2's order. */
  const formFor = (name: M2CallName, input: unknown): Record<string, string> => {
    const parsed = parseWith(INPUTS[name], input ?? {}, { what: `input of m2 ${name}`, operation: name }) as Record<
      string,
      string | undefined
    >;
    const project = parsed.project ?? config.project;
    if (project === undefined) {
      throw new OcxError({
        code: 'validation',
        fault: 'client',
        operation: name,
        message: `Invalid input of m2 ${name}: project: give a project, or set the client's project option`,
        issues: [{ path: 'project', message: "give a project, or set the client's project option" }],
      });
    }
    const form: Record<string, string> = { [M2_PROJECT_FIELD]: project };
    for (const field of M2_CALLS[name].fields) form[field] = parsed[WIRE_FIELDS[field]!]!;
    return form;
  };

  const send = <Schema extends z.ZodType | undefined>(
    name: M2CallName,
    input: unknown,
    options: CallOptions | undefined,
    schema: Schema,
  ) => {
    const form = formFor(name, input);
    const { method, path } = M2_CALLS[name];
    return requestMapped({
      method,
      path,
      form,
      operation: name,
      signal: options?.signal,
      // list_images and list_snapshots are POSTs only by M2's choice: they read, so they may be retried.
      idempotent: method === 'POST' ? true : undefined,
      ...(schema === undefined ? { responseType: 'text' as const } : { schema: schema as z.ZodType }),
    });
  };

  const requestMapped: typeof http.request = async (call) => {
    try {
      return await http.request(call);
    } catch (error) {
      throw duplicateAsConflict(error);
    }
  };

  /** Calls whose operation returns true answer the text `Success`; anything else is not M2's answer. */
  const expectSuccess = async (name: M2CallName, input: unknown, options: CallOptions | undefined): Promise<void> => {
    const response = await send(name, input, options, undefined);
    const text = response.data as string;
    if (text.trim() !== M2_SUCCESS_BODY) {
      throw new OcxError({
        code: 'protocol',
        fault: 'server',
        backend: 'm2',
        operation: name,
        status: response.status,
        attempts: response.attempts,
        message: `m2: ${name} answered HTTP ${response.status} with ${describeBody(text)} where "${M2_SUCCESS_BODY}" was expected`,
      });
    }
  };

  return {
    endpoint: http.baseUrl,
    async createDisk(input, options) {
      const response = await send('create_disk', input, options, TargetSchema);
      return response.data as string;
    },
    deleteDisk: (input, options) => expectSuccess('delete_disk', input, options),
    provision: (input, options) => expectSuccess('provision', input, options),
    deprovision: (input, options) => expectSuccess('deprovision', input, options),
    createSnapshot: (input, options) => expectSuccess('create_snapshot', input, options),
    async listImages(input, options) {
      const response = await send('list_images', input, options, ImagesSchema);
      return response.data as string[];
    },
    async listSnapshots(input, options) {
      const response = await send('list_snapshots', input, options, SnapshotsSchema);
      return (response.data as Array<[string, string]>).map(([snapshot, parent]) => ({ snapshot, parent }));
    },
    removeImage: (input, options) => expectSuccess('remove_image', input, options),
    close: () => http.close(),
  };
}

/** A short, secret-free description of an unexpected body: its size and kind, never its text. */
function describeBody(text: string): string {
  if (text.trim() === '') return 'an empty body';
  if (/^\s*</.test(text)) return `an HTML page (${text.length} characters)`;
  return `${text.length} characters of text`;
}

/** M2's "exists" exceptions: the database's (a name taken) and Ceph's (a name or `snapshot` taken). */
const EXISTS_TYPES = new Set(['ImageExistsException', 'file_system.ImageExistsException']);

/**
 * M2 reports a name already taken as `ImageExistsException`, whose status is 500
 * (ims/exception/db_exceptions.py, and file_system_exceptions.py for Ceph's). It is a conflict,
 * not a server fault: the code says so, and the wire status (500) and M2's text stay on the error.
 */
function duplicateAsConflict(error: unknown): unknown {
  if (!OcxError.is(error) || !EXISTS_TYPES.has(error.backendErrorType ?? '') || error.code === 'conflict') return error;
  return new OcxError({ ...error, code: 'conflict', retryable: false, message: error.message, cause: error.cause });
}
