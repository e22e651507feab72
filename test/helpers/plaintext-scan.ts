// Searches directories for marker strings planted in case material, as UTF-8, UTF-16LE and base64, so a test can
// show that no plaintext reached the disk outside the encrypted vault. Shared by the no-plaintext-at-rest tests.
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fresh per run, so no earlier run (or other test) can produce a hit or hide one. */
export function marker(what: string): string {
  return `HDMARK${what}${randomBytes(8).toString('hex').toUpperCase()}`;
}
export const TEMP_ROOTS = [...new Set([tmpdir(), '/var/tmp'])];
/** Larger files are not read (nothing of ours comes near; a parallel benchmark's scratch file might). */
const MAX_SCANNED_FILE_BYTES = 512 * 1024 * 1024;

/** The byte patterns a marker leaves when written as UTF-8, UTF-16LE or base64 (at any of the 3 alignments). */
export function needles(text: string): { form: string; bytes: Buffer }[] {
  const forms = [
    { form: 'utf-8', bytes: Buffer.from(text, 'utf8') },
    { form: 'utf-16le', bytes: Buffer.from(text, 'utf16le') },
  ];
  for (let shift = 0; shift < 3; shift++) {
    // Encode behind `shift` filler bytes, then keep only the characters that depend on the marker alone.
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), Buffer.from(text, 'utf8')]).toString('base64');
    const start = shift === 0 ? 0 : 4;
    const usable = encoded.slice(start, encoded.length - 4);
    forms.push({ form: `base64/${shift}`, bytes: Buffer.from(usable, 'latin1') });
  }
  return forms;
}

export interface ScanResult {
  files: number;
  bytes: number;
  hits: string[];
  roots: string[];
}

/** Every regular file below the roots (symlinks not followed), searched for every marker in every form. */
export function scan(roots: readonly string[], markers: readonly string[]): ScanResult {
  const patterns = markers.flatMap((text) => needles(text).map((needle) => ({ ...needle, text })));
  const result: ScanResult = { files: 0, bytes: 0, hits: [], roots: [...roots] };
  const readWhole = (path: string, size: number): Buffer | null => {
    try {
      const buffer = Buffer.alloc(size);
      const fd = openSync(path, 'r');
      try {
        let read = 0;
        while (read < size) {
          const n = readSync(fd, buffer, read, size - read, read);
          if (n === 0) break;
          read += n;
        }
        return buffer.subarray(0, read);
      } finally {
        closeSync(fd);
      }
    } catch {
      return null; // gone already (another test's scratch file), or not ours to read
    }
  };
  const walk = (path: string) => {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      return;
    }
    if (stat.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(path);
      } catch {
        return;
      }
      for (const name of names) walk(join(path, name));
      return;
    }
    if (!stat.isFile() || stat.size > MAX_SCANNED_FILE_BYTES) return;
    const bytes = readWhole(path, stat.size);
    if (!bytes) return;
    result.files++;
    result.bytes += bytes.length;
    for (const pattern of patterns) {
      if (bytes.includes(pattern.bytes)) result.hits.push(`${path}: ${pattern.text} as ${pattern.form}`);
    }
  };
  for (const root of roots) walk(root);
  return result;
}

export function tempEntries(): Set<string> {
  const entries = new Set<string>();
  for (const root of TEMP_ROOTS) {
    try {
      for (const name of readdirSync(root)) entries.add(join(root, name));
    } catch {
      /* no such temp root here */
    }
  }
  return entries;
}

