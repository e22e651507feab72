// Crash safety of exporting the outcome package: a child process builds the letter and calls 'records.exportPackage'
// through the app's handler table (export-child.ts), and is killed with SIGKILL at random moments of the export.
// The export is a two-phase commit (electron/services/records/outcome-export.ts): the vault notes it as pending, the
// package is written beside its name, fsynced and renamed, then one transaction logs 'record-exported', destroys the
// case's private notes (retention) and clears the note; the next unlock finishes an export whose file is complete and
// drops one whose file is not. So after each kill and the unlock that follows: the vault opens and its audit chain
// verifies; the package under the chosen name is absent or complete (the central office's ledger verifies it);
// nothing else sits under that name; and a package on disk ⇔ its audit entry ⇔ retention applied, never a mix.
// Setup, once: a chair with a complete signed record and private notes, and a central office to judge the packages.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../shared/domain/audit';
import { Annotations } from '../../../electron/services/annotations/annotations';
import { AuditTrail } from '../../../electron/services/audit';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { centralOfficeLedger } from '../../../electron/services/records/ledger';
import { OutcomeExports } from '../../../electron/services/records/outcome-export';
import type { Session } from '../../../electron/services/session';
import { TEST_PASSPHRASE } from '../../helpers/people';
import { appDispatch, call, OUTCOME_REFERENCE, signedOutcome, type SignedOutcome } from '../../helpers/signed-outcome';
import { tempDir } from '../../helpers/temp';
import { childCommand, crashIterations } from './run-child';

const ITERATIONS = crashIterations(40);
const CHILD = resolve(import.meta.dirname, 'export-child.ts');
const PACKAGE_NAME = 'NCC-2026-0417-outcome.hdoutcome';
const PRIVATE_NOTES = 3;

let setup: SignedOutcome;
let chair: Session;
let work: ReturnType<typeof tempDir>;
let officeIdentity: string;

/** Runs export-child.ts; kills it `afterMs` after it prints "started" (never when null). */
function runExportChild(target: string, afterMs: number | null): Promise<{ lines: string[]; stderr: string; msFromStart: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...childCommand(CHILD), join(setup.panel.chair.directory, 'profile'), setup.caseId, setup.officeContactId, target], {
      env: { ...process.env, HD_TEST_PASSPHRASE: TEST_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    let startedAt = 0;
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (startedAt === 0 && output.includes('started\n')) {
        startedAt = Date.now();
        if (afterMs !== null) setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    });
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    child.on('error', fail);
    child.on('close', () => done({ lines: output.slice(0, output.lastIndexOf('\n') + 1).split('\n').filter(Boolean), stderr, msFromStart: startedAt === 0 ? 0 : Date.now() - startedAt }));
  });
}

function annotations(): Annotations {
  return new Annotations(chair, new ReceivedCases(chair));
}

function privateCounts(): { notes: number; versions: number; shared: number } {
  const db = chair.requireVault().db;
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    notes: count("SELECT count(*) AS n FROM annotations WHERE visibility = 'private'"),
    versions: count("SELECT count(*) AS n FROM annotation_versions WHERE visibility = 'private'"),
    shared: count("SELECT count(*) AS n FROM annotations WHERE visibility = 'panel'"),
  };
}

/** Private notes for retention to destroy, each with two versions (so their history goes too). */
function writePrivateNotes(): void {
  const notes = annotations();
  for (let index = 0; index < PRIVATE_NOTES; index++) {
    const note = (text: string) => ({ kind: 'page-note', documentId: 'doc-complaint', page: 1, note: text, tags: [], allegations: [] }) as never;
    const created = notes.create(setup.caseId, { content: note(`Private thought ${index} (fictional)`), visibility: 'private' });
    notes.update(created.id, { content: note(`Private thought ${index}, revised (fictional)`), expectedVersion: created.version });
  }
}

function entriesAfter(counter: number): AuditEntry[] {
  return new AuditTrail(chair).entries({ limit: 1_000 }).filter((entry) => entry.counter > counter);
}

async function verifiedByOffice(path: string): Promise<void> {
  const [outcome] = await centralOfficeLedger(setup.office.session).verify([{ name: PACKAGE_NAME, bytes: new Uint8Array(readFileSync(path)) }], officeIdentity);
  expect(outcome, path).toMatchObject({ ok: true, caseReference: OUTCOME_REFERENCE, signatures: 4 });
}

beforeAll(async () => {
  work = tempDir('hd-crash-export-');
  setup = await signedOutcome();
  chair = setup.panel.chair.session;
  // What the app creates at start, so that every unlock finishes or drops an interrupted export.
  new OutcomeExports(chair, () => annotations());
  officeIdentity = await setup.office.session.withIdentity((identity) => identity.ageIdentity);
  // A panel note: shared with the panel, so retention must leave it.
  annotations().create(setup.caseId, { content: { kind: 'page-note', documentId: 'doc-complaint', page: 1, note: 'Shared with the panel (fictional)', tags: [], allegations: [] } as never, visibility: 'panel' });
  chair.lock('user');
}, 120_000);

afterAll(() => {
  setup?.cleanup();
  work?.cleanup();
});

describe('exporting the outcome package', () => {
  it('a cancelled save dialog seals, logs and destroys nothing', async () => {
    await chair.unlock(TEST_PASSPHRASE);
    try {
      writePrivateNotes();
      const before = privateCounts();
      const head = new AuditTrail(chair).head()!.counter;
      const dispatch = appDispatch(chair, { chooseSavePath: async () => null });
      await call(dispatch, 'records.buildLetter', { caseId: setup.caseId });
      const result = await call<{ savedTo: string | null }>(dispatch, 'records.exportPackage', { caseId: setup.caseId, officeContactId: setup.officeContactId });
      expect(result.savedTo).toBeNull();
      expect(entriesAfter(head).map((entry) => entry.action)).toEqual([]);
      expect(privateCounts()).toEqual(before);
    } finally {
      chair.lock('user');
    }
  }, 60_000);
});

describe('SIGKILL while the outcome package is exported', () => {
  it(`leaves the package absent or complete, and logged with retention applied exactly when it is there, over ${ITERATIONS} kills`, async () => {
    const outcomes = { nothing: 0, finishedAtUnlock: 0, complete: 0, leftoverTemporaries: 0 };

    /** One run and every check after it; returns the state it found. */
    const runAndCheck = async (iteration: number, afterMs: number | null) => {
      const target = join(work.path, `run-${iteration}`, PACKAGE_NAME);
      mkdirSync(dirname(target));
      await chair.unlock(TEST_PASSPHRASE);
      let before: ReturnType<typeof privateCounts>;
      let head: number;
      try {
        if (privateCounts().notes === 0) writePrivateNotes();
        before = privateCounts();
        head = new AuditTrail(chair).head()!.counter;
      } finally {
        chair.lock('user');
      }

      const run = await runExportChild(target, afterMs);
      expect(run.lines[0], run.stderr).toBe('started');
      const reported = run.lines.find((line) => line.startsWith('exported ') || line.startsWith('failed '));
      if (reported) expect(reported, run.stderr).toBe(`exported ${target}`);

      // Nothing but the package may carry its name; a kill cannot clean up, so a temporary may sit beside it.
      const others = readdirSync(dirname(target)).filter((name) => name !== PACKAGE_NAME);
      for (const name of others) expect(name).toMatch(new RegExp(`^${PACKAGE_NAME.replace(/\./g, '\\.')}\\.\\d+\\.\\d+\\.tmp$`));
      if (others.length > 0) outcomes.leftoverTemporaries++;
      const written = existsSync(target);
      if (written) await verifiedByOffice(target);

      // The unlock runs the recovery, as the app's does.
      await chair.unlock(TEST_PASSPHRASE);
      try {
        expect(new AuditTrail(chair).verify()).toMatchObject({ ok: true });
        const db = chair.requireVault().db;
        expect(db.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 0 });
        expect(db.prepare('SELECT count(*) AS n FROM pending_outcome_exports').get()).toEqual({ n: 0 });
        // A temporary can only exist once the export was noted as pending, so the recovery has removed it.
        expect(readdirSync(dirname(target)).filter((name) => name !== PACKAGE_NAME)).toEqual([]);
        const after = entriesAfter(head);
        const exported = after.filter((entry) => entry.action === 'record-exported');
        const destroyed = after.filter((entry) => entry.action === 'notes-destroyed');
        expect(after.length).toBe(exported.length + destroyed.length);
        const now = privateCounts();
        expect(now.shared).toBe(before.shared);
        if (written) {
          // The export happened: logged once, with the exact bytes' hash, then retention, whole.
          expect(exported).toHaveLength(1);
          expect(exported[0]!.details).toMatchObject({ sha256: createHash('sha256').update(readFileSync(target)).digest('hex') });
          expect(destroyed).toHaveLength(1);
          expect(destroyed[0]!.counter).toBeGreaterThan(exported[0]!.counter);
          expect(destroyed[0]!.details).toMatchObject({ annotations: before.notes, versions: before.versions, reason: 'outcome-final' });
          expect({ notes: now.notes, versions: now.versions }).toEqual({ notes: 0, versions: 0 });
        } else {
          // It did not: no trace in the log, the notes as they were.
          expect(after).toEqual([]);
          expect(now).toEqual(before);
        }
        if (reported) expect(written).toBe(true);
        const state: keyof typeof outcomes = !written ? 'nothing' : reported ? 'complete' : 'finishedAtUnlock';
        outcomes[state]++;
        return { run, state };
      } finally {
        chair.lock('user');
      }
    };

    // One uninterrupted run first: it must complete, and how long the call took spreads the kills over the export.
    const calibration = await runAndCheck(0, null);
    expect(calibration.run.lines, calibration.run.stderr).toContain(`exported ${join(work.path, 'run-0', PACKAGE_NAME)}`);
    const window = Math.max(10, Number(calibration.run.lines.find((line) => line.startsWith('took '))?.split(' ')[1] ?? 0));
    // Sealing (in memory) is most of the call; the steps that leave traces come in its last few milliseconds. So one
    // kill in three falls anywhere in the call, two in three in its second half and just past its end.
    for (let iteration = 1; iteration <= ITERATIONS; iteration++) {
      const afterMs = Math.floor(iteration % 3 === 1 ? Math.random() * window * 1.3 : window * (0.5 + Math.random() * 0.8));
      await runAndCheck(iteration, afterMs);
    }

    console.info(
      `crash-export: ${ITERATIONS} kills over ${window} ms of exporting → ${outcomes.nothing} left nothing, ` +
        `${outcomes.finishedAtUnlock} had written the package and were finished at the next unlock, ${outcomes.complete - 1} completed (plus the calibration run); ` +
        `${outcomes.leftoverTemporaries} left a temporary beside the target (removed at the unlock)`,
    );
    expect(outcomes.nothing).toBeGreaterThan(0);
  }, Math.max(300_000, ITERATIONS * 15_000));
});
