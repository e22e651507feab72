// Rules about the sanction and orders: which rung, with which terms, inside which range, reasoned how,
// and the orders that follow from proven conduct whatever the sanction (the education course).
import { addDays, isFilled } from '../../domain/common';
import { DECIDING_BODY_LABELS } from '../../domain/case';
import type { ConductCategory, IndicatedRange, RungParameter, SanctionRung } from '../../domain/criteria';
import type { SanctionParameterValue } from '../../domain/decision';
import { allegationLabel, listInWords, provenWithTags, type PreparedCheck } from '../prepare';
import type { Emit, RuleImplementation } from '../rule';

/** A record's own entry only: an id such as "constructor" must not find Object.prototype's. */
function ownValue<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

const UNIT_SINGULAR: Record<string, string> = { days: 'day', weeks: 'week', months: 'month', years: 'year' };

function termInWords(value: number, unit: string): string {
  return `${value} ${value === 1 ? (UNIT_SINGULAR[unit] ?? unit) : unit}`;
}

function checkParameter(rung: SanctionRung, parameter: RungParameter, value: SanctionParameterValue | undefined, emit: Emit): void {
  const field = `sanction.parameters.${parameter.id}`;
  const what = `${rung.label}: ${parameter.label.toLowerCase()}`;
  if (value === undefined) {
    if (parameter.required) emit({ message: `${what} is required. Set it.`, fields: [field] });
    return;
  }
  if (parameter.kind === 'term') {
    const range = `${termInWords(parameter.min, parameter.unit)} to ${termInWords(parameter.max, parameter.unit)}`;
    if (typeof value !== 'number') {
      emit({ message: `${what} must be a number of ${parameter.unit} (${range}).`, fields: [field] });
    } else if (value < parameter.min || value > parameter.max) {
      emit({ message: `${what} is ${termInWords(value, parameter.unit)}; it must be from ${range}.`, fields: [field] });
    }
    return;
  }
  if (!parameter.options.some((option) => option.id === value)) {
    const options = listInWords(parameter.options.map((option) => `"${option.label}"`));
    emit({ message: `${what} must be one of ${options}.`, fields: [field] });
  }
}

export const sanctionAvailable: RuleImplementation<'sanction-available'> = (_rule, input, emit) => {
  if (!input.anyProven) return;
  const sanction = input.draft.sanction;
  if (!sanction) {
    emit({ message: 'Conduct is proven, so choose a sanction from the ladder.', fields: ['sanction'] });
    return;
  }
  const rung = input.chosen?.rung;
  if (!rung) {
    const labels = listInWords(input.criteria.ladder.map((entry) => `"${entry.label}"`));
    emit({ message: `"${sanction.rungId}" is not a sanction in these criteria. Choose one of ${labels}.`, fields: ['sanction.rungId'] });
    return;
  }
  const body = input.caseFile.decidingBody;
  if (!rung.imposedBy.includes(body)) {
    const bodies = listInWords(rung.imposedBy.map((id) => DECIDING_BODY_LABELS[id]));
    emit({
      message: `The ${DECIDING_BODY_LABELS[body]} may not impose "${rung.label}"; only the ${bodies} may. Choose a sanction this body may impose, or refer the case.`,
      fields: ['sanction.rungId'],
    });
  }
  for (const parameter of rung.parameters) checkParameter(rung, parameter, ownValue(sanction.parameters, parameter.id), emit);
  const known = new Set(rung.parameters.map((parameter) => parameter.id));
  for (const key of Object.keys(sanction.parameters)) {
    if (!known.has(key)) {
      emit({
        message: `"${key}" is not a term of "${rung.label}" (perhaps left over from another sanction). Remove it so the record states only what was imposed.`,
        fields: [`sanction.parameters.${key}`],
      });
    }
  }
};

export const noSanctionWithoutProvenAllegation: RuleImplementation<'no-sanction-without-proven-allegation'> = (rule, input, emit) => {
  // While an allegation is undecided the outcome is open; allegation-findings says what is missing.
  if (input.anyProven || !input.allDecided) return;
  const sanction = input.draft.sanction;
  if (sanction && !rule.permittedRungIds.includes(sanction.rungId)) {
    emit({ message: 'No allegation is proven, so no sanction may be imposed. Remove the sanction.', fields: ['sanction'] });
  }
  if (input.draft.orders.educationCourse) {
    emit({ message: 'No allegation is proven, so no education course may be ordered. Remove the order.', fields: ['orders.educationCourse'] });
  }
};

/** Ranges for each proven allegation in the chosen band; the most serious conduct sets both ends. */
function combinedRange(input: PreparedCheck, bandId: string): { from: number; to: number; categories: ConductCategory[] } | null {
  let from = -1;
  let to = -1;
  const categories = new Map<string, ConductCategory>();
  for (const record of input.proven) {
    const range: IndicatedRange | undefined = record.category?.indicatedRanges.find((entry) => entry.band === bandId);
    const rangeFrom = range ? input.rungIndex.get(range.from) : undefined;
    const rangeTo = range ? input.rungIndex.get(range.to) : undefined;
    if (!record.category || rangeFrom === undefined || rangeTo === undefined) continue;
    categories.set(record.category.id, record.category);
    from = Math.max(from, rangeFrom);
    to = Math.max(to, rangeTo);
  }
  return categories.size === 0 ? null : { from, to, categories: [...categories.values()] };
}

export const indicatedRange: RuleImplementation<'indicated-range'> = (rule, input, emit) => {
  if (!input.anyProven || !input.chosen || !input.band) return;
  const range = combinedRange(input, input.band.id);
  if (!range) return;
  const { index, rung } = input.chosen;
  if (index >= range.from && index <= range.to) return;
  const ladder = input.criteria.ladder;
  const fromLabel = ladder[range.from]?.label ?? '';
  const toLabel = ladder[range.to]?.label ?? '';
  const indicated = range.from === range.to ? `"${fromLabel}"` : `"${fromLabel}" to "${toLabel}"`;
  const conduct = listInWords(range.categories.map((category) => category.label.toLowerCase()));
  const direction = index < range.from ? 'below' : 'above';
  const fields = ['sanction.departureReason', 'sanction.rungId'];
  if (isFilled(input.draft.sanction?.departureReason, rule.minReasonLength)) {
    emit({
      message: `"${rung.label}" is ${direction} the range indicated for ${input.band.label.toLowerCase()} ${conduct} (${indicated}); the panel's reasons for departing are recorded.`,
      fields,
      severity: 'info',
    });
    return;
  }
  emit({
    message: `"${rung.label}" is ${direction} the range indicated for ${input.band.label.toLowerCase()} ${conduct} (${indicated}). Choose a sanction in the range, or record why the panel departs from it (at least ${rule.minReasonLength} characters).`,
    fields,
  });
};

export const lesserRungsExplained: RuleImplementation<'lesser-rungs-explained'> = (rule, input, emit) => {
  if (!input.anyProven || !input.chosen || !input.draft.sanction) return;
  const reasons = input.draft.sanction.lesserRungReasons;
  for (const lesser of input.criteria.ladder.slice(0, input.chosen.index)) {
    if (isFilled(ownValue(reasons, lesser.id), rule.minReasonLength)) continue;
    emit({
      message: `Say why "${lesser.label}" would not be enough (at least ${rule.minReasonLength} characters): the panel starts from the least serious sanction.`,
      fields: [`sanction.lesserRungReasons.${lesser.id}`],
    });
  }
};

export const nextRungExplained: RuleImplementation<'next-rung-explained'> = (rule, input, emit) => {
  if (!input.anyProven || !input.chosen) return;
  const next = input.criteria.ladder[input.chosen.index + 1];
  if (!next || isFilled(input.draft.sanction?.nextRungReason, rule.minReasonLength)) return;
  emit({
    message: `Say why the next more serious sanction, "${next.label}", is not needed (at least ${rule.minReasonLength} characters).`,
    fields: ['sanction.nextRungReason'],
  });
};

export const educationCourse: RuleImplementation<'education-course'> = (rule, input, emit) => {
  const proven = provenWithTags(input, rule.conductTags);
  if (proven.length === 0) return;
  const rung = input.chosen?.rung;
  if (rung && rule.exemptRungIds.includes(rung.id)) return;
  const which = listInWords(proven.map(allegationLabel));
  const weeks = rule.dueWithinDays % 7 === 0 ? `${rule.dueWithinDays / 7} weeks` : `${rule.dueWithinDays} days`;
  const course = input.draft.orders.educationCourse;
  if (!course) {
    emit({
      message: `${which} ${proven.length === 1 ? 'is' : 'are'} proven, so order the education course, due within ${weeks} of the decision, whatever the sanction.`,
      fields: ['orders.educationCourse'],
    });
    return;
  }
  const decided = input.draft.decisionDate;
  if (!decided) return; // publication-fields asks for the decision date; the due date is judged against it
  const latest = addDays(decided, rule.dueWithinDays);
  if (course.dueDate > latest) {
    emit({
      message: `The education course is due on ${course.dueDate}, later than ${weeks} after the decision (${latest} at the latest).`,
      fields: ['orders.educationCourse.dueDate'],
    });
  }
};

export const consistency: RuleImplementation<'consistency'> = (rule, input, emit) => {
  if (!input.anyProven || !input.chosen || !input.band) return;
  const categoryIds = new Set(input.proven.flatMap((record) => (record.category ? [record.category.id] : [])));
  if (categoryIds.size === 0) return;
  const bandId = input.band.id;
  const indexes: number[] = [];
  for (const outcome of input.history) {
    if (outcome.band !== bandId || !categoryIds.has(outcome.category)) continue;
    const index = input.rungIndex.get(outcome.sanctionRungId);
    if (index !== undefined) indexes.push(index);
  }
  const labels = listInWords([...categoryIds].map((id) => input.categories.get(id)?.label.toLowerCase() ?? id));
  const compared = `${input.band.label.toLowerCase()} ${labels}`;
  const fields = ['sanction.rungId'];
  if (indexes.length < rule.minComparableCases) {
    emit({
      message: `Only ${indexes.length} earlier outcome${indexes.length === 1 ? '' : 's'} for ${compared} ${indexes.length === 1 ? 'is' : 'are'} held locally (at least ${rule.minComparableCases} needed), so consistency was not compared.`,
      fields,
      severity: 'info',
    });
    return;
  }
  indexes.sort((a, b) => a - b);
  const middle = indexes.length >> 1;
  const median = indexes.length % 2 === 1 ? indexes[middle]! : (indexes[middle - 1]! + indexes[middle]!) / 2;
  const ladder = input.criteria.ladder;
  const medianLabel = Number.isInteger(median)
    ? `"${ladder[median]?.label ?? ''}"`
    : `between "${ladder[Math.floor(median)]?.label ?? ''}" and "${ladder[Math.ceil(median)]?.label ?? ''}"`;
  const distance = Math.abs(input.chosen.index - median);
  const summary = `Compared with ${indexes.length} earlier outcomes for ${compared}: the median sanction is ${medianLabel}`;
  if (distance > rule.maxRungDistance) {
    emit({
      message: `${summary}, ${distance} rungs from "${input.chosen.rung.label}". Check the sanction, or acknowledge why this case differs.`,
      fields,
    });
  } else {
    emit({ message: `${summary}; "${input.chosen.rung.label}" is consistent with it.`, fields, severity: 'info' });
  }
};
