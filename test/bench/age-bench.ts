// age throughput: our streaming implementation against typage (age-encryption) and the Go reference CLI,
// file to file through os.tmpdir(), plus our peak RSS while decrypting. Not a test: numbers, no assertions.
//   npx tsx test/bench/age-bench.ts 100        (size in MB)
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as typage from 'age-encryption';
import { decryptStream, encryptStream, generateIdentity } from '../../electron/services/crypto/age';

const run = promisify(execFile);
const MB = 1_000_000;
const READ_CHUNK = 1024 * 1024;
/** typage is measured on at most this much: at ~40 MB/s a gigabyte would dominate the run. */
const TYPAGE_MAX_BYTES = 100 * MB;

function writePayload(path: string, size: number): string {
  const block = randomBytes(READ_CHUNK);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const part = block.subarray(0, Math.min(block.length, size - written));
      block[0] = (block[0]! + 1) & 0xff; // no two blocks alike
      writeSync(fd, part);
      hash.update(part);
      written += part.length;
    }
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const rate = (bytes: number, seconds: number): number => Math.round((bytes / MB / seconds) * 10) / 10;

async function checkSame(expected: string, path: string, who: string): Promise<void> {
  const actual = await sha256File(path);
  if (actual !== expected) throw new Error(`${who} round trip produced different bytes`);
}

export async function benchAge(sizeBytes: number): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'hd-age-bench-'));
  const file = (name: string): string => join(dir, name);
  const keys = generateIdentity();
  const result: Record<string, number | string> = { size_MB: Math.round((sizeBytes / MB) * 10) / 10 };
  try {
    const digest = writePayload(file('plain'), sizeBytes);

    // Ours: file → encryptStream → file, file → decryptStream → file.
    result.ours_encrypt_MBps = rate(
      sizeBytes,
      await timed(() =>
        pipeline(Readable.from(encryptStream(createReadStream(file('plain'), { highWaterMark: READ_CHUNK }), [keys.recipient])), createWriteStream(file('ours.age'))),
      ),
    );
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
    let chunks = 0;
    async function* sampledDecrypt(): AsyncGenerator<Uint8Array> {
      for await (const chunk of decryptStream(createReadStream(file('ours.age'), { highWaterMark: READ_CHUNK }), [keys.identity])) {
        if (++chunks % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        yield chunk;
      }
    }
    try {
      result.ours_decrypt_MBps = rate(sizeBytes, await timed(() => pipeline(Readable.from(sampledDecrypt()), createWriteStream(file('ours.out')))));
    } finally {
      clearInterval(sampler);
    }
    // The same decryption with the output discarded: the crypto and reading alone, without the write path.
    result.ours_decrypt_discard_MBps = rate(
      sizeBytes,
      await timed(async () => {
        for await (const _ of decryptStream(createReadStream(file('ours.age'), { highWaterMark: READ_CHUNK }), [keys.identity])) {
          // discard
        }
      }),
    );
    result.ours_decrypt_rss_before_MB = Math.round(rssBefore / 2 ** 20);
    result.ours_decrypt_peak_rss_MB = Math.round(peakRss / 2 ** 20);
    await checkSame(digest, file('ours.out'), 'our');
    rmSync(file('ours.out'));

    // typage, streaming through web streams, on at most TYPAGE_MAX_BYTES.
    const typageBytes = Math.min(sizeBytes, TYPAGE_MAX_BYTES);
    if (typageBytes < sizeBytes) result.typage_note = `measured on the first ${typageBytes / MB} MB`;
    const typagePlain = typageBytes < sizeBytes ? file('plain-typage') : file('plain');
    const typageDigest = typageBytes < sizeBytes ? writePayload(typagePlain, typageBytes) : digest;
    const encrypter = new typage.Encrypter();
    encrypter.addRecipient(keys.recipient);
    const decrypter = new typage.Decrypter();
    decrypter.addIdentity(keys.identity);
    const webFile = (path: string) => Readable.toWeb(createReadStream(path, { highWaterMark: READ_CHUNK })) as ReadableStream<Uint8Array>;
    const webSink = (path: string) => Writable.toWeb(createWriteStream(path)) as WritableStream<Uint8Array>;
    result.typage_encrypt_MBps = rate(typageBytes, await timed(async () => (await encrypter.encrypt(webFile(typagePlain))).pipeTo(webSink(file('typage.age')))));
    result.typage_decrypt_MBps = rate(typageBytes, await timed(async () => (await decrypter.decrypt(webFile(file('typage.age')))).pipeTo(webSink(file('typage.out')))));
    await checkSame(typageDigest, file('typage.out'), 'typage');
    rmSync(file('typage.out'));
    rmSync(file('typage.age'));

    // The Go reference CLI.
    writeFileSync(file('key.txt'), `${keys.identity}\n`, { mode: 0o600 });
    try {
      result.go_age_encrypt_MBps = rate(sizeBytes, await timed(() => run('age', ['-r', keys.recipient, '-o', file('go.age'), file('plain')])));
      result.go_age_decrypt_MBps = rate(sizeBytes, await timed(() => run('age', ['-d', '-i', file('key.txt'), '-o', file('go.out'), file('go.age')])));
      await checkSame(digest, file('go.out'), 'Go age');
    } catch (error) {
      result.go_age_note = `not measured: ${(error as Error).message.split('\n')[0]}`;
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizeMb = Number(process.argv[2] ?? '100');
  if (!(sizeMb > 0)) {
    console.error('usage: npx tsx test/bench/age-bench.ts <size in MB>');
    process.exit(2);
  }
  benchAge(Math.round(sizeMb * MB)).then(
    (result) => {
      const width = Math.max(...Object.keys(result).map((key) => key.length));
      for (const [key, value] of Object.entries(result)) console.log(`${key.padEnd(width)}  ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
