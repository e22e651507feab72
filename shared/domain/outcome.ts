// Facts derived from a case file and a decision draft that several parts of the app need the same way:
// each participant's effective training, declaration and attendance; the publication outcome category;
// who must sign the outcome record.
import type { CaseFile, CaseParticipant, ConflictDeclaration } from './case';
import type { CriteriaDocument, SignatureRequirement } from './criteria';
import type { DecisionDraft } from './decision';
import type { IsoDate } from './common';

export const PANEL_MEMBER_ROLES = ['chair', 'panellist'] as const;

/** A value together with the path of the field it came from (so a finding can point at it). */
export interface Sourced<T> {
  value: T;
  field: string;
}

export interface EffectiveParticipant {
  caseIndex: number;
  participant: CaseParticipant;
  /** From the decision's procedural record when it has one, else from the case file. */
  training: Sourced<IsoDate> | null;
  declaration: Sourced<ConflictDeclaration> | null;
  attendance: Sourced<boolean> | null;
  recused: boolean;
  /** A chair or panellist who has not been recused: one of the people deciding the case. */
  sitting: boolean;
}

/**
 * What the hearing recorded (the draft's procedural section) is later than the bundle, so it takes
 * precedence over the case file's value for the same person.
 */
export function effectiveParticipants(caseFile: CaseFile, draft: DecisionDraft): EffectiveParticipant[] {
  const indexBy = <T extends { participantId: string }>(list: readonly T[]) => {
    const map = new Map<string, number>();
    list.forEach((entry, index) => map.set(entry.participantId, index));
    return map;
  };
  const { training, declarations, attendance } = draft.procedural;
  const trainingAt = indexBy(training);
  const declarationAt = indexBy(declarations);
  const attendanceAt = indexBy(attendance);
  return caseFile.participants.map((participant, caseIndex) => {
    const t = trainingAt.get(participant.id);
    const d = declarationAt.get(participant.id);
    const a = attendanceAt.get(participant.id);
    const trainingRecord: Sourced<IsoDate> | null =
      t !== undefined
        ? { value: training[t]!.completedOn, field: `procedural.training.${t}.completedOn` }
        : participant.trainingCompleted
          ? { value: participant.trainingCompleted, field: `case.participants.${caseIndex}.trainingCompleted` }
          : null;
    let declaration: Sourced<ConflictDeclaration> | null = null;
    if (d !== undefined) {
      const { participantId: _omit, ...value } = declarations[d]!;
      declaration = { value, field: `procedural.declarations.${d}` };
    } else if (participant.declaration) {
      declaration = { value: participant.declaration, field: `case.participants.${caseIndex}.declaration` };
    }
    const recused = declaration?.value.recused === true;
    return {
      caseIndex,
      participant,
      training: trainingRecord,
      declaration,
      attendance: a !== undefined ? { value: attendance[a]!.present, field: `procedural.attendance.${a}.present` } : null,
      recused,
      sitting: !recused && (PANEL_MEMBER_ROLES as readonly string[]).includes(participant.role),
    };
  });
}

/**
 * The quarterly-publication outcome category (action plan 2.4 (iii)), or null while it cannot be known:
 * an allegation still undecided, or conduct proven but no known sanction chosen.
 */
export function deriveOutcomeCategory(criteria: CriteriaDocument, caseFile: CaseFile, draft: DecisionDraft): string | null {
  const findings = new Map(draft.allegations.map((entry) => [entry.number, entry.finding]));
  let anyProven = false;
  for (const allegation of caseFile.allegations) {
    const finding = findings.get(allegation.number);
    if (!finding) return null;
    if (finding === 'proven') anyProven = true;
  }
  if (!anyProven) return criteria.notProvenOutcomeCategory;
  const rungId = draft.sanction?.rungId;
  return criteria.ladder.find((rung) => rung.id === rungId)?.outcomeCategory ?? null;
}

export interface SignatoryRequirement {
  requirement: SignatureRequirement;
  /** Participants who may sign under this requirement. */
  candidateIds: string[];
  /** How many of them must sign. A role nobody holds in this case needs no signature here: whether it must
   * be held (an external lawyer, say) is for the checker to decide before the decision is finalised. */
  minimum: number;
}

export function requiredSignatories(criteria: CriteriaDocument, caseFile: CaseFile, draft: DecisionDraft): SignatoryRequirement[] {
  const participants = effectiveParticipants(caseFile, draft);
  return criteria.outcomeSignatures.requirements.map((requirement) => {
    const candidateIds = participants
      .filter((entry) => entry.participant.role === requirement.role && !entry.recused)
      .map((entry) => entry.participant.id);
    const minimum = requirement.who === 'all-sitting' ? candidateIds.length : Math.min(1, candidateIds.length);
    return { requirement, candidateIds, minimum };
  });
}
