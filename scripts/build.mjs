// Builds everything the app and the tests run: the renderer (Vite), the main process, the preload and the
// command line (esbuild). Native modules stay external: they load their prebuilt N-API binaries at run time.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { existsSync } from 'node:fs';

const started = Date.now();
const nativeAndShell = ['electron', 'better-sqlite3-multiple-ciphers', 'sodium-native'];
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: false, logLevel: 'warning', legalComments: 'none' };

await viteBuild({ configFile: 'vite.config.ts', logLevel: 'warn' });

const jobs = [
  esbuild({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/main/main.cjs', external: nativeAndShell }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  esbuild({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/main/preload.cjs', external: ['electron'] }),
  // The ledger's verify worker threads, started from beside the bundle that runs the ledger (verify-pool.ts).
  esbuild({ ...common, entryPoints: ['electron/services/records/verify-worker.ts'], outfile: 'dist/main/verify-worker.cjs', external: nativeAndShell }),
];
if (existsSync('electron/cli/hearing-desk.ts')) {
  jobs.push(
    esbuild({ ...common, entryPoints: ['electron/cli/hearing-desk.ts'], outfile: 'dist/cli/hearing-desk.cjs', external: nativeAndShell, banner: { js: '#!/usr/bin/env node' } }),
    esbuild({ ...common, entryPoints: ['electron/services/records/verify-worker.ts'], outfile: 'dist/cli/verify-worker.cjs', external: nativeAndShell }),
  );
}
if (existsSync('test/e2e/bridge-entry.ts')) {
  // The e2e harness's stand-in for the preload: the same buildBridgeApi, wired to a Playwright binding.
  jobs.push(esbuild({ ...common, platform: 'browser', format: 'iife', target: 'chrome140', entryPoints: ['test/e2e/bridge-entry.ts'], outfile: 'dist/test/bridge.js' }));
}
await Promise.all(jobs);
console.log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
