// The panel's decision as it is drafted: findings and reasons per allegation, the seriousness assessment,
// the sanction and orders, and what the panel recorded about its own procedure. A draft is allowed to be
// incomplete (the checker says what is missing); the schema refuses only values that can never be right:
// negative or zero terms, a course due before the decision, duplicated allegations.
import { z } from 'zod';
import { IsoDate, RecordText, Slug } from './common';
import { CaseReference, ConflictDeclaration, ParticipantId } from './case';
import { Fingerprint } from './profile';

export const FINDINGS = ['proven', 'not-proven', 'withdrawn'] as const;
export const AllegationFinding = z.enum(FINDINGS);
export type AllegationFinding = z.infer<typeof AllegationFinding>;

export const AllegationDecision = z.strictObject({
  /** The allegation's number in the case file. */
  number: z.int().min(1).max(10_000),
  facts: RecordText,
  /** Bundle page labels or document ids the panel relied on (e.g. "B12"). */
  evidenceRefs: z.array(z.string().min(1).max(64)).max(500),
  finding: AllegationFinding.nullable(),
  reasons: RecordText,
});
export type AllegationDecision = z.infer<typeof AllegationDecision>;

export const FactorEntry = z.strictObject({
  /** An aggravating or mitigating factor id from the criteria. */
  factorId: Slug,
  note: RecordText.optional(),
});
export type FactorEntry = z.infer<typeof FactorEntry>;

/** A factor list is either explicitly "none" or the factors found; null means not yet assessed. */
export const FactorAssessment = z.union([z.literal('none'), z.array(FactorEntry).max(50)]).nullable();
export type FactorAssessment = z.infer<typeof FactorAssessment>;

export const Seriousness = z.strictObject({
  /** A seriousness band id from the criteria. */
  band: Slug.nullable(),
  culpability: RecordText,
  harm: RecordText,
  aggravating: FactorAssessment,
  mitigating: FactorAssessment,
  /** Why hostility on a protected characteristic was not treated as aggravating, when it was not. */
  hostilityNotAggravatingReason: RecordText.optional(),
});
export type Seriousness = z.infer<typeof Seriousness>;

/** A sanction parameter: a whole positive number (a term in its unit) or a choice id. */
export const SanctionParameterValue = z.union([
  z.int().min(1, 'Terms must be at least 1.').max(10_000, 'That term is implausibly long.'),
  Slug,
]);
export type SanctionParameterValue = z.infer<typeof SanctionParameterValue>;

export const Sanction = z.strictObject({
  /** A ladder rung id from the criteria. */
  rungId: Slug,
  parameters: z.record(Slug, SanctionParameterValue),
  /** Why each less serious rung would not be enough, keyed by rung id. */
  lesserRungReasons: z.record(Slug, RecordText),
  /** Why the next, more serious rung is not needed. */
  nextRungReason: RecordText.optional(),
  /** Why the panel departs from the indicated range, when it does. */
  departureReason: RecordText.optional(),
});
export type Sanction = z.infer<typeof Sanction>;

export const ProceduralRecord = z.strictObject({
  attendance: z.array(z.strictObject({ participantId: ParticipantId, present: z.boolean() })).max(100),
  lawyerAdvice: z.strictObject({ summary: RecordText, givenOn: IsoDate.optional() }).nullable(),
  /** Declarations as made at the hearing; they take precedence over those in the case file. */
  declarations: z.array(ConflictDeclaration.extend({ participantId: ParticipantId })).max(100),
  /** Training dates as confirmed at the hearing; they take precedence over those in the case file. */
  training: z.array(z.strictObject({ participantId: ParticipantId, completedOn: IsoDate })).max(100),
});
export type ProceduralRecord = z.infer<typeof ProceduralRecord>;

export const Acknowledgement = z.strictObject({
  ruleId: Slug,
  /** The finding's fieldKey; absent to acknowledge every warning of the rule. */
  fieldKey: z.string().min(1).max(200).optional(),
  reason: z.string().trim().min(1, 'Say why the warning is acknowledged.').max(2_000),
});
export type Acknowledgement = z.infer<typeof Acknowledgement>;

export const DecisionDraft = z
  .strictObject({
    format: z.literal('hearing-desk/decision@1'),
    caseReference: CaseReference,
    revision: z.int().min(0),
    /** Fingerprint of the participant who wrote this revision. */
    author: Fingerprint,
    status: z.enum(['draft', 'final']),
    decisionDate: IsoDate.nullable(),
    procedural: ProceduralRecord,
    allegations: z.array(AllegationDecision).max(500),
    seriousness: Seriousness.nullable(),
    sanction: Sanction.nullable(),
    orders: z.strictObject({
      educationCourse: z.strictObject({ dueDate: IsoDate }).nullable(),
      referral: z.strictObject({ to: z.string().min(1).max(200), reason: RecordText }).nullable(),
    }),
    delayExplanation: RecordText.optional(),
    /** The anonymised reasons summary for publication (action plan 2.7). */
    publicationSummary: RecordText,
    acknowledgements: z.array(Acknowledgement).max(500),
  })
  .superRefine((draft, ctx) => {
    const numbers = new Set<number>();
    draft.allegations.forEach((entry, index) => {
      if (numbers.has(entry.number)) {
        ctx.addIssue({ code: 'custom', path: ['allegations', index, 'number'], message: `Allegation ${entry.number} is decided twice.` });
      }
      numbers.add(entry.number);
    });
    const decided = draft.decisionDate;
    const course = draft.orders.educationCourse;
    if (decided && course && course.dueDate < decided) {
      ctx.addIssue({
        code: 'custom',
        path: ['orders', 'educationCourse', 'dueDate'],
        message: 'The course cannot be due before the decision is made.',
      });
    }
    const advisedOn = draft.procedural.lawyerAdvice?.givenOn;
    if (decided && advisedOn && advisedOn > decided) {
      ctx.addIssue({
        code: 'custom',
        path: ['procedural', 'lawyerAdvice', 'givenOn'],
        message: 'Advice given after the decision cannot have informed it.',
      });
    }
    for (const [key, list] of [
      ['attendance', draft.procedural.attendance],
      ['declarations', draft.procedural.declarations],
      ['training', draft.procedural.training],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((entry, index) => {
        if (seen.has(entry.participantId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['procedural', key, index, 'participantId'],
            message: `${entry.participantId} is recorded twice.`,
          });
        }
        seen.add(entry.participantId);
      });
    }
  });
export type DecisionDraft = z.infer<typeof DecisionDraft>;
