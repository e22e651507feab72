// The decision workspace on the built-in demo hearing, as the end-to-end test and a newcomer meet it: a chair
// profile installs the demo, opens its decision, and can take it from its first blocks to final using only what the
// chair can enter (the demo's other people are fictional, with no keys to send declarations, so the chair records
// their declarations and training as confirmed at the hearing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { installDemoHearing } from '../../electron/services/demo-hearing';
import { Decisions } from '../../electron/services/decisions';
import { addDays } from '../../shared/domain/common';
import type { DecisionDraft } from '../../shared/domain/decision';
import { completedDemoDecision } from '../helpers/demo-decision';
import { createPerson, type Person } from '../helpers/people';

const NOW = new Date('2026-11-23T10:00:00Z');
const TODAY = '2026-11-23';
let chair: Person;
let decisions: Decisions;
let caseId: string;

beforeAll(async () => {
  chair = await createPerson('Avery Lindqvist', 'chair', { now: () => NOW });
  caseId = await installDemoHearing(chair.session, new ReceivedCases(chair.session, () => NOW), NOW);
  decisions = new Decisions(chair.session, () => NOW);
});
afterAll(() => chair?.cleanup());

/** Everything the chair fills in for the demo case (hearing in 14 days from the install date, so decided then). */
function completed(draft: DecisionDraft, participants: string[]): DecisionDraft {
  return completedDemoDecision(draft, participants, { decidedOn: addDays(TODAY, 14), declaredOn: TODAY });
}

describe('the demo hearing decision', () => {
  it('opens for the chair with blocks, and goes to final once the chair has filled it in and acknowledged the warning', () => {
    const first = decisions.open(caseId);
    expect(first).toMatchObject({ revision: 0, canEdit: true, canFinaliseAsChair: true, me: { participantId: 'p-you', isChair: true } });
    expect(first.blockers.filter((f) => f.severity === 'block').length).toBeGreaterThan(5);

    const manifestParticipants = first.check.findings
      .filter((f) => f.ruleId === 'conflict-declarations')
      .map((f) => f.fieldKey.replace('declaration#', ''));
    expect(manifestParticipants.sort()).toEqual(['p-lawyer', 'p-panel-1', 'p-panel-2', 'p-you']);
    const saved = decisions.save(caseId, completed(first.draft, manifestParticipants), first.revision);
    expect(saved.check.findings.filter((f) => f.severity === 'block')).toEqual([]);
    expect(saved.blockers.map((f) => f.ruleId)).toEqual(['next-rung-considered']);

    const acknowledged = decisions.acknowledge(caseId, 'next-rung-considered', saved.blockers[0]!.fieldKey, 'An NEC panel cannot suspend, so the next rung is not open to it.');
    const final = decisions.finalise(caseId, acknowledged.revision);
    expect(final).toMatchObject({ status: 'final', revision: 3, canEdit: false });
  });
});
