// The criteria documents that ship with the app. Only a SAMPLE ships: real criteria are published, signed,
// by the central office and imported (electron/services/criteria.ts).
import { CriteriaDocument } from '../domain/criteria';
import sampleJson from './sample-criteria.json';

export { criteriaSigningBytes, CRITERIA_SIGNING_CONTEXT, SIGNED_CRITERIA_FORMAT, SignedCriteria, SignedCriteriaShell } from './signed';

/**
 * The sample criteria, parsed and validated: a fresh copy on every call, so no caller can change another's.
 * It is labelled SAMPLE (its `sample` flag and title) and must be shown as such wherever it is used.
 */
export function sampleCriteria(): CriteriaDocument {
  return CriteriaDocument.parse(sampleJson);
}
