// `npm run soak`: the crash-safety tests with many more kills than CI runs (HD_CRASH_ITERATIONS, default 200 per
// file), one file at a time so kill timing is not distorted by other work, then the totals each file reported.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const iterations = process.env.HD_CRASH_ITERATIONS ?? '200';
const directory = join('test', 'integration', 'crash');
const files = readdirSync(directory).filter((name) => name.endsWith('.test.ts')).sort().map((name) => join(directory, name));
// Each crash test's timeout scales with HD_CRASH_ITERATIONS, so no file needs a cap.
const CAPPED = {};
const summaries = [];
let failed = 0;
const started = Date.now();
for (const file of files) {
  const cap = CAPPED[file.split(/[\\/]/).pop()];
  const kills = cap === undefined ? iterations : String(Math.min(Number(iterations), cap));
  console.log(`soak: ${file} with ${kills} kills${kills === iterations ? '' : ' (capped by its fixed test timeout)'}`);
  const run = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', file], {
    env: { ...process.env, HD_CRASH_ITERATIONS: kills },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  const summary = (run.stdout ?? '').split('\n').filter((line) => /^crash-[a-z]+: /.test(line));
  summaries.push(...(summary.length > 0 ? summary : [`${file}: no summary printed`]));
  if (run.status !== 0) failed++;
}
console.log(`\nsoak totals (${iterations} kills per file unless capped, ${Math.round((Date.now() - started) / 1000)} s):`);
for (const line of summaries) console.log(`  ${line}`);
console.log(failed === 0 ? `  all ${files.length} files passed` : `  ${failed} of ${files.length} files FAILED`);
process.exit(failed === 0 ? 0 : 1);
