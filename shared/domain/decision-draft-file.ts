// What travels inside the decision envelopes (docs/decision-draft.md): the chair's (or scribe's) draft sent to the
// panel (payload type hearing-desk/decision@1), and a participant's own conflict declaration and training date sent
// to the chair (hearing-desk/declaration@1). The envelope proves who wrote the bytes; these schemas say what the
// bytes may hold. Parsing is total: any input gives a parsed file or a DecisionFileError, never anything else.
import { z } from 'zod';
import { CheckResult, Finding } from '../checker/result';
import { HistoricalOutcome } from '../checker/prepare';
import { DraftChangeSchema } from '../diff';
import { AppError } from '../errors';
import { IsoDate } from './common';
import { CaseReference, ConflictDeclaration, ParticipantId } from './case';
import { DecisionDraft } from './decision';

export const DECISION_DRAFT_FILE_FORMAT = 'hearing-desk/decision-draft-file@1';
export const DECLARATION_FILE_FORMAT = 'hearing-desk/declaration-file@1';
export const DECISION_DRAFT_FILE_EXTENSION = 'hddecision';
export const DECLARATION_FILE_EXTENSION = 'hddeclaration';

/**
 * The largest draft the app stores or sends, as JSON. Far above any real decision (a 40-allegation decision with
 * long reasons is well under 1 MiB) and small enough that reading one never strains memory.
 */
export const MAX_DRAFT_JSON_BYTES = 8 * 1024 * 1024;
export const MAX_DECLARATION_JSON_BYTES = 64 * 1024;

const BundleId = z.uuid();

export const DecisionDraftFile = z
  .strictObject({
    format: z.literal(DECISION_DRAFT_FILE_FORMAT),
    caseReference: CaseReference,
    /** The bundle the case came in: the same reference in another bundle is another case. */
    bundleId: BundleId,
    revision: z.int().min(1).max(1_000_000),
    /** The scribe the chair has named, by case participant id; honoured only from the chair. */
    scribeId: ParticipantId.nullable(),
    draft: DecisionDraft,
  })
  .superRefine((file, ctx) => {
    if (file.draft.caseReference !== file.caseReference) {
      ctx.addIssue({ code: 'custom', path: ['draft', 'caseReference'], message: 'The draft inside names a different case from its file.' });
    }
    if (file.draft.revision !== file.revision) {
      ctx.addIssue({ code: 'custom', path: ['draft', 'revision'], message: 'The draft inside has a different revision from its file.' });
    }
  });
export type DecisionDraftFile = z.infer<typeof DecisionDraftFile>;

/** A participant's own training record: the date they completed the panel training. */
export const TrainingRecord = z.strictObject({ completedOn: IsoDate });
export type TrainingRecord = z.infer<typeof TrainingRecord>;

export const DeclarationFile = z
  .strictObject({
    format: z.literal(DECLARATION_FILE_FORMAT),
    caseReference: CaseReference,
    bundleId: BundleId,
    /** Whose records these are: must be the envelope's author in the case file. */
    participantId: ParticipantId,
    /** When the participant recorded them (their clock): a later file replaces an earlier one, never the reverse. */
    recordedAt: z.iso.datetime(),
    declaration: ConflictDeclaration.nullable(),
    training: TrainingRecord.nullable(),
  })
  .superRefine((file, ctx) => {
    if (!file.declaration && !file.training) {
      ctx.addIssue({ code: 'custom', path: ['declaration'], message: 'The file holds neither a declaration nor a training date.' });
    }
    const recordedOn = file.recordedAt.slice(0, 10);
    if (file.declaration?.declaredOn && file.declaration.declaredOn > recordedOn) {
      ctx.addIssue({ code: 'custom', path: ['declaration', 'declaredOn'], message: 'The declaration is dated after it was recorded.' });
    }
    if (file.training && file.training.completedOn > recordedOn) {
      ctx.addIssue({ code: 'custom', path: ['training', 'completedOn'], message: 'The training is dated after it was recorded.' });
    }
  });
export type DeclarationFile = z.infer<typeof DeclarationFile>;

export const DECISION_FILE_ERROR_CODES = ['draft-malformed', 'declaration-malformed'] as const;
export type DecisionFileErrorCode = (typeof DECISION_FILE_ERROR_CODES)[number];

export class DecisionFileError extends AppError {
  declare readonly code: DecisionFileErrorCode;
  constructor(code: DecisionFileErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}

/** "field.path: message (and N more problems)", for a message a person can act on. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], whole = 'file'): string {
  const first = issues[0];
  const where = first?.path.map(String).join('.') || whole;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? '' : 's'})` : '';
  return `${where}: ${first?.message ?? 'invalid'}${more}`;
}

function parseJsonBytes(bytes: Uint8Array, maxBytes: number, fail: (reason: string) => never): unknown {
  if (!(bytes instanceof Uint8Array)) fail('it is not a file');
  if (bytes.length > maxBytes) fail(`it is ${bytes.length} bytes, more than the ${maxBytes} allowed`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail('it is not UTF-8 text');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    fail('it is not JSON');
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, fail: (reason: string) => never): T {
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(value);
  } catch {
    // A schema never throws on data, but a hostile value (a getter, a cyclic object) must still end as a typed error.
    fail('it could not be read');
  }
  if (!result.success) fail(describeIssues(result.error.issues));
  return result.data;
}

/** Parses a decision draft file's bytes (the envelope payload). Throws only DecisionFileError('draft-malformed'). */
export function parseDecisionDraftFile(bytes: Uint8Array): DecisionDraftFile {
  const fail = (reason: string): never => {
    throw new DecisionFileError('draft-malformed', `This decision draft cannot be read: ${reason}.`, { reason });
  };
  return parseWith(DecisionDraftFile, parseJsonBytes(bytes, MAX_DRAFT_JSON_BYTES + 64 * 1024, fail), fail);
}

/** Parses a declaration file's bytes (the envelope payload). Throws only DecisionFileError('declaration-malformed'). */
export function parseDeclarationFile(bytes: Uint8Array): DeclarationFile {
  const fail = (reason: string): never => {
    throw new DecisionFileError('declaration-malformed', `This declaration cannot be read: ${reason}.`, { reason });
  };
  return parseWith(DeclarationFile, parseJsonBytes(bytes, MAX_DECLARATION_JSON_BYTES, fail), fail);
}

// --- what the decision service answers, as schemas the contract can validate --------------------------------

const Person = z.strictObject({ participantId: ParticipantId, name: z.string() });

export const DecisionViewSchema = z.strictObject({
  caseId: z.string(),
  caseReference: CaseReference,
  bundleId: BundleId,
  /** The current revision; 0 while nothing has been saved or imported (the draft is then a fresh, empty one). */
  revision: z.int().min(0),
  draft: DecisionDraft,
  status: z.enum(['draft', 'final']),
  /** Where the current revision came from: nothing yet, saved on this laptop, or imported from the chair/scribe. */
  source: z.enum(['new', 'saved', 'imported']),
  me: z.strictObject({ participantId: ParticipantId.nullable(), isChair: z.boolean(), isScribe: z.boolean() }),
  chair: Person.nullable(),
  scribe: Person.nullable(),
  /** The user may change the draft now: the chair or the named scribe, while the decision is not final. */
  canEdit: z.boolean(),
  /** The user is the chair and the decision is not final (whether findings allow it is `canFinalise`). */
  canFinaliseAsChair: z.boolean(),
  check: CheckResult,
  /** Findings that stand in the way of finalising: every block and every unacknowledged warning. */
  blockers: z.array(Finding),
  canFinalise: z.boolean(),
  /** The earlier outcomes the consistency rule compared with. */
  history: z.array(HistoricalOutcome),
});
export type DecisionView = z.infer<typeof DecisionViewSchema>;

export const RevisionSummarySchema = z.strictObject({
  revision: z.int().min(1),
  status: z.enum(['draft', 'final']),
  origin: z.enum(['saved', 'imported']),
  /** Fingerprint of who wrote it, and their name when they are a participant of the case. */
  author: z.string(),
  authorName: z.string().nullable(),
  storedAt: z.string(),
});
export type RevisionSummary = z.infer<typeof RevisionSummarySchema>;

export const MyRecordsSchema = z.strictObject({
  participantId: ParticipantId,
  declaration: ConflictDeclaration.extend({ recordedAt: z.string() }).nullable(),
  training: TrainingRecord.extend({ recordedAt: z.string() }).nullable(),
});
export type MyRecords = z.infer<typeof MyRecordsSchema>;

export const ImportedDraftSchema = z.strictObject({
  view: DecisionViewSchema,
  /** The revision held before this import (0: none), which `changes` compare against. */
  previousRevision: z.int().min(0),
  changes: z.array(DraftChangeSchema),
});
export type ImportedDraft = z.infer<typeof ImportedDraftSchema>;

export const ImportedDeclarationSchema = z.strictObject({
  view: DecisionViewSchema,
  participantId: ParticipantId,
  /** Which records the file held. */
  merged: z.array(z.enum(['declaration', 'training'])),
  /** What changed in the draft (empty when it already said the same). */
  changes: z.array(DraftChangeSchema),
});
export type ImportedDeclaration = z.infer<typeof ImportedDeclarationSchema>;

export const RecordedSchema = z.strictObject({ records: MyRecordsSchema, view: DecisionViewSchema });
export type Recorded = z.infer<typeof RecordedSchema>;
