// Input and output for commands: a file or stdin in, a file or stdout out. A file output is written to a
// temporary sibling and renamed over the target only once the command has succeeded, so a failed decryption
// never leaves partial plaintext behind (the temporary file is deleted, also on Ctrl-C or kill).
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { fsyncDirectory } from '../services/atomic-file';
import { systemErrorWords, type CliIo } from './framework';

/** "-" or nothing means standard input / standard output, as for age. */
export function isStandardStream(path: string | undefined): path is undefined | '-' {
  return path === undefined || path === '-';
}

function systemWords(error: unknown): string {
  return systemErrorWords(error) ?? (error instanceof Error ? error.message : String(error));
}

// --- input --------------------------------------------------------------------------------------------------

export interface Input {
  /** For messages: the path, or "standard input". */
  name: string;
  source: AsyncIterable<Uint8Array>;
  /** Size in bytes for a regular file, null for a stream. */
  size: number | null;
  close(): Promise<void>;
}

const READ_CHUNK_BYTES = 1024 * 1024;

export async function openInput(io: CliIo, path: string | undefined): Promise<Input> {
  if (isStandardStream(path)) {
    return { name: 'standard input', source: io.stdin, size: null, close: async () => undefined };
  }
  return openFileInput(path);
}

export async function openFileInput(path: string): Promise<Input> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new AppError('input-unreadable', `Cannot read ${path}: ${systemWords(error)}.`);
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new AppError('input-unreadable', `Cannot read ${path}: it is a directory.`);
  }
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES, autoClose: true });
  return {
    name: path,
    source: stream,
    size: stat.isFile() ? stat.size : null,
    close: async () => {
      if (!stream.destroyed) stream.destroy();
      await new Promise<void>((done) => (stream.closed ? done() : stream.once('close', () => done())));
    },
  };
}

// --- output -------------------------------------------------------------------------------------------------

export interface Output {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the output final: for a file, flushes, syncs and renames it into place. */
  commit(): Promise<void>;
  /** Throws away what was written (for a file: deletes the temporary file; the target is untouched). */
  abandon(): Promise<void>;
}

export interface OutputOptions {
  /** Permissions of a new file (before the umask): 0o600 for anything secret or plaintext. */
  mode: number;
  /** Refuse to write to a terminal, as age does for binary output, with this explanation. */
  refuseTerminal?: string;
}

const pendingTemporaryFiles = new Set<string>();
let cleanupInstalled = false;

/** Deletes unfinished temporary outputs however the process ends (a signal's default action would skip `finally`). */
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const removeAll = () => {
    for (const path of pendingTemporaryFiles) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    pendingTemporaryFiles.clear();
  };
  process.on('exit', removeAll);
  const signals: [NodeJS.Signals, number][] = [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]];
  for (const [signal, number] of signals) {
    process.on(signal, () => {
      removeAll();
      process.exit(128 + number);
    });
  }
}

function stdoutOutput(io: CliIo, options: OutputOptions): Output {
  if (options.refuseTerminal && io.stdoutIsTTY) {
    throw new AppError('output-is-terminal', options.refuseTerminal);
  }
  const stdout = io.stdout;
  let failure: unknown = null;
  // Without a listener, a closed pipe (EPIPE) would be an uncaught 'error' event; it is reported on the next write.
  const onError = (error: unknown) => (failure ??= error);
  stdout.on('error', onError);
  const waitForDrain = () =>
    new Promise<void>((done, fail) => {
      const cleanup = () => {
        stdout.off('drain', drained);
        stdout.off('error', failed);
      };
      const drained = () => (cleanup(), done());
      const failed = (error: unknown) => (cleanup(), fail(error));
      stdout.once('drain', drained);
      stdout.once('error', failed);
    });
  return {
    async write(chunk) {
      if (failure) throw failure;
      if (!stdout.write(chunk)) await waitForDrain();
    },
    async commit() {
      stdout.off('error', onError);
      if (failure) throw failure;
    },
    async abandon() {
      stdout.off('error', onError);
    },
  };
}

const WRITE_BATCH_BYTES = 1024 * 1024;

async function fileOutput(target: string, options: OutputOptions): Promise<Output> {
  const absolute = resolve(target);
  const temporary = join(dirname(absolute), `.${basename(absolute)}.${randomBytes(6).toString('hex')}.partial`);
  installCleanup();
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx', options.mode);
  } catch (error) {
    throw new AppError('output-unwritable', `Cannot write ${target}: ${systemWords(error)}.`);
  }
  pendingTemporaryFiles.add(temporary);
  // Batches the 64 KiB age chunks into larger writes: far fewer system calls on a 1 GB file.
  const batch = Buffer.allocUnsafe(WRITE_BATCH_BYTES);
  let batched = 0;
  let handleOpen = true;
  const writeFully = async (bytes: Uint8Array) => {
    let offset = 0;
    while (offset < bytes.length) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
  };
  const flush = async () => {
    if (batched > 0) await writeFully(batch.subarray(0, batched));
    batched = 0;
  };
  const closeHandle = async () => {
    if (!handleOpen) return;
    handleOpen = false;
    await handle.close();
  };
  const abandon = async () => {
    batch.fill(0);
    try {
      await closeHandle();
    } catch {
      // closing a file we are about to delete may fail harmlessly
    }
    await unlink(temporary).catch(() => undefined);
    pendingTemporaryFiles.delete(temporary);
  };
  return {
    async write(chunk) {
      if (chunk.length >= WRITE_BATCH_BYTES) {
        await flush();
        await writeFully(chunk);
        return;
      }
      if (batched + chunk.length > WRITE_BATCH_BYTES) await flush();
      batch.set(chunk, batched);
      batched += chunk.length;
    },
    async commit() {
      try {
        await flush();
        await handle.sync();
        await closeHandle();
        await rename(temporary, absolute);
      } catch (error) {
        await abandon();
        if (error instanceof AppError) throw error;
        throw new AppError('output-unwritable', `Cannot write ${target}: ${systemWords(error)}.`);
      } finally {
        batch.fill(0);
      }
      pendingTemporaryFiles.delete(temporary);
      fsyncDirectory(dirname(absolute));
    },
    abandon,
  };
}

/** Opens the output early (before any passphrase prompt or expensive work) so a bad -o fails at once. */
export async function openOutput(io: CliIo, path: string | undefined, options: OutputOptions): Promise<Output> {
  return isStandardStream(path) ? stdoutOutput(io, options) : fileOutput(path, options);
}

/** Writes every chunk, then commits; on any failure abandons the output and rethrows. */
export async function writeAllTo(output: Output, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<void> {
  try {
    for await (const chunk of chunks) await output.write(chunk);
    await output.commit();
  } catch (error) {
    await output.abandon();
    throw error;
  }
}

/** Writes a small text file that must not already exist, readable only by its owner (secret keys). */
export async function writeNewPrivateFile(path: string, text: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new AppError('output-exists', `${path} already exists and was left unchanged: choose another name or remove it first.`);
    }
    throw new AppError('output-unwritable', `Cannot write ${path}: ${systemWords(error)}.`);
  }
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw new AppError('output-unwritable', `Cannot write ${path}: ${systemWords(error)}.`);
  }
  await handle.close();
}

/** Writes text to a file (replacing it atomically) or to stdout. */
export async function writeText(io: CliIo, path: string | undefined, text: string, mode: number): Promise<void> {
  const output = await openOutput(io, path, { mode });
  await writeAllTo(output, [Buffer.from(text, 'utf8')]);
}
