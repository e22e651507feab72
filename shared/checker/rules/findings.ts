// Rules about the record of the decision itself: the criteria applied, findings and reasons, seriousness.
import { isFilled } from '../../domain/common';
import type { FactorAssessment } from '../../domain/decision';
import { allegationLabel, listInWords, provenWithTags, type PreparedCheck } from '../prepare';
import type { Emit, RuleImplementation } from '../rule';

export const criteriaInForce: RuleImplementation<'criteria-in-force'> = (_rule, input, emit) => {
  const { criteria, caseFile, draft } = input;
  const named = caseFile.criteria;
  if (named.id !== criteria.id || named.version !== criteria.version) {
    emit({
      message: `This case names the criteria "${named.id}" version ${named.version}, but this check used "${criteria.id}" version ${criteria.version}. Check the decision against the version the case names.`,
      fields: ['case.criteria.version', 'case.criteria.id'],
    });
  }
  const decided = draft.decisionDate;
  if (decided && decided < criteria.effectiveFrom) {
    emit({
      message: `The decision date (${decided}) is before these criteria came into force (${criteria.effectiveFrom}).`,
      fields: ['decisionDate'],
    });
  } else if (decided && criteria.effectiveUntil && decided > criteria.effectiveUntil) {
    emit({
      message: `The decision date (${decided}) is after these criteria stopped being in force (${criteria.effectiveUntil}).`,
      fields: ['decisionDate'],
    });
  }
  for (const record of input.allegations) {
    if (!record.category) {
      emit({
        message: `Allegation ${record.allegation.number} is in the conduct category "${record.allegation.conductCategoryId}", which these criteria do not define.`,
        fields: [`case.allegations.${record.caseIndex}.conductCategoryId`],
      });
    }
  }
};

export const allegationFindings: RuleImplementation<'allegation-findings'> = (rule, input, emit) => {
  for (const record of input.allegations) {
    const { entry, entryIndex } = record;
    if (!entry) {
      emit({
        message: `${allegationLabel(record)} has no finding. Record whether it is proven, not proven or withdrawn, and why.`,
        fields: ['allegations', `case.allegations.${record.caseIndex}`],
        fieldKey: `allegations#${record.allegation.number}`,
      });
      continue;
    }
    if (entry.finding === null) {
      emit({
        message: `${allegationLabel(record)}: record whether it is proven, not proven or withdrawn.`,
        fields: [`allegations.${entryIndex}.finding`],
      });
    }
    if (!isFilled(entry.reasons, rule.minReasonLength)) {
      emit({
        message: `${allegationLabel(record)}: give the reasons for the finding (at least ${rule.minReasonLength} characters).`,
        fields: [`allegations.${entryIndex}.reasons`],
      });
    }
  }
  const numbers = new Set(input.caseFile.allegations.map((allegation) => allegation.number));
  input.draft.allegations.forEach((entry, index) => {
    if (!numbers.has(entry.number)) {
      emit({
        message: `The decision records allegation ${entry.number}, which is not in the case file. Remove it or correct its number.`,
        fields: [`allegations.${index}.number`],
      });
    }
  });
};

function checkFactors(
  kind: 'aggravating' | 'mitigating',
  assessment: FactorAssessment,
  known: ReadonlySet<string>,
  emit: Emit,
): void {
  const field = `seriousness.${kind}`;
  if (assessment === null || (Array.isArray(assessment) && assessment.length === 0)) {
    emit({ message: `List the ${kind} factors the panel found, or mark that there are none.`, fields: [field] });
    return;
  }
  if (assessment === 'none') return;
  assessment.forEach((entry, index) => {
    if (!known.has(entry.factorId)) {
      emit({
        message: `"${entry.factorId}" is not one of the ${kind} factors in these criteria. Choose one of the published factors.`,
        fields: [`${field}.${index}.factorId`],
      });
    }
  });
}

export const seriousnessAssessed: RuleImplementation<'seriousness-assessed'> = (rule, input, emit) => {
  if (!input.anyProven) return;
  const seriousness = input.draft.seriousness;
  if (!seriousness) {
    emit({
      message: 'Conduct is proven, so assess its seriousness: band, culpability, harm, and the aggravating and mitigating factors.',
      fields: ['seriousness'],
    });
    return;
  }
  const bandLabels = listInWords(input.criteria.seriousnessBands.map((band) => band.label));
  if (seriousness.band === null) {
    emit({ message: `Place the conduct in a seriousness band (${bandLabels}).`, fields: ['seriousness.band'] });
  } else if (!input.band) {
    emit({ message: `"${seriousness.band}" is not a seriousness band in these criteria (${bandLabels}).`, fields: ['seriousness.band'] });
  }
  if (!isFilled(seriousness.culpability, rule.minTextLength)) {
    emit({ message: `Describe the respondent's culpability (at least ${rule.minTextLength} characters).`, fields: ['seriousness.culpability'] });
  }
  if (!isFilled(seriousness.harm, rule.minTextLength)) {
    emit({ message: `Describe the harm caused or risked (at least ${rule.minTextLength} characters).`, fields: ['seriousness.harm'] });
  }
  checkFactors('aggravating', seriousness.aggravating, new Set(input.criteria.aggravatingFactors.map((f) => f.id)), emit);
  checkFactors('mitigating', seriousness.mitigating, new Set(input.criteria.mitigatingFactors.map((f) => f.id)), emit);
};

export const hostilityAggravating: RuleImplementation<'hostility-aggravating'> = (rule, input, emit) => {
  const seriousness = input.draft.seriousness;
  // Without a seriousness assessment there is nothing to judge yet; seriousness-assessed says so.
  if (!input.anyProven || !seriousness) return;
  const hostile = provenWithTags(input, rule.conductTags);
  const characteristics = input.caseFile.protectedCharacteristics;
  if (hostile.length === 0 && characteristics.length === 0) return;
  const aggravating = Array.isArray(seriousness.aggravating) ? seriousness.aggravating : [];
  if (aggravating.some((entry) => rule.factorIds.includes(entry.factorId))) return;
  if (isFilled(seriousness.hostilityNotAggravatingReason, rule.minReasonLength)) return;
  const why =
    hostile.length > 0
      ? `${listInWords(hostile.map(allegationLabel))} ${hostile.length === 1 ? 'shows' : 'show'} hostility on a protected characteristic`
      : `The case concerns a protected characteristic (${listInWords(characteristics.map((c) => c.replaceAll('-', ' ')))})`;
  const factorLabels = input.criteria.aggravatingFactors.filter((f) => rule.factorIds.includes(f.id)).map((f) => `"${f.label}"`);
  emit({
    message: `${why}. Treat it as aggravating (${listInWords(factorLabels)}) or explain why the panel does not.`,
    fields: ['seriousness.aggravating', 'seriousness.hostilityNotAggravatingReason'],
  });
};

export function hasProvenConduct(input: PreparedCheck): boolean {
  return input.anyProven;
}
