// The sanctions criteria document: the published, versioned, signed data a decision is checked against
// (action plan 2.3). Every value a check uses — the ladder, ranges, timescales, who must be trained, the
// course deadline — lives here, never in code; the code only knows how to apply each kind of rule.
// The format is specified in docs/criteria.md.
import { z } from 'zod';
import { IsoDate, Slug } from './common';
import { CriteriaReference, DecidingBody } from './case';
import { ParticipantRole } from './profile';

export const CRITERIA_FORMAT = 'hearing-desk/sanctions-criteria@1';

const Label = z.string().trim().min(1).max(200);
const Explanation = z.string().trim().min(1).max(2_000);
const Days = z.int().min(0).max(3_650);
const MinLength = z.int().min(1).max(2_000);

/** Where a rule comes from: a paragraph of a published document, with its gist so the UI can show it. */
export const Citation = z.strictObject({
  source: Slug,
  paragraph: z.string().trim().min(1).max(40),
  text: Explanation,
});
export type Citation = z.infer<typeof Citation>;

export const Source = z.strictObject({
  id: Slug,
  title: Label,
  publisher: Label,
  published: IsoDate,
  url: z.string().max(500).optional(),
});
export type Source = z.infer<typeof Source>;

const NumericParameter = z.strictObject({
  id: Slug,
  label: Label,
  kind: z.literal('term'),
  unit: z.enum(['days', 'weeks', 'months', 'years']),
  // Bounded like the terms a decision may record (SanctionParameterValue), so no rung is impossible to impose.
  min: z.int().min(1).max(10_000),
  max: z.int().min(1).max(10_000),
  required: z.boolean(),
});
const ChoiceParameter = z.strictObject({
  id: Slug,
  label: Label,
  kind: z.literal('choice'),
  options: z.array(z.strictObject({ id: Slug, label: Label })).min(2),
  required: z.boolean(),
});
export const RungParameter = z.discriminatedUnion('kind', [NumericParameter, ChoiceParameter]);
export type RungParameter = z.infer<typeof RungParameter>;

/** One rung of the sanction ladder; the ladder is listed least serious first. */
export const SanctionRung = z.strictObject({
  id: Slug,
  label: Label,
  description: Explanation,
  /** The quarterly-publication category this outcome counts under (action plan 2.4 (iii)). */
  outcomeCategory: Slug,
  parameters: z.array(RungParameter).max(10),
  imposedBy: z.array(DecidingBody).min(1),
  citation: Citation,
});
export type SanctionRung = z.infer<typeof SanctionRung>;

export const SeriousnessBand = z.strictObject({ id: Slug, label: Label, description: Explanation });
export type SeriousnessBand = z.infer<typeof SeriousnessBand>;

export const IndicatedRange = z.strictObject({ band: Slug, from: Slug, to: Slug });
export type IndicatedRange = z.infer<typeof IndicatedRange>;

export const ConductCategory = z.strictObject({
  id: Slug,
  label: Label,
  description: Explanation,
  /** Tags rules select categories by (e.g. "antisemitism", "protected-characteristic-hostility"). */
  tags: z.array(Slug).max(20),
  /** One range per seriousness band, each from a less (or equally) serious rung to a more serious one. */
  indicatedRanges: z.array(IndicatedRange).min(1),
  citation: Citation,
});
export type ConductCategory = z.infer<typeof ConductCategory>;

export const Factor = z.strictObject({ id: Slug, label: Label, citation: Citation });
export type Factor = z.infer<typeof Factor>;

export const OutcomeCategory = z.strictObject({ id: Slug, label: Label });

const RuleBase = {
  id: Slug,
  /** What a violation does: "block" prevents finalising; "warn" must be acknowledged with a reason. */
  severity: z.enum(['block', 'warn']),
  /** The rule in one plain sentence. */
  title: Explanation,
  citation: Citation,
};

const PanelComposition = z.strictObject({
  body: DecidingBody,
  minMembers: z.int().min(1).max(50),
  maxMembers: z.int().min(1).max(50),
  /** The capacity the chair must hold (e.g. "lawyer"), if any. */
  chairCapacity: Slug.optional(),
  /** Seats that must be filled by members of a given capacity. */
  seats: z.array(z.strictObject({ capacity: Slug, count: z.int().min(1).max(50) })).max(10),
});

const TimeLimit = z.strictObject({
  id: Slug,
  label: Label,
  from: z.enum(['complaint-received', 'hearing']),
  to: z.enum(['hearing', 'decision']),
  maxDays: Days,
  /** Only for these bodies; every body when absent. */
  bodies: z.array(DecidingBody).min(1).optional(),
});

export const PUBLICATION_FIELDS = [
  'complaint-type',
  'region',
  'deciding-body',
  'outcome-category',
  'complaint-received',
  'hearing-date',
  'decision-date',
  'publication-summary',
] as const;

export const Rule = z.discriminatedUnion('check', [
  z.strictObject({ ...RuleBase, check: z.literal('criteria-in-force') }),
  z.strictObject({ ...RuleBase, check: z.literal('allegation-findings'), minReasonLength: MinLength }),
  z.strictObject({ ...RuleBase, check: z.literal('seriousness-assessed'), minTextLength: MinLength }),
  z.strictObject({ ...RuleBase, check: z.literal('sanction-available') }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('no-sanction-without-proven-allegation'),
    /** Rungs that may still be recorded when nothing is proven (e.g. "no further action"). */
    permittedRungIds: z.array(Slug).max(20),
  }),
  z.strictObject({ ...RuleBase, check: z.literal('indicated-range'), minReasonLength: MinLength }),
  z.strictObject({ ...RuleBase, check: z.literal('lesser-rungs-explained'), minReasonLength: MinLength }),
  z.strictObject({ ...RuleBase, check: z.literal('next-rung-explained'), minReasonLength: MinLength }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('hostility-aggravating'),
    /** Proven conduct in a category with one of these tags shows hostility on a protected characteristic. */
    conductTags: z.array(Slug).min(1),
    /** Aggravating factors that record that hostility. */
    factorIds: z.array(Slug).min(1),
    minReasonLength: MinLength,
  }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('education-course'),
    conductTags: z.array(Slug).min(1),
    exemptRungIds: z.array(Slug).max(20),
    dueWithinDays: Days,
  }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('external-lawyer'),
    /** Every case before these bodies needs a lawyer … */
    bodies: z.array(DecidingBody).max(3),
    /** … and so does every case with an allegation in a category with one of these tags. */
    conductTags: z.array(Slug).max(20),
    minAdviceLength: MinLength,
  }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('training-before-involvement'),
    roles: z.array(ParticipantRole).min(1),
    /** Whether training on the day of first involvement counts as before it. */
    sameDayCounts: z.boolean(),
  }),
  z.strictObject({ ...RuleBase, check: z.literal('conflict-declarations'), roles: z.array(ParticipantRole).min(1) }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('barred-offices'),
    offices: z.array(z.strictObject({ id: Slug, label: Label })).min(1),
  }),
  z.strictObject({ ...RuleBase, check: z.literal('panel-composition'), panels: z.array(PanelComposition).min(1) }),
  z.strictObject({ ...RuleBase, check: z.literal('timescales'), limits: z.array(TimeLimit).min(1), minReasonLength: MinLength }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('publication-fields'),
    fields: z.array(z.enum(PUBLICATION_FIELDS)).min(1),
    minSummaryLength: MinLength,
  }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('publication-names'),
    /** "full-name": a participant's whole name; "name-part": any part of it at least minPartLength long. */
    match: z.enum(['full-name', 'name-part']),
    minPartLength: z.int().min(2).max(40),
  }),
  z.strictObject({
    ...RuleBase,
    check: z.literal('consistency'),
    maxRungDistance: z.number().min(0).max(20),
    minComparableCases: z.int().min(1).max(10_000),
  }),
]);
export type Rule = z.infer<typeof Rule>;
export type RuleCheck = Rule['check'];
export type RuleOf<C extends RuleCheck> = Extract<Rule, { check: C }>;

/** Who must sign an outcome record (consumed by the outcome-record signing, not by the checker). */
export const SignatureRequirement = z.strictObject({
  role: ParticipantRole,
  /** "all-sitting": every non-recused holder of the role; "one": at least one of them. */
  who: z.enum(['all-sitting', 'one']),
  purpose: z.enum(['decision', 'attest-advice', 'attest-record']),
  /** The statement the signer makes, shown before they sign. */
  statement: Explanation,
});
export type SignatureRequirement = z.infer<typeof SignatureRequirement>;

const CriteriaDocumentObject = z.strictObject({
    format: z.literal(CRITERIA_FORMAT),
    id: Slug,
    version: CriteriaReference.shape.version,
    title: Label,
    /** A sample document is illustrative only; its title must say SAMPLE and the UI must show it. */
    sample: z.boolean(),
    publisher: z.strictObject({ name: Label, role: z.literal('central-office') }),
    publishedOn: IsoDate,
    effectiveFrom: IsoDate,
    effectiveUntil: IsoDate.nullable(),
    sources: z.array(Source).min(1),
    outcomeCategories: z.array(OutcomeCategory).min(1),
    /** The publication category of a case in which nothing was proven. */
    notProvenOutcomeCategory: Slug,
    ladder: z.array(SanctionRung).min(2),
    seriousnessBands: z.array(SeriousnessBand).min(1),
    conductCategories: z.array(ConductCategory).min(1),
    aggravatingFactors: z.array(Factor).min(1),
    mitigatingFactors: z.array(Factor).min(1),
    rules: z.array(Rule).min(1),
    outcomeSignatures: z.strictObject({ requirements: z.array(SignatureRequirement).min(1), citation: Citation }),
});
export const CriteriaDocument = CriteriaDocumentObject.superRefine((doc, ctx) => checkCrossReferences(doc, ctx));
export type CriteriaDocument = z.infer<typeof CriteriaDocument>;

type Issue = (path: (string | number)[], message: string) => void;

function uniqueIds(items: readonly { id: string }[], path: (string | number)[], issue: Issue): Set<string> {
  const ids = new Set<string>();
  items.forEach((item, index) => {
    if (ids.has(item.id)) issue([...path, index, 'id'], `The id "${item.id}" is used twice.`);
    ids.add(item.id);
  });
  return ids;
}

/** Every id a document refers to must exist in it, so the checker never meets a dangling reference. */
function checkCrossReferences(doc: z.infer<typeof CriteriaDocumentObject>, ctx: z.RefinementCtx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: 'custom', path, message });
  const sources = uniqueIds(doc.sources, ['sources'], issue);
  const outcomeCategories = uniqueIds(doc.outcomeCategories, ['outcomeCategories'], issue);
  const rungs = uniqueIds(doc.ladder, ['ladder'], issue);
  const bands = uniqueIds(doc.seriousnessBands, ['seriousnessBands'], issue);
  const categories = uniqueIds(doc.conductCategories, ['conductCategories'], issue);
  uniqueIds(doc.aggravatingFactors, ['aggravatingFactors'], issue);
  uniqueIds(doc.mitigatingFactors, ['mitigatingFactors'], issue);
  const aggravating = new Set(doc.aggravatingFactors.map((factor) => factor.id));
  uniqueIds(doc.rules, ['rules'], issue);
  const tags = new Set(doc.conductCategories.flatMap((category) => category.tags));
  const rungOrder = new Map(doc.ladder.map((rung, index) => [rung.id, index]));

  const citation = (value: Citation, path: (string | number)[]) => {
    if (!sources.has(value.source)) issue([...path, 'source'], `Unknown source "${value.source}".`);
  };
  const known = (set: Set<string>, what: string, ids: readonly string[], path: (string | number)[]) => {
    ids.forEach((id, index) => {
      if (!set.has(id)) issue([...path, index], `Unknown ${what} "${id}".`);
    });
  };

  if (doc.sample && !doc.title.includes('SAMPLE')) issue(['title'], 'A sample document must say SAMPLE in its title.');
  // Criteria bind panels only once published (a challenge turned on an unpublished code being applied).
  if (doc.effectiveFrom < doc.publishedOn) issue(['effectiveFrom'], 'The document cannot come into force before it is published.');
  if (doc.effectiveUntil && doc.effectiveUntil < doc.effectiveFrom) {
    issue(['effectiveUntil'], 'The document cannot stop being in force before it starts.');
  }
  if (!outcomeCategories.has(doc.notProvenOutcomeCategory)) {
    issue(['notProvenOutcomeCategory'], `Unknown outcome category "${doc.notProvenOutcomeCategory}".`);
  }
  doc.ladder.forEach((rung, index) => {
    citation(rung.citation, ['ladder', index, 'citation']);
    if (!outcomeCategories.has(rung.outcomeCategory)) issue(['ladder', index, 'outcomeCategory'], `Unknown outcome category "${rung.outcomeCategory}".`);
    uniqueIds(rung.parameters, ['ladder', index, 'parameters'], issue);
    rung.parameters.forEach((parameter, p) => {
      if (parameter.kind === 'term' && parameter.min > parameter.max) {
        issue(['ladder', index, 'parameters', p, 'max'], 'The maximum term is below the minimum.');
      }
    });
  });
  doc.conductCategories.forEach((category, index) => {
    const path = ['conductCategories', index];
    citation(category.citation, [...path, 'citation']);
    const covered = new Set<string>();
    category.indicatedRanges.forEach((range, r) => {
      const rangePath = [...path, 'indicatedRanges', r];
      if (!bands.has(range.band)) issue([...rangePath, 'band'], `Unknown seriousness band "${range.band}".`);
      if (covered.has(range.band)) issue([...rangePath, 'band'], `Band "${range.band}" has two ranges.`);
      covered.add(range.band);
      const from = rungOrder.get(range.from);
      const to = rungOrder.get(range.to);
      if (from === undefined) issue([...rangePath, 'from'], `Unknown rung "${range.from}".`);
      if (to === undefined) issue([...rangePath, 'to'], `Unknown rung "${range.to}".`);
      if (from !== undefined && to !== undefined && from > to) issue([...rangePath, 'to'], 'A range must run from the less serious rung to the more serious.');
    });
    for (const band of bands) if (!covered.has(band)) issue([...path, 'indicatedRanges'], `No range for band "${band}".`);
  });
  for (const key of ['aggravatingFactors', 'mitigatingFactors'] as const) {
    doc[key].forEach((factor, index) => citation(factor.citation, [key, index, 'citation']));
  }
  const aggravatingIds = new Set(doc.aggravatingFactors.map((factor) => factor.id));
  doc.mitigatingFactors.forEach((factor, index) => {
    if (aggravatingIds.has(factor.id)) issue(['mitigatingFactors', index, 'id'], `"${factor.id}" is both aggravating and mitigating.`);
  });
  citation(doc.outcomeSignatures.citation, ['outcomeSignatures', 'citation']);

  doc.rules.forEach((rule, index) => {
    const path = ['rules', index];
    citation(rule.citation, [...path, 'citation']);
    switch (rule.check) {
      case 'no-sanction-without-proven-allegation':
        known(rungs, 'rung', rule.permittedRungIds, [...path, 'permittedRungIds']);
        break;
      case 'hostility-aggravating':
        known(tags, 'conduct tag', rule.conductTags, [...path, 'conductTags']);
        known(aggravating, 'aggravating factor', rule.factorIds, [...path, 'factorIds']);
        break;
      case 'education-course':
        known(tags, 'conduct tag', rule.conductTags, [...path, 'conductTags']);
        known(rungs, 'rung', rule.exemptRungIds, [...path, 'exemptRungIds']);
        break;
      case 'external-lawyer':
        known(tags, 'conduct tag', rule.conductTags, [...path, 'conductTags']);
        break;
      case 'panel-composition': {
        const bodies = new Set<string>();
        rule.panels.forEach((panel, p) => {
          if (bodies.has(panel.body)) issue([...path, 'panels', p, 'body'], `Two compositions for "${panel.body}".`);
          bodies.add(panel.body);
          if (panel.minMembers > panel.maxMembers) issue([...path, 'panels', p, 'maxMembers'], 'The maximum is below the minimum.');
          const seats = panel.seats.reduce((sum, seat) => sum + seat.count, 0);
          if (seats > panel.maxMembers) issue([...path, 'panels', p, 'seats'], 'More seats than members.');
        });
        break;
      }
      case 'timescales':
        uniqueIds(rule.limits, [...path, 'limits'], issue);
        rule.limits.forEach((limit, l) => {
          if (limit.from === 'hearing' && limit.to === 'hearing') issue([...path, 'limits', l, 'to'], 'A limit must end after it starts.');
        });
        break;
      default:
        break;
    }
  });
}

/** The reference a case file stores for this document. */
export function criteriaReferenceOf(doc: CriteriaDocument): { id: string; version: string } {
  return { id: doc.id, version: doc.version };
}
