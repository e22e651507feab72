// The decision workspace's service (docs/decision-draft.md). The chair (or the scribe the chair names) writes the
// decision; every save is a new, immutable revision checked against the criteria the case names; warnings are
// acknowledged with a reason; the chair finalises once nothing blocks, and the draft is read-only from then on.
// The editor exports the draft as a sealed envelope to the panel and the lawyer, who import it read-only and see
// what changed since the draft they had. Each participant records their own conflict declaration and training
// date and sends them, signed, to the chair, whose import merges them into the draft's procedural record.
//
// Every refusal is a typed error and changes nothing: all checks run before the one transaction that stores the
// change together with its audit entry.
import { canonicalize } from '../../../shared/canonical-json';
import { canFinalise, checkDecision, finaliseBlockers, type HistoricalOutcome } from '../../../shared/checker';
import type { CheckResult } from '../../../shared/checker/result';
import { sampleCriteria } from '../../../shared/criteria';
import { diffDecisionDrafts, draftDiffLabels, type DraftChange } from '../../../shared/diff';
import { IsoDate } from '../../../shared/domain/common';
import type { CaseParticipant, CriteriaReference } from '../../../shared/domain/case';
import { ConflictDeclaration } from '../../../shared/domain/case';
import type { CriteriaDocument } from '../../../shared/domain/criteria';
import { Acknowledgement, DecisionDraft } from '../../../shared/domain/decision';
import {
  DECISION_DRAFT_FILE_EXTENSION,
  DECISION_DRAFT_FILE_FORMAT,
  DECLARATION_FILE_EXTENSION,
  DECLARATION_FILE_FORMAT,
  describeIssues,
  MAX_DECLARATION_JSON_BYTES,
  MAX_DRAFT_JSON_BYTES,
  parseDecisionDraftFile,
  parseDeclarationFile,
  type DecisionDraftFile,
  type DecisionView,
  type DeclarationFile,
  type ImportedDeclaration,
  type ImportedDraft,
  type MyRecords,
  type Recorded,
  type RevisionSummary,
  type TrainingRecord,
} from '../../../shared/domain/decision-draft-file';
import { AuditTrail, type AuditAppend } from '../audit';
import { CriteriaError, criteriaDigest } from '../criteria';
import { openEnvelopeBytes, sealEnvelopeBytes, type PayloadType } from '../crypto/envelope';
import { fingerprintOf } from '../identities';
import type { Session } from '../session';
import { isChair, isEditor, isScribe, loadCaseContext, participantByFingerprint, SCRIBE_ROLES, type CaseContext } from './case-context';
import { DecisionError } from './errors';
import {
  insertRevision,
  latestRevision,
  listRevisions,
  readParticipantRecords,
  revisionAt,
  setScribe,
  writeParticipantRecord,
  type ParticipantRecords,
  type StoredRevision,
} from './store';

/** The criteria document a case names, or null when this laptop does not hold it. */
export type CriteriaResolver = (reference: CriteriaReference) => CriteriaDocument | null;

/** Until signed criteria are stored in the vault, the only criteria a laptop holds are the shipped SAMPLE. */
export const sampleCriteriaResolver: CriteriaResolver = (reference) => {
  const sample = sampleCriteria();
  return sample.id === reference.id && sample.version === reference.version ? sample : null;
};

export interface DecisionsOptions {
  criteriaFor?: CriteriaResolver;
  /** Earlier anonymised outcomes for the consistency rule; none are held locally yet. */
  historyFor?: (criteria: CriteriaDocument) => HistoricalOutcome[];
}

export interface ExportedFile {
  bytes: Uint8Array;
  /** A suggested file name (no directory). */
  fileName: string;
  /** Who can open it (the author is always one of them). */
  recipients: { participantId: string; name: string; role: string }[];
  /** The audit entry the export makes; recorded at once, or by recordExport once the file is really written. */
  audit: AuditAppend;
}

export interface ExportOptions {
  /** false: the caller writes the file and then calls recordExport, so a cancelled or failed save leaves no entry. */
  record?: boolean;
}

/** What a participant declares; the date is required here (the schema allows it absent for case-file entries). */
export interface MyDeclarationInput {
  conflict: boolean;
  details?: string;
  recused: boolean;
  declaredOn: string;
}

const DECISION_TYPE: PayloadType = 'hearing-desk/decision@1';
const DECLARATION_TYPE: PayloadType = 'hearing-desk/declaration@1';
const PANEL_ROLES: readonly string[] = ['chair', 'panellist', 'external-lawyer'];

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function fileSafe(reference: string): string {
  return reference.replace(/[^A-Za-z0-9-]+/g, '-');
}

function emptyDraft(context: CaseContext): DecisionDraft {
  return DecisionDraft.parse({
    format: 'hearing-desk/decision@1',
    caseReference: context.reference,
    revision: 0,
    author: context.myFingerprint,
    status: 'draft',
    decisionDate: null,
    procedural: { attendance: [], lawyerAdvice: null, declarations: [], training: [] },
    allegations: context.caseFile.allegations.map((allegation) => ({ number: allegation.number, facts: '', evidenceRefs: [], finding: null, reasons: '' })),
    seriousness: null,
    sanction: null,
    orders: { educationCourse: null, referral: null },
    publicationSummary: '',
    acknowledgements: [],
  });
}

function ackKey(entry: { ruleId: string; fieldKey?: string | undefined }): string {
  return `${entry.ruleId}\u0000${entry.fieldKey ?? ''}`;
}

export class Decisions {
  private readonly audit: AuditTrail;
  private readonly criteriaFor: CriteriaResolver;
  private readonly historyFor: (criteria: CriteriaDocument) => HistoricalOutcome[];

  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
    options: DecisionsOptions = {},
  ) {
    this.audit = new AuditTrail(session, now);
    this.criteriaFor = options.criteriaFor ?? sampleCriteriaResolver;
    this.historyFor = options.historyFor ?? (() => []);
  }

  private get db() {
    return this.session.requireVault().db;
  }

  private context(caseId: string): CaseContext {
    if (typeof caseId !== 'string' || caseId.length === 0 || caseId.length > 200) throw new DecisionError('case-not-found', 'That case is not in your vault.');
    const fingerprint = this.session.status().profile?.fingerprint;
    if (!fingerprint) throw new DecisionError('not-a-participant', 'Unlock your profile first.');
    return loadCaseContext(this.db, caseId, fingerprint, isoDay(this.now()));
  }

  /** The criteria the case names: refused (never silently substituted) when this laptop does not hold exactly them. */
  private criteria(context: CaseContext): CriteriaDocument {
    const named = context.caseFile.criteria;
    const criteria = this.criteriaFor(named);
    if (!criteria || criteria.id !== named.id || criteria.version !== named.version) {
      throw new CriteriaError(
        'criteria-version-mismatch',
        `Case ${context.reference} names the criteria "${named.id}" version ${named.version}, which this laptop does not hold. Import the signed criteria the case names; no other version may be used to check its decision.`,
        { expected: named },
      );
    }
    if (named.digest && criteriaDigest(criteria) !== named.digest) {
      throw new CriteriaError(
        'criteria-digest-mismatch',
        `The criteria "${named.id}" version ${named.version} held here are not the exact text case ${context.reference} pinned. Import the published file.`,
        { expected: named.digest },
      );
    }
    return criteria;
  }

  private checked(context: CaseContext, draft: DecisionDraft): { check: CheckResult; history: HistoricalOutcome[]; criteria: CriteriaDocument } {
    const criteria = this.criteria(context);
    const history = this.historyFor(criteria);
    return { check: checkDecision(criteria, context.caseFile, draft, { history }), history, criteria };
  }

  private current(context: CaseContext): { stored: StoredRevision | null; draft: DecisionDraft } {
    const stored = latestRevision(this.db, context.bundleId);
    return { stored, draft: stored?.draft ?? emptyDraft(context) };
  }

  private view(context: CaseContext): DecisionView {
    const { stored, draft } = this.current(context);
    const { check, history } = this.checked(context, draft);
    const final = draft.status === 'final';
    const person = (p: CaseParticipant | null) => (p ? { participantId: p.id, name: p.name } : null);
    const blockers = finaliseBlockers(check);
    return {
      caseId: context.caseId,
      caseReference: context.reference,
      bundleId: context.bundleId,
      revision: stored?.revision ?? 0,
      draft,
      status: draft.status,
      source: stored ? stored.origin : 'new',
      me: { participantId: context.me?.id ?? null, isChair: isChair(context, context.me), isScribe: isScribe(context, context.me) },
      chair: person(context.chair),
      scribe: person(context.scribe),
      canEdit: !final && isEditor(context, context.me),
      canFinaliseAsChair: !final && isChair(context, context.me),
      check,
      blockers,
      canFinalise: canFinalise(check),
      history,
    };
  }

  // --- guards ---------------------------------------------------------------------------------------------

  private requireEditor(context: CaseContext): void {
    if (!context.chair) throw new DecisionError('case-has-no-chair', `Case ${context.reference} names no chair, so nobody can write its decision. Ask the clerk.`);
    if (!isEditor(context, context.me)) {
      const scribe = context.scribe ? ` or ${context.scribe.name}, the scribe the chair named,` : '';
      throw new DecisionError('not-the-editor', `Only the chair (${context.chair.name})${scribe} can change this decision. You can read it.`);
    }
  }

  private requireChair(context: CaseContext): void {
    if (!context.chair) throw new DecisionError('case-has-no-chair', `Case ${context.reference} names no chair. Ask the clerk.`);
    if (!isChair(context, context.me)) throw new DecisionError('not-the-chair', `Only the chair (${context.chair.name}) can do this.`);
  }

  private requireNotFinal(stored: StoredRevision | null): void {
    if (stored?.status === 'final') {
      throw new DecisionError('decision-final', `This decision was finalised at revision ${stored.revision}. It cannot be changed any more.`);
    }
  }

  private validDraft(input: unknown): DecisionDraft {
    const parsed = DecisionDraft.safeParse(input);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new DecisionError('decision-invalid', `This draft cannot be saved. ${describeIssues(parsed.error.issues, 'draft')}`, {
        field: first?.path.map(String).join('.') ?? '',
        issues: parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      });
    }
    return parsed.data;
  }

  private serialised(draft: DecisionDraft): string {
    const json = JSON.stringify(draft);
    if (Buffer.byteLength(json, 'utf8') > MAX_DRAFT_JSON_BYTES) {
      throw new DecisionError('decision-too-large', `This draft is larger than ${MAX_DRAFT_JSON_BYTES / 1024 / 1024} MiB, far beyond any real decision. Shorten it.`);
    }
    return json;
  }

  // --- revisions ------------------------------------------------------------------------------------------

  /** Stores `draft` as the next revision (saved here), with a check-run entry, plus any further audit entries. */
  private commit(context: CaseContext, draft: DecisionDraft, extra: (check: CheckResult) => void = () => {}, details: Record<string, string | number | boolean | null> = {}): void {
    const json = this.serialised(draft);
    const { check } = this.checked(context, draft);
    const counts = { block: 0, warn: 0, info: 0 };
    for (const finding of check.findings) counts[finding.severity]++;
    this.db.transaction(() => {
      insertRevision(this.db, context.bundleId, draft, 'saved', this.now().toISOString(), json);
      this.audit.append({
        caseId: context.caseId,
        action: 'check-run',
        object: `decision revision ${draft.revision}`,
        details: { revision: draft.revision, blocks: counts.block, warnings: counts.warn, information: counts.info, criteria: `${check.criteriaId}@${check.criteriaVersion}`, ...details },
      });
      extra(check);
    })();
  }

  /** The case's decision as it stands: the latest revision here (or a fresh empty draft), who may edit it, and its check. */
  open(caseId: string): DecisionView {
    return this.view(this.context(caseId));
  }

  /**
   * Saves the editor's draft as a new revision. `baseRevision` is the revision the editor started from: if anything
   * was saved or imported since, the save is refused rather than overwriting it. The service sets the revision
   * number and author; a draft is made final only by finalise().
   */
  save(caseId: string, draft: unknown, baseRevision: number): DecisionView {
    const context = this.context(caseId);
    this.requireEditor(context);
    const { stored } = this.current(context);
    this.requireNotFinal(stored);
    const latest = stored?.revision ?? 0;
    if (!Number.isSafeInteger(baseRevision) || baseRevision !== latest) {
      throw new DecisionError(
        'draft-changed-elsewhere',
        `This draft changed since you opened it (you started from revision ${String(baseRevision)}, it is now at revision ${latest}). Reopen it and make your change again.`,
        { baseRevision, latest },
      );
    }
    const parsed = this.validDraft(draft);
    if (parsed.caseReference !== context.reference) {
      throw new DecisionError('decision-wrong-case', `This draft is for case ${parsed.caseReference}, not ${context.reference}.`);
    }
    if (parsed.status !== 'draft') throw new DecisionError('decision-invalid', 'A decision is made final with "Finalise", once nothing blocks it, not by saving.');
    const next = this.validDraft({ ...parsed, revision: latest + 1, author: context.myFingerprint });
    const before = new Set((stored?.draft.acknowledgements ?? []).map(ackKey));
    const added = next.acknowledgements.filter((entry) => !before.has(ackKey(entry)));
    this.commit(context, next, () => {
      // An acknowledgement typed into the draft is recorded like one made through acknowledge().
      for (const entry of added) this.recordAcknowledgement(context, next.revision, entry);
    });
    return this.view(context);
  }

  private recordAcknowledgement(context: CaseContext, revision: number, entry: Acknowledgement): void {
    this.audit.append({
      caseId: context.caseId,
      action: 'warning-acknowledged',
      object: `decision revision ${revision}`,
      details: { revision, ruleId: entry.ruleId, fieldKey: entry.fieldKey ?? null, reasonLength: entry.reason.trim().length },
    });
  }

  /**
   * Acknowledges a current warning with a reason (the reason is kept in the draft; the audit records that it was
   * given). `fieldKey` null acknowledges every warning of the rule. Blocks cannot be acknowledged, only fixed.
   */
  acknowledge(caseId: string, ruleId: string, fieldKey: string | null, reason: string): DecisionView {
    const context = this.context(caseId);
    this.requireEditor(context);
    const { stored, draft } = this.current(context);
    this.requireNotFinal(stored);
    if (typeof reason !== 'string' || reason.trim().length === 0) {
      throw new DecisionError('acknowledgement-reason-missing', 'Say why the warning is acknowledged: the reason is kept with the decision.');
    }
    const entry = Acknowledgement.safeParse({ ruleId, ...(fieldKey === null ? {} : { fieldKey }), reason: reason.trim() });
    if (!entry.success) throw new DecisionError('decision-invalid', `This acknowledgement cannot be recorded. ${describeIssues(entry.error.issues, 'acknowledgement')}`);
    const { check } = this.checked(context, draft);
    const matching = check.findings.filter((finding) => finding.ruleId === ruleId && (fieldKey === null || finding.fieldKey === fieldKey));
    if (!matching.some((finding) => finding.severity === 'warn')) {
      if (matching.some((finding) => finding.severity === 'block')) {
        throw new DecisionError('not-a-warning', `"${ruleId}" is a block here, not a warning: it must be fixed before the decision can be finalised.`);
      }
      throw new DecisionError('warning-not-found', `There is no current warning "${ruleId}"${fieldKey ? ` on ${fieldKey}` : ''} to acknowledge.`);
    }
    const acknowledgements = [...draft.acknowledgements.filter((existing) => ackKey(existing) !== ackKey(entry.data)), entry.data];
    const next = this.validDraft({ ...draft, revision: (stored?.revision ?? 0) + 1, author: context.myFingerprint, acknowledgements });
    this.commit(context, next, () => this.recordAcknowledgement(context, next.revision, entry.data));
    return this.view(context);
  }

  /**
   * Marks the decision final (the chair only). Refused while any block or unacknowledged warning remains; the
   * error's details.blockers lists them. From then on the draft is read-only on this laptop and on every laptop
   * that imports it. `baseRevision`, when given, must be the current revision (the chair finalises what they saw).
   */
  finalise(caseId: string, baseRevision?: number): DecisionView {
    const context = this.context(caseId);
    this.requireChair(context);
    const { stored, draft } = this.current(context);
    this.requireNotFinal(stored);
    const latest = stored?.revision ?? 0;
    if (baseRevision !== undefined && baseRevision !== latest) {
      throw new DecisionError('draft-changed-elsewhere', `The draft changed since you last read it (now revision ${latest}). Review it before finalising.`, { baseRevision, latest });
    }
    const { check } = this.checked(context, draft);
    const blockers = finaliseBlockers(check);
    if (blockers.length > 0) {
      const blocks = blockers.filter((finding) => finding.severity === 'block').length;
      const warnings = blockers.length - blocks;
      const parts = [blocks > 0 ? `${blocks} block${blocks === 1 ? '' : 's'} to fix` : '', warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'} to acknowledge` : ''].filter(Boolean);
      throw new DecisionError('decision-has-blockers', `This decision cannot be finalised yet: ${parts.join(' and ')}. First: ${blockers[0]!.message}`, {
        blockers: blockers.map((finding) => ({ ruleId: finding.ruleId, fieldKey: finding.fieldKey, severity: finding.severity, message: finding.message, fields: finding.fields })),
      });
    }
    const next = this.validDraft({ ...draft, revision: latest + 1, author: context.myFingerprint, status: 'final' });
    const acknowledged = check.findings.filter((finding) => finding.acknowledged).length;
    this.commit(context, next, (finalCheck) => {
      this.audit.append({
        caseId: context.caseId,
        action: 'decision-finalised',
        object: `decision revision ${next.revision}`,
        details: { revision: next.revision, criteria: `${finalCheck.criteriaId}@${finalCheck.criteriaVersion}`, warningsAcknowledged: acknowledged },
      });
    });
    return this.view(context);
  }

  /** The chair names a scribe who may also edit the draft (null: nobody but the chair). Sent to the panel with the next export. */
  nameScribe(caseId: string, participantId: string | null): DecisionView {
    const context = this.context(caseId);
    this.requireChair(context);
    this.requireNotFinal(this.current(context).stored);
    if (participantId !== null) {
      const participant = context.caseFile.participants.find((p) => p.id === participantId);
      if (!participant) throw new DecisionError('scribe-invalid', `Nobody with the id "${String(participantId).slice(0, 64)}" takes part in case ${context.reference}.`);
      if (participant.id === context.chair!.id) throw new DecisionError('scribe-invalid', 'The chair already writes the decision; name someone else as scribe.');
      if (!SCRIBE_ROLES.includes(participant.role)) {
        throw new DecisionError('scribe-invalid', `${participant.name} cannot be the scribe: a scribe is a panellist or the clerk (the lawyer advises and does not write the decision).`);
      }
    }
    setScribe(this.db, context.bundleId, participantId, this.now().toISOString());
    return this.view(this.context(caseId));
  }

  /** Every revision held here, oldest first. */
  revisions(caseId: string): RevisionSummary[] {
    const context = this.context(caseId);
    return listRevisions(this.db, context.bundleId).map((summary) => ({ ...summary, authorName: participantByFingerprint(context, summary.author)?.name ?? null }));
  }

  /** One stored revision's draft. */
  revision(caseId: string, revision: number): DecisionDraft {
    const context = this.context(caseId);
    const stored = Number.isSafeInteger(revision) ? revisionAt(this.db, context.bundleId, revision) : null;
    if (!stored) throw new DecisionError('case-not-found', `Revision ${String(revision)} of this decision is not held here.`);
    return stored.draft;
  }

  /** What changed between two held revisions (0 stands for the empty draft). */
  diff(caseId: string, fromRevision: number, toRevision: number): DraftChange[] {
    const context = this.context(caseId);
    const draftAt = (revision: number) => (revision === 0 ? emptyDraft(context) : this.revision(caseId, revision));
    return diffDecisionDrafts(draftAt(fromRevision), draftAt(toRevision), draftDiffLabels(this.criteria(context), context.caseFile));
  }

  // --- sending the draft to the panel ---------------------------------------------------------------------

  /** Each person's age key: from the clerk-signed manifest, else from the address book, matched by fingerprint. */
  private keysFor(context: CaseContext, people: readonly CaseParticipant[]): { participant: CaseParticipant; ageRecipient: string }[] {
    return people.map((participant) => {
      const inManifest = context.manifest.recipients.find((r) => r.fingerprint === participant.fingerprint);
      if (inManifest) return { participant, ageRecipient: inManifest.ageRecipient };
      const contact = this.db.prepare('SELECT age_recipient FROM contacts WHERE fingerprint = ?').get(participant.fingerprint) as { age_recipient: string } | undefined;
      if (contact) return { participant, ageRecipient: contact.age_recipient };
      throw new DecisionError(
        'recipient-key-missing',
        `${participant.name} (${participant.role}) has no key on this laptop, so nothing can be sealed to them. Import and verify their participant card first.`,
        { participantId: participant.id },
      );
    });
  }

  private async seal(type: PayloadType, payload: Uint8Array, people: { participant: CaseParticipant; ageRecipient: string }[]): Promise<Uint8Array> {
    return this.session.withIdentity((me) =>
      sealEnvelopeBytes({
        type,
        payload,
        author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient },
        recipients: [me.ageRecipient, ...people.map((p) => p.ageRecipient)],
        createdAt: this.now(),
      }),
    );
  }

  /**
   * The current revision, sealed (hearing-desk/decision@1) to the chair, the panellists, the lawyer and the scribe.
   * Only the chair or scribe exports: the draft is theirs to send.
   */
  /** Records an export whose file the caller has now written (see ExportOptions.record). */
  recordExport(exported: ExportedFile): void {
    this.audit.append(exported.audit);
  }

  async exportDraft(caseId: string, options: ExportOptions = {}): Promise<ExportedFile> {
    const context = this.context(caseId);
    this.requireEditor(context);
    const stored = latestRevision(this.db, context.bundleId);
    if (!stored) throw new DecisionError('nothing-to-export', 'Save the draft before sending it to the panel.');
    const file: DecisionDraftFile = {
      format: DECISION_DRAFT_FILE_FORMAT,
      caseReference: context.reference,
      bundleId: context.bundleId,
      revision: stored.revision,
      scribeId: context.scribe?.id ?? null,
      draft: stored.draft,
    };
    const people = context.caseFile.participants.filter(
      (p) => (PANEL_ROLES.includes(p.role) || p.id === context.scribe?.id) && p.fingerprint !== context.myFingerprint,
    );
    const keyed = this.keysFor(context, people);
    const bytes = await this.seal(DECISION_TYPE, new TextEncoder().encode(canonicalize(file)), keyed);
    const audit: AuditAppend = {
      caseId: context.caseId,
      action: 'record-exported',
      object: `decision revision ${stored.revision}`,
      details: { revision: stored.revision, payloadType: DECISION_TYPE, recipients: keyed.length + 1 },
    };
    if (options.record !== false) this.audit.append(audit);
    return {
      audit,
      bytes,
      fileName: `${fileSafe(context.reference)}-decision-r${stored.revision}.${DECISION_DRAFT_FILE_EXTENSION}`,
      recipients: [...(context.me ? [context.me] : []), ...people].map((p) => ({ participantId: p.id, name: p.name, role: p.role })),
    };
  }

  private async openFile(type: PayloadType, bytes: Uint8Array, maxPayloadBytes: number) {
    if (!(bytes instanceof Uint8Array)) throw new DecisionError('decision-invalid', 'That is not a file.');
    return this.session.withIdentity((me) => openEnvelopeBytes(bytes, { identity: me.ageIdentity, expectedTypes: [type], maxPayloadBytes }));
  }

  /**
   * Imports a draft exported by the chair or the scribe; stores it as a read-only revision and returns what changed
   * since the revision held before. Refused, with nothing stored: a file not signed by the chair or named scribe,
   * for another case, not newer than the revision held, after the decision is final, malformed or tampered.
   */
  async importDraft(caseId: string, bytes: Uint8Array): Promise<ImportedDraft> {
    this.context(caseId); // fail fast on an unknown case before decrypting anything
    const { header, payload } = await this.openFile(DECISION_TYPE, bytes, MAX_DRAFT_JSON_BYTES + 64 * 1024);
    const file = parseDecisionDraftFile(payload);
    // Everything below is synchronous: nothing else can change the vault between these checks and the write.
    const context = this.context(caseId);
    if (file.bundleId !== context.bundleId || file.caseReference !== context.reference) {
      throw new DecisionError(
        'draft-wrong-case',
        `This draft is for case ${file.caseReference}${file.caseReference === context.reference ? ' from another bundle' : ''}, not case ${context.reference} as you hold it. Import it into that case.`,
      );
    }
    const authorFingerprint = fingerprintOf(header.author.signingKey, header.author.ageRecipient);
    const author = participantByFingerprint(context, authorFingerprint);
    if (!author || !isEditor(context, author)) {
      const who = author ? `${author.name} (${author.role})` : 'someone who is not a participant of this case';
      const editors = [context.chair?.name, context.scribe?.name].filter(Boolean).join(' or ');
      throw new DecisionError('draft-not-from-editor', `This draft was written by ${who}. Only ${editors || 'the chair'} can send the panel's draft; it was not imported.`, {
        author: authorFingerprint,
      });
    }
    if (file.draft.author !== authorFingerprint) {
      throw new DecisionError('draft-not-from-editor', `This draft claims an author other than ${author.name}, who signed it. It was not imported.`);
    }
    const { stored, draft: previous } = this.current(context);
    this.requireNotFinal(stored);
    const held = stored?.revision ?? 0;
    if (file.revision <= held) {
      throw new DecisionError(
        'draft-revision-not-newer',
        `This is revision ${file.revision} of the draft, but revision ${held} is already here${file.revision === held ? '' : ' and it is newer'}. Nothing was changed.`,
        { revision: file.revision, held },
      );
    }
    let scribeChange: string | null | undefined;
    if (isChair(context, author) && file.scribeId !== (context.scribe?.id ?? null)) {
      const named = file.scribeId === null ? null : context.caseFile.participants.find((p) => p.id === file.scribeId);
      if (named === undefined || (named && (!SCRIBE_ROLES.includes(named.role) || named.id === author.id))) {
        throw new DecisionError('draft-not-from-editor', 'This draft names a scribe who cannot write this decision. It was not imported.');
      }
      scribeChange = file.scribeId;
    }
    const json = this.serialised(file.draft);
    const { criteria } = this.checked(context, file.draft);
    const changes = diffDecisionDrafts(previous, file.draft, draftDiffLabels(criteria, context.caseFile));
    this.db.transaction(() => {
      insertRevision(this.db, context.bundleId, file.draft, 'imported', this.now().toISOString(), json);
      if (scribeChange !== undefined) setScribe(this.db, context.bundleId, scribeChange, this.now().toISOString());
      this.audit.append({
        caseId: context.caseId,
        action: 'draft-imported',
        object: `decision revision ${file.revision}`,
        details: { revision: file.revision, previousRevision: held, author: authorFingerprint, status: file.draft.status, changes: changes.length },
      });
    })();
    return { view: this.view(this.context(caseId)), previousRevision: held, changes };
  }

  // --- participants' own declarations and training ------------------------------------------------------

  private requireParticipant(context: CaseContext): CaseParticipant {
    if (!context.me) throw new DecisionError('not-a-participant', `You are not a participant of case ${context.reference}, so you have nothing to declare in it.`);
    return context.me;
  }

  private notInFuture(date: string, what: string): void {
    if (date > isoDay(this.now())) throw new DecisionError('record-date-in-future', `${what} (${date}) is after today. Record it once it has happened.`);
  }

  /** The user's own records in this case, as recorded on this laptop. */
  myRecords(caseId: string): MyRecords {
    const context = this.context(caseId);
    const me = this.requireParticipant(context);
    return toMyRecords(me.id, readParticipantRecords(this.db, context.bundleId, me.id, 'own'));
  }

  /** Merges a participant's records into the draft; null when the draft already says exactly that. */
  private merged(context: CaseContext, draft: DecisionDraft, participantId: string, records: { declaration: ConflictDeclaration | null; training: TrainingRecord | null }): DecisionDraft | null {
    const procedural = structuredClone(draft.procedural);
    if (records.declaration) {
      const entry = { participantId, ...records.declaration };
      const index = procedural.declarations.findIndex((d) => d.participantId === participantId);
      if (index >= 0) procedural.declarations[index] = entry;
      else procedural.declarations.push(entry);
    }
    if (records.training) {
      const entry = { participantId, completedOn: records.training.completedOn };
      const index = procedural.training.findIndex((t) => t.participantId === participantId);
      if (index >= 0) procedural.training[index] = entry;
      else procedural.training.push(entry);
    }
    if (canonicalize(procedural) === canonicalize(draft.procedural)) return null;
    const latest = latestRevision(this.db, context.bundleId)?.revision ?? 0;
    return this.validDraft({ ...draft, procedural, revision: latest + 1, author: context.myFingerprint });
  }

  private recordOwn(caseId: string, kind: 'declaration' | 'training', value: ConflictDeclaration | TrainingRecord): Recorded {
    const context = this.context(caseId);
    const me = this.requireParticipant(context);
    const editor = isEditor(context, me);
    const { stored, draft } = this.current(context);
    // The editor's own records go straight into the draft, so they cannot be recorded once it is final.
    if (editor) this.requireNotFinal(stored);
    this.criteria(context); // the answer includes the checked draft: refuse before writing, not after
    const recordedAt = this.now().toISOString();
    const next = editor
      ? this.merged(context, draft, me.id, kind === 'declaration' ? { declaration: value as ConflictDeclaration, training: null } : { declaration: null, training: value as TrainingRecord })
      : null;
    const write = () => writeParticipantRecord(this.db, context.bundleId, me.id, kind, 'own', value, recordedAt);
    if (next) this.commit(context, next, write, { change: `own-${kind}` });
    else this.db.transaction(write)();
    return { records: this.myRecords(caseId), view: this.view(context) };
  }

  /** Records the user's own conflict declaration for this case (the chair's or scribe's goes into the draft at once). */
  recordMyDeclaration(caseId: string, input: MyDeclarationInput): Recorded {
    const parsed = ConflictDeclaration.extend({ declaredOn: IsoDate }).safeParse(input);
    if (!parsed.success) throw new DecisionError('decision-invalid', `This declaration cannot be recorded. ${describeIssues(parsed.error.issues, 'declaration')}`);
    this.notInFuture(parsed.data.declaredOn, 'The declaration date');
    return this.recordOwn(caseId, 'declaration', parsed.data);
  }

  /** Records when the user completed the panel training (the chair's or scribe's goes into the draft at once). */
  recordMyTraining(caseId: string, completedOn: string): Recorded {
    const parsed = IsoDate.safeParse(completedOn);
    if (!parsed.success) throw new DecisionError('decision-invalid', 'The training date must be a real date (YYYY-MM-DD).');
    this.notInFuture(parsed.data, 'The training completion date');
    return this.recordOwn(caseId, 'training', { completedOn: parsed.data });
  }

  /** The user's own declaration and training date, signed and sealed (hearing-desk/declaration@1) to the chair and scribe. */
  async exportMyDeclaration(caseId: string, options: ExportOptions = {}): Promise<ExportedFile> {
    const context = this.context(caseId);
    const me = this.requireParticipant(context);
    if (!context.chair) throw new DecisionError('case-has-no-chair', `Case ${context.reference} names no chair to send your declaration to.`);
    const own = readParticipantRecords(this.db, context.bundleId, me.id, 'own');
    if (!own.declaration && !own.training) throw new DecisionError('nothing-to-export', 'Record your declaration or training date first.');
    const recordedAt = [own.declaration?.recordedAt, own.training?.recordedAt].filter((t): t is string => t !== undefined).sort().at(-1)!;
    const file: DeclarationFile = {
      format: DECLARATION_FILE_FORMAT,
      caseReference: context.reference,
      bundleId: context.bundleId,
      participantId: me.id,
      recordedAt,
      declaration: own.declaration?.value ?? null,
      training: own.training?.value ?? null,
    };
    const people = [context.chair, context.scribe].filter((p): p is CaseParticipant => p !== null && p.fingerprint !== context.myFingerprint);
    const keyed = this.keysFor(context, people);
    const bytes = await this.seal(DECLARATION_TYPE, new TextEncoder().encode(canonicalize(file)), keyed);
    const audit: AuditAppend = {
      caseId: context.caseId,
      action: 'record-exported',
      object: `declaration of ${me.id}`,
      details: { payloadType: DECLARATION_TYPE, declaration: file.declaration !== null, training: file.training !== null },
    };
    if (options.record !== false) this.audit.append(audit);
    return {
      audit,
      bytes,
      fileName: `${fileSafe(context.reference)}-declaration-${me.id}.${DECLARATION_FILE_EXTENSION}`,
      recipients: [me, ...people].map((p) => ({ participantId: p.id, name: p.name, role: p.role })),
    };
  }

  /**
   * The chair (or scribe) imports a participant's signed declaration and training date and merges them into the
   * draft's procedural record, where the checker's declaration and training rules see them. Refused, with nothing
   * stored: a file whose signer is not the participant it speaks for, for another case, older than one already
   * imported from them, malformed or tampered, or once the decision is final.
   */
  async importDeclaration(caseId: string, bytes: Uint8Array): Promise<ImportedDeclaration> {
    const early = this.context(caseId);
    this.requireEditor(early);
    const { header, payload } = await this.openFile(DECLARATION_TYPE, bytes, MAX_DECLARATION_JSON_BYTES);
    const file = parseDeclarationFile(payload);
    const context = this.context(caseId);
    this.requireEditor(context);
    if (file.bundleId !== context.bundleId || file.caseReference !== context.reference) {
      throw new DecisionError('declaration-wrong-case', `This declaration is for case ${file.caseReference}${file.caseReference === context.reference ? ' from another bundle' : ''}, not case ${context.reference}.`);
    }
    const authorFingerprint = fingerprintOf(header.author.signingKey, header.author.ageRecipient);
    const participant = context.caseFile.participants.find((p) => p.id === file.participantId);
    if (!participant || participant.fingerprint !== authorFingerprint) {
      const signer = participantByFingerprint(context, authorFingerprint);
      throw new DecisionError(
        'declaration-wrong-author',
        `This declaration speaks for ${participant ? participant.name : `"${file.participantId}"`} but was signed by ${signer ? signer.name : 'someone who is not a participant of this case'}. Only a participant can declare for themselves.`,
      );
    }
    const imported = readParticipantRecords(this.db, context.bundleId, participant.id, 'imported');
    for (const held of [imported.declaration, imported.training]) {
      if (held && file.recordedAt < held.recordedAt) {
        throw new DecisionError('declaration-out-of-date', `${participant.name} recorded a later declaration (${held.recordedAt}) than this one (${file.recordedAt}), already imported. Nothing was changed.`);
      }
    }
    const { stored, draft } = this.current(context);
    this.requireNotFinal(stored);
    const next = this.merged(context, draft, participant.id, { declaration: file.declaration, training: file.training });
    const changes = next ? diffDecisionDrafts(draft, next, draftDiffLabels(this.criteria(context), context.caseFile)) : [];
    const write = () => {
      if (file.declaration) writeParticipantRecord(this.db, context.bundleId, participant.id, 'declaration', 'imported', file.declaration, file.recordedAt);
      if (file.training) writeParticipantRecord(this.db, context.bundleId, participant.id, 'training', 'imported', file.training, file.recordedAt);
    };
    if (next) this.commit(context, next, write, { change: 'declaration-imported', participantId: participant.id });
    else this.db.transaction(write)();
    return {
      view: this.view(context),
      participantId: participant.id,
      merged: [...(file.declaration ? (['declaration'] as const) : []), ...(file.training ? (['training'] as const) : [])],
      changes,
    };
  }
}

function toMyRecords(participantId: string, records: ParticipantRecords): MyRecords {
  return {
    participantId,
    declaration: records.declaration ? { ...records.declaration.value, recordedAt: records.declaration.recordedAt } : null,
    training: records.training ? { ...records.training.value, recordedAt: records.training.recordedAt } : null,
  };
}

