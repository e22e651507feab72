// The bundle payload: a flat sequence of named entries, streamed in order, inside a sealed envelope.
//
//   container := MAGIC entry* end
//   entry     := u32be(headerLength) header(JSON: {"name","size"}) body(size bytes)
//   end       := an entry named "end" with size 0
//
// The manifest comes first, so a recipient can check the clerk's signature and then each document's hash as it
// arrives. Names are fixed shapes ("manifest.json", "index.pdf", "documents/<id>.pdf"): nothing is a file path.
import { AppError } from '../../../shared/errors';
import { ByteReader, type ByteSource } from '../crypto/byte-reader';

export const CONTAINER_MAGIC = new TextEncoder().encode('hearing-desk container v1\n');
const MAX_HEADER_BYTES = 4096;
const ENTRY_NAME = /^(manifest\.json|index\.pdf|end|documents\/[a-z0-9][a-z0-9-]{0,63}\.pdf)$/;

export class ContainerError extends AppError {
  constructor(code: 'container-malformed' | 'container-truncated' | 'container-path', message: string) {
    super(code, message);
  }
}

export interface ContainerEntrySource {
  name: string;
  size: number;
  body: () => ByteSource;
}

function entryHeader(name: string, size: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ name, size }));
  const out = new Uint8Array(4 + json.length);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  return out;
}

export function containerLength(entries: readonly { name: string; size: number }[]): number {
  let total = CONTAINER_MAGIC.length + entryHeader('end', 0).length;
  for (const entry of entries) total += entryHeader(entry.name, entry.size).length + entry.size;
  return total;
}

export async function* writeContainer(entries: readonly ContainerEntrySource[]): AsyncGenerator<Uint8Array> {
  yield CONTAINER_MAGIC;
  for (const entry of entries) {
    if (!ENTRY_NAME.test(entry.name)) throw new ContainerError('container-path', `Entry name not allowed: ${entry.name}`);
    yield entryHeader(entry.name, entry.size);
    let written = 0;
    const reader = new ByteReader(entry.body());
    for (;;) {
      const part = await reader.readUpTo(1 << 20);
      if (!part) break;
      written += part.length;
      yield part;
    }
    if (written !== entry.size) throw new ContainerError('container-malformed', `Entry ${entry.name} was ${written} bytes, declared ${entry.size}.`);
  }
  yield entryHeader('end', 0);
}

export interface ContainerEntry {
  name: string;
  size: number;
  /** The entry's bytes; must be consumed (or skipped with `skip`) before asking for the next entry. */
  body: AsyncIterable<Uint8Array>;
}

export interface ContainerLimits {
  maxEntryBytes: number;
  maxEntries: number;
}

/** Reads entries in order, refusing odd names, absurd sizes and anything after the end marker. */
export async function* readContainer(source: ByteSource, limits: ContainerLimits): AsyncGenerator<ContainerEntry> {
  const reader = new ByteReader(source);
  const magic = new Uint8Array(CONTAINER_MAGIC.length);
  if ((await reader.readInto(magic)) !== magic.length || !magic.every((b, i) => b === CONTAINER_MAGIC[i])) {
    throw new ContainerError('container-malformed', 'The bundle contents are not in the expected layout.');
  }
  let count = 0;
  for (;;) {
    const lengthBytes = new Uint8Array(4);
    if ((await reader.readInto(lengthBytes)) !== 4) throw new ContainerError('container-truncated', 'The bundle contents end early.');
    const headerLength = new DataView(lengthBytes.buffer).getUint32(0);
    if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw new ContainerError('container-malformed', 'A bundle entry header is malformed.');
    const headerBytes = new Uint8Array(headerLength);
    if ((await reader.readInto(headerBytes)) !== headerLength) throw new ContainerError('container-truncated', 'The bundle contents end early.');
    let header: { name?: unknown; size?: unknown };
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
    } catch {
      throw new ContainerError('container-malformed', 'A bundle entry header is not readable.');
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      throw new ContainerError('container-malformed', 'A bundle entry header is malformed.');
    }
    const { name, size } = header;
    if (typeof name !== 'string' || !ENTRY_NAME.test(name)) {
      throw new ContainerError('container-path', `The bundle names an entry outside its layout (${JSON.stringify(String(name)).slice(0, 80)}).`);
    }
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0 || size > limits.maxEntryBytes) {
      throw new ContainerError('container-malformed', `The bundle declares an absurd size for ${name}.`);
    }
    if (name === 'end') {
      if (size !== 0 || !(await reader.atEnd())) throw new ContainerError('container-malformed', 'The bundle has data after its end marker.');
      return;
    }
    if (++count > limits.maxEntries) throw new ContainerError('container-malformed', 'The bundle has too many entries.');
    let remaining = size;
    const body = (async function* () {
      while (remaining > 0) {
        const part = await reader.readUpTo(Math.min(remaining, 1 << 20));
        if (!part) throw new ContainerError('container-truncated', `The bundle ends inside ${name}.`);
        remaining -= part.length;
        yield part;
      }
    })();
    yield { name, size, body };
    // Drain whatever the consumer did not read, so the next header is where we expect it.
    for await (const _ of body) { /* skip */ }
  }
}
