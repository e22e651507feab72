// Crash safety of bundle import: the importing process is killed with SIGKILL at random moments (before, during and
// after document writes). After each kill the vault must open, the audit chain verify, and the case be either
// wholly present (every document reading back with its signed hash) or wholly absent — never half-imported.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../electron/services/audit';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { collect } from '../../../electron/services/crypto/byte-reader';
import { createPerson, introduce, TEST_PASSPHRASE, type Person } from '../../helpers/people';
import { tempDir } from '../../helpers/temp';
import { participantKeyOf, syntheticBundle } from '../../helpers/synthetic-bundle';
import { childCommand, crashIterations } from './run-child';

const ITERATIONS = crashIterations(40);
const CHILD = resolve(import.meta.dirname, 'import-child.ts');
let clerk: Person;
let panellist: Person;
let work: ReturnType<typeof tempDir>;
let bundlePath: string;
let expected: Map<string, string>;

/** Runs the child and kills it `afterMs` after it reports it started (or lets it finish when afterMs is null). */
function runChild(afterMs: number | null): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...childCommand(CHILD), join(panellist.directory, 'profile'), bundlePath], {
      env: { ...process.env, HD_TEST_PASSPHRASE: TEST_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      const first = !output.includes('started');
      output += data.toString();
      if (first && output.includes('started') && afterMs !== null) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('error', fail);
    child.on('close', () => done(output));
  });
}

beforeAll(async () => {
  [clerk, panellist] = await Promise.all([createPerson('Morgan Ellery', 'clerk'), createPerson('Priya Castellan', 'panellist')]);
  introduce([clerk, panellist]);
  work = tempDir('hd-crash-');
  // Twelve 1.5 MB documents: enough batches and chunks that kills land in every phase of the import.
  const { copy, hashes } = await syntheticBundle({
    sealer: clerk.session,
    recipients: [participantKeyOf(panellist.session, 'p1')],
    reference: 'CRASH-0001',
    title: 'Crash-test bundle',
    documents: 12,
  });
  expected = hashes;
  bundlePath = join(work.path, 'crash.hdbundle');
  writeFileSync(bundlePath, await collect(copy.stream()));
  panellist.session.lock('user');
});

afterAll(() => {
  clerk?.cleanup();
  panellist?.cleanup();
  work?.cleanup();
});

describe('SIGKILL during bundle import', () => {
  it(`leaves the case wholly imported or wholly absent, over ${ITERATIONS} kills at random moments`, async () => {
    const outcomes = { absent: 0, complete: 0 };
    // Created before any unlock, as the app creates its services at start: its unlock hook does the recovery.
    const cases = new ReceivedCases(panellist.session);
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const output = await runChild(Math.floor(Math.random() * 1200));
      await panellist.session.unlock(TEST_PASSPHRASE);
      try {
        const db = panellist.session.requireVault().db;
        // The unlock already removed whatever the killed import left provisional.
        expect(db.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 0 });
        expect(db.prepare('SELECT count(*) AS n FROM case_documents WHERE case_id NOT IN (SELECT id FROM cases)').get()).toEqual({ n: 0 });
        expect(new AuditTrail(panellist.session).verify().ok).toBe(true);
        const listed = cases.list();
        if (listed.length === 0) {
          outcomes.absent++;
        } else {
          outcomes.complete++;
          expect(listed).toHaveLength(1);
          for (const [id, sha256] of expected) expect(createHash('sha256').update(cases.readDocument(listed[0]!.id, id)).digest('hex')).toBe(sha256);
          cases.wipe(listed[0]!.id, 'user'); // start the next iteration from an empty vault
        }
        expect(output).toContain('started');
      } finally {
        panellist.session.lock('user');
      }
    }
    console.info(`crash-import: ${ITERATIONS} kills → ${outcomes.absent} left nothing, ${outcomes.complete} had completed`);
    // Kills must actually have interrupted imports for the test to mean anything; finish with an uninterrupted import.
    const finished = await runChild(null);
    expect(finished).toContain('imported');
    expect(outcomes.absent).toBeGreaterThan(0);
  }, Math.max(240_000, ITERATIONS * 4_000));
});
