// Every way a decision call can be refused, each with its own code (for tests and the UI) and a message that says
// what to do. A refused call changes nothing in the vault.
import { AppError } from '../../../shared/errors';

export const DECISION_ERROR_CODES = [
  /** The case is not (or no longer) in this vault. */
  'case-not-found',
  /** The case file names no chair, so nobody may write its decision. */
  'case-has-no-chair',
  /** The user is not among the case's participants. */
  'not-a-participant',
  /** Only the chair, or the scribe the chair named, may change the draft. */
  'not-the-editor',
  /** Only the chair may name a scribe. */
  'not-the-chair',
  /** The draft was saved (or imported) since the caller read it: reload and reapply. */
  'draft-changed-elsewhere',
  /** The draft breaks its schema: an absurd value (a negative term, dates out of order, …). */
  'decision-invalid',
  /** The draft is larger than any decision the app stores or sends. */
  'decision-too-large',
  /** The draft names another case. */
  'decision-wrong-case',
  /** The decision is final: nothing about it changes any more. */
  'decision-final',
  /** Findings still block finalising (every block, every unacknowledged warning); details.blockers lists them. */
  'decision-has-blockers',
  /** No current warning of that rule and field to acknowledge. */
  'warning-not-found',
  /** A block cannot be acknowledged, only fixed. */
  'not-a-warning',
  /** An acknowledgement needs a reason. */
  'acknowledgement-reason-missing',
  /** The scribe named is not a participant who may write the decision. */
  'scribe-invalid',
  /** There is nothing saved to export yet. */
  'nothing-to-export',
  /** A person the file must be sealed to has no key in the bundle or the address book. */
  'recipient-key-missing',
  /** An imported draft was not written by the chair or the scribe the chair named. */
  'draft-not-from-editor',
  /** An imported draft belongs to another case (another reference or another bundle). */
  'draft-wrong-case',
  /** An imported draft is not newer than one already held. */
  'draft-revision-not-newer',
  /** An imported declaration was not written by the participant it speaks for. */
  'declaration-wrong-author',
  /** An imported declaration belongs to another case. */
  'declaration-wrong-case',
  /** An imported declaration is older than one already imported from the same participant. */
  'declaration-out-of-date',
  /** A training or declaration date after today. */
  'record-date-in-future',
] as const;
export type DecisionErrorCode = (typeof DECISION_ERROR_CODES)[number];

export class DecisionError extends AppError {
  declare readonly code: DecisionErrorCode;
  constructor(code: DecisionErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}
