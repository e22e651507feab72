// What the checker returns. Schemas (not just types) so a result can cross the IPC contract or be stored
// with a decision revision and re-validated when read back.
import { z } from 'zod';
import { Slug } from '../domain/common';
import { CriteriaReference } from '../domain/case';

export const Severity = z.enum(['block', 'warn', 'info']);
export type Severity = z.infer<typeof Severity>;

/** A citation resolved against the criteria's sources, ready to show. */
export const ResolvedCitation = z.strictObject({
  sourceId: Slug,
  sourceTitle: z.string(),
  paragraph: z.string(),
  text: z.string(),
});
export type ResolvedCitation = z.infer<typeof ResolvedCitation>;

export const Finding = z.strictObject({
  ruleId: Slug,
  severity: Severity,
  /** Plain language: what is wrong (or worth knowing) and what would put it right. */
  message: z.string(),
  /**
   * Paths to the fields concerned, the one to fix first. Paths into the decision draft are bare
   * ("allegations.2.reasons", indexes into its arrays); paths into the case file start with "case.".
   */
  fields: z.array(z.string()),
  /** Identifies this finding within its rule, stable across re-checks; acknowledgements name it. */
  fieldKey: z.string(),
  citation: ResolvedCitation,
  /** Present on a warning the draft acknowledges; the warning stays listed. */
  acknowledged: z.strictObject({ reason: z.string() }).optional(),
});
export type Finding = z.infer<typeof Finding>;

export const CheckResult = z.strictObject({
  criteriaId: CriteriaReference.shape.id,
  criteriaVersion: CriteriaReference.shape.version,
  /** True when the criteria are a SAMPLE document: the UI must say so next to every result. */
  criteriaIsSample: z.boolean(),
  /** Block first, then warnings, then information; within each, in the criteria's rule order. */
  findings: z.array(Finding),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** Findings that stand in the way of finalising: every block, and every warning not yet acknowledged. */
export function finaliseBlockers(result: CheckResult): Finding[] {
  return result.findings.filter((finding) => finding.severity === 'block' || (finding.severity === 'warn' && !finding.acknowledged));
}

/** A decision may be finalised when nothing blocks and every warning has been acknowledged with a reason. */
export function canFinalise(result: CheckResult): boolean {
  return finaliseBlockers(result).length === 0;
}
