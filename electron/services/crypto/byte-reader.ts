// A pull-based reader over a stream of byte chunks of any sizes. It holds at most one source chunk at a time,
// so memory stays bounded by the largest chunk the source yields, whatever the total size.

/** Anything bytes can come from: one buffer, a list of buffers, or an async stream such as a Node Readable. */
export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

const EMPTY = new Uint8Array(0);
const NEWLINE = 0x0a;

export interface LineRead {
  /** The bytes read, including the final newline if one was found. */
  bytes: Uint8Array;
  /** The reader reached the end of the source before a newline. */
  endOfSource: boolean;
  /** maxBytes were read without meeting a newline. */
  tooLong: boolean;
}

function iteratorOf(source: ByteSource): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
  if (source instanceof Uint8Array) return [source][Symbol.iterator]();
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  return (source as Iterable<Uint8Array>)[Symbol.iterator]();
}

export class ByteReader {
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  private pending: Uint8Array = EMPTY;
  private sourceDone = false;
  /** Bytes handed out so far (the offset of the next byte in the whole stream). */
  position = 0;

  constructor(source: ByteSource) {
    this.iterator = iteratorOf(source);
  }

  /** Makes sure at least one byte is pending; false once the source is exhausted. */
  private async fill(): Promise<boolean> {
    while (this.pending.length === 0) {
      if (this.sourceDone) return false;
      const next = await this.iterator.next();
      if (next.done) {
        this.sourceDone = true;
        return false;
      }
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('A byte source must yield Uint8Array chunks (is a stream set to a text encoding?).');
      }
      this.pending = chunk;
    }
    return true;
  }

  private take(count: number): Uint8Array {
    const view = this.pending.subarray(0, count);
    this.pending = this.pending.subarray(count);
    this.position += count;
    return view;
  }

  /** Reads through the next newline, never more than maxBytes. The result is a copy the caller owns. */
  async readLine(maxBytes: number): Promise<LineRead> {
    const parts: Uint8Array[] = [];
    let length = 0;
    while (length < maxBytes) {
      if (!(await this.fill())) return { bytes: concat(parts, length), endOfSource: true, tooLong: false };
      const budget = Math.min(this.pending.length, maxBytes - length);
      const newline = this.pending.subarray(0, budget).indexOf(NEWLINE);
      const part = this.take(newline === -1 ? budget : newline + 1);
      parts.push(part);
      length += part.length;
      if (newline !== -1) return { bytes: concat(parts, length), endOfSource: false, tooLong: false };
    }
    return { bytes: concat(parts, length), endOfSource: false, tooLong: true };
  }

  /** Copies bytes into target[offset…] until it is full or the source ends; returns how many were copied. */
  async readInto(target: Uint8Array, offset = 0): Promise<number> {
    let written = offset;
    while (written < target.length && (await this.fill())) {
      const part = this.take(Math.min(this.pending.length, target.length - written));
      target.set(part, written);
      written += part.length;
    }
    return written - offset;
  }

  /**
   * Returns between 1 and maxBytes bytes without copying, or null at the end of the source.
   * The view aliases the source's chunk: it stays valid only as long as the source does not reuse that chunk.
   */
  async readUpTo(maxBytes: number): Promise<Uint8Array | null> {
    if (maxBytes <= 0) return EMPTY;
    if (!(await this.fill())) return null;
    return this.take(Math.min(this.pending.length, maxBytes));
  }

  async atEnd(): Promise<boolean> {
    return !(await this.fill());
  }

  /** Releases the source (closes a file stream, stops an upstream generator). Safe to call more than once. */
  async close(): Promise<void> {
    this.pending = EMPTY;
    if (this.sourceDone) return;
    this.sourceDone = true;
    await this.iterator.return?.();
  }
}

export function concat(parts: readonly Uint8Array[], totalLength?: number): Uint8Array {
  const length = totalLength ?? parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Collects a whole stream into one buffer: only for data already known to be small. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return concat(parts);
}
