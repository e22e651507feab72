// The decision a chair records on the demo hearing (or a practice case made from it): both allegations proven,
// a formal warning, the education course ordered. Shared by the tests that take the demo case to a final decision.
import { addDays } from '../../shared/domain/common';
import type { DecisionDraft } from '../../shared/domain/decision';

export interface DemoDecisionOptions {
  /** The day the panel decided (and heard the lawyer's advice). */
  decidedOn: string;
  /** The day the declarations were made; training was completed 90 days before it. */
  declaredOn: string;
  /** Added to every allegation's reasons (a marker a test looks for). */
  reasonsSuffix?: string;
  /** Added to the lawyer's advice summary. */
  adviceSuffix?: string;
}

/** Everything the chair fills in, for the participants the case names. */
export function completedDemoDecision(draft: DecisionDraft, participants: readonly string[], options: DemoDecisionOptions): DecisionDraft {
  const suffix = (text: string, extra?: string) => (extra ? `${text} ${extra}` : text);
  return {
    ...draft,
    decisionDate: options.decidedOn,
    procedural: {
      attendance: participants.map((participantId) => ({ participantId, present: true })),
      lawyerAdvice: { summary: suffix('Advised on the standard of proof and the indicated ranges for antisemitic conduct.', options.adviceSuffix), givenOn: options.decidedOn },
      declarations: participants.map((participantId) => ({ participantId, conflict: false, recused: false, declaredOn: options.declaredOn })),
      training: participants.map((participantId) => ({ participantId, completedOn: addDays(options.declaredOn, -90) })),
    },
    allegations: draft.allegations.map((entry) => ({
      ...entry,
      facts: `The panel finds the facts of allegation ${entry.number} as the respondent accepted them.`,
      evidenceRefs: ['B1'],
      finding: 'proven',
      reasons: suffix('The screenshot is authenticated and the respondent accepts sharing the post.', options.reasonsSuffix),
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
    orders: { educationCourse: { dueDate: addDays(options.decidedOn, 28) }, referral: null },
    publicationSummary: 'The panel found two allegations of sharing and commenting on antisemitic social media content proven and issued a formal warning.',
  };
}
