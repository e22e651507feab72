// Properties of the sanctions checker, with fast-check:
//  1. it never throws on any case and draft the schemas accept, and always answers in the result schema;
//  2. breaking one field of the valid baseline and then restoring the field a finding cites first clears
//     that finding (for a representative set of rules);
//  3. breaking several fields and fixing the first finding's cited field, again and again, always ends with
//     a decision that has no block and no warning: the "fix them one by one" workflow of the workspace.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDecision, CheckResultSchema, type HistoricalOutcome } from '../../shared/checker';
import { addDays, dayNumber } from '../../shared/domain/common';
import { CaseFile, COMPLAINT_TYPES, DECIDING_BODIES, PROTECTED_CHARACTERISTICS } from '../../shared/domain/case';
import { DecisionDraft, FINDINGS } from '../../shared/domain/decision';
import { PARTICIPANT_ROLES } from '../../shared/domain/profile';
import { AT, baselineCase, baselineDraft, baselineHistory, CRITERIA, DATES, IDS } from '../fixtures/checker/baseline';

const TIME_LIMIT_MS = 20_000;
const LONG = 'A reason long enough for every minimum in the sample criteria, and then a little more besides.';

// Known ids mixed with unknown ones, so the checker meets both.
const slug = fc.stringMatching(/^[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}$/);
const either = (known: readonly string[]) => fc.oneof(fc.constantFrom(...known), slug, fc.constant('constructor'));
const rungIds = CRITERIA.ladder.map((rung) => rung.id);
const bandIds = CRITERIA.seriousnessBands.map((band) => band.id);
const categoryIds = CRITERIA.conductCategories.map((category) => category.id);
const factorIds = [...CRITERIA.aggravatingFactors, ...CRITERIA.mitigatingFactors].map((factor) => factor.id);
const parameterIds = CRITERIA.ladder.flatMap((rung) => rung.parameters.map((parameter) => parameter.id));
const optionIds = CRITERIA.ladder.flatMap((rung) => rung.parameters.flatMap((parameter) => (parameter.kind === 'choice' ? parameter.options.map((o) => o.id) : [])));
const ruleIds = CRITERIA.rules.map((rule) => rule.id);
const participantIds = [...Object.values(IDS), 'stranger-1'];
const baseCase = baselineCase();

const date = fc.integer({ min: dayNumber('2025-06-01'), max: dayNumber('2027-06-01') }).map((day) => addDays('1970-01-01', day));
const text = fc.oneof(
  fc.constant(''),
  fc.string({ maxLength: 50 }),
  fc.constantFrom(LONG, '   ', 'Rosalind Achterberg said so.', 'Per Ossington.', 'Caspian Delacroix-Hale'),
);
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const factors = fc.oneof(fc.constant(null), fc.constant('none' as const), fc.array(fc.record({ factorId: either(factorIds), note: optional(text) }), { maxLength: 4 }));
const byParticipant = <T extends { participantId: string }>(entry: fc.Arbitrary<T>) =>
  fc.uniqueArray(entry, { selector: (value) => value.participantId, maxLength: 6 });

const draftArbitrary = fc
  .record({
    decisionDate: fc.option(date),
    allegations: fc.uniqueArray(
      fc.record({
        number: fc.integer({ min: 1, max: 6 }),
        facts: text,
        evidenceRefs: fc.array(fc.constantFrom('B1', 'C12'), { maxLength: 2 }),
        finding: fc.constantFrom(null, ...FINDINGS),
        reasons: text,
      }),
      { selector: (entry) => entry.number, maxLength: 6 },
    ),
    seriousness: fc.option(
      fc.record({
        band: fc.option(either(bandIds)),
        culpability: text,
        harm: text,
        aggravating: factors,
        mitigating: factors,
        hostilityNotAggravatingReason: optional(text),
      }),
    ),
    sanction: fc.option(
      fc.record({
        rungId: either(rungIds),
        parameters: fc.dictionary(either(parameterIds), fc.oneof(fc.integer({ min: 1, max: 10_000 }), either(optionIds)), { maxKeys: 4 }),
        lesserRungReasons: fc.dictionary(either(rungIds), text, { maxKeys: 7 }),
        nextRungReason: optional(text),
        departureReason: optional(text),
      }),
    ),
    course: fc.option(fc.integer({ min: 0, max: 90 })),
    procedural: fc.record({
      attendance: byParticipant(fc.record({ participantId: fc.constantFrom(...participantIds), present: fc.boolean() })),
      lawyerAdvice: fc.option(fc.record({ summary: text, givenOn: optional(date) })),
      declarations: byParticipant(
        fc.record({ participantId: fc.constantFrom(...participantIds), conflict: fc.boolean(), details: optional(text), recused: fc.boolean(), declaredOn: optional(date) }),
      ),
      training: byParticipant(fc.record({ participantId: fc.constantFrom(...participantIds), completedOn: date })),
    }),
    delayExplanation: optional(text),
    publicationSummary: text,
    acknowledgements: fc.array(fc.record({ ruleId: either(ruleIds), fieldKey: optional(fc.string({ minLength: 1, maxLength: 40 })), reason: fc.constant('Acknowledged.') }), { maxLength: 4 }),
  })
  .map(({ course, ...rest }) => {
    const decided = rest.decisionDate;
    const advice = rest.procedural.lawyerAdvice;
    // The draft schema refuses a course due before the decision, and advice given after it.
    if (decided && advice?.givenOn && advice.givenOn > decided) advice.givenOn = decided;
    const educationCourse = course === null ? null : { dueDate: addDays(decided ?? '2026-04-27', course) };
    return {
      format: 'hearing-desk/decision@1' as const,
      caseReference: baseCase.reference,
      revision: 1,
      author: baseCase.participants[AT.chair]!.fingerprint,
      status: 'draft' as const,
      ...rest,
      orders: { educationCourse, referral: null },
    };
  });

const caseArbitrary = fc
  .record({
    decidingBody: fc.constantFrom(...DECIDING_BODIES),
    complaintType: fc.option(fc.constantFrom(...COMPLAINT_TYPES)),
    region: fc.option(slug),
    protectedCharacteristics: fc.subarray([...PROTECTED_CHARACTERISTICS]),
    complaintReceived: fc.option(date),
    hearing: fc.option(date),
    allegations: fc.uniqueArray(fc.record({ number: fc.integer({ min: 1, max: 6 }), conductCategoryId: either(categoryIds) }), {
      selector: (entry) => entry.number,
      minLength: 1,
      maxLength: 6,
    }),
    participants: fc.array(
      fc.record({
        keep: fc.boolean(),
        role: fc.constantFrom(...PARTICIPANT_ROLES),
        office: optional(fc.constantFrom('leaders-office', 'deputy-leaders-office', 'regional-office')),
        capacity: optional(fc.constantFrom('lawyer', 'lay-member', 'hr-regulatory-expert')),
        trainingCompleted: optional(date),
        firstInvolvement: optional(date),
        declaration: optional(fc.record({ conflict: fc.boolean(), recused: fc.boolean() })),
      }),
      { minLength: baseCase.participants.length, maxLength: baseCase.participants.length },
    ),
  })
  .map((generated) => {
    let { complaintReceived, hearing } = generated;
    if (complaintReceived && hearing && hearing < complaintReceived) [complaintReceived, hearing] = [hearing, complaintReceived];
    const participants = baseCase.participants.flatMap((base, index) => {
      const { keep, ...changes } = generated.participants[index]!;
      if (!keep) return [];
      const firstInvolvement = changes.firstInvolvement && complaintReceived && changes.firstInvolvement < complaintReceived ? complaintReceived : changes.firstInvolvement;
      return [{ id: base.id, name: base.name, fingerprint: base.fingerprint, ...changes, firstInvolvement }];
    });
    return {
      ...baseCase,
      decidingBody: generated.decidingBody,
      complaintType: generated.complaintType,
      region: generated.region,
      protectedCharacteristics: generated.protectedCharacteristics,
      dates: { complaintReceived, hearing },
      allegations: generated.allegations.map((entry) => ({ ...entry, text: `Allegation ${entry.number}.`, ruleReference: 'Rule Book 2.I.8' })),
      participants,
    };
  });

const historyArbitrary: fc.Arbitrary<HistoricalOutcome[]> = fc.array(
  fc.record({ category: either(categoryIds), band: either(bandIds), sanctionRungId: either(rungIds) }),
  { maxLength: 12 },
);

describe('the checker never throws', () => {
  it('on any case and draft the schemas accept, answering in the result schema', () => {
    fc.assert(
      fc.property(caseArbitrary, draftArbitrary, historyArbitrary, (caseInput, draftInput, history) => {
        const caseFile = CaseFile.parse(caseInput);
        const draft = DecisionDraft.parse(draftInput);
        const result = checkDecision(CRITERIA, caseFile, draft, { history });
        CheckResultSchema.parse(result);
        // A finding is identified by rule and fieldKey (acknowledgements name it): never two alike.
        const keys = result.findings.map((finding) => `${finding.ruleId} ${finding.fieldKey}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 3_000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Breaking and fixing fields. Paths are those findings cite: bare into the draft, "case." into the case file.

interface Inputs {
  caseFile: CaseFile;
  draft: DecisionDraft;
}

type Container = Record<string, unknown> | unknown[];
const isContainer = (value: unknown): value is Container => typeof value === 'object' && value !== null;

function locate(inputs: Inputs, path: string): { root: unknown; segments: string[] } {
  const segments = path.split('.');
  if (segments[0] === 'case') return { root: inputs.caseFile, segments: segments.slice(1) };
  return { root: inputs.draft, segments };
}

function read(inputs: Inputs, path: string): unknown {
  const { root, segments } = locate(inputs, path);
  let value: unknown = root;
  for (const segment of segments) value = isContainer(value) ? (value as Record<string, unknown>)[segment] : undefined;
  return value;
}

function write(inputs: Inputs, path: string, value: unknown): void {
  const { root, segments } = locate(inputs, path);
  let container = root as Container;
  for (const segment of segments.slice(0, -1)) container = (container as Record<string, unknown>)[segment] as Container;
  const last = segments[segments.length - 1]!;
  if (value === undefined) delete (container as Record<string, unknown>)[last];
  else (container as Record<string, unknown>)[last] = value;
}

/** Puts back the baseline's value at the path, or at its first ancestor the broken input lacks. */
function restore(inputs: Inputs, baseline: Inputs, path: string): void {
  const segments = path.split('.');
  for (let length = 1; length <= segments.length; length++) {
    const prefix = segments.slice(0, length).join('.');
    if (prefix === 'case') continue;
    const current = read(inputs, prefix);
    if (length === segments.length || !isContainer(current)) {
      write(inputs, prefix, structuredClone(read(baseline, prefix)));
      return;
    }
  }
}

const shortText = (max: number) => fc.string({ maxLength: max - 1 }).map((value) => value.slice(0, max - 1));

/** One way to break the baseline: a path and the bad value written there (undefined deletes it). */
const breakage: fc.Arbitrary<{ path: string; value: unknown }> = fc.oneof(
  fc.record({ path: fc.constantFrom('allegations.0.reasons', 'allegations.1.reasons', 'allegations.2.reasons'), value: shortText(20) }),
  fc.record({ path: fc.constantFrom('allegations.0.finding', 'allegations.2.finding'), value: fc.constant(null) }),
  fc.record({ path: fc.constantFrom('seriousness.culpability', 'seriousness.harm'), value: shortText(10) }),
  fc.record({ path: fc.constantFrom('seriousness.aggravating', 'seriousness.mitigating'), value: fc.constantFrom(null, []) }),
  fc.record({ path: fc.constant('seriousness.mitigating'), value: slug.map((id) => [{ factorId: `x-${id}` }]) }),
  fc.record({ path: fc.constant('seriousness.band'), value: fc.constantFrom(null, 'no-such-band') }),
  fc.record({ path: fc.constant('sanction.parameters.term-months'), value: fc.oneof(fc.constant(undefined), fc.integer({ min: 61, max: 10_000 })) }),
  fc.record({ path: fc.constant('sanction.parameters.scope'), value: fc.constantFrom(undefined, 'branch', 7) }),
  fc.record({
    path: fc.constantFrom(...rungIds.slice(0, 4).map((id) => `sanction.lesserRungReasons.${id}`)),
    value: fc.oneof(fc.constant(undefined), shortText(20)),
  }),
  fc.record({ path: fc.constant('sanction.nextRungReason'), value: fc.oneof(fc.constant(undefined), shortText(20)) }),
  fc.record({ path: fc.constant('orders.educationCourse'), value: fc.constant(null) }),
  fc.record({ path: fc.constant('orders.educationCourse.dueDate'), value: fc.integer({ min: 29, max: 400 }).map((days) => addDays(DATES.decision, days)) }),
  fc.record({ path: fc.constant('procedural.lawyerAdvice'), value: fc.constant(null) }),
  fc.record({ path: fc.constant('procedural.lawyerAdvice.summary'), value: shortText(40) }),
  fc.record({ path: fc.constant('procedural.attendance.1.present'), value: fc.constant(false) }),
  fc.record({ path: fc.constant('publicationSummary'), value: fc.oneof(shortText(80), fc.constantFrom(...baseCase.participants.map((p) => `${baselineDraft().publicationSummary} ${p.name}`))) }),
  fc.record({ path: fc.constantFrom('decisionDate', 'case.region', 'case.complaintType', 'case.dates.hearing'), value: fc.constant(null) }),
  fc.record({ path: fc.constantFrom(...baseCase.participants.map((_, i) => `case.participants.${i}.office`)), value: fc.constantFrom('leaders-office', 'deputy-leaders-office') }),
  fc.record({
    path: fc.constantFrom(...baseCase.participants.map((_, i) => `case.participants.${i}.trainingCompleted`)),
    value: fc.integer({ min: dayNumber('2026-04-02'), max: dayNumber('2026-04-19') }).map((day) => addDays('1970-01-01', day)),
  }),
);

function baselineInputs(): Inputs {
  return { caseFile: baselineCase(), draft: baselineDraft() };
}

function check(inputs: Inputs, history: readonly HistoricalOutcome[]) {
  const caseFile = CaseFile.parse(inputs.caseFile);
  const draft = DecisionDraft.parse(inputs.draft);
  return checkDecision(CRITERIA, caseFile, draft, { history }).findings.filter((finding) => finding.severity !== 'info');
}

describe('fixing the cited field clears the finding', () => {
  it('after one field of the valid baseline is broken', () => {
    const baseline = baselineInputs();
    const history = baselineHistory();
    fc.assert(
      fc.property(breakage, ({ path, value }) => {
        const broken = baselineInputs();
        write(broken, path, structuredClone(value));
        const findings = check(broken, history);
        expect(findings.length).toBeGreaterThan(0);
        for (const finding of findings) {
          const fixed = structuredClone(broken);
          restore(fixed, baseline, finding.fields[0]!);
          const after = check(fixed, history);
          expect(after.some((other) => other.ruleId === finding.ruleId && other.fieldKey === finding.fieldKey), `${finding.ruleId} ${finding.fieldKey}`).toBe(false);
        }
      }),
      { numRuns: 1_000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('and fixing the first finding, again and again, ends with nothing to block or warn', () => {
    const baseline = baselineInputs();
    const history = baselineHistory();
    fc.assert(
      fc.property(fc.array(breakage, { minLength: 2, maxLength: 6 }), (breakages) => {
        const draft = baselineInputs();
        for (const { path, value } of breakages) {
          // A later breakage may sit under a field an earlier one removed; it then has nothing to break.
          try {
            write(draft, path, structuredClone(value));
          } catch {
            continue;
          }
        }
        // Schemas first: some combinations (a course due before a later decision date …) are not drafts at all.
        if (!CaseFile.safeParse(draft.caseFile).success || !DecisionDraft.safeParse(draft.draft).success) return;
        for (let step = 0; step < 40; step++) {
          const findings = check(draft, history);
          if (findings.length === 0) return;
          const before = JSON.stringify(draft);
          restore(draft, baseline, findings[0]!.fields[0]!);
          expect(JSON.stringify(draft), `fixing ${findings[0]!.ruleId} ${findings[0]!.fieldKey} changed nothing`).not.toBe(before);
        }
        throw new Error('Fixing findings one by one did not converge.');
      }),
      { numRuns: 500, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });
});
