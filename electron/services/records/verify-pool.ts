// Runs the ledger's verify step (package-verify.ts) for a large batch on several cores: a few worker threads, each
// given the office's X25519 secret and a snapshot of the published criteria for the batch, fed small chunks of files
// on demand. Storing stays with the ledger on the main thread; this only turns files into PackageChecks, in input
// order. Workers outlive a batch by a few seconds (idle, unreferenced, holding no secret), so back-to-back batches
// run on warm threads instead of paying each thread's start and compilation again.
//
// The secret crosses to each worker per batch as a transferred Uint8Array copy that the worker zeroes once it has
// rebuilt the identity, and the worker drops the identity when the batch ends; the main thread's copy is zeroed when
// the batch ends. It is never logged or written anywhere.
//
// A worker that dies (crash, out of memory) loses nothing: results only count once they arrive, and nothing is
// stored until every file has one. The chunk it was working on is retried one file at a time in fresh workers, so
// the files that merely shared a chunk with the culprit are checked normally; a file that kills a worker on its own
// is refused as 'verify-worker-failed'. It is never retried on the main thread: input that kills a thread must not
// get a chance at the process holding the open vault.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/errors';
import { encodeIdentity } from '../crypto/age-keys';
import {
  checkPackageFile,
  criteriaLookupOf,
  deserializeError,
  serializeError,
  type CheckedPackage,
  type PackageCheck,
  type PublishedCriteriaEntry,
  type SerializedError,
  type VerifyOptions,
} from './package-verify';

/** Below this many files a batch is verified on the calling thread: starting workers costs about 50 ms each. */
export const MIN_POOLED_FILES = 64;
export const MAX_VERIFY_WORKERS = 8;
/** Files per message. Small, so the cores finish together and a crash puts few files in doubt. */
const CHUNK_FILES = 4;
/** Chunks queued at each worker, so it never waits for the next one. */
const CHUNKS_IN_FLIGHT = 2;

/** How to start a verify worker: a script and the Node options it needs. */
export interface VerifyWorkerEntry {
  script: string | URL;
  execArgv: string[];
}

/**
 * The worker script for wherever this code runs, or null when there is none (then batches verify in-thread).
 * - Built (dist/main/main.cjs in the app, also inside app.asar; dist/cli/hearing-desk.cjs): __filename is the bundle,
 *   and scripts/build.mjs puts verify-worker.cjs beside each. Electron starts workers from inside app.asar since
 *   Electron 18 (electron/electron#33216), so the script stays in the integrity-checked archive.
 * - Sources under vitest: vite-node gives modules a __filename, this .ts file; the .ts entry runs through tsx, so tests
 *   exercise the code as it is, never a stale build.
 * - Plain ESM (tsx, or an esm bundle) has no __filename: no pool unless the caller names an entry.
 */
export function defaultVerifyWorkerEntry(): VerifyWorkerEntry | null {
  const here = typeof __filename === 'string' ? __filename : null;
  if (!here) return null;
  if (here.endsWith('.cjs')) {
    const script = join(dirname(here), 'verify-worker.cjs');
    return existsSync(script) ? { script, execArgv: [] } : null;
  }
  if (here.endsWith('.ts')) return { script: join(dirname(here), 'verify-worker.ts'), execArgv: ['--import', 'tsx'] };
  return null;
}

/** Workers for a batch of `files`: one per core, no more than the files or `maxWorkers`. 1 means in-thread. */
export function verifyPoolSize(files: number, maxWorkers = MAX_VERIFY_WORKERS): number {
  return Math.max(1, Math.min(availableParallelism(), files, maxWorkers));
}

// --- the protocol -------------------------------------------------------------------------------------------------

interface VerifyBatch {
  /** The office's X25519 secret (32 bytes), transferred; the worker zeroes it. */
  secret: Uint8Array;
  criteria: PublishedCriteriaEntry[];
  options: VerifyOptions;
}

type SerializedCheck = { ok: true; checked: CheckedPackage; letterError: SerializedError | null } | { ok: false; error: SerializedError };

type ToWorker = ({ type: 'batch' } & VerifyBatch) | { type: 'check'; files: { index: number; bytes: Uint8Array }[] } | { type: 'end' };
type FromWorker = { type: 'ready' } | { type: 'checked'; results: { index: number; check: SerializedCheck }[] };

/** The parent side of a worker's message port (a parameter so a test entry can wrap it). */
export interface VerifyWorkerPort {
  on(event: 'message', listener: (message: unknown) => void): unknown;
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
}

/**
 * The worker's side: for each batch, rebuild the identity from its secret (then zero it), answer each chunk in turn,
 * and drop the identity at the batch's end. Messages are handled strictly in arrival order. Called by verify-worker.ts.
 */
export function serveVerifyRequests(port: VerifyWorkerPort): void {
  let batch: { ageIdentity: string; lookup: ReturnType<typeof criteriaLookupOf>; options: VerifyOptions } | null = null;
  let previous: Promise<void> = Promise.resolve();
  port.on('message', (received) => {
    const message = received as ToWorker;
    previous = previous.then(async () => {
      if (message.type === 'batch') {
        const ageIdentity = encodeIdentity(message.secret);
        message.secret.fill(0);
        batch = { ageIdentity, lookup: criteriaLookupOf(message.criteria), options: message.options };
        port.postMessage({ type: 'ready' } satisfies FromWorker);
        return;
      }
      if (message.type === 'end') {
        batch = null;
        return;
      }
      if (!batch) return; // cannot happen: chunks are sent only after the batch's 'ready'
      const results: { index: number; check: SerializedCheck }[] = [];
      const transfer: ArrayBuffer[] = [];
      for (const file of message.files) {
        const check = await checkPackageFile(file.bytes, batch.ageIdentity, batch.lookup, batch.options);
        results.push({ index: file.index, check: serializeCheck(check) });
        if (check.ok && ownsWholeBuffer(check.checked.letterPdf)) transfer.push(check.checked.letterPdf.buffer as ArrayBuffer);
      }
      port.postMessage({ type: 'checked', results } satisfies FromWorker, transfer);
    });
  });
}

function serializeCheck(check: PackageCheck): SerializedCheck {
  if (!check.ok) return { ok: false, error: serializeError(check.error) };
  return { ok: true, checked: check.checked, letterError: check.letterError ? serializeError(check.letterError) : null };
}

function deserializeCheck(check: SerializedCheck): PackageCheck {
  if (!check.ok) return { ok: false, error: deserializeError(check.error) };
  return { ok: true, checked: check.checked, letterError: check.letterError ? (deserializeError(check.letterError) as AppError) : null };
}

function ownsWholeBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

// --- the parent side ----------------------------------------------------------------------------------------------

export interface VerifyPoolInput {
  files: readonly Uint8Array[];
  /** The office's X25519 secret; the caller zeroes it afterwards. */
  secret: Uint8Array;
  criteria: PublishedCriteriaEntry[];
  options: VerifyOptions;
  workers: number;
  entry: VerifyWorkerEntry;
}

function workerFailed(reason: string): AppError {
  return new AppError(
    'verify-worker-failed',
    `This package could not be checked: the verification thread stopped while checking it (${reason}). Nothing from it was stored.`,
    { reason },
  );
}

/** How long a worker waits, idle and holding no secret, for the next batch before it is stopped. */
const IDLE_WORKER_MS = 5_000;
const idleWorkers: { key: string; worker: Worker }[] = [];
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function entryKey(entry: VerifyWorkerEntry): string {
  return `${String(entry.script)}\u0000${entry.execArgv.join('\u0000')}`;
}

/** Workers waiting for the next batch (for tests and diagnostics). */
export function idleVerifyWorkerCount(): number {
  return idleWorkers.length;
}

/** A warm idle worker for this entry, or a new one. */
function takeWorker(entry: VerifyWorkerEntry): Worker {
  const key = entryKey(entry);
  const found = idleWorkers.findIndex((idle) => idle.key === key);
  if (found !== -1) {
    const [{ worker }] = idleWorkers.splice(found, 1) as [{ key: string; worker: Worker }];
    worker.ref();
    return worker;
  }
  const worker = new Worker(entry.script, { execArgv: entry.execArgv });
  // However the worker ends, it is no longer idle.
  worker.on('exit', () => {
    const at = idleWorkers.findIndex((idle) => idle.worker === worker);
    if (at !== -1) idleWorkers.splice(at, 1);
  });
  return worker;
}

/** Keeps a worker that finished a batch cleanly for the next one, for a few seconds; it keeps no process alive. */
function returnWorker(entry: VerifyWorkerEntry, worker: Worker): void {
  worker.postMessage({ type: 'end' } satisfies ToWorker);
  worker.unref();
  idleWorkers.push({ key: entryKey(entry), worker });
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    for (const { worker: idle } of idleWorkers.splice(0)) void idle.terminate();
  }, IDLE_WORKER_MS);
  idleTimer.unref();
}

/** Verifies every file in worker threads; the checks come back in input order, one per file. */
export function runVerifyPool(input: VerifyPoolInput): Promise<PackageCheck[]> {
  const { files, entry } = input;
  const results: (PackageCheck | undefined)[] = new Array(files.length);
  let remaining = files.length;
  const queue: number[][] = [];
  for (let start = 0; start < files.length; start += CHUNK_FILES) {
    queue.push(Array.from({ length: Math.min(CHUNK_FILES, files.length - start) }, (_, offset) => start + offset));
  }
  /** Files that were in a chunk a worker died on, checked alone next. */
  const suspects: number[] = [];
  // A crash costs one respawn; past this many the pool stops (a worker that cannot even start would loop forever).
  let respawns = input.workers + 4;
  /** Live workers and how to take this batch's listeners off them. */
  const running = new Map<Worker, () => void>();
  /** Each live worker's feed: work a dead worker hands back is picked up by every idle one. */
  const feeders = new Set<() => void>();
  let settled = false;

  return new Promise<PackageCheck[]>((resolve, reject) => {
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      // After a clean batch every worker has answered everything it was sent: it is idle and can be reused.
      for (const [worker, detach] of running) {
        detach();
        if (error === undefined) returnWorker(entry, worker);
        else void worker.terminate();
      }
      running.clear();
      feeders.clear();
      if (error !== undefined) reject(error);
      else resolve(results as PackageCheck[]);
    };

    const record = (index: number, check: PackageCheck) => {
      if (results[index] !== undefined) return;
      results[index] = check;
      remaining--;
    };

    const nextChunk = (): number[] | undefined => {
      const suspect = suspects.shift();
      return suspect === undefined ? queue.shift() : [suspect];
    };

    const start = () => {
      const worker = takeWorker(entry);
      const secret = Uint8Array.from(input.secret);
      worker.postMessage({ type: 'batch', secret, criteria: input.criteria, options: input.options } satisfies ToWorker, [secret.buffer as ArrayBuffer]);
      const inFlight: number[][] = [];
      let ready = false;
      let failure = '';

      const feed = () => {
        while (ready && !settled && inFlight.length < CHUNKS_IN_FLIGHT) {
          const chunk = nextChunk();
          if (!chunk) return;
          inFlight.push(chunk);
          // Copies, transferred: the caller's buffers stay as they were, and each file crosses once.
          const copies = chunk.map((index) => ({ index, bytes: new Uint8Array(files[index]!) }));
          worker.postMessage({ type: 'check', files: copies } satisfies ToWorker, copies.map((copy) => copy.bytes.buffer));
        }
      };
      feeders.add(feed);

      const onMessage = (message: FromWorker) => {
        if (settled) return;
        if (message.type === 'ready') {
          ready = true;
          return feed();
        }
        inFlight.shift();
        for (const { index, check } of message.results) record(index, deserializeCheck(check));
        if (remaining === 0) return finish();
        feed();
      };
      const onError = (error: unknown) => {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      };
      const onExit = (code: number) => {
        running.delete(worker);
        feeders.delete(feed);
        if (settled) return;
        const reason = failure || `exit code ${code}`;
        // The oldest chunk is the one the worker was checking; the others were only waiting in its queue.
        const [current, ...waiting] = inFlight;
        for (const chunk of waiting.reverse()) queue.unshift(chunk);
        if (current?.length === 1) record(current[0]!, { ok: false, error: workerFailed(reason) });
        else if (current) suspects.push(...current);
        if (remaining === 0) return finish();
        if (queue.length + suspects.length === 0) return; // the live workers hold the rest
        if (respawns > 0) {
          respawns--;
          try {
            start();
          } catch (error) {
            return finish(error);
          }
        } else if (running.size === 0) {
          for (let index = 0; index < files.length; index++) record(index, { ok: false, error: workerFailed(reason) });
          return finish();
        }
        for (const other of feeders) other();
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      running.set(worker, () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      });
    };

    try {
      for (let count = 0; count < input.workers; count++) start();
    } catch (error) {
      finish(error);
    }
  });
}
