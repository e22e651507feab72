import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory under the OS temp dir, removed by the returned cleanup. */
export function tempDir(prefix = 'hd-test-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Every file below a directory whose bytes contain the marker (as UTF-8 or UTF-16LE). */
export function filesContaining(directory: string, marker: string): string[] {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else if (needles.some((needle) => readFileSync(path).includes(needle))) hits.push(path);
    }
  };
  walk(directory);
  return hits;
}

/** Cheap scrypt for tests that create many vaults; the default cost is exercised in vault.test.ts. */
export const TEST_SCRYPT = { logN: 12, r: 8, p: 1 } as const;
