// Crash safety of decision edits: a chair's child process saves the decision draft over and over and is killed with
// SIGKILL at random moments. After each kill the vault must open, the audit chain verify, the case stay whole, and
// the draft be at least at the revision last reported saved, each reported revision holding exactly what was saved.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../../electron/services/audit';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { Decisions } from '../../../electron/services/decisions';
import { installDemoHearing } from '../../../electron/services/demo-hearing';
import { createPerson, TEST_PASSPHRASE, type Person } from '../../helpers/people';
import { crashIterations, runCrashChild } from './run-child';

const ITERATIONS = crashIterations(40);
let chair: Person;
let caseId: string;

beforeAll(async () => {
  chair = await createPerson('Avery Lindqvist', 'chair');
  caseId = await installDemoHearing(chair.session, new ReceivedCases(chair.session));
  chair.session.lock('user');
}, 60_000);

afterAll(() => chair?.cleanup());

describe('SIGKILL during decision edits', () => {
  it(`keeps every reported revision, over ${ITERATIONS} kills at random moments`, async () => {
    const cases = new ReceivedCases(chair.session);
    const decisions = new Decisions(chair.session);
    const reportedRevisions: number[] = [];
    let interrupted = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const run = await runCrashChild(['decisions', join(chair.directory, 'profile'), caseId], Math.floor(Math.random() * 700));
      expect(run.lines[0], run.stderr).toBe('started');
      if (!run.lines.includes('done')) interrupted++;
      const thisRun = run.lines.filter((l) => l.startsWith('saved ')).map((l) => Number(l.split(' ')[1]));
      reportedRevisions.push(...thisRun);
      await chair.session.unlock(TEST_PASSPHRASE);
      try {
        expect(new AuditTrail(chair.session).verify().ok).toBe(true);
        const db = chair.session.requireVault().db;
        expect(db.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 0 });
        expect(cases.list().map((c) => c.id)).toEqual([caseId]);
        const view = decisions.open(caseId);
        expect(view.revision).toBeGreaterThanOrEqual(Math.max(0, ...reportedRevisions));
        // This run's reported revisions, and the latest (which may have committed unreported), hold exactly their text.
        for (const revision of new Set([...thisRun, view.revision].filter((r) => r > 0))) {
          expect(decisions.revision(caseId, revision).publicationSummary).toBe(`Summary as of edit ${revision}`);
        }
      } finally {
        chair.session.lock('user');
      }
    }
    await chair.session.unlock(TEST_PASSPHRASE);
    try {
      const latest = decisions.open(caseId).revision;
      expect(decisions.revisions(caseId)).toHaveLength(latest);
      for (const revision of reportedRevisions) expect(decisions.revision(caseId, revision).publicationSummary).toBe(`Summary as of edit ${revision}`);
      console.info(`crash-decisions: ${ITERATIONS} runs, ${interrupted} killed mid-edit, ${reportedRevisions.length} reported saves, now at revision ${latest}, all present`);
    } finally {
      chair.session.lock('user');
    }
    expect(interrupted).toBeGreaterThan(0);
    expect(reportedRevisions.length).toBeGreaterThan(0);
  }, 600_000);
});
