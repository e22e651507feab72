// The decision workspace's service: drafts with revisions, export to and import from the panel, participants'
// declarations and training records. See docs/decision-draft.md. The answers' schemas (for the contract) are in
// shared/domain/decision-draft-file.ts; the diff in shared/diff.ts.
export { Decisions, sampleCriteriaResolver, type CriteriaResolver, type DecisionsOptions, type ExportedFile, type MyDeclarationInput } from './decisions';
export { DecisionError, DECISION_ERROR_CODES, type DecisionErrorCode } from './errors';
export type { DecisionView, ImportedDeclaration, ImportedDraft, MyRecords, Recorded, RevisionSummary } from '../../../shared/domain/decision-draft-file';
