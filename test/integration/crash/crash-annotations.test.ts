// Crash safety of annotation autosave: a child process creates and updates annotations in a burst and is killed
// with SIGKILL at random moments. After each kill the vault must open, the audit chain verify, the case stay whole,
// and every annotation version the child had reported saved be there with exactly the text it saved.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotations } from '../../../electron/services/annotations/annotations';
import { AuditTrail } from '../../../electron/services/audit';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { installDemoHearing } from '../../../electron/services/demo-hearing';
import { createPerson, TEST_PASSPHRASE, type Person } from '../../helpers/people';
import { crashIterations, runCrashChild } from './run-child';

const ITERATIONS = crashIterations(40);
let panellist: Person;
let caseId: string;
let documentId: string;

beforeAll(async () => {
  panellist = await createPerson('Tamsin Okonkwo-Reyes', 'panellist');
  const cases = new ReceivedCases(panellist.session);
  caseId = await installDemoHearing(panellist.session, cases);
  documentId = cases.readyDocumentIds(caseId)[0]!;
  panellist.session.lock('user');
}, 60_000);

afterAll(() => panellist?.cleanup());

describe('SIGKILL during annotation autosave bursts', () => {
  it(`keeps every reported save, over ${ITERATIONS} kills at random moments`, async () => {
    const cases = new ReceivedCases(panellist.session);
    const annotations = new Annotations(panellist.session, cases);
    /** Highest version reported saved per annotation, over all runs, with the note serial it carries. */
    const reported = new Map<string, { version: number; serial: number }>();
    let interrupted = 0;
    let saves = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const run = await runCrashChild(['annotations', join(panellist.directory, 'profile'), caseId, documentId], Math.floor(Math.random() * 600));
      expect(run.lines[0], run.stderr).toBe('started');
      if (!run.lines.includes('done')) interrupted++;
      const thisRun = new Set<string>();
      for (const line of run.lines.filter((l) => l.startsWith('saved '))) {
        const [, id, version, serial] = line.split(' ');
        reported.set(id!, { version: Number(version), serial: Number(serial) });
        thisRun.add(id!);
        saves++;
      }
      await panellist.session.unlock(TEST_PASSPHRASE);
      try {
        expect(new AuditTrail(panellist.session).verify().ok).toBe(true);
        const db = panellist.session.requireVault().db;
        expect(db.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 0 });
        expect(cases.list().map((c) => c.id)).toEqual([caseId]);
        expect(cases.readyDocumentIds(caseId)).toContain(documentId);
        // This run's saves after each kill; everything from every run after the last one (below).
        for (const id of thisRun) expectReported(id);
      } finally {
        panellist.session.lock('user');
      }
    }
    await panellist.session.unlock(TEST_PASSPHRASE);
    try {
      for (const id of reported.keys()) expectReported(id);
    } finally {
      panellist.session.lock('user');
    }
    console.info(`crash-annotations: ${ITERATIONS} runs, ${interrupted} killed mid-burst, ${saves} reported saves across ${reported.size} annotations, all present`);
    expect(interrupted).toBeGreaterThan(0);
    expect(saves).toBeGreaterThan(0);

    function expectReported(id: string): void {
      const { version, serial } = reported.get(id)!;
      const stored = annotations.get(id);
      // At least what was reported: a save that committed but was killed before it was reported may be there too.
      expect(stored.version).toBeGreaterThanOrEqual(version);
      const record = annotations.history(id).find((r) => r.version === version);
      expect(record?.content?.note).toBe(`Autosaved note ${serial} at version ${version}`);
    }
  }, 600_000);
});
