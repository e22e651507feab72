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
  const hearing = addDays(TODAY, 14);
  return {
    ...draft,
    decisionDate: hearing,
    procedural: {
      attendance: participants.map((participantId) => ({ participantId, present: true })),
      lawyerAdvice: { summary: 'Advised on the standard of proof and the indicated ranges for antisemitic conduct.', givenOn: hearing },
      declarations: participants.map((participantId) => ({ participantId, conflict: false, recused: false, declaredOn: TODAY })),
      training: participants.map((participantId) => ({ participantId, completedOn: addDays(TODAY, -90) })),
    },
    allegations: draft.allegations.map((entry) => ({
      ...entry,
      facts: `The panel finds the facts of allegation ${entry.number} as the respondent accepted them.`,
      evidenceRefs: ['B1'],
      finding: 'proven',
      reasons: 'The screenshot is authenticated and the respondent accepts sharing the post.',
    })),
    seriousness: {
      band: 'lower',
      culpability: 'Shared without reading the linked article in full.',
      harm: 'Seen by a small audience before it was removed.',
      aggravating: [{ factorId: 'hostility-on-protected-characteristic' }],
      mitigating: [{ factorId: 'prompt-deletion' }],
    },
    sanction: {
      rungId: 'formal-warning',
      parameters: { 'on-record-months': 12 },
      lesserRungReasons: {
        'no-further-action': 'Proven antisemitic conduct cannot go without a sanction.',
        'reminder-of-values': 'A reminder does not reflect that the post repeated a conspiracy theory.',
        'reminder-of-conduct': 'A reminder does not reflect that the post repeated a conspiracy theory.',
      },
    },
    orders: { educationCourse: { dueDate: addDays(hearing, 28) }, referral: null },
    publicationSummary: 'The panel found two allegations of sharing and commenting on antisemitic social media content proven and issued a formal warning.',
  };
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
