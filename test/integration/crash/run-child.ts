// Shared by the crash tests: runs crash-child.ts in a real child process and SIGKILLs it at a chosen moment.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { TEST_PASSPHRASE } from '../../helpers/people';

const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
const BUILT_DIR = resolve(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache', 'hd-crash-children');
const built = new Map<string, string>();

/**
 * The command line that runs a child script. Each script is bundled into plain JavaScript (packages stay external, so
 * the same SQLCipher addon and libsodium load), named by its content so parallel test processes share one file:
 * starting it then takes about 0.25 s instead of tsx's 0.65 s of transforming on every start, which is what lets a
 * crash test afford many kills.
 */
export function childCommand(entry: string): string[] {
  let script = built.get(entry);
  if (!script) {
    const output = buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', packages: 'external', write: false, outfile: 'child.mjs', logLevel: 'warning' });
    const code = output.outputFiles[0]!.contents;
    script = resolve(BUILT_DIR, `${basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(script)) {
      mkdirSync(BUILT_DIR, { recursive: true });
      const partial = `${script}.${process.pid}.partial`;
      writeFileSync(partial, code);
      renameSync(partial, script);
    }
    built.set(entry, script);
  }
  return [script];
}

/** Kills per test file: small in CI, large under `npm run soak`. */
export function crashIterations(ciDefault: number): number {
  const value = Number(process.env.HD_CRASH_ITERATIONS ?? ciDefault);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`HD_CRASH_ITERATIONS must be a positive integer, not ${process.env.HD_CRASH_ITERATIONS}`);
  return value;
}

/**
 * Runs the child; kills it `afterMs` after it prints "started" (never when afterMs is null). Resolves to its output
 * lines and how long it ran after "started".
 */
export function runCrashChild(args: string[], afterMs: number | null): Promise<{ lines: string[]; killed: boolean; stderr: string; msFromStart: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...childCommand(CHILD), ...args], {
      env: { ...process.env, HD_TEST_PASSPHRASE: TEST_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    let armed = false;
    let startedAt = 0;
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (startedAt === 0 && output.includes('started\n')) startedAt = Date.now();
      if (!armed && afterMs !== null && output.includes('started\n')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', fail);
    child.on('close', (_code, signal) => done({ lines: output.slice(0, output.lastIndexOf('\n') + 1).split('\n').filter(Boolean), killed: signal === 'SIGKILL', stderr, msFromStart: startedAt === 0 ? 0 : Date.now() - startedAt }));
  });
}
