// Crash safety of writing a sealed file: a child streams a real sealed bundle through writeStreamAtomic (how
// CaseDrafts.seal writes), then copies it with writeFileAtomic (how outcome packages, decision drafts and annotation
// packs are saved), and is killed with SIGKILL at random moments. After each kill nothing partial may sit under
// either target name: each is absent or byte-for-byte the complete sealed file, which opens. The vault still opens
// and its audit chain verifies.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../electron/services/audit';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { createPerson, TEST_PASSPHRASE, type Person } from '../../helpers/people';
import { crashIterations, runCrashChild } from './run-child';

const ITERATIONS = crashIterations(40);
let clerk: Person;
let target: string;

beforeAll(async () => {
  clerk = await createPerson('Morgan Ellery', 'clerk');
  clerk.session.lock('user');
  target = join(clerk.directory, 'out');
}, 60_000);

afterAll(() => clerk?.cleanup());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('SIGKILL while a sealed file is written', () => {
  it(`leaves each target absent or complete, over ${ITERATIONS} kills at random moments`, async () => {
    const outcomes = { nothing: 0, sealedOnly: 0, both: 0, leftoverTemporaries: 0 };
    const cases = new ReceivedCases(clerk.session);
    let checkedOpen = false;
    // One uninterrupted run first: it must complete, and its duration spreads the kills over the whole write.
    mkdirSync(target, { recursive: true });
    const calibration = await runCrashChild(['seal', join(clerk.directory, 'profile'), target], null);
    expect(calibration.lines, calibration.stderr).toContain('copied');
    const window = Math.max(50, calibration.msFromStart);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      rmSync(target, { recursive: true, force: true });
      mkdirSync(target);
      const run = await runCrashChild(['seal', join(clerk.directory, 'profile'), target], Math.floor(Math.random() * window * 1.2));
      expect(run.lines[0], run.stderr).toBe('started');
      const streamed = run.lines.find((l) => l.startsWith('streamed '))?.split(' ')[1];
      const sealedPath = join(target, 'sealed.hdbundle');
      const copiedPath = join(target, 'copied.hdbundle');
      if (existsSync(sealedPath)) {
        // The writer was handed the whole stream before it could rename: the file is exactly those bytes.
        expect(streamed).toBeDefined();
        expect(sha256(readFileSync(sealedPath))).toBe(streamed);
      }
      if (run.lines.includes('sealed')) expect(existsSync(sealedPath)).toBe(true);
      if (existsSync(copiedPath)) expect(sha256(readFileSync(copiedPath))).toBe(streamed);
      if (run.lines.includes('copied')) expect(existsSync(copiedPath)).toBe(true);
      // A kill cannot run cleanup: a temporary may stay beside the target, but never under the target's name.
      const others = readdirSync(target).filter((name) => name !== 'sealed.hdbundle' && name !== 'copied.hdbundle');
      for (const name of others) expect(name).toMatch(/^\.sealed\.hdbundle\.\d+\.partial$|^copied\.hdbundle\.\d+\.\d+\.tmp$/);
      if (others.length > 0) outcomes.leftoverTemporaries++;
      if (existsSync(copiedPath)) outcomes.both++;
      else if (existsSync(sealedPath)) outcomes.sealedOnly++;
      else outcomes.nothing++;

      await clerk.session.unlock(TEST_PASSPHRASE);
      try {
        expect(new AuditTrail(clerk.session).verify().ok).toBe(true);
        if (existsSync(sealedPath) && !checkedOpen) {
          // Once: a file that survived a kill opens as a bundle (the byte comparison above covers the rest).
          const preview = await cases.preview(sealedPath);
          expect(preview.manifest.documents).toHaveLength(8);
          checkedOpen = true;
        }
      } finally {
        clerk.session.lock('user');
      }
    }
    console.info(
      `crash-seal: ${ITERATIONS} kills over ${window} ms of writing → ${outcomes.nothing} left no file, ${outcomes.sealedOnly} only the streamed file, ${outcomes.both} both files; ` +
        `${outcomes.leftoverTemporaries} left a temporary beside the target`,
    );
    expect(outcomes.nothing).toBeGreaterThan(0);
  }, 600_000);
});
