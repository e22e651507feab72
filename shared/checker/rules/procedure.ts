// Rules about how the case was heard: who advised, who was trained, who declared what, who sat, who must
// not be involved at all, and whether the timescales were kept.
import { daysBetween, isFilled, type IsoDate } from '../../domain/common';
import { DECIDING_BODY_LABELS } from '../../domain/case';
import { ROLE_LABELS } from '../../domain/profile';
import type { EffectiveParticipant } from '../../domain/outcome';
import { listInWords, participantLabel } from '../prepare';
import type { RuleImplementation } from '../rule';

const participantField = (entry: EffectiveParticipant, key: string): string => `case.participants.${entry.caseIndex}.${key}`;

export const externalLawyer: RuleImplementation<'external-lawyer'> = (rule, input, emit) => {
  const body = input.caseFile.decidingBody;
  const byBody = rule.bodies.includes(body);
  const tagged = input.allegations.filter((record) => record.category?.tags.some((tag) => rule.conductTags.includes(tag)) === true);
  if (!byBody && tagged.length === 0) return;
  const why = byBody
    ? `Every ${DECIDING_BODY_LABELS[body]} case`
    : `A case with ${tagged.length === 1 ? 'an allegation' : 'allegations'} of ${listInWords([...new Set(tagged.map((record) => record.category?.label.toLowerCase() ?? ''))])}`;
  const lawyers = input.participants.filter((entry) => entry.participant.role === 'external-lawyer' && !entry.recused);
  if (lawyers.length === 0) {
    emit({
      message: `${why} must be assisted by an external lawyer. Assign one to the case.`,
      fields: ['case.participants'],
      fieldKey: 'lawyer-assigned',
    });
  }
  if (!isFilled(input.draft.procedural.lawyerAdvice?.summary, rule.minAdviceLength)) {
    emit({
      message: `${why} must be assisted by an external lawyer: record a summary of the lawyer's advice (at least ${rule.minAdviceLength} characters).`,
      fields: ['procedural.lawyerAdvice.summary'],
    });
  }
};

export const trainingBeforeInvolvement: RuleImplementation<'training-before-involvement'> = (rule, input, emit) => {
  const hearing = input.caseFile.dates.hearing;
  for (const entry of input.participants) {
    if (!rule.roles.includes(entry.participant.role) || entry.recused) continue;
    const fieldKey = `training#${entry.participant.id}`;
    const who = participantLabel(entry);
    if (!entry.training) {
      emit({
        message: `${who} has no training date. Record when they completed the training; it must come before their first involvement.`,
        fields: ['procedural.training', participantField(entry, 'trainingCompleted')],
        fieldKey,
      });
      continue;
    }
    // Everyone is involved by the hearing at the latest, so it stands in for an unrecorded first involvement.
    const involvement: { date: IsoDate; field: string } | null = entry.participant.firstInvolvement
      ? { date: entry.participant.firstInvolvement, field: participantField(entry, 'firstInvolvement') }
      : hearing
        ? { date: hearing, field: 'case.dates.hearing' }
        : null;
    if (!involvement) continue;
    const trained = entry.training.value;
    const late = rule.sameDayCounts ? trained > involvement.date : trained >= involvement.date;
    if (late) {
      emit({
        message: `${who} completed the training on ${trained}, ${trained === involvement.date ? 'the same day as' : 'after'} their first involvement (${involvement.date}). Training must come before anyone is involved.`,
        fields: [entry.training.field, involvement.field],
        fieldKey,
      });
    }
  }
};

export const conflictDeclarations: RuleImplementation<'conflict-declarations'> = (rule, input, emit) => {
  for (const entry of input.participants) {
    if (!rule.roles.includes(entry.participant.role)) continue;
    const fieldKey = `declaration#${entry.participant.id}`;
    const who = participantLabel(entry);
    const declaration = entry.declaration;
    if (!declaration) {
      emit({
        message: `${who} has not declared whether they have a conflict of interest. Record their declaration.`,
        fields: ['procedural.declarations', participantField(entry, 'declaration')],
        fieldKey,
      });
    } else if (declaration.value.conflict && !declaration.value.recused) {
      emit({
        message: `${who} declared a conflict of interest but was not recused. A conflicted member must step aside and take no part.`,
        fields: [`${declaration.field}.recused`],
        fieldKey,
      });
    }
  }
};

export const barredOffices: RuleImplementation<'barred-offices'> = (rule, input, emit) => {
  for (const entry of input.participants) {
    const office = rule.offices.find((candidate) => candidate.id === entry.participant.office);
    if (!office) continue;
    emit({
      message: `${participantLabel(entry)} is from ${office.label}, whose staff may not be involved in deciding complaints. Replace them on the case.`,
      fields: [participantField(entry, 'office')],
      fieldKey: `office#${entry.participant.id}`,
    });
  }
};

export const panelComposition: RuleImplementation<'panel-composition'> = (rule, input, emit) => {
  const body = input.caseFile.decidingBody;
  const panel = rule.panels.find((candidate) => candidate.body === body);
  if (!panel) return;
  const bodyLabel = DECIDING_BODY_LABELS[body];
  const sitting = input.participants.filter((entry) => entry.sitting);
  if (sitting.length < panel.minMembers || sitting.length > panel.maxMembers) {
    const size = panel.minMembers === panel.maxMembers ? `${panel.minMembers}` : `${panel.minMembers} to ${panel.maxMembers}`;
    emit({
      message: `A ${bodyLabel} sits with ${size} members; ${sitting.length} ${sitting.length === 1 ? 'is' : 'are'} sitting (recused members do not count).`,
      fields: ['case.participants'],
      fieldKey: 'panel-size',
    });
  }
  const chairs = sitting.filter((entry) => entry.participant.role === 'chair');
  if (chairs.length !== 1) {
    emit({
      message: `The panel needs exactly one sitting ${ROLE_LABELS.chair.toLowerCase()}; it has ${chairs.length}.`,
      fields: ['case.participants'],
      fieldKey: 'panel-chair',
    });
  } else if (panel.chairCapacity && chairs[0]!.participant.capacity !== panel.chairCapacity) {
    emit({
      message: `A ${bodyLabel} is chaired by a member sitting as "${panel.chairCapacity}"; ${participantLabel(chairs[0]!)} is not.`,
      fields: [participantField(chairs[0]!, 'capacity')],
      fieldKey: 'panel-chair-capacity',
    });
  }
  for (const seat of panel.seats) {
    const filled = sitting.filter((entry) => entry.participant.capacity === seat.capacity).length;
    if (filled < seat.count) {
      emit({
        message: `A ${bodyLabel} needs ${seat.count} sitting member${seat.count === 1 ? '' : 's'} as "${seat.capacity}"; it has ${filled}.`,
        fields: ['case.participants'],
        fieldKey: `panel-seat#${seat.capacity}`,
      });
    }
  }
  // A member who did not hear the case cannot decide it.
  for (const entry of sitting) {
    const fieldKey = `attendance#${entry.participant.id}`;
    if (!entry.attendance) {
      emit({ message: `Record whether ${participantLabel(entry)} attended the hearing.`, fields: ['procedural.attendance'], fieldKey });
    } else if (!entry.attendance.value) {
      emit({
        message: `${participantLabel(entry)} did not attend the hearing, so cannot decide the case. Recuse them, or rehear.`,
        fields: [entry.attendance.field],
        fieldKey,
      });
    }
  }
};

const DATE_FIELDS = {
  'complaint-received': 'case.dates.complaintReceived',
  hearing: 'case.dates.hearing',
  decision: 'decisionDate',
} as const;

export const timescales: RuleImplementation<'timescales'> = (rule, input, emit) => {
  const { caseFile, draft } = input;
  const dates: Record<keyof typeof DATE_FIELDS, IsoDate | null> = {
    'complaint-received': caseFile.dates.complaintReceived,
    hearing: caseFile.dates.hearing,
    decision: draft.decisionDate,
  };
  if (dates.hearing && dates.decision && dates.decision < dates.hearing) {
    emit({
      message: `The decision date (${dates.decision}) is before the hearing (${dates.hearing}). Correct the date.`,
      fields: ['decisionDate', 'case.dates.hearing'],
    });
  }
  const explained = isFilled(draft.delayExplanation, rule.minReasonLength);
  for (const limit of rule.limits) {
    if (limit.bodies && !limit.bodies.includes(caseFile.decidingBody)) continue;
    const start = dates[limit.from];
    const end = dates[limit.to];
    if (!start || !end) continue;
    const taken = daysBetween(start, end);
    if (taken <= limit.maxDays) continue;
    const fields = ['delayExplanation', DATE_FIELDS[limit.to], DATE_FIELDS[limit.from]];
    const fieldKey = `timescale#${limit.id}`;
    const over = `From ${limit.label} took ${taken} days; the limit is ${limit.maxDays}`;
    if (explained) {
      emit({ message: `${over}. The delay is explained.`, fields, fieldKey, severity: 'info' });
    } else {
      emit({ message: `${over}. Explain the delay (at least ${rule.minReasonLength} characters).`, fields, fieldKey });
    }
  }
};
