// The outcome record: built from the case, the final decision, the checker's result and the audit head; held in
// canonical form (RFC 8785) so the bytes people sign are the bytes everyone re-derives. Also the typed errors every
// records service throws, the record parser (untrusted bytes in, a record or a RecordError out), who must sign,
// the chair's store of the record being signed, and the diff a signer is shown against what they saw last.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { canonicalize, CanonicalJsonError } from '../../../shared/canonical-json';
import { canFinalise, finaliseBlockers, type CheckResult } from '../../../shared/checker/result';
import type { CaseFile } from '../../../shared/domain/case';
import type { CriteriaDocument } from '../../../shared/domain/criteria';
import type { DecisionDraft } from '../../../shared/domain/decision';
import { deriveOutcomeCategory, effectiveParticipants } from '../../../shared/domain/outcome';
import {
  AnonymisedSummary,
  OUTCOME_RECORD_FORMAT,
  OUTCOME_RECORD_PAYLOAD_TYPE,
  OutcomeRecord,
  RecordSignature,
  SignedOutcomeRecord,
  type RecordChange,
  type RecordParticipant,
  type SignaturePurpose,
} from '../../../shared/domain/record';
import { AppError } from '../../../shared/errors';
import { criteriaDigest } from '../criteria';
import { fingerprintOf } from '../identities';
import type { Session } from '../session';

// --- errors -------------------------------------------------------------------------------------------------------

export const RECORD_ERROR_CODES = [
  // building
  'record-case-mismatch',
  'record-criteria-mismatch',
  'record-not-final',
  'record-participant-key-missing',
  'record-input-invalid',
  // parsing
  'record-malformed',
  'record-not-canonical',
  'record-invalid',
  'signed-record-malformed',
  // signing and collecting signatures
  'signature-invalid',
  'signature-different-bytes',
  'signature-non-member',
  'signature-duplicate',
  'signature-wrong-purpose',
  'signature-other-case',
  'signature-key-mismatch',
  'signature-missing',
  'signature-not-seen',
  'for-signature-not-from-chair',
  'no-record-in-progress',
  // the outcome package and the ledger
  'package-not-for-this-office',
  'package-truncated',
  'package-tampered',
  'package-malformed',
  'package-author-not-chair',
  'letter-hash-mismatch',
  'letter-record-mismatch',
  'summary-mismatch',
  'summary-not-anonymous',
  'criteria-not-published',
  'criteria-digest-mismatch',
  'record-duplicate',
  'history-malformed',
  'history-untrusted-signer',
  'history-tampered',
  'stats-input-invalid',
] as const;
export type RecordErrorCode = (typeof RECORD_ERROR_CODES)[number];

export class RecordError extends AppError {
  declare readonly code: RecordErrorCode;
  constructor(code: RecordErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'RecordError';
  }
}

export function isRecordError(value: unknown): value is RecordError {
  return value instanceof RecordError;
}

function firstIssue(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const issue = issues[0];
  const where = issue?.path.map(String).join('.') || 'the top level';
  return `${where}: ${issue?.message ?? 'invalid'}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
}

// --- canonical form -----------------------------------------------------------------------------------------------

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The exact bytes signed: the record's RFC 8785 canonical JSON in UTF-8. */
export function recordPayloadBytes(record: OutcomeRecord): Uint8Array {
  return new Uint8Array(Buffer.from(canonicalize(record), 'utf8'));
}

/** A record's id everywhere (ledger, messages): SHA-256 of its canonical bytes. */
export function recordIdOf(payload: Uint8Array): string {
  return sha256Hex(payload);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Untrusted bytes to a record: UTF-8, JSON, exactly canonical (so two different byte strings can never be the same
 * signed record), and valid. Throws only RecordError.
 */
export function parseRecordPayload(payload: Uint8Array): OutcomeRecord {
  let text: string;
  let value: unknown;
  try {
    text = UTF8.decode(payload);
    value = JSON.parse(text);
  } catch {
    throw new RecordError('record-malformed', 'This outcome record is not readable JSON text.');
  }
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new RecordError('record-malformed', `This outcome record has no canonical form: ${error.message}`);
    throw error;
  }
  if (canonical !== text) {
    throw new RecordError('record-not-canonical', 'This outcome record is not in canonical form (RFC 8785), so it is not the text that was signed.');
  }
  const parsed = OutcomeRecord.safeParse(value);
  if (!parsed.success) throw new RecordError('record-invalid', `This outcome record is not valid: ${firstIssue(parsed.error.issues)}.`, { issues: parsed.error.issues.slice(0, 5) });
  return parsed.data;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string, what: string): Uint8Array {
  if (!BASE64.test(text)) throw new RecordError('signed-record-malformed', `The ${what} is not standard base64.`);
  return new Uint8Array(Buffer.from(text, 'base64'));
}

export interface ParsedSignedRecord {
  signed: SignedOutcomeRecord;
  record: OutcomeRecord;
  payload: Uint8Array;
  recordId: string;
}

/** A signed record (file text, bytes or parsed JSON) to its parts. Signatures are not checked here. */
export function parseSignedRecord(input: string | Uint8Array | unknown): ParsedSignedRecord {
  let value: unknown = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    try {
      value = JSON.parse(typeof input === 'string' ? input : UTF8.decode(input));
    } catch {
      throw new RecordError('signed-record-malformed', 'This signed outcome record is not readable JSON.');
    }
  }
  const shell = SignedOutcomeRecord.safeParse(value);
  if (!shell.success) throw new RecordError('signed-record-malformed', `This signed outcome record is malformed (${firstIssue(shell.error.issues)}).`);
  return parseCheckedSignedRecord(shell.data);
}

/** As parseSignedRecord, for a value that has already passed the SignedOutcomeRecord schema (its base64 is checked). */
export function parseCheckedSignedRecord(signed: SignedOutcomeRecord): ParsedSignedRecord {
  const payload = new Uint8Array(Buffer.from(signed.payload, 'base64'));
  const record = parseRecordPayload(payload);
  return { signed, record, payload, recordId: recordIdOf(payload) };
}

export function signedRecordOf(record: OutcomeRecord, signatures: readonly RecordSignature[] = []): SignedOutcomeRecord {
  return { payloadType: OUTCOME_RECORD_PAYLOAD_TYPE, payload: Buffer.from(recordPayloadBytes(record)).toString('base64'), signatures: [...signatures] };
}

// --- building -------------------------------------------------------------------------------------------------------

/** A participant's public keys, e.g. from the bundle manifest's recipients (BundleParticipantKey). */
export interface ParticipantKeys {
  fingerprint: string;
  signingKey: string;
  ageRecipient: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Builds the outcome record of a finalised decision. Refuses (RecordError) a draft that is not final-ready (any block
 * or unacknowledged warning in `checkResult`), an undecided allegation, a mismatched case or criteria, and a participant
 * without keys whose fingerprint matches. `keys` gives every participant's signing and age keys (the bundle
 * manifest's recipients and sealer); `lawyerAdviceSummary` replaces the draft's advice summary when given.
 */
export function buildOutcomeRecord(
  caseFile: CaseFile,
  manifestHash: string,
  criteria: CriteriaDocument,
  draft: DecisionDraft,
  checkResult: CheckResult,
  auditHead: string | { headHash: string },
  lawyerAdviceSummary: string | null,
  keys: readonly ParticipantKeys[],
): OutcomeRecord {
  const headHash = typeof auditHead === 'string' ? auditHead : auditHead.headHash;
  if (!SHA256_HEX.test(manifestHash)) throw new RecordError('record-input-invalid', 'The bundle manifest hash is not a SHA-256 hex digest.');
  if (!SHA256_HEX.test(headHash)) throw new RecordError('record-input-invalid', 'The audit head hash is not a SHA-256 hex digest.');
  if (draft.caseReference !== caseFile.reference) {
    throw new RecordError('record-case-mismatch', `The decision is for case ${draft.caseReference}, not ${caseFile.reference}.`);
  }
  const digest = criteriaDigest(criteria);
  const pinned = caseFile.criteria;
  if (pinned.id !== criteria.id || pinned.version !== criteria.version || (pinned.digest !== undefined && pinned.digest !== digest)) {
    throw new RecordError('record-criteria-mismatch', `The case names criteria ${pinned.id} ${pinned.version}${pinned.digest ? ' (pinned text)' : ''}, not the ${criteria.id} ${criteria.version} given.`);
  }
  if (checkResult.criteriaId !== criteria.id || checkResult.criteriaVersion !== criteria.version) {
    throw new RecordError('record-criteria-mismatch', 'The check result was made against other criteria; run the check again.');
  }
  if (!canFinalise(checkResult)) {
    const blockers = finaliseBlockers(checkResult);
    throw new RecordError('record-not-final', `The decision cannot be recorded yet: ${blockers.length} finding(s) stand in the way, first: ${blockers[0]!.message}`, {
      blockers: blockers.map((finding) => finding.ruleId),
    });
  }
  if (!draft.decisionDate) throw new RecordError('record-not-final', 'The decision has no date.');
  const decisionsByNumber = new Map(draft.allegations.map((entry) => [entry.number, entry]));
  const allegations = caseFile.allegations.map((allegation) => {
    const decided = decisionsByNumber.get(allegation.number);
    if (!decided?.finding) throw new RecordError('record-not-final', `Allegation ${allegation.number} has no finding.`);
    return {
      number: allegation.number,
      text: allegation.text,
      ruleReference: allegation.ruleReference,
      conductCategoryId: allegation.conductCategoryId,
      facts: decided.facts,
      evidenceRefs: decided.evidenceRefs,
      finding: decided.finding,
      reasons: decided.reasons,
    };
  });
  const outcomeCategory = deriveOutcomeCategory(criteria, caseFile, draft);
  if (!outcomeCategory) throw new RecordError('record-not-final', 'The outcome category cannot be derived: a sanction the criteria know is needed.');

  const keysByFingerprint = new Map(keys.map((key) => [key.fingerprint, key]));
  const participants: RecordParticipant[] = effectiveParticipants(caseFile, draft).map(({ participant, recused }) => {
    const key = keysByFingerprint.get(participant.fingerprint);
    if (!key || fingerprintOf(key.signingKey, key.ageRecipient) !== participant.fingerprint) {
      throw new RecordError('record-participant-key-missing', `No keys matching fingerprint ${participant.fingerprint} were given for ${participant.name}.`);
    }
    return {
      id: participant.id,
      name: participant.name,
      role: participant.role,
      fingerprint: participant.fingerprint,
      signingKey: key.signingKey,
      ageRecipient: key.ageRecipient,
      recused,
    };
  });
  const advice = draft.procedural.lawyerAdvice;
  const lawyerAdvice =
    lawyerAdviceSummary !== null
      ? { summary: lawyerAdviceSummary, ...(advice?.givenOn ? { givenOn: advice.givenOn } : {}) }
      : advice;
  const candidate = {
    format: OUTCOME_RECORD_FORMAT,
    caseReference: caseFile.reference,
    decidingBody: caseFile.decidingBody,
    complaintType: caseFile.complaintType,
    region: caseFile.region,
    protectedCharacteristics: caseFile.protectedCharacteristics,
    respondent: caseFile.respondent,
    complainant: caseFile.complainant,
    dates: { complaintReceived: caseFile.dates.complaintReceived, hearing: caseFile.dates.hearing, decision: draft.decisionDate },
    participants,
    bundleManifestSha256: manifestHash,
    criteria: { id: criteria.id, version: criteria.version, digest },
    decisionRevision: draft.revision,
    outcomeCategory,
    allegations,
    seriousness: draft.seriousness,
    sanction: draft.sanction,
    orders: draft.orders,
    ...(draft.delayExplanation !== undefined ? { delayExplanation: draft.delayExplanation } : {}),
    checker: {
      findings: checkResult.findings.map((finding) => ({
        ruleId: finding.ruleId,
        severity: finding.severity,
        message: finding.message,
        fieldKey: finding.fieldKey,
        ...(finding.acknowledged ? { acknowledged: { reason: finding.acknowledged.reason } } : {}),
      })),
      acknowledgements: draft.acknowledgements,
    },
    lawyerAdvice,
    publicationSummary: draft.publicationSummary,
    auditHeadSha256: headHash,
  };
  const parsed = OutcomeRecord.safeParse(candidate);
  if (!parsed.success) throw new RecordError('record-input-invalid', `The outcome record would not be valid: ${firstIssue(parsed.error.issues)}.`);
  // Round-trip through the canonical bytes so what is returned is exactly what will be signed (no undefined keys).
  return parseRecordPayload(recordPayloadBytes(parsed.data));
}

// --- who signs ------------------------------------------------------------------------------------------------------

export interface RecordSignatory {
  role: RecordParticipant['role'];
  purpose: SignaturePurpose;
  who: 'all-sitting' | 'one';
  statement: string;
  /** Non-recused holders of the role. */
  candidates: RecordParticipant[];
  /** How many of them must sign (a role nobody holds needs nobody: see requiredSignatories in outcome.ts). */
  minimum: number;
}

/** The criteria's signature rule applied to the record's participants: the same answer as requiredSignatories(). */
export function recordSignatories(criteria: CriteriaDocument, record: OutcomeRecord): RecordSignatory[] {
  return criteria.outcomeSignatures.requirements.map((requirement) => {
    const candidates = record.participants.filter((participant) => participant.role === requirement.role && !participant.recused);
    const minimum = requirement.who === 'all-sitting' ? candidates.length : Math.min(1, candidates.length);
    return { role: requirement.role, purpose: requirement.purpose, who: requirement.who, statement: requirement.statement, candidates, minimum };
  });
}

/** The purpose a participant signs with under the criteria, or null when the criteria ask nothing of their role. */
export function purposeForRole(criteria: CriteriaDocument, role: RecordParticipant['role']): SignaturePurpose | null {
  return criteria.outcomeSignatures.requirements.find((requirement) => requirement.role === role)?.purpose ?? null;
}

export interface MissingSignature {
  role: RecordParticipant['role'];
  purpose: SignaturePurpose;
  /** Who could still sign. */
  outstanding: { name: string; fingerprint: string }[];
  needed: number;
}

/** Which required signatures are still missing (signatures are matched by keyid and purpose, not verified here). */
export function missingSignatures(criteria: CriteriaDocument, record: OutcomeRecord, signatures: readonly RecordSignature[]): MissingSignature[] {
  const missing: MissingSignature[] = [];
  for (const signatory of recordSignatories(criteria, record)) {
    const signedBy = new Set(signatures.filter((s) => s.purpose === signatory.purpose).map((s) => s.keyid));
    const done = signatory.candidates.filter((candidate) => signedBy.has(candidate.fingerprint)).length;
    if (done < signatory.minimum) {
      missing.push({
        role: signatory.role,
        purpose: signatory.purpose,
        outstanding: signatory.candidates.filter((c) => !signedBy.has(c.fingerprint)).map((c) => ({ name: c.name, fingerprint: c.fingerprint })),
        needed: signatory.minimum - done,
      });
    }
  }
  return missing;
}

// --- the anonymised summary -------------------------------------------------------------------------------------------

/** The facts the central office publishes about a record, derived from it (and so checkable against it). */
export function anonymisedSummaryOf(record: OutcomeRecord): AnonymisedSummary {
  const proven = [...new Set(record.allegations.filter((a) => a.finding === 'proven').map((a) => a.conductCategoryId))].sort();
  return {
    decidingBody: record.decidingBody,
    complaintType: record.complaintType,
    region: record.region,
    protectedCharacteristics: [...record.protectedCharacteristics].sort(),
    complaintReceived: record.dates.complaintReceived,
    decision: record.dates.decision,
    outcomeCategory: record.outcomeCategory,
    provenCategories: proven,
    band: record.seriousness?.band ?? null,
    sanctionRungId: record.sanction?.rungId ?? null,
    educationCourseDue: record.orders.educationCourse?.dueDate ?? null,
    summary: record.publicationSummary,
  };
}

// --- diff ------------------------------------------------------------------------------------------------------------

/** Every leaf that differs between two JSON values, by dotted path; arrays compare by index. */
export function diffRecords(before: unknown, after: unknown): RecordChange[] {
  const changes: RecordChange[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    const aObject = typeof a === 'object' && a !== null;
    const bObject = typeof b === 'object' && b !== null;
    if (aObject && bObject && Array.isArray(a) === Array.isArray(b)) {
      const aRecord = a as Record<string, unknown>;
      const bRecord = b as Record<string, unknown>;
      const keys = Array.isArray(a)
        ? Array.from({ length: Math.max((a as unknown[]).length, (b as unknown[]).length) }, (_, i) => String(i))
        : [...new Set([...Object.keys(aRecord), ...Object.keys(bRecord)])].sort();
      for (const key of keys) {
        const child = path ? `${path}.${key}` : key;
        const inA = Object.hasOwn(aRecord, key);
        const inB = Object.hasOwn(bRecord, key);
        if (inA && !inB) changes.push({ path: child, change: 'removed', before: aRecord[key] });
        else if (!inA && inB) changes.push({ path: child, change: 'added', after: bRecord[key] });
        else walk(aRecord[key], bRecord[key], child);
      }
      return;
    }
    if (canonicalize(a) !== canonicalize(b)) changes.push({ path: path || '(record)', change: 'changed', before: a, after: b });
  };
  walk(before, after, '');
  return changes;
}

// --- the chair's record in progress, and what each signer saw ----------------------------------------------------------------

export interface RecordInProgress {
  caseReference: string;
  version: number;
  signed: SignedOutcomeRecord;
  record: OutcomeRecord;
  payload: Uint8Array;
  updatedAt: string;
}

export interface SeenVersion {
  caseReference: string;
  version: number;
  payloadSha256: string;
  payload: Uint8Array;
  seenAt: string;
}

/** Vault-backed storage for records being signed (chair) and versions shown for signature (every signer). */
export class OutcomeRecordStore {
  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db(): Database {
    return this.session.requireVault().db;
  }

  /**
   * Starts or updates the record for its case. Changed bytes raise the version and drop signatures that are not over
   * the new bytes (every signature given here must be over them: they are kept as given).
   */
  save(signed: SignedOutcomeRecord): RecordInProgress {
    const parsed = parseSignedRecord(signed);
    const existing = this.get(parsed.record.caseReference);
    const sameBytes = existing !== null && Buffer.compare(existing.payload, parsed.payload) === 0;
    const version = existing === null ? 1 : sameBytes ? existing.version : existing.version + 1;
    const updatedAt = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO outcome_drafts (case_reference, version, payload, signatures_json, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(case_reference) DO UPDATE SET version = excluded.version, payload = excluded.payload,
           signatures_json = excluded.signatures_json, updated_at = excluded.updated_at`,
      )
      .run(parsed.record.caseReference, version, Buffer.from(parsed.payload), JSON.stringify(parsed.signed.signatures), updatedAt);
    return { caseReference: parsed.record.caseReference, version, signed: parsed.signed, record: parsed.record, payload: parsed.payload, updatedAt };
  }

  get(caseReference: string): RecordInProgress | null {
    const row = this.db.prepare('SELECT version, payload, signatures_json, updated_at FROM outcome_drafts WHERE case_reference = ?').get(caseReference) as
      | { version: number; payload: Buffer; signatures_json: string; updated_at: string }
      | undefined;
    if (!row) return null;
    const signed: SignedOutcomeRecord = {
      payloadType: OUTCOME_RECORD_PAYLOAD_TYPE,
      payload: row.payload.toString('base64'),
      signatures: RecordSignature.array().parse(JSON.parse(row.signatures_json)),
    };
    const parsed = parseSignedRecord(signed);
    return { caseReference, version: row.version, signed: parsed.signed, record: parsed.record, payload: parsed.payload, updatedAt: row.updated_at };
  }

  require(caseReference: string): RecordInProgress {
    const found = this.get(caseReference);
    if (!found) throw new RecordError('no-record-in-progress', `There is no outcome record being signed for case ${caseReference} on this computer.`);
    return found;
  }

  /** Records that this user was shown these bytes (idempotent). */
  markSeen(caseReference: string, version: number, payload: Uint8Array): SeenVersion {
    const payloadSha256 = sha256Hex(payload);
    const seenAt = this.now().toISOString();
    this.db
      .prepare('INSERT OR IGNORE INTO outcome_seen (case_reference, version, payload_sha256, payload, seen_at) VALUES (?, ?, ?, ?, ?)')
      .run(caseReference, version, payloadSha256, Buffer.from(payload), seenAt);
    return this.seen(caseReference).find((entry) => entry.payloadSha256 === payloadSha256 && entry.version === version)!;
  }

  /** Every version this user was shown for the case, oldest first. */
  seen(caseReference: string): SeenVersion[] {
    const rows = this.db
      .prepare('SELECT version, payload_sha256, payload, seen_at FROM outcome_seen WHERE case_reference = ? ORDER BY seen_at, version')
      .all(caseReference) as { version: number; payload_sha256: string; payload: Buffer; seen_at: string }[];
    return rows.map((row) => ({ caseReference, version: row.version, payloadSha256: row.payload_sha256, payload: new Uint8Array(row.payload), seenAt: row.seen_at }));
  }

  hasSeen(caseReference: string, payloadSha256: string): boolean {
    return this.db.prepare('SELECT 1 FROM outcome_seen WHERE case_reference = ? AND payload_sha256 = ?').get(caseReference, payloadSha256) !== undefined;
  }
}
