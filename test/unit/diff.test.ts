// The structural diff of two decision drafts (shared/diff.ts): named cases on the checker's valid baseline, then
// properties over generated drafts (fast-check): a draft never differs from itself or from a reordering of itself,
// the diff one way is the diff the other way reversed, and every path points at the value the change reports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDecisionDrafts, draftDiffLabels, type DiffValue } from '../../shared/diff';
import { DecisionDraft } from '../../shared/domain/decision';
import { baselineCase, baselineDraft, CRITERIA, IDS } from '../fixtures/checker/baseline';

const LABELS = draftDiffLabels(CRITERIA, baselineCase());

function reversed<T>(items: readonly T[]): T[] {
  return [...items].reverse();
}

describe('diffDecisionDrafts on named cases', () => {
  it('finds nothing between a draft and itself, a reordering of it, or a later revision by someone else with the same content', () => {
    const draft = baselineDraft();
    expect(diffDecisionDrafts(draft, draft, LABELS)).toEqual([]);
    const reordered: DecisionDraft = {
      ...draft,
      revision: 9,
      author: 'M1N2-P3Q4-R5S6-T7V8-W9X0',
      allegations: reversed(draft.allegations),
      procedural: { ...draft.procedural, declarations: reversed(draft.procedural.declarations), attendance: reversed(draft.procedural.attendance) },
      sanction: { ...draft.sanction!, lesserRungReasons: Object.fromEntries(reversed(Object.entries(draft.sanction!.lesserRungReasons))) },
    };
    expect(diffDecisionDrafts(draft, reordered, LABELS)).toEqual([]);
  });

  it('reports an edited field by what it is, at its path in the newer draft', () => {
    const before = baselineDraft();
    const after = baselineDraft();
    after.allegations = reversed(after.allegations);
    after.allegations[1]!.reasons = 'The share is in the platform export.';
    expect(diffDecisionDrafts(before, after, LABELS)).toEqual([
      { path: 'allegations.1.reasons', label: 'Allegation 2 · Reasons', kind: 'changed', before: before.allegations[1]!.reasons, after: 'The share is in the platform export.' },
    ]);
  });

  it('names people, rungs, factors and parameters from the case and the criteria', () => {
    const before = baselineDraft();
    const after = baselineDraft();
    after.procedural.declarations[1] = { ...after.procedural.declarations[1]!, conflict: true, recused: true, details: 'Knows the respondent.' };
    after.seriousness!.aggravating = [{ factorId: 'hostility-on-protected-characteristic' }];
    after.sanction = { ...after.sanction!, rungId: 'formal-warning', parameters: { 'on-record-months': 24 } };
    const changes = diffDecisionDrafts(before, after, LABELS);
    const who = 'Declaration · Tobias Wrenfield';
    expect(changes).toEqual([
      { path: 'procedural.declarations.1.conflict', label: `${who} · Conflict of interest`, kind: 'changed', before: 'no', after: 'yes' },
      { path: 'procedural.declarations.1.details', label: `${who} · Details`, kind: 'added', before: null, after: 'Knows the respondent.' },
      { path: 'procedural.declarations.1.recused', label: `${who} · Stepped aside`, kind: 'changed', before: 'no', after: 'yes' },
      // A removed field is listed where it stood, with its path in the older draft.
      { path: 'seriousness.aggravating.1', label: 'Aggravating factor · Wide audience or reach', kind: 'removed', before: 'About 800 followers.', after: null },
      { path: 'sanction.rungId', label: 'Sanction', kind: 'changed', before: 'Suspension', after: 'Formal warning' },
      { path: 'sanction.parameters.term-months', label: 'Sanction · Term', kind: 'removed', before: 6, after: null },
      { path: 'sanction.parameters.scope', label: 'Sanction · Suspended from', kind: 'removed', before: 'membership', after: null },
      { path: 'sanction.parameters.on-record-months', label: 'Sanction · Time on record', kind: 'added', before: null, after: 24 },
    ]);
    expect(CRITERIA.aggravatingFactors.find((f) => f.id === 'wide-audience')?.label).toBe('Wide audience or reach');
  });

  it('shows ids where no label is given, and the status, acknowledgements and orders', () => {
    const before = baselineDraft();
    const after: DecisionDraft = {
      ...baselineDraft(),
      status: 'final',
      orders: { educationCourse: null, referral: { to: 'Regional office', reason: 'Support for the branch.' } },
      acknowledgements: [{ ruleId: 'next-rung-considered', reason: 'Explained in the reasons.' }],
      procedural: { ...before.procedural, training: [{ participantId: IDS.chair, completedOn: '2026-01-15' }] },
    };
    expect(diffDecisionDrafts(before, after)).toEqual([
      { path: 'status', label: 'Status', kind: 'changed', before: 'draft', after: 'final' },
      { path: `procedural.training.0.completedOn`, label: `Training · ${IDS.chair}`, kind: 'added', before: null, after: '2026-01-15' },
      { path: 'orders.educationCourse.dueDate', label: 'Order · Education course due by', kind: 'removed', before: '2026-05-22', after: null },
      { path: 'orders.referral.to', label: 'Order · Referral to', kind: 'added', before: null, after: 'Regional office' },
      { path: 'orders.referral.reason', label: 'Order · Reason for referral', kind: 'added', before: null, after: 'Support for the branch.' },
      { path: 'acknowledgements.0.reason', label: 'Warning acknowledged · next-rung-considered (every warning)', kind: 'added', before: null, after: 'Explained in the reasons.' },
    ]);
  });
});

// --- properties ---------------------------------------------------------------------------------------------

const participantIds = Object.values(IDS);
const text = fc.oneof(fc.constant(''), fc.constantFrom('Reasons given at length.', 'Short.'), fc.string({ maxLength: 12 }));
const date = fc.constantFrom('2026-04-20', '2026-04-27', '2026-05-01', '2026-05-22');
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const byParticipant = <T extends { participantId: string }>(entry: fc.Arbitrary<T>) => fc.uniqueArray(entry, { selector: (value) => value.participantId, maxLength: 4 });
const factorList = fc.oneof(
  fc.constant(null),
  fc.constant('none' as const),
  fc.uniqueArray(fc.record({ factorId: fc.constantFrom('wide-audience', 'prompt-deletion', 'hostility-on-protected-characteristic'), note: optional(text) }), {
    selector: (f) => f.factorId,
    maxLength: 3,
  }),
);

const draftArbitrary = fc
  .record({
    status: fc.constantFrom('draft' as const, 'final' as const),
    decisionDate: fc.option(fc.constant('2026-04-27')),
    allegations: fc.uniqueArray(
      fc.record({ number: fc.integer({ min: 1, max: 5 }), facts: text, evidenceRefs: fc.array(fc.constantFrom('B1', 'C2'), { maxLength: 2 }), finding: fc.constantFrom(null, 'proven', 'not-proven', 'withdrawn'), reasons: text }),
      { selector: (a) => a.number, maxLength: 4 },
    ),
    attendance: byParticipant(fc.record({ participantId: fc.constantFrom(...participantIds), present: fc.boolean() })),
    declarations: byParticipant(fc.record({ participantId: fc.constantFrom(...participantIds), conflict: fc.boolean(), details: optional(text), recused: fc.boolean(), declaredOn: optional(date) })),
    training: byParticipant(fc.record({ participantId: fc.constantFrom(...participantIds), completedOn: date })),
    lawyerAdvice: fc.option(fc.record({ summary: text, givenOn: optional(fc.constant('2026-04-20')) })),
    seriousness: fc.option(fc.record({ band: fc.option(fc.constantFrom('lower', 'medium')), culpability: text, harm: text, aggravating: factorList, mitigating: factorList, hostilityNotAggravatingReason: optional(text) })),
    sanction: fc.option(
      fc.record({
        rungId: fc.constantFrom('formal-warning', 'suspension'),
        parameters: fc.dictionary(fc.constantFrom('term-months', 'scope', 'on-record-months'), fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constantFrom('membership', 'office'))),
        lesserRungReasons: fc.dictionary(fc.constantFrom('no-further-action', 'formal-warning'), text),
        nextRungReason: optional(text),
        departureReason: optional(text),
      }),
    ),
    course: fc.option(fc.constant('2026-05-22')),
    referral: fc.option(fc.record({ to: fc.constantFrom('Regional office', 'Branch'), reason: text })),
    delayExplanation: optional(text),
    publicationSummary: text,
    acknowledgements: fc.uniqueArray(fc.record({ ruleId: fc.constantFrom('next-rung-considered', 'publication-name-parts'), fieldKey: optional(fc.constantFrom('sanction.nextRungReason', 'publicationSummary')), reason: fc.constantFrom('Noted.', 'Explained.') }), {
      selector: (a) => `${a.ruleId}|${a.fieldKey ?? ''}`,
      maxLength: 3,
    }),
  })
  .map((d) => {
    const strip = <T extends object>(value: T): T => JSON.parse(JSON.stringify(value)) as T; // undefined keys out, as JSON carries them
    return DecisionDraft.parse(
      strip({
        format: 'hearing-desk/decision@1',
        caseReference: 'NCC/2026/0417',
        revision: 1,
        author: 'A1B2-C3D4-E5F6-G7H8-J9K0',
        status: d.status,
        decisionDate: d.decisionDate,
        procedural: { attendance: d.attendance, lawyerAdvice: d.lawyerAdvice, declarations: d.declarations, training: d.training },
        allegations: d.allegations,
        seriousness: d.seriousness,
        sanction: d.sanction,
        orders: { educationCourse: d.course ? { dueDate: d.course } : null, referral: d.referral },
        delayExplanation: d.delayExplanation,
        publicationSummary: d.publicationSummary,
        acknowledgements: d.acknowledgements,
      }),
    );
  });

/** The value a change's path points at, as the diff shows it. */
function valueAt(draft: DecisionDraft, path: string): DiffValue | null {
  let node: unknown = draft;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string, unknown>)[part];
  }
  if (node === undefined || node === null) return null;
  if (typeof node === 'boolean') return path.endsWith('.present') ? (node ? 'present' : 'absent') : node ? 'yes' : 'no';
  if (typeof node === 'object' && !Array.isArray(node) && 'factorId' in node) return (node as { note?: string }).note ?? '';
  return node as DiffValue;
}

describe('diffDecisionDrafts properties', () => {
  it('a draft never differs from itself, nor from itself with its lists reversed', () => {
    fc.assert(
      fc.property(draftArbitrary, (draft) => {
        expect(diffDecisionDrafts(draft, draft)).toEqual([]);
        const shuffled: DecisionDraft = {
          ...draft,
          allegations: reversed(draft.allegations),
          acknowledgements: reversed(draft.acknowledgements),
          procedural: { ...draft.procedural, attendance: reversed(draft.procedural.attendance), declarations: reversed(draft.procedural.declarations), training: reversed(draft.procedural.training) },
        };
        expect(diffDecisionDrafts(draft, shuffled)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('the diff back is the diff forth reversed, and every path shows the value reported', () => {
    const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
    fc.assert(
      fc.property(draftArbitrary, draftArbitrary, (a, b) => {
        const forth = diffDecisionDrafts(a, b);
        const back = diffDecisionDrafts(b, a);
        const key = (c: { label: string; kind: string; before: unknown; after: unknown }) => JSON.stringify([c.label, c.kind, c.before, c.after]);
        expect(back.map(key).sort()).toEqual(forth.map((c) => key({ ...c, kind: flip[c.kind], before: c.after, after: c.before })).sort());
        for (const change of forth) {
          if (change.kind === 'removed') expect(valueAt(a, change.path), change.path).toEqual(change.before);
          else expect(valueAt(b, change.path), change.path).toEqual(change.after);
          if (change.kind === 'changed') expect(change.before).not.toEqual(change.after);
        }
      }),
      { numRuns: 300 },
    );
  });
});
