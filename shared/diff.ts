// What changed between two revisions of a decision draft, field by field, for the panel member who imports the
// chair's latest draft. Pure (no Node, no DOM) so the renderer can show it and the service can return it.
//
// Entries of lists are matched by what they are, not where they stand: allegations by number, declarations,
// training and attendance by participant, factors by factor id, acknowledgements by rule and field. Reordering
// therefore changes nothing, and an edit to allegation 2 is reported against allegation 2 wherever it moved.
// Each change carries the field's path in the newer draft (the older one for a removal), in the same form as the
// checker's finding fields ("allegations.1.reasons"), so a click can focus it.
import { z } from 'zod';
import type { CaseFile } from './domain/case';
import type { CriteriaDocument } from './domain/criteria';
import type { DecisionDraft, FactorAssessment } from './domain/decision';

export const DiffValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type DiffValue = z.infer<typeof DiffValue>;

export const DraftChangeSchema = z.strictObject({
  /** Path of the field in the newer draft (in the older one when the field was removed). */
  path: z.string(),
  /** Plain words for the field, e.g. "Allegation 2 · Reasons". */
  label: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  /** Null when the field was absent (or null) before. */
  before: DiffValue.nullable(),
  /** Null when the field is absent (or null) now. */
  after: DiffValue.nullable(),
});
export type DraftChange = z.infer<typeof DraftChangeSchema>;

/** Names to use in labels instead of ids; every entry optional (ids are shown when a name is missing). */
export interface DiffLabels {
  participants?: Readonly<Record<string, string>>;
  rungs?: Readonly<Record<string, string>>;
  factors?: Readonly<Record<string, string>>;
  bands?: Readonly<Record<string, string>>;
  parameters?: Readonly<Record<string, string>>;
  rules?: Readonly<Record<string, string>>;
}

/** Labels for a draft of this case under these criteria. */
export function draftDiffLabels(criteria: CriteriaDocument, caseFile: CaseFile): DiffLabels {
  const map = <T>(items: readonly T[], key: (item: T) => string, value: (item: T) => string) =>
    Object.fromEntries(items.map((item) => [key(item), value(item)])) as Record<string, string>;
  return {
    participants: map(caseFile.participants, (p) => p.id, (p) => p.name),
    rungs: map(criteria.ladder, (r) => r.id, (r) => r.label),
    factors: map([...criteria.aggravatingFactors, ...criteria.mitigatingFactors], (f) => f.id, (f) => f.label),
    bands: map(criteria.seriousnessBands, (b) => b.id, (b) => b.label),
    parameters: map(criteria.ladder.flatMap((r) => r.parameters), (p) => p.id, (p) => p.label),
    rules: map(criteria.rules, (r) => r.id, (r) => r.title),
  };
}

interface Leaf {
  /** Identity across drafts (independent of array positions). */
  key: string;
  path: string;
  label: string;
  value: DiffValue;
}

const name = (table: Readonly<Record<string, string>> | undefined, id: string): string =>
  table && Object.hasOwn(table, id) ? table[id]! : id;

function flatten(draft: DecisionDraft, labels: DiffLabels): Leaf[] {
  const leaves: Leaf[] = [];
  const add = (key: string, path: string, label: string, value: DiffValue | null | undefined): void => {
    if (value === null || value === undefined) return;
    leaves.push({ key, path, label, value: Array.isArray(value) ? [...value] : value });
  };
  const person = (id: string) => name(labels.participants, id);

  add('status', 'status', 'Status', draft.status);
  add('decisionDate', 'decisionDate', 'Decision date', draft.decisionDate);

  const procedural = draft.procedural;
  procedural.attendance.forEach((entry, i) =>
    add(`attendance#${entry.participantId}`, `procedural.attendance.${i}.present`, `Attendance · ${person(entry.participantId)}`, entry.present ? 'present' : 'absent'),
  );
  if (procedural.lawyerAdvice) {
    add('lawyerAdvice.summary', 'procedural.lawyerAdvice.summary', "Lawyer's advice · Summary", procedural.lawyerAdvice.summary);
    add('lawyerAdvice.givenOn', 'procedural.lawyerAdvice.givenOn', "Lawyer's advice · Given on", procedural.lawyerAdvice.givenOn);
  }
  procedural.declarations.forEach((entry, i) => {
    const key = `declaration#${entry.participantId}`;
    const base = `procedural.declarations.${i}`;
    const who = `Declaration · ${person(entry.participantId)}`;
    add(`${key}.conflict`, `${base}.conflict`, `${who} · Conflict of interest`, entry.conflict ? 'yes' : 'no');
    add(`${key}.details`, `${base}.details`, `${who} · Details`, entry.details);
    add(`${key}.recused`, `${base}.recused`, `${who} · Stepped aside`, entry.recused ? 'yes' : 'no');
    add(`${key}.declaredOn`, `${base}.declaredOn`, `${who} · Declared on`, entry.declaredOn);
  });
  procedural.training.forEach((entry, i) =>
    add(`training#${entry.participantId}`, `procedural.training.${i}.completedOn`, `Training · ${person(entry.participantId)}`, entry.completedOn),
  );

  draft.allegations.forEach((entry, i) => {
    const key = `allegation#${entry.number}`;
    const base = `allegations.${i}`;
    const which = `Allegation ${entry.number}`;
    add(`${key}.facts`, `${base}.facts`, `${which} · Facts found`, entry.facts);
    add(`${key}.evidenceRefs`, `${base}.evidenceRefs`, `${which} · Evidence relied on`, entry.evidenceRefs.length > 0 ? entry.evidenceRefs : null);
    add(`${key}.finding`, `${base}.finding`, `${which} · Finding`, entry.finding);
    add(`${key}.reasons`, `${base}.reasons`, `${which} · Reasons`, entry.reasons);
  });

  const seriousness = draft.seriousness;
  if (seriousness) {
    add('seriousness.band', 'seriousness.band', 'Seriousness · Band', seriousness.band === null ? null : name(labels.bands, seriousness.band));
    add('seriousness.culpability', 'seriousness.culpability', 'Seriousness · Culpability', seriousness.culpability);
    add('seriousness.harm', 'seriousness.harm', 'Seriousness · Harm', seriousness.harm);
    const factors = (kind: 'aggravating' | 'mitigating', title: string, assessment: FactorAssessment) => {
      if (assessment === 'none') add(`seriousness.${kind}`, `seriousness.${kind}`, `${title} factors`, 'none');
      else
        assessment?.forEach((factor, i) =>
          add(`seriousness.${kind}#${factor.factorId}`, `seriousness.${kind}.${i}`, `${title} factor · ${name(labels.factors, factor.factorId)}`, factor.note ?? ''),
        );
    };
    factors('aggravating', 'Aggravating', seriousness.aggravating);
    factors('mitigating', 'Mitigating', seriousness.mitigating);
    add('seriousness.hostility', 'seriousness.hostilityNotAggravatingReason', 'Seriousness · Why hostility is not aggravating', seriousness.hostilityNotAggravatingReason);
  }

  const sanction = draft.sanction;
  if (sanction) {
    add('sanction.rungId', 'sanction.rungId', 'Sanction', name(labels.rungs, sanction.rungId));
    for (const [id, value] of Object.entries(sanction.parameters)) {
      add(`sanction.parameters#${id}`, `sanction.parameters.${id}`, `Sanction · ${name(labels.parameters, id)}`, value);
    }
    for (const [id, reason] of Object.entries(sanction.lesserRungReasons)) {
      add(`sanction.lesser#${id}`, `sanction.lesserRungReasons.${id}`, `Why not ${name(labels.rungs, id)}`, reason);
    }
    add('sanction.nextRungReason', 'sanction.nextRungReason', 'Why not the next more serious sanction', sanction.nextRungReason);
    add('sanction.departureReason', 'sanction.departureReason', 'Why the sanction departs from the indicated range', sanction.departureReason);
  }

  add('orders.educationCourse', 'orders.educationCourse.dueDate', 'Order · Education course due by', draft.orders.educationCourse?.dueDate);
  if (draft.orders.referral) {
    add('orders.referral.to', 'orders.referral.to', 'Order · Referral to', draft.orders.referral.to);
    add('orders.referral.reason', 'orders.referral.reason', 'Order · Reason for referral', draft.orders.referral.reason);
  }
  add('delayExplanation', 'delayExplanation', 'Why the timescale was not met', draft.delayExplanation);
  add('publicationSummary', 'publicationSummary', 'Summary for publication', draft.publicationSummary);

  draft.acknowledgements.forEach((entry, i) => {
    const scope = entry.fieldKey === undefined ? 'every warning' : entry.fieldKey;
    add(`ack#${entry.ruleId}#${entry.fieldKey ?? '*'}`, `acknowledgements.${i}.reason`, `Warning acknowledged · ${name(labels.rules, entry.ruleId)} (${scope})`, entry.reason);
  });
  return leaves;
}

function sameValue(a: DiffValue, b: DiffValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => item === b[i]);
  }
  return a === b;
}

/**
 * Every field that differs between two drafts of the same case, in the newer draft's order (a removed field is
 * listed where it stood). The revision number and author, which differ on every save, are not changes of content.
 */
export function diffDecisionDrafts(before: DecisionDraft, after: DecisionDraft, labels: DiffLabels = {}): DraftChange[] {
  const old = flatten(before, labels);
  const now = flatten(after, labels);
  const oldByKey = new Map(old.map((leaf) => [leaf.key, leaf]));
  const nowKeys = new Set(now.map((leaf) => leaf.key));

  // Removed fields go straight after the nearest earlier field of the older draft that still exists.
  const removedAfter = new Map<string | null, Leaf[]>();
  let anchor: string | null = null;
  for (const leaf of old) {
    if (nowKeys.has(leaf.key)) {
      anchor = leaf.key;
      continue;
    }
    removedAfter.set(anchor, [...(removedAfter.get(anchor) ?? []), leaf]);
  }
  const removal = (leaf: Leaf): DraftChange => ({ path: leaf.path, label: leaf.label, kind: 'removed', before: leaf.value, after: null });

  const changes: DraftChange[] = (removedAfter.get(null) ?? []).map(removal);
  for (const leaf of now) {
    const previous = oldByKey.get(leaf.key);
    if (!previous) changes.push({ path: leaf.path, label: leaf.label, kind: 'added', before: null, after: leaf.value });
    else if (!sameValue(previous.value, leaf.value)) changes.push({ path: leaf.path, label: leaf.label, kind: 'changed', before: previous.value, after: leaf.value });
    for (const gone of removedAfter.get(leaf.key) ?? []) changes.push(removal(gone));
  }
  return changes;
}
