// Everything the rules look up, computed once per check: indexes over the criteria, each case allegation
// with its decision, what is proven, the chosen rung, and each participant's effective record.
import { z } from 'zod';
import { Slug } from '../domain/common';
import type { Allegation, CaseFile } from '../domain/case';
import type { ConductCategory, CriteriaDocument, SanctionRung, SeriousnessBand } from '../domain/criteria';
import type { AllegationDecision, DecisionDraft } from '../domain/decision';
import { effectiveParticipants, type EffectiveParticipant } from '../domain/outcome';

/** An earlier anonymised outcome, as the central office publishes them (action plan 4.2). */
export const HistoricalOutcome = z.strictObject({ category: Slug, band: Slug, sanctionRungId: Slug });
export type HistoricalOutcome = z.infer<typeof HistoricalOutcome>;

export interface CheckContext {
  /** Earlier outcomes to compare the sanction with; the consistency rule reports when there are too few. */
  history?: readonly HistoricalOutcome[];
}

export interface AllegationRecord {
  caseIndex: number;
  allegation: Allegation;
  category: ConductCategory | null;
  /** The draft's entry for this allegation, and its index in draft.allegations. */
  entry: AllegationDecision | null;
  entryIndex: number;
}

export interface PreparedCheck {
  criteria: CriteriaDocument;
  caseFile: CaseFile;
  draft: DecisionDraft;
  history: readonly HistoricalOutcome[];
  rungIndex: ReadonlyMap<string, number>;
  rungs: ReadonlyMap<string, SanctionRung>;
  bands: ReadonlyMap<string, SeriousnessBand>;
  categories: ReadonlyMap<string, ConductCategory>;
  allegations: readonly AllegationRecord[];
  proven: readonly AllegationRecord[];
  anyProven: boolean;
  /** Every case allegation has a finding. */
  allDecided: boolean;
  /** The chosen rung, when the sanction names one the criteria know. */
  chosen: { rung: SanctionRung; index: number } | null;
  /** The band, when the draft names one the criteria know. */
  band: SeriousnessBand | null;
  participants: readonly EffectiveParticipant[];
}

const byId = <T extends { id: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((item) => [item.id, item]));

export function prepare(criteria: CriteriaDocument, caseFile: CaseFile, draft: DecisionDraft, context: CheckContext): PreparedCheck {
  const rungs = byId(criteria.ladder);
  const rungIndex = new Map(criteria.ladder.map((rung, index) => [rung.id, index]));
  const categories = byId(criteria.conductCategories);
  const bands = byId(criteria.seriousnessBands);
  const entryIndexByNumber = new Map(draft.allegations.map((entry, index) => [entry.number, index]));
  const allegations = caseFile.allegations.map((allegation, caseIndex): AllegationRecord => {
    const entryIndex = entryIndexByNumber.get(allegation.number) ?? -1;
    return {
      caseIndex,
      allegation,
      category: categories.get(allegation.conductCategoryId) ?? null,
      entry: draft.allegations[entryIndex] ?? null,
      entryIndex,
    };
  });
  const proven = allegations.filter((record) => record.entry?.finding === 'proven');
  const rungId = draft.sanction?.rungId;
  const chosenRung = rungId === undefined ? undefined : rungs.get(rungId);
  const bandId = draft.seriousness?.band;
  return {
    criteria,
    caseFile,
    draft,
    history: context.history ?? [],
    rungIndex,
    rungs,
    bands,
    categories,
    allegations,
    proven,
    anyProven: proven.length > 0,
    allDecided: allegations.every((record) => record.entry?.finding != null),
    chosen: chosenRung ? { rung: chosenRung, index: rungIndex.get(chosenRung.id) ?? 0 } : null,
    band: bandId ? (bands.get(bandId) ?? null) : null,
    participants: effectiveParticipants(caseFile, draft),
  };
}

/** Proven allegations whose conduct category carries any of the tags. */
export function provenWithTags(input: PreparedCheck, tags: readonly string[]): AllegationRecord[] {
  return input.proven.filter((record) => record.category?.tags.some((tag) => tags.includes(tag)) === true);
}

export function allegationLabel(record: AllegationRecord): string {
  const category = record.category?.label;
  return category ? `Allegation ${record.allegation.number} (${category})` : `Allegation ${record.allegation.number}`;
}

export function participantLabel(entry: EffectiveParticipant): string {
  return `${entry.participant.name} (${entry.participant.role.replace('-', ' ')})`;
}

/** "a, b and c" */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
