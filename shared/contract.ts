// The one contract between the renderer and the main process. Every call is declared here once:
// its name, the schema its input must satisfy, and the schema its result must satisfy. Main validates
// both directions (electron/ipc.ts); the preload exposes exactly these names; the renderer gets a typed client.
// Output schemas are strict objects, so a result carrying anything undeclared (a secret key, say) is refused.
import { z } from 'zod';
import {
  Contact,
  Fingerprint,
  ParticipantCard,
  ParticipantRole,
  Passphrase,
  PersonName,
  ProfileSummary,
  Settings,
} from './domain/profile';
import { BundleDocument, SectionLetter } from './domain/bundle';
import { CaseFile, CaseReference } from './domain/case';
import { CaseDraft, DocumentChange, DraftFields } from './domain/draft';
import { IsoDate, RecordText, Slug } from './domain/common';
import { ParticipantId } from './domain/case';
import { DecisionDraft } from './domain/decision';
import {
  DecisionViewSchema,
  ImportedDeclarationSchema,
  ImportedDraftSchema,
  MyRecordsSchema,
  RecordedSchema,
  RevisionSummarySchema,
} from './domain/decision-draft-file';
import { DraftChangeSchema } from './diff';
import { AnnotationContent, AnnotationVisibility, TextPoint } from './domain/annotation';
import { OutcomeRecord, Quarter, RecordChange, SignaturePurpose, StatsFormat, StatsReport } from './domain/record';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const Empty = z.strictObject({});
const Ok = z.strictObject({ ok: z.literal(true) });

export const SessionState = z.strictObject({
  state: z.enum(['no-profile', 'locked', 'unlocked']),
  profile: ProfileSummary.nullable(),
  /** Why the vault last locked, so the unlock screen can say so. */
  lockedReason: z.enum(['startup', 'user', 'idle']).nullable(),
});
export type SessionState = z.infer<typeof SessionState>;

export const CardPreview = z.strictObject({
  card: ParticipantCard,
  fingerprint: Fingerprint,
  /** The contact this card would update, if its keys are already in the address book. */
  existingContactId: z.string().nullable(),
  isSelf: z.boolean(),
});
export type CardPreview = z.infer<typeof CardPreview>;

export const CaseSummary = z.strictObject({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  hearingDate: z.string().nullable(),
  /** 'expired': past its expiry date; it can only be wiped. */
  status: z.enum(['open', 'expired']),
  expiresOn: z.string(),
  decidingBody: z.string(),
  myRole: z.string().nullable(),
  sealedBy: z.string(),
  documentCount: z.int(),
  pageCount: z.int(),
  importedAt: z.string(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const KeychainStatus = z.strictObject({
  /** The OS keychain can protect the passphrase (false where Electron would fall back to a fixed key). */
  available: z.boolean(),
  enabled: z.boolean(),
  /** Why it is unavailable, in plain words. */
  reason: z.string().nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

export const SealerView = z.strictObject({
  name: z.string(),
  role: z.string(),
  fingerprint: Fingerprint,
  known: z.boolean(),
  verified: z.boolean(),
});

const BundleDocumentView = BundleDocument.omit({ path: true });

/** What a sealed file says about itself, once the clerk's signature on its contents has verified. */
export const BundlePreview = z.strictObject({
  token: z.string(),
  fileName: z.string(),
  fileBytes: z.int(),
  reference: z.string(),
  title: z.string(),
  decidingBody: z.string(),
  hearingDate: z.string().nullable(),
  expiresOn: z.string(),
  expired: z.boolean(),
  alreadyImported: z.boolean(),
  revision: z.int(),
  sealedAt: z.string(),
  sealer: SealerView,
  recipients: z.array(z.strictObject({ name: z.string(), role: z.string(), fingerprint: Fingerprint })),
  sections: z.array(z.strictObject({ letter: z.string(), title: z.string(), supplementary: z.boolean() })),
  documents: z.array(BundleDocumentView),
  pageCount: z.int(),
});
export type BundlePreview = z.infer<typeof BundlePreview>;

export const CaseDetail = z.strictObject({
  summary: CaseSummary,
  caseFile: CaseFile,
  sealer: SealerView,
  sections: z.array(z.strictObject({ letter: z.string(), title: z.string(), supplementary: z.boolean() })),
  documents: z.array(BundleDocumentView),
  revision: z.int(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const DraftView = z.strictObject({ draft: CaseDraft, problems: z.array(z.string()) });
export type DraftView = z.infer<typeof DraftView>;

export const DraftSummary = z.strictObject({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  documentCount: z.int(),
  sealedRevisions: z.int(),
  updatedAt: z.string(),
});
export type DraftSummary = z.infer<typeof DraftSummary>;

export const SealOutcome = z.strictObject({
  cancelled: z.boolean(),
  files: z.array(z.strictObject({ path: z.string(), recipients: z.array(z.string()), documentCount: z.int() })),
  pageCount: z.int(),
  revision: z.int(),
});
export type SealOutcome = z.infer<typeof SealOutcome>;

export const CriteriaSummary = z.strictObject({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  isSample: z.boolean(),
  conductCategories: z.array(z.strictObject({ id: z.string(), label: z.string() })),
});
export type CriteriaSummary = z.infer<typeof CriteriaSummary>;

const DraftId = z.strictObject({ id: z.string().max(64) });

// --- the decision workspace (docs/decision-draft.md) ---------------------------------------------------------
const DecisionCase = z.strictObject({ caseId: z.string().min(1).max(64) });
const Revision = z.int().min(0).max(1_000_000);
/** Who a sealed decision file was sealed to (the author is always one of them). */
const SealedFor = z.array(z.strictObject({ participantId: ParticipantId, name: z.string(), role: z.string() }));
export const DecisionExport = z.strictObject({ savedTo: z.string().nullable(), recipients: SealedFor });
export type DecisionExport = z.infer<typeof DecisionExport>;
export const MyDeclaration = z.strictObject({ conflict: z.boolean(), details: RecordText.optional(), recused: z.boolean(), declaredOn: IsoDate });

const decisionCalls = {
  /** The case's decision as it stands here (a fresh, unsaved draft at revision 0), who may edit it, and its check. */
  'decision.open': call(DecisionCase, DecisionViewSchema),
  /** Saves the editor's draft as the next revision; refused if anything was saved or imported since baseRevision. */
  'decision.save': call(z.strictObject({ caseId: DecisionCase.shape.caseId, draft: DecisionDraft, baseRevision: Revision }), DecisionViewSchema),
  /** Acknowledges a current warning (fieldKey null: every warning of the rule) with a reason kept in the draft. */
  'decision.acknowledge': call(
    z.strictObject({ caseId: DecisionCase.shape.caseId, ruleId: Slug, fieldKey: z.string().min(1).max(200).nullable(), reason: z.string().trim().min(1).max(2_000) }),
    DecisionViewSchema,
  ),
  /** The chair marks the decision final; refused while anything blocks it or it changed since baseRevision. */
  'decision.finalise': call(z.strictObject({ caseId: DecisionCase.shape.caseId, baseRevision: Revision }), DecisionViewSchema),
  'decision.nameScribe': call(z.strictObject({ caseId: DecisionCase.shape.caseId, participantId: ParticipantId.nullable() }), DecisionViewSchema),
  'decision.revisions': call(DecisionCase, z.array(RevisionSummarySchema)),
  /** What changed between two held revisions (0: the empty draft). */
  'decision.diff': call(z.strictObject({ caseId: DecisionCase.shape.caseId, from: Revision, to: Revision }), z.array(DraftChangeSchema)),
  /** Seals the current revision to the panel and asks where to save it (savedTo null: the user cancelled). */
  'decision.exportDraft': call(DecisionCase, DecisionExport),
  /** Asks for a .hddecision file and imports it read-only; null when the user cancelled. */
  'decision.importDraft': call(DecisionCase, ImportedDraftSchema.nullable()),
  'decision.recordMyDeclaration': call(z.strictObject({ caseId: DecisionCase.shape.caseId, declaration: MyDeclaration }), RecordedSchema),
  'decision.recordMyTraining': call(z.strictObject({ caseId: DecisionCase.shape.caseId, completedOn: IsoDate }), RecordedSchema),
  /** The user's own declaration and training date in this case (refused with not-a-participant for others). */
  'decision.myRecords': call(DecisionCase, MyRecordsSchema),
  /** Seals the user's own records, signed, to the chair (and scribe), and asks where to save them. */
  'decision.exportMyDeclaration': call(DecisionCase, DecisionExport),
  /** The chair (or scribe) imports a participant's .hddeclaration into the draft; null when the user cancelled. */
  'decision.importDeclaration': call(DecisionCase, ImportedDeclarationSchema.nullable()),
} as const;
// --- end of the decision workspace --------------------------------------------------------------------------


// --- the evidence reader, search and annotations (docs/annotations.md) ---------------------------------------
const ReaderCaseId = z.string().min(1).max(64);
const ReaderDocumentId = z.string().min(1).max(64);
const AnnotationIdInput = z.uuid();
export const AnnotationView = z.strictObject({
  id: z.string(),
  caseId: z.string(),
  bundleId: z.string(),
  author: z.strictObject({ signingKey: z.string(), fingerprint: z.string().nullable(), name: z.string(), role: z.string().nullable() }),
  mine: z.boolean(),
  visibility: AnnotationVisibility,
  version: z.int(),
  deleted: z.boolean(),
  content: AnnotationContent.nullable(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  provenance: z.enum(['local', 'pack', 'jsonld']),
});
export type AnnotationView = z.infer<typeof AnnotationView>;
export const AnchorView = z.union([
  z.strictObject({ status: z.literal('anchored'), method: z.enum(['position', 'quote', 'normalised-quote']), start: TextPoint, end: TextPoint, documentChanged: z.boolean() }),
  z.strictObject({ status: z.literal('anchored'), method: z.literal('page'), page: z.int(), documentChanged: z.boolean() }),
  z.strictObject({ status: z.literal('orphan'), reason: z.enum(['text-not-found', 'page-not-found']), quote: z.string().nullable(), documentChanged: z.boolean() }),
]);
export type AnchorView = z.infer<typeof AnchorView>;
/** An annotation with where it anchors in the document's indexed text now (null: that text is not indexed). */
export const AnchoredAnnotationView = z.strictObject({ annotation: AnnotationView, anchor: AnchorView.nullable() });
export type AnchoredAnnotationView = z.infer<typeof AnchoredAnnotationView>;
export const AudienceMemberView = z.strictObject({ name: z.string(), role: z.string(), fingerprint: z.string(), reachable: z.boolean() });
export type AudienceMemberView = z.infer<typeof AudienceMemberView>;
export const SearchResultsView = z.strictObject({
  terms: z.array(z.strictObject({ text: z.string(), words: z.array(z.string()), prefix: z.boolean() })),
  pages: z.array(z.strictObject({ documentId: z.string(), title: z.string(), section: z.string(), page: z.int(), documentPage: z.int(), label: z.string(), snippet: z.string(), rank: z.number() })),
  annotations: z.array(
    z.strictObject({
      annotationId: z.string(), documentId: z.string(), title: z.string(), documentPage: z.int(), label: z.string(),
      visibility: AnnotationVisibility, authorName: z.string(), mine: z.boolean(), snippet: z.string(), rank: z.number(),
    }),
  ),
  indexedDocuments: z.int(),
  documents: z.int(),
});
export type SearchResultsView = z.infer<typeof SearchResultsView>;
export const PackImportView = z.strictObject({
  author: z.strictObject({ name: z.string(), role: z.string(), fingerprint: z.string() }),
  added: z.int(), updated: z.int(), deleted: z.int(), unchanged: z.int(), stale: z.int(), conflicts: z.int(), skipped: z.int(), changed: z.boolean(),
});
export type PackImportView = z.infer<typeof PackImportView>;
export const ReaderZoom = z.enum(['fit-width', 'fit-page', 'actual']);
export const ReaderPlaceView = z.strictObject({ documentId: ReaderDocumentId, page: z.int().min(1).max(1_000_000), zoom: ReaderZoom });
export type ReaderPlaceView = z.infer<typeof ReaderPlaceView>;
export const AnnotationVersionView = z.strictObject({
  version: z.int(),
  visibility: AnnotationVisibility,
  deleted: z.boolean(),
  content: AnnotationContent.nullable(),
  modifiedAt: z.string(),
  recordedAt: z.string(),
  source: z.enum(['local', 'restore', 'pack', 'conflict', 'jsonld']),
  /** Every version is by the annotation's author: nobody can change another's annotation. */
  authorName: z.string(),
});
export type AnnotationVersionView = z.infer<typeof AnnotationVersionView>;
export const LegalHoldView = z.strictObject({ reason: z.string(), setAt: z.string(), setBy: z.string() });
export type LegalHoldView = z.infer<typeof LegalHoldView>;
export const JsonLdImportView = z.strictObject({ added: z.int(), updated: z.int(), unchanged: z.int(), othersPrivate: z.int(), kept: z.int() });
export type JsonLdImportView = z.infer<typeof JsonLdImportView>;

const readerCalls = {
  /** Makes the case's text searchable (extracting what is not indexed yet) and says how much of it is. */
  'reader.open': call(z.strictObject({ caseId: ReaderCaseId }), z.strictObject({ indexedDocuments: z.int(), documents: z.int(), unreadable: z.int() })),
  /** One document's PDF from the vault, base64 (structured clone and the e2e bridge both carry strings as they are). */
  'reader.document': call(z.strictObject({ caseId: ReaderCaseId, documentId: ReaderDocumentId }), z.strictObject({ base64: z.string() })),
  /** The document's page texts as indexed (what annotation offsets count in); null while not indexed. */
  'reader.pageTexts': call(z.strictObject({ caseId: ReaderCaseId, documentId: ReaderDocumentId }), z.array(z.string()).nullable()),
  'search.query': call(z.strictObject({ caseId: ReaderCaseId, query: z.string().max(2_000), documentId: ReaderDocumentId.optional() }), SearchResultsView),
  'annotations.list': call(z.strictObject({ caseId: ReaderCaseId }), z.array(AnchoredAnnotationView)),
  'annotations.create': call(z.strictObject({ caseId: ReaderCaseId, content: AnnotationContent, visibility: AnnotationVisibility }), AnnotationView),
  'annotations.update': call(
    z.strictObject({ annotationId: AnnotationIdInput, content: AnnotationContent.optional(), visibility: AnnotationVisibility.optional(), expectedVersion: z.int().min(1).optional() }),
    AnnotationView,
  ),
  'annotations.delete': call(z.strictObject({ annotationId: AnnotationIdInput, expectedVersion: z.int().min(1).optional() }), AnnotationView),
  /** Makes an earlier version's content current again, as a new version (undo, and undelete). */
  'annotations.restore': call(z.strictObject({ annotationId: AnnotationIdInput, version: z.int().min(1) }), AnnotationView),
  /** Who would see an annotation with this visibility: shown before anyone widens it. */
  'annotations.audience': call(z.strictObject({ caseId: ReaderCaseId, visibility: AnnotationVisibility }), z.array(AudienceMemberView)),
  /** Seals my panel and advice annotations to the panel and lawyer and asks where to save (savedTo null: cancelled). */
  'annotations.exportPack': call(
    z.strictObject({ caseId: ReaderCaseId }),
    z.strictObject({ savedTo: z.string().nullable(), recipients: z.array(AudienceMemberView), unreachable: z.array(AudienceMemberView), annotations: z.int(), tombstones: z.int() }),
  ),
  /** Asks for a pack file and merges it (null: the user cancelled). */
  'annotations.importPack': call(z.strictObject({ caseId: ReaderCaseId }), PackImportView.nullable()),
  /** Remembers where this user is in the case (document, page, zoom), in the vault. */
  'reader.savePlace': call(z.strictObject({ caseId: ReaderCaseId, documentId: ReaderDocumentId, page: z.int().min(1).max(1_000_000), zoom: ReaderZoom }), z.null()),
  /** Where this user last was in the case (null: nowhere yet, or that page no longer exists). */
  'annotations.legalHold': call(z.strictObject({ caseId: ReaderCaseId }), LegalHoldView.nullable()),
  /** Keeps the case's private notes when the outcome is final or the case is wiped (a reason is required). */
  'annotations.setLegalHold': call(z.strictObject({ caseId: ReaderCaseId, reason: z.string().trim().min(1, 'Say why the legal hold is set.').max(500) }), LegalHoldView),
  'annotations.clearLegalHold': call(z.strictObject({ caseId: ReaderCaseId }), z.null()),
  'reader.place': call(z.strictObject({ caseId: ReaderCaseId }), ReaderPlaceView.nullable()),
  /** Every version of one annotation, oldest first (the edit history; restore makes one current again). */
  'annotations.history': call(z.strictObject({ annotationId: AnnotationIdInput }), z.array(AnnotationVersionView)),
  /** Writes the case's annotations as W3C Web Annotation JSON-LD where the user chooses (savedTo null: cancelled). */
  'annotations.exportJsonLd': call(z.strictObject({ caseId: ReaderCaseId }), z.strictObject({ savedTo: z.string().nullable(), annotations: z.int() })),
  /** Asks for a JSON-LD file written by exportJsonLd and imports it, all or nothing (null: cancelled). */
  'annotations.importJsonLd': call(z.strictObject({ caseId: ReaderCaseId }), JsonLdImportView.nullable()),
} as const;
// --- end of the evidence reader -----------------------------------------------------------------------------

// --- outcome records, signatures, the letter, the package; the central office (docs/outcome-record.md) ------
const RecordCaseInput = z.strictObject({ caseId: z.string().min(1).max(64) });
const RecordPersonView = z.strictObject({ name: z.string(), role: z.string(), fingerprint: z.string() });
export const RecordSignerView = RecordPersonView.extend({ purpose: SignaturePurpose, signedAt: z.string() });
export type RecordSignerView = z.infer<typeof RecordSignerView>;
export const MissingSignatureView = z.strictObject({
  role: z.string(),
  purpose: SignaturePurpose,
  needed: z.int(),
  outstanding: z.array(z.strictObject({ name: z.string(), fingerprint: z.string() })),
});
export type MissingSignatureView = z.infer<typeof MissingSignatureView>;
/** The audit chain as verified just now: intact (with its length and head) or broken at one entry. */
export const AuditChainView = z.union([
  z.strictObject({ ok: z.literal(true), count: z.int(), headHash: z.string() }),
  z.strictObject({ ok: z.literal(false), brokenAt: z.int(), message: z.string() }),
]);
export type AuditChainView = z.infer<typeof AuditChainView>;
export const LetterView = z.strictObject({ pageCount: z.int(), bytes: z.int(), sha256: z.string(), signatures: z.int(), builtAt: z.string() });
export type LetterView = z.infer<typeof LetterView>;
/** The outcome of a case as this user holds it: the decision's state, the chair's record being signed, the letter. */
export const OutcomeStatusView = z.strictObject({
  caseReference: z.string(),
  myRole: z.string().nullable(),
  isChair: z.boolean(),
  decision: z.strictObject({ status: z.enum(['draft', 'final']), revision: z.int() }),
  audit: AuditChainView,
  record: z
    .strictObject({
      version: z.int(),
      recordId: z.string(),
      updatedAt: z.string(),
      record: OutcomeRecord,
      signatures: z.array(RecordSignerView),
      missing: z.array(MissingSignatureView),
      complete: z.boolean(),
      signedByMe: z.boolean(),
      /** The last other version the user was shown, and what changed since (empty when none). */
      previous: z.strictObject({ version: z.int(), seenAt: z.string() }).nullable(),
      changes: z.array(RecordChange),
    })
    .nullable(),
  letter: LetterView.nullable(),
  /** Central-office contacts in the address book the package can be sealed to. */
  offices: z.array(z.strictObject({ id: z.string(), name: z.string(), fingerprint: z.string(), verified: z.boolean() })),
});
export type OutcomeStatusView = z.infer<typeof OutcomeStatusView>;
/** A record the chair sent for signature, opened by a member: exactly what their signature will cover. */
export const ForSignatureView = z.strictObject({
  caseReference: z.string(),
  version: z.int(),
  payloadSha256: z.string(),
  record: OutcomeRecord,
  chair: RecordPersonView,
  me: RecordPersonView,
  purpose: SignaturePurpose.nullable(),
  /** What the criteria say a signature of the user's role means. */
  statement: z.string().nullable(),
  previous: z.strictObject({ version: z.int(), seenAt: z.string() }).nullable(),
  changes: z.array(RecordChange),
  signedBy: z.array(RecordPersonView.extend({ purpose: SignaturePurpose })),
  alreadySignedByMe: z.boolean(),
});
export type ForSignatureView = z.infer<typeof ForSignatureView>;
export const FileResultView = z.union([
  z.strictObject({ file: z.string(), ok: z.literal(true), detail: z.string() }),
  z.strictObject({ file: z.string(), ok: z.literal(false), code: z.string(), message: z.string() }),
]);
export type FileResultView = z.infer<typeof FileResultView>;
export const AuditLogView = z.strictObject({
  caseReference: z.string(),
  chain: AuditChainView,
  entries: z.array(
    z.strictObject({
      counter: z.int(),
      time: z.string(),
      actor: z.strictObject({ fingerprint: z.string(), name: z.string().nullable(), isMe: z.boolean() }),
      action: z.string(),
      actionLabel: z.string(),
      object: z.string(),
    }),
  ),
  /** More entries exist before the oldest shown. */
  truncated: z.boolean(),
});
export type AuditLogView = z.infer<typeof AuditLogView>;
const SavedTo = z.strictObject({ savedTo: z.string().nullable() });
const StatsInput = z.strictObject({ quarter: Quarter, threshold: z.int().min(1).max(1_000).optional() });
/** An ordered education course's state (electron/services/records/courses.ts): overdue once its due date has passed. */
export const CourseStatus = z.enum(['completed-on-time', 'completed-late', 'due', 'overdue']);
export type CourseStatus = z.infer<typeof CourseStatus>;
export const CourseView = z.strictObject({
  caseReference: z.string(),
  decidingBody: z.string(),
  decidedOn: IsoDate,
  dueOn: IsoDate,
  completedOn: IsoDate.nullable(),
  status: CourseStatus,
});
export type CourseView = z.infer<typeof CourseView>;

const recordCalls = {
  'records.status': call(RecordCaseInput, OutcomeStatusView),
  /** The chair builds the outcome record from the final decision (kept while its decision revision stands). */
  'records.build': call(RecordCaseInput, OutcomeStatusView),
  /** The chair adds their own signature; the passphrase is asked again. */
  'records.sign': call(RecordCaseInput.extend({ passphrase: Passphrase }), OutcomeStatusView),
  /** Seals the record for signature to everyone who must sign and asks where to save it. */
  'records.exportForSignature': call(RecordCaseInput, SavedTo.extend({ version: z.int(), recipients: z.array(z.strictObject({ name: z.string(), role: z.string() })) })),
  /** A member picks the chair's envelope and sees what they would sign (null: cancelled). */
  'records.openForSignature': call(RecordCaseInput, ForSignatureView.nullable()),
  /** A member signs bytes they were shown and saves the signature envelope for the chair. */
  'records.signForSignature': call(RecordCaseInput.extend({ payloadSha256: z.string().regex(/^[0-9a-f]{64}$/), passphrase: Passphrase }), SavedTo),
  /** The chair picks returned signature envelopes (several at once); each is added or refused on its own. */
  'records.importSignatures': call(RecordCaseInput, z.strictObject({ results: z.array(FileResultView), status: OutcomeStatusView }).nullable()),
  /** The chair builds the PAdES-signed decision letter from the complete record (held in memory until saved). */
  'records.buildLetter': call(RecordCaseInput, LetterView),
  /** Only when the stored letter certificate is damaged: keeps the damaged one as evidence, issues a new one, logs it. */
  'records.replaceLetterCertificate': call(RecordCaseInput, z.strictObject({ serialHex: z.string().regex(/^[0-9A-F]{2,64}$/), notAfter: z.string() })),
  'records.saveLetter': call(RecordCaseInput, SavedTo),
  /** Seals the outcome package to a central-office contact and asks where to save it. */
  'records.exportPackage': call(RecordCaseInput.extend({ officeContactId: z.string().min(1).max(64) }), SavedTo.extend({ recordId: z.string(), office: z.string() })),
  'records.auditLog': call(RecordCaseInput.extend({ limit: z.int().min(1).max(1_000).optional() }), AuditLogView),
  /** The central office's ledger at a glance. */
  'office.overview': call(
    Empty,
    z.strictObject({
      records: z.int(),
      quarters: z.array(z.strictObject({ quarter: z.string(), cases: z.int() })),
      publishedCriteria: z.array(z.strictObject({ id: z.string(), version: z.string(), publishedAt: z.string() })),
    }),
  ),
  /** Picks outcome packages (several) and ingests the valid ones; null when cancelled. */
  'office.ingest': call(Empty, z.array(FileResultView).nullable()),
  'office.stats': call(StatsInput, StatsReport),
  'office.exportStats': call(StatsInput.extend({ format: StatsFormat }), SavedTo),
  /** Every education course the ledger's records ordered, with its status on `asOf` (default: today). */
  'office.courses': call(z.strictObject({ asOf: IsoDate.optional() }), z.strictObject({ asOf: IsoDate, courses: z.array(CourseView) })),
  /**
   * Records (or changes, audited) the day a case's course was completed. The date is checked by the service, which
   * names what is wrong with it (malformed, before the decision, in the future) in plain words.
   */
  'office.recordCourseCompleted': call(
    z.strictObject({ caseReference: CaseReference, completedOn: z.string().min(1).max(40) }),
    z.strictObject({ course: CourseView, previousCompletedOn: IsoDate.nullable(), changed: z.boolean() }),
  ),
} as const;
// --- end of outcome records ---------------------------------------------------------------------------------

// --- published criteria and decision history (electron/services/published.ts) ---------------------------------
const PublishedSigner = z.strictObject({ name: z.string(), fingerprint: z.string() });
export const HeldCriteriaView = z.strictObject({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  digest: z.string(),
  isSample: z.boolean(),
  signer: PublishedSigner,
  importedAt: z.string(),
});
export type HeldCriteriaView = z.infer<typeof HeldCriteriaView>;
export const HeldHistoryView = z.strictObject({ signer: PublishedSigner, issuedOn: z.string(), outcomes: z.int(), importedAt: z.string() });
export type HeldHistoryView = z.infer<typeof HeldHistoryView>;
export const PublishedListView = z.strictObject({ criteria: z.array(HeldCriteriaView), histories: z.array(HeldHistoryView) });
export type PublishedListView = z.infer<typeof PublishedListView>;

const publishedCalls = {
  /** Everything the central office published that this laptop holds, with who signed it. */
  'published.list': call(Empty, PublishedListView),
  /** Picks a signed criteria file and imports it after verifying the central office's signature (null: cancelled). */
  'published.importCriteria': call(Empty, z.strictObject({ criteria: HeldCriteriaView, added: z.boolean() }).nullable()),
  /** Picks a signed decision history and imports it, replacing an older one from the same office (null: cancelled). */
  'published.importHistory': call(Empty, z.strictObject({ history: HeldHistoryView, replaced: z.boolean() }).nullable()),
} as const;
// --- end of published criteria ------------------------------------------------------------------------------

export const contract = {
  ...decisionCalls,
  ...readerCalls,
  ...recordCalls,
  ...publishedCalls,
  'session.status': call(Empty, SessionState),
  /** Resets the idle-lock timer; the renderer calls it (throttled) on keyboard and pointer activity. */
  'session.touch': call(Empty, Ok),
  'profile.create': call(
    z.strictObject({ name: PersonName, role: ParticipantRole, passphrase: Passphrase }),
    SessionState,
  ),
  'vault.unlock': call(z.strictObject({ passphrase: Passphrase }), SessionState),
  'vault.lock': call(Empty, SessionState),
  'vault.changePassphrase': call(z.strictObject({ current: Passphrase, next: Passphrase }), Ok),
  'keychain.status': call(Empty, KeychainStatus),
  /** Remembers the passphrase in the OS keychain (after checking it) so the vault can unlock without typing. */
  'keychain.enable': call(z.strictObject({ passphrase: Passphrase }), KeychainStatus),
  'keychain.disable': call(Empty, KeychainStatus),
  'keychain.unlock': call(Empty, SessionState),
  'settings.get': call(Empty, Settings),
  'settings.update': call(Settings.partial().strict(), Settings),
  'identity.myCard': call(Empty, z.strictObject({ card: ParticipantCard, fingerprint: Fingerprint })),
  /** Writes the user's card to a file the user chooses; returns where (null if cancelled). */
  'identity.exportCard': call(Empty, z.strictObject({ savedTo: z.string().nullable() })),
  'contacts.list': call(Empty, z.array(Contact)),
  'contacts.previewCard': call(z.strictObject({ text: z.string().max(64 * 1024) }), CardPreview),
  'contacts.importCard': call(
    z.strictObject({ text: z.string().max(64 * 1024), verified: z.boolean() }),
    Contact,
  ),
  'contacts.setVerified': call(z.strictObject({ id: z.string(), verified: z.boolean() }), Contact),
  'contacts.remove': call(z.strictObject({ id: z.string() }), Ok),
  'cases.list': call(Empty, z.array(CaseSummary)),
  'cases.get': call(z.strictObject({ id: z.string().max(64) }), CaseDetail),
  /** Removes the case and all its material; only a record that it was wiped remains. */
  'cases.wipe': call(z.strictObject({ id: z.string().max(64) }), Ok),
  /** Opens the native file picker and reads what the chosen sealed file says it holds (null if cancelled). */
  'bundles.choose': call(Empty, BundlePreview.nullable()),
  /** Imports a previewed file, all or nothing; progress arrives as 'progress' events under the same token. */
  'bundles.import': call(z.strictObject({ token: z.string().max(64), trustSealer: z.boolean() }), z.strictObject({ caseId: z.string() })),
  'drafts.list': call(Empty, z.array(DraftSummary)),
  'drafts.create': call(Empty, DraftView),
  /** A practice case for training a panel: the demo hearing's details and evidence in a new draft, no participants yet. */
  'drafts.createPractice': call(Empty, DraftView),
  'drafts.get': call(DraftId, DraftView),
  'drafts.update': call(z.strictObject({ id: z.string().max(64), fields: DraftFields }), DraftView),
  'drafts.remove': call(DraftId, Ok),
  /** Opens the native picker (several files at once) and adds each to the section, in the order chosen. */
  'drafts.addDocuments': call(z.strictObject({ id: z.string().max(64), section: SectionLetter }), DraftView),
  'drafts.updateDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64), change: DocumentChange }), DraftView),
  'drafts.moveDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64), direction: z.union([z.literal(-1), z.literal(1)]) }), DraftView),
  'drafts.removeDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64) }), DraftView),
  /** Asks where to save, then builds, signs and seals the bundle; progress arrives as 'progress' events. */
  'drafts.seal': call(z.strictObject({ id: z.string().max(64), operationId: z.string().max(64) }), SealOutcome),
  /** Seals the built-in, wholly fictional demo hearing to this profile and imports it. */
  'demo.install': call(Empty, z.strictObject({ caseId: z.string() })),
  /** The sanctions criteria in force on this machine (what new cases name, and their conduct categories). */
  'criteria.current': call(Empty, CriteriaSummary),
  'operations.cancel': call(z.strictObject({ operationId: z.string().max(64) }), Ok),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;
export const CALL_NAMES = Object.keys(contract) as CallName[];

/** Events main pushes to the renderer (no replies). */
export const Progress = z.strictObject({
  /** The token (import) or operation id (seal) the progress belongs to. */
  operationId: z.string(),
  operation: z.enum(['import', 'seal']),
  phase: z.string(),
  done: z.number(),
  total: z.number(),
});
export type Progress = z.infer<typeof Progress>;

/** A bundle file that arrived from outside the pickers (dropped on the window, opened from the file manager). */
export const BundleOffer = z.strictObject({
  preview: BundlePreview.nullable(),
  error: z.strictObject({ code: z.string(), message: z.string(), fileName: z.string() }).nullable(),
});
export type BundleOffer = z.infer<typeof BundleOffer>;

export const events = {
  'session.changed': SessionState,
  progress: Progress,
  'bundles.offered': BundleOffer,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What crosses the bridge for a call: a result or a plain error, never a thrown object with a stack. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The API object the preload exposes on `window.hearingDesk` (and the e2e harness reproduces). */
export interface BridgeApi {
  invoke(name: string, payload: unknown): Promise<WireResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export const BRIDGE_GLOBAL = 'hearingDesk';
export const IPC_CALL_CHANNEL = 'hd:call';
export const IPC_EVENT_CHANNEL = 'hd:event';
