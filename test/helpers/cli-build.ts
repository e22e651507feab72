// The command line built from the current sources, with the options scripts/build.mjs uses for
// dist/cli/hearing-desk.cjs, into a test's own location: independent of the rest of the tree building.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { build } from 'esbuild';

export async function buildCliInto(outfile: string): Promise<void> {
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: ['electron/cli/hearing-desk.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    logLevel: 'warning',
    legalComments: 'none',
    external: ['electron', 'better-sqlite3-multiple-ciphers', 'sodium-native'],
    banner: { js: '#!/usr/bin/env node' },
  });
}
