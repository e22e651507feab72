// Reading a file the user chose in a native picker (a draft, a declaration, a signature, criteria…): whole, but never
// one far larger than its kind can be, and never one that changes while it is read. Shared by the handler modules.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../shared/errors';

export class ChosenFileError extends AppError {
  constructor(code: 'file-too-large' | 'file-unreadable', message: string) {
    super(code, message);
    this.name = 'AppError';
  }
}

/** Reads a chosen file whole, refusing one over `limit` bytes before reading any of it (and one that grows meanwhile). */
export function readChosenFile(path: string, limit: number, what: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new ChosenFileError('file-unreadable', `${basename(path)} could not be opened. Check the file is still there and try again.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ChosenFileError('file-unreadable', `${basename(path)} is not a file.`);
    if (stat.size > limit) {
      throw new ChosenFileError('file-too-large', `${basename(path)} is ${stat.size} bytes, far larger than any ${what} (at most ${limit}). It was not read.`);
    }
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > stat.size) throw new ChosenFileError('file-unreadable', `${basename(path)} changed while it was being read. Try again once it is complete.`);
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } finally {
    closeSync(fd);
  }
}
