/**
 * Bench `split-storage`: put and get of one object of OCX_BENCH_SPLIT_MIB MiB (default 1024, generated
 * lazily) through `@ocx/split-storage` with two file-backed targets (2-of-2, xor layout: AES-256-GCM in
 * 256 KiB segments, a random pad share and a masked share, 4 MiB parts), against a plain put and get of
 * the same bytes to one file-backed target (`fileTarget`, one file, no encryption).
 *
 * Each measurement runs in a child process of its own, so its peak RSS is its own:
 *   - plain: put then get of the object to one target;
 *   - split: put then get through the split store;
 *   - split-small: the same with an object a quarter the size, and the bytes read back checked
 *     against the bytes put (SHA-256), to show the peak RSS does not grow with the object.
 * Throughputs are MB/s (10⁶ bytes per second) of plaintext; the targets live in the OS temp folder
 * (page cache, then disk), so the ratio compares the split store's work with plain file I/O.
 *
 * Ends with: RESULT split-storage put_mbps=… get_mbps=… plain_put_mbps=… plain_get_mbps=… put_ratio=…
 *            get_ratio=… peak_rss_mb=… small_peak_rss_mb=… plain_peak_rss_mb=… gcm_mbps=… object_mib=…
 *            verified=true|false
 * (`gcm_mbps` is AES-256-GCM alone on one thread: the ceiling of the split path, which also draws
 * random pads, XORs and writes twice the bytes.)
 */
import { spawnSync } from 'node:child_process';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const distEntry = resolve(here, '../../packages/split-storage/dist/index.js');
const MiB = 1 << 20;
const CHUNK = MiB;

async function loadSplitStorage() {
  if (!existsSync(distEntry)) {
    throw new Error(
      'packages/split-storage/dist is missing — run `npx -y pnpm@10.34.8 --filter @ocx/split-storage build` (`pnpm bench` builds everything).',
    );
  }
  return import(pathToFileURL(distEntry).href);
}

/** `bytes` bytes, lazily: one random 1 MiB chunk repeated (generation costs nothing measurable). */
async function* source(bytes, chunk, onChunk) {
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent);
    onChunk?.(piece);
    yield piece;
  }
}

async function timed(run) {
  const started = performance.now();
  const result = await run();
  return { seconds: (performance.now() - started) / 1000, result };
}

// --- child: `node index.mjs --child <plain|split> <bytes> <verify>` -------------------------------------------------
async function child([mode, bytesText, verifyText]) {
  const bytes = Number(bytesText);
  const verify = verifyText === 'verify';
  const { createSplitStore, fileTarget } = await loadSplitStorage();
  const root = mkdtempSync(join(tmpdir(), `ocx-bench-split-${mode}-`));
  const chunk = randomBytes(CHUNK);
  const putHash = createHash('sha256');
  const getHash = createHash('sha256');
  try {
    const target = (landlord) => fileTarget({ directory: join(root, landlord), landlord });
    let put;
    let get;
    if (mode === 'plain') {
      const plain = target('bu');
      put = await timed(() => plain.put('object', source(bytes, chunk), { size: bytes }));
      get = await timed(async () => {
        let read = 0;
        for await (const piece of await plain.get('object')) read += piece.byteLength;
        return read;
      });
    } else {
      const store = createSplitStore({ targets: [target('bu'), target('harvard')], threshold: 2 });
      put = await timed(() =>
        store.put('object', source(bytes, chunk, verify ? (piece) => putHash.update(piece) : undefined)),
      );
      get = await timed(async () => {
        let read = 0;
        for await (const segment of (await store.get('object')).body) {
          read += segment.byteLength;
          if (verify) getHash.update(segment);
        }
        return read;
      });
    }
    if (get.result !== bytes) throw new Error(`${mode}: read ${get.result} bytes of ${bytes}`);
    const out = {
      putSeconds: put.seconds,
      getSeconds: get.seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      verified: verify ? putHash.digest('hex') === getHash.digest('hex') : undefined,
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The ceiling: AES-256-GCM alone in node:crypto on this machine (256 MiB in 256 KiB segments, 64 KiB updates). */
function gcmMbps() {
  const key = randomBytes(32);
  const segment = randomBytes(256 * 1024);
  const nonce = Buffer.alloc(12);
  const total = 256 * MiB;
  const started = performance.now();
  for (let index = 0; index < total / segment.length; index += 1) {
    nonce.writeUInt32BE(index, 7);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    for (let at = 0; at < segment.length; at += 64 * 1024) cipher.update(segment.subarray(at, at + 64 * 1024));
    cipher.final();
  }
  return total / 1e6 / ((performance.now() - started) / 1000);
}

function runChild(mode, bytes, verify = false) {
  const result = spawnSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--child', mode, String(bytes), verify ? 'verify' : ''],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    },
  );
  if (result.status !== 0) throw new Error(`bench child ${mode} failed (exit ${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

async function main() {
  await loadSplitStorage(); // fail early, with the build hint
  const mib = Number(process.env.OCX_BENCH_SPLIT_MIB ?? 1024);
  const bytes = mib * MiB;
  const mbps = (seconds) => bytes / 1e6 / seconds;
  const round = (value, digits = 1) => Number(value.toFixed(digits));

  console.log(`split-storage: ${mib} MiB, 2 file-backed targets (2-of-2 xor) vs 1 plain file-backed target`);
  const plain = runChild('plain', bytes);
  console.log(
    `  plain        put ${round(mbps(plain.putSeconds))} MB/s  get ${round(mbps(plain.getSeconds))} MB/s  peak RSS ${round(plain.peakRssMb)} MB`,
  );
  const split = runChild('split', bytes);
  console.log(
    `  split        put ${round(mbps(split.putSeconds))} MB/s  get ${round(mbps(split.getSeconds))} MB/s  peak RSS ${round(split.peakRssMb)} MB`,
  );
  const small = runChild('split', bytes / 4, true);
  const gcm = gcmMbps();
  console.log(`  AES-256-GCM alone (node:crypto, one thread): ${round(gcm)} MB/s`);
  console.log(
    `  split ${mib / 4} MiB (checked)  peak RSS ${round(small.peakRssMb)} MB  bytes back equal: ${small.verified}`,
  );

  const figures = {
    put_mbps: round(mbps(split.putSeconds)),
    get_mbps: round(mbps(split.getSeconds)),
    plain_put_mbps: round(mbps(plain.putSeconds)),
    plain_get_mbps: round(mbps(plain.getSeconds)),
    put_ratio: round(plain.putSeconds / split.putSeconds, 2),
    get_ratio: round(plain.getSeconds / split.getSeconds, 2),
    peak_rss_mb: round(split.peakRssMb),
    small_peak_rss_mb: round(small.peakRssMb),
    plain_peak_rss_mb: round(plain.peakRssMb),
    gcm_mbps: round(gcm),
    object_mib: mib,
    verified: small.verified,
  };
  console.log(
    `RESULT split-storage ${Object.entries(figures)
      .map(([key, value]) => `${key}=${value}`)
      .join(' ')}`,
  );
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main();
