import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { OcxError } from '@ocx/core';
import { asBytes, bodyOf, missingKey } from './body.js';
import type { ObjectBody, ObjectStoreTarget } from './object-store-target.js';
import { identityFields, parseTargetIdentity } from './target-identity.js';

/** Options of {@link fileTarget}. */
export interface FileTargetOptions {
  /** The directory that plays the bucket; created when missing. */
  directory: string;
  landlord: string;
  organization?: string;
  /** Default `file`. */
  service?: string;
}

/** Where writes are staged before their atomic rename; never listed, never a key. */
const STAGING = '.ocx-staging';
const READ_CHUNK_BYTES = 1 << 20;

function pathOf(directory: string, key: string): string {
  const segments = key.split('/');
  const bad = segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad || segments[0] === STAGING) {
    throw new OcxError({
      code: 'validation',
      backend: 'file',
      message: `file target: key ${JSON.stringify(key)} has an empty, "." or ".." segment or names the staging folder`,
      fault: 'client',
    });
  }
  return join(directory, ...segments);
}

/** Bodies of known size up to this are gathered (no copy) and written with one `writev`; files up to this are read whole. */
const GATHERED_WRITE_BYTES = 16 << 20;

async function writeGathered(path: string, body: ObjectBody, key: string, signal?: AbortSignal): Promise<void> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) {
    if (signal?.aborted) throw signal.reason;
    chunks.push(asBytes(chunk, `file target ${key}`));
  }
  const handle = await open(path, 'w');
  try {
    let pending = chunks.filter((chunk) => chunk.byteLength > 0);
    while (pending.length > 0) {
      let { bytesWritten } = await handle.writev(pending);
      // writev may write less than asked: drop what was written and go on.
      const rest: Uint8Array[] = [];
      for (const chunk of pending) {
        if (bytesWritten >= chunk.byteLength) bytesWritten -= chunk.byteLength;
        else {
          rest.push(chunk.subarray(bytesWritten));
          bytesWritten = 0;
        }
      }
      pending = rest;
    }
  } finally {
    await handle.close();
  }
}

const isMissing = (error: unknown): boolean => (error as { code?: string }).code === 'ENOENT';

/**
 * A target over a local directory, one file per key: for demos and benchmarks on one machine
 * (a mounted volume of another landlord plays the same role). Reads and writes stream; a write
 * lands in a staging file first and is renamed into place, so a failed `put` leaves no file behind.
 *
 * @example
 * ```ts
 * const target = fileTarget({ directory: '/mnt/bu-share', landlord: 'bu', organization: 'Boston University' });
 * ```
 */
export function fileTarget(options: FileTargetOptions): ObjectStoreTarget {
  const { directory, ...identityInput } = options;
  const identity = parseTargetIdentity({ service: 'file', ...identityInput }, 'fileTarget options');
  if (typeof directory !== 'string' || directory === '') {
    throw new OcxError({ code: 'validation', message: 'fileTarget options: directory is required', fault: 'client' });
  }

  async function* walk(folder: string, relative: string[]): AsyncGenerator<{ key: string; size: number }> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    for (const entry of entries) {
      if (relative.length === 0 && entry.name === STAGING) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) yield* walk(path, [...relative, entry.name]);
      else if (entry.isFile()) yield { key: [...relative, entry.name].join('/'), size: (await stat(path)).size };
    }
  }

  return {
    ...identityFields(identity),
    async put(key, body, callOptions) {
      const target = pathOf(directory, key);
      const staging = join(directory, STAGING, `${randomBytes(8).toString('hex')}.part`);
      await mkdir(dirname(staging), { recursive: true });
      try {
        if (callOptions?.size !== undefined && callOptions.size <= GATHERED_WRITE_BYTES) {
          await writeGathered(staging, body, key, callOptions.signal);
        } else {
          await pipeline(
            async function* () {
              for await (const chunk of body) yield asBytes(chunk, `file target ${key}`);
            },
            createWriteStream(staging),
            { signal: callOptions?.signal },
          );
        }
        await mkdir(dirname(target), { recursive: true });
        await rename(staging, target);
      } catch (error) {
        await rm(staging, { force: true });
        throw error;
      }
    },
    async get(key) {
      try {
        const handle = await open(pathOf(directory, key), 'r');
        const { size } = await handle.stat();
        if (size > GATHERED_WRITE_BYTES) return handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
        // A small file (a part) in one read: fewer round trips through the thread pool.
        try {
          return bodyOf(await handle.readFile());
        } finally {
          await handle.close();
        }
      } catch (error) {
        if (isMissing(error)) throw missingKey(key, 'file', 'get');
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(directory, key), { force: true });
    },
    async *list(prefix) {
      for await (const entry of walk(directory, [])) if (entry.key.startsWith(prefix)) yield entry;
    },
    async head(key) {
      try {
        return { size: (await stat(pathOf(directory, key))).size };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
  };
}
