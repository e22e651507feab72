// The sanctions checker: criteria + case + draft decision -> findings. Pure and synchronous (no I/O, no
// clock: every date it judges is in its input), so it can run on every keystroke and give the same answer
// on every laptop. It knows how to apply each kind of rule; what the rules say comes from the criteria.
import type { CaseFile } from '../domain/case';
import type { Citation, CriteriaDocument, Rule } from '../domain/criteria';
import type { DecisionDraft } from '../domain/decision';
import { prepare, type CheckContext } from './prepare';
import type { CheckResult, Finding, ResolvedCitation, Severity } from './result';
import type { FindingInput, RuleImplementation, RuleImplementations } from './rule';
import { allegationFindings, criteriaInForce, hostilityAggravating, seriousnessAssessed } from './rules/findings';
import { barredOffices, conflictDeclarations, externalLawyer, panelComposition, timescales, trainingBeforeInvolvement } from './rules/procedure';
import { publicationFields, publicationNames } from './rules/publication';
import {
  consistency,
  educationCourse,
  indicatedRange,
  lesserRungsExplained,
  nextRungExplained,
  noSanctionWithoutProvenAllegation,
  sanctionAvailable,
} from './rules/sanction';

export type { CheckContext, HistoricalOutcome } from './prepare';
export { HistoricalOutcome as HistoricalOutcomeSchema } from './prepare';
export { CheckResult as CheckResultSchema, Finding as FindingSchema, canFinalise, finaliseBlockers } from './result';
export type { Finding, ResolvedCitation, Severity } from './result';

/** One implementation per kind of rule; the type makes a new kind in the schema fail to compile until it is implemented. */
const IMPLEMENTATIONS: RuleImplementations = {
  'criteria-in-force': criteriaInForce,
  'allegation-findings': allegationFindings,
  'seriousness-assessed': seriousnessAssessed,
  'sanction-available': sanctionAvailable,
  'no-sanction-without-proven-allegation': noSanctionWithoutProvenAllegation,
  'indicated-range': indicatedRange,
  'lesser-rungs-explained': lesserRungsExplained,
  'next-rung-explained': nextRungExplained,
  'hostility-aggravating': hostilityAggravating,
  'education-course': educationCourse,
  'external-lawyer': externalLawyer,
  'training-before-involvement': trainingBeforeInvolvement,
  'conflict-declarations': conflictDeclarations,
  'barred-offices': barredOffices,
  'panel-composition': panelComposition,
  timescales,
  'publication-fields': publicationFields,
  'publication-names': publicationNames,
  consistency,
};

const SEVERITY_ORDER: Record<Severity, number> = { block: 0, warn: 1, info: 2 };

export function resolveCitation(criteria: CriteriaDocument, citation: Citation): ResolvedCitation {
  const source = criteria.sources.find((candidate) => candidate.id === citation.source);
  return { sourceId: citation.source, sourceTitle: source?.title ?? citation.source, paragraph: citation.paragraph, text: citation.text };
}

/**
 * Checks a draft decision against the criteria. Inputs are assumed to have passed their schemas (the
 * criteria, case file and draft schemas in shared/domain); within those, any draft — however incomplete — is
 * answered with findings, never an exception.
 */
export function checkDecision(criteria: CriteriaDocument, caseFile: CaseFile, draft: DecisionDraft, context: CheckContext = {}): CheckResult {
  const input = prepare(criteria, caseFile, draft, context);
  const findings: Finding[] = [];
  for (const rule of criteria.rules) {
    const citation = resolveCitation(criteria, rule.citation);
    const emit = (finding: FindingInput): void => {
      const severity = finding.severity ?? rule.severity;
      const fieldKey = finding.fieldKey ?? finding.fields[0] ?? rule.id;
      const result: Finding = { ruleId: rule.id, severity, message: finding.message, fields: finding.fields, fieldKey, citation };
      if (severity === 'warn') {
        const acknowledgement = draft.acknowledgements.find(
          (entry) => entry.ruleId === rule.id && (entry.fieldKey === undefined || entry.fieldKey === fieldKey),
        );
        if (acknowledgement) result.acknowledged = { reason: acknowledgement.reason };
      }
      findings.push(result);
    };
    const implementation = IMPLEMENTATIONS[rule.check] as RuleImplementation<Rule['check']>;
    implementation(rule as never, input, emit);
  }
  // Array.prototype.sort is stable, so rule order (and emission order within a rule) survives inside each severity.
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { criteriaId: criteria.id, criteriaVersion: criteria.version, criteriaIsSample: criteria.sample, findings };
}
