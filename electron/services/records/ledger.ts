// The outcome package (chair -> central office) and the central office's ledger.
//
// The package is one sealed envelope ('hearing-desk/outcome@1') to the central office: the signed record, the decision
// letter (PAdES-signed by the chair) and the anonymised summary. The office verifies every signature against the
// participants the record names and the signature rule of criteria the office itself published, every hash, that the
// chair named in the record sealed it, and that the summary is the record's and anonymous; then keeps it.
//
// Storage sits behind LedgerStore. The default (SqliteLedgerStore) is tables in the central-office profile's own
// SQLCipher vault (migration 7), so the ledger is encrypted with the office's passphrase like every other vault; a
// server database can implement the same interface later. Every refusal is a RecordError with its own code, thrown
// before anything is written: a batch stores its accepted files in one transaction, and a refused file changes nothing.
import type { Database, Statement } from 'better-sqlite3';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { canonicalize } from '../../../shared/canonical-json';
import { CRITERIA_FORMAT, CriteriaDocument } from '../../../shared/domain/criteria';
import type { HistoricalOutcome } from '../../../shared/checker/prepare';
import {
  AnonymisedSummary,
  OUTCOME_PACKAGE_FORMAT,
  OutcomePackage,
  type SignedOutcomeRecord,
  type StatsReport,
} from '../../../shared/domain/record';
import { AppError, isAppError } from '../../../shared/errors';
import { AuditTrail } from '../audit';
import { signCriteria, verifySignedCriteria } from '../criteria';
import { AgeError } from '../crypto/age-errors';
import { collect } from '../crypto/byte-reader';
import { ENVELOPE_VERSION, EnvelopeError, openEnvelope, sealEnvelopeBytes, serializeEnvelopeHeader, type EnvelopeHeader } from '../crypto/envelope';
import type { Session } from '../session';
import { requireAnonymised } from './anonymise';
import type { ChairCertificate } from './certificate';
import { buildDecisionLetter, LETTER_ATTACHMENT_NAME, type LetterSignature } from './letter';
import { signPdfPades } from './pades';
import { anonymisedSummaryOf, parseCheckedSignedRecord, parseSignedRecord, RecordError, sha256Hex, type ParsedSignedRecord } from './record';
import { verifyRecordSignatures, type VerifiedRecordSignatures } from './signatures';
import { computeStats, quarterBounds, quarterOf, type StatsOptions, type StatsRow } from './stats';
import { buildDecisionHistory, historicalOutcomesOf, signDecisionHistory, type SignedDecisionHistoryFile } from './history';

export const MAX_PACKAGE_BYTES = 96 * 1024 * 1024;
/** See encodeOutcomePackage: one age chunk, so the envelope plaintext always needs a second. */
export const MIN_PACKAGE_PAYLOAD_BYTES = 64 * 1024;

// --- the letter and the package (chair side) ----------------------------------------------------------------------------------

/** The letter's signature block, in the order the signatures were added. */
export function letterSignaturesOf(signed: SignedOutcomeRecord): LetterSignature[] {
  return signed.signatures.map((signature) => ({ fingerprint: signature.keyid, purpose: signature.purpose, signedAt: signature.signedAt }));
}

/** Builds the decision letter from a signed record (no adapter: the record is a DecisionLetterRecord) and PAdES-signs it. */
export async function buildSignedLetter(
  signed: SignedOutcomeRecord,
  criteria: CriteriaDocument,
  certificate: ChairCertificate,
  options: { createdAt: Date; appealRoute?: string },
): Promise<{ pdf: Uint8Array; pageCount: number }> {
  const { record } = parseSignedRecord(signed);
  const chair = record.participants.find((participant) => participant.role === 'chair' && !participant.recused);
  if (!chair) throw new RecordError('package-author-not-chair', 'The record names no sitting chair to sign the letter.');
  const letter = await buildDecisionLetter(record, {
    criteria,
    signatures: letterSignaturesOf(signed),
    createdAt: options.createdAt,
    ...(options.appealRoute ? { appealRoute: options.appealRoute } : {}),
  });
  const pdf = await signPdfPades(letter.pdf, {
    ...certificate,
    reason: `Decision in case ${record.caseReference}`,
    name: chair.name,
    location: 'Hearing Desk',
    signingTime: options.createdAt,
  });
  return { pdf, pageCount: letter.pageCount };
}

/**
 * The package's content. Refuses a record missing a required signature, any signature that does not verify, and a
 * publication summary that names anyone in the record.
 */
export function buildOutcomePackage(signed: SignedOutcomeRecord, letterPdf: Uint8Array, criteria: CriteriaDocument): OutcomePackage {
  const verified = verifyRecordSignatures(signed, criteria, { requireComplete: true });
  requireAnonymised(verified.record, verified.record.publicationSummary);
  return {
    format: OUTCOME_PACKAGE_FORMAT,
    signed: verified.signed,
    letterPdf: Buffer.from(letterPdf).toString('base64'),
    letterSha256: sha256Hex(letterPdf),
    summary: anonymisedSummaryOf(verified.record),
  };
}

/** The package payload: JSON, padded with trailing spaces so the sealed file always spans two age chunks. */
export function encodeOutcomePackage(content: OutcomePackage): Uint8Array {
  const json = Buffer.from(JSON.stringify(content), 'utf8');
  if (json.length >= MIN_PACKAGE_PAYLOAD_BYTES) return new Uint8Array(json);
  const padded = Buffer.alloc(MIN_PACKAGE_PAYLOAD_BYTES, 0x20);
  json.copy(padded);
  return new Uint8Array(padded);
}

/**
 * Seals the outcome package to the central office (its age key, from its card in the address book). Refuses when the
 * audit trail is broken; records 'record-exported'. The caller writes the bytes where the user chose.
 */
export async function sealOutcomePackage(
  session: Session,
  input: {
    signed: SignedOutcomeRecord;
    letterPdf: Uint8Array;
    criteria: CriteriaDocument;
    officeRecipient: string;
    caseId?: string | null;
    now?: () => Date;
    /** false: the caller records 'record-exported' itself once the package is safely written (OutcomeExports). */
    logExport?: boolean;
  },
): Promise<{ bytes: Uint8Array; recordId: string }> {
  const audit = new AuditTrail(session, input.now);
  audit.requireIntact();
  const content = buildOutcomePackage(input.signed, input.letterPdf, input.criteria);
  const { record, recordId } = parseSignedRecord(content.signed);
  const createdAt = (input.now ?? (() => new Date()))();
  const bytes = await session.withIdentity((identity) => {
    const chair = record.participants.find((p) => p.role === 'chair' && !p.recused);
    if (!chair || chair.signingKey !== identity.signingKey) {
      throw new RecordError('package-author-not-chair', 'Only the chair named in the record can send it to the central office.');
    }
    return sealEnvelopeBytes({
      type: 'hearing-desk/outcome@1',
      payload: encodeOutcomePackage(content),
      author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
      recipients: [input.officeRecipient],
      createdAt,
    });
  });
  if (input.logExport !== false) audit.append({ caseId: input.caseId ?? null, action: 'record-exported', object: record.caseReference, details: { recordId, to: 'central-office' } });
  return { bytes, recordId };
}

// --- storage ------------------------------------------------------------------------------------------------------

export interface LedgerEntry {
  recordId: string;
  caseReference: string;
  /** The signed record exactly as received (JSON). */
  signedJson: string;
  letterPdf: Uint8Array;
  summary: AnonymisedSummary;
  quarter: string;
  criteriaId: string;
  criteriaVersion: string;
  packageSha256: string;
  ingestedAt: string;
}

export interface PublishedCriteriaEntry {
  criteria: CriteriaDocument;
  digest: string;
  publishedAt: string;
}

/** What the ledger needs from storage; an SQL server can implement it as well as the embedded vault. */
export interface LedgerStore {
  hasRecord(recordId: string): boolean;
  hasCase(caseReference: string): boolean;
  /** Stores every entry or none. */
  insert(entries: readonly LedgerEntry[]): void;
  count(): number;
  statsRows(from: string, to: string): StatsRow[];
  summaries(): AnonymisedSummary[];
  publishedCriteria(id: string, version: string): PublishedCriteriaEntry | null;
  listPublishedCriteria(): { id: string; version: string; digest: string; publishedAt: string }[];
  addPublishedCriteria(entry: { criteria: CriteriaDocument; digest: string; signedJson: string; publishedAt: string }): void;
  recordCourseCompleted(caseReference: string, completedOn: string): void;
}

interface StatementSet {
  hasRecord: Statement;
  hasCase: Statement;
  insert: Statement;
  insertFiles: Statement;
  count: Statement;
  stats: Statement;
  summaries: Statement;
  criteria: Statement;
}

/** The ledger in the central office's SQLCipher vault (tables from migration 7). */
export class SqliteLedgerStore implements LedgerStore {
  private readonly statements: StatementSet;
  private readonly criteriaCache = new Map<string, PublishedCriteriaEntry | null>();

  constructor(private readonly db: Database) {
    this.statements = {
      hasRecord: db.prepare('SELECT 1 FROM ledger_records WHERE record_id = ?'),
      hasCase: db.prepare('SELECT 1 FROM ledger_records WHERE case_reference = ?'),
      insert: db.prepare(
        `INSERT INTO ledger_records (record_id, case_reference, summary_json, quarter, region, complaint_type,
           deciding_body, outcome_category, complaint_received, decision_date, course_due, criteria_id, criteria_version, package_sha256, ingested_at)
         VALUES (@recordId, @caseReference, @summaryJson, @quarter, @region, @complaintType, @decidingBody,
           @outcomeCategory, @complaintReceived, @decision, @courseDue, @criteriaId, @criteriaVersion, @packageSha256, @ingestedAt)`,
      ),
      insertFiles: db.prepare('INSERT INTO ledger_record_files (record_id, signed_json, letter_pdf) VALUES (?, ?, ?)'),
      count: db.prepare('SELECT count(*) AS n FROM ledger_records'),
      stats: db.prepare(
        `SELECT r.region, r.complaint_type, r.deciding_body, r.outcome_category, r.complaint_received, r.decision_date, r.course_due, c.completed_on
         FROM ledger_records r LEFT JOIN ledger_course_completions c ON c.case_reference = r.case_reference
         WHERE r.decision_date BETWEEN ? AND ?`,
      ),
      summaries: db.prepare('SELECT summary_json FROM ledger_records ORDER BY record_id'),
      criteria: db.prepare('SELECT signed_json, digest, published_at FROM published_criteria WHERE criteria_id = ? AND version = ?'),
    };
  }

  hasRecord(recordId: string): boolean {
    return this.statements.hasRecord.get(recordId) !== undefined;
  }

  hasCase(caseReference: string): boolean {
    return this.statements.hasCase.get(caseReference) !== undefined;
  }

  insert(entries: readonly LedgerEntry[]): void {
    this.db.transaction(() => {
      for (const entry of entries) {
        const s = entry.summary;
        this.statements.insert.run({
          recordId: entry.recordId,
          caseReference: entry.caseReference,
          summaryJson: canonicalize(s),
          quarter: entry.quarter,
          region: s.region,
          complaintType: s.complaintType,
          decidingBody: s.decidingBody,
          outcomeCategory: s.outcomeCategory,
          complaintReceived: s.complaintReceived,
          decision: s.decision,
          courseDue: s.educationCourseDue,
          criteriaId: entry.criteriaId,
          criteriaVersion: entry.criteriaVersion,
          packageSha256: entry.packageSha256,
          ingestedAt: entry.ingestedAt,
        });
        // A view, not a copy: a real letter is hundreds of kilobytes.
        const letter = Buffer.from(entry.letterPdf.buffer, entry.letterPdf.byteOffset, entry.letterPdf.byteLength);
        this.statements.insertFiles.run(entry.recordId, entry.signedJson, letter);
      }
    })();
  }

  count(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  statsRows(from: string, to: string): StatsRow[] {
    const rows = this.statements.stats.raw().all(from, to) as [string | null, string | null, string, string, string | null, string, string | null, string | null][];
    return rows.map(([region, complaintType, decidingBody, outcomeCategory, complaintReceived, decision, courseDue, courseCompletedOn]) => ({
      region,
      complaintType,
      decidingBody,
      outcomeCategory,
      complaintReceived,
      decision,
      courseDue,
      courseCompletedOn,
    }));
  }

  summaries(): AnonymisedSummary[] {
    return (this.statements.summaries.raw().all() as [string][]).map(([json]) => AnonymisedSummary.parse(JSON.parse(json)));
  }

  publishedCriteria(id: string, version: string): PublishedCriteriaEntry | null {
    const key = `${id}\u0000${version}`;
    if (this.criteriaCache.has(key)) return this.criteriaCache.get(key)!;
    const row = this.statements.criteria.get(id, version) as { signed_json: string; digest: string; published_at: string } | undefined;
    const entry = row
      ? { criteria: CriteriaDocument.parse((JSON.parse(row.signed_json) as { criteria: unknown }).criteria), digest: row.digest, publishedAt: row.published_at }
      : null;
    this.criteriaCache.set(key, entry);
    return entry;
  }

  listPublishedCriteria(): { id: string; version: string; digest: string; publishedAt: string }[] {
    const rows = this.db.prepare('SELECT criteria_id, version, digest, published_at FROM published_criteria ORDER BY published_at, criteria_id, version').all() as {
      criteria_id: string;
      version: string;
      digest: string;
      published_at: string;
    }[];
    return rows.map((row) => ({ id: row.criteria_id, version: row.version, digest: row.digest, publishedAt: row.published_at }));
  }

  addPublishedCriteria(entry: { criteria: CriteriaDocument; digest: string; signedJson: string; publishedAt: string }): void {
    const existing = this.db.prepare('SELECT digest FROM published_criteria WHERE criteria_id = ? AND version = ?').get(entry.criteria.id, entry.criteria.version) as
      | { digest: string }
      | undefined;
    if (existing && existing.digest !== entry.digest) {
      throw new RecordError(
        'criteria-digest-mismatch',
        `Criteria ${entry.criteria.id} version ${entry.criteria.version} were already published with different text; publish changed criteria under a new version.`,
      );
    }
    if (existing) return;
    this.db
      .prepare('INSERT INTO published_criteria (criteria_id, version, digest, signed_json, published_at) VALUES (?, ?, ?, ?, ?)')
      .run(entry.criteria.id, entry.criteria.version, entry.digest, entry.signedJson, entry.publishedAt);
    this.criteriaCache.delete(`${entry.criteria.id}\u0000${entry.criteria.version}`);
  }

  recordCourseCompleted(caseReference: string, completedOn: string): void {
    if (!this.hasCase(caseReference)) throw new RecordError('stats-input-invalid', `No record of case ${caseReference} is in the ledger.`);
    this.db
      .prepare('INSERT INTO ledger_course_completions (case_reference, completed_on) VALUES (?, ?) ON CONFLICT(case_reference) DO UPDATE SET completed_on = excluded.completed_on')
      .run(caseReference, completedOn);
  }
}

// --- verification ---------------------------------------------------------------------------------------------------

export interface VerifiedPackage extends VerifiedRecordSignatures {
  package: OutcomePackage;
  letterPdf: Uint8Array;
  packageSha256: string;
  summary: AnonymisedSummary;
  quarter: string;
}

export interface VerifyOptions {
  /** Also open the letter PDF and check the record attached to it is the signed record (default true). */
  checkLetterAttachment?: boolean;
}

/** Envelope and age failures in the central office's words; anything else is passed on unchanged. */
function packageError(error: unknown): unknown {
  if (error instanceof AgeError) {
    switch (error.code) {
      case 'no-identity-matched':
        return new RecordError('package-not-for-this-office', 'This package is addressed to someone else: it was not sealed to this central office.');
      case 'truncated':
        return new RecordError('package-truncated', `This package is incomplete: ${error.message}`);
      case 'not-age-file':
      case 'unsupported-version':
        return new RecordError('package-malformed', 'This is not a sealed Hearing Desk package.');
      default:
        return new RecordError('package-tampered', `This package was altered after it was sealed (${error.code}). Do not ingest it.`, { cause: error.code });
    }
  }
  if (error instanceof EnvelopeError) {
    switch (error.code) {
      case 'not-listed-recipient':
        return new RecordError('package-not-for-this-office', 'This package is addressed to someone else: its author did not list this central office.');
      case 'length-mismatch':
        return new RecordError('package-truncated', `This package is incomplete: ${error.message}`);
      case 'unexpected-payload-type':
      case 'unknown-payload-type':
      case 'not-an-envelope':
      case 'unsupported-envelope-version':
      case 'declared-size-absurd':
        return new RecordError('package-malformed', `This is not an outcome package: ${error.message}`);
      default:
        return new RecordError('package-tampered', `This package was altered or forged (${error.code}). Do not ingest it.`, { cause: error.code });
    }
  }
  return error;
}

const AGE_CHUNK = 64 * 1024;
const AGE_TAG = 16;
const AGE_NONCE = 16;

/** The size a complete age file of this envelope has: age header, nonce, and every chunk with its tag. */
function expectedPackageLength(file: Uint8Array, header: EnvelopeHeader): number {
  const headerEnd = Buffer.from(file).indexOf('\n---');
  const macEnd = headerEnd === -1 ? -1 : Buffer.from(file).indexOf(0x0a, headerEnd + 1);
  if (macEnd === -1) return 0;
  // Envelope plaintext: magic line, canonical header line, payload, 64-byte signature.
  const plaintext = `${ENVELOPE_VERSION}\n`.length + Buffer.byteLength(serializeEnvelopeHeader(header)) + 1 + header.payloadLength + 64;
  const chunks = Math.max(1, Math.ceil(plaintext / AGE_CHUNK));
  return macEnd + 1 + AGE_NONCE + plaintext + chunks * AGE_TAG;
}

/** No complete package is shorter than this: its envelope plaintext fills more than one age chunk. */
function minimumPackageLength(file: Uint8Array): number {
  const headerEnd = Buffer.from(file).indexOf('\n---');
  const macEnd = headerEnd === -1 ? -1 : Buffer.from(file).indexOf(0x0a, headerEnd + 1);
  if (macEnd === -1) return 0;
  return macEnd + 1 + AGE_NONCE + (AGE_CHUNK + 1) + 2 * AGE_TAG;
}

const PADDING = Buffer.alloc(MIN_PACKAGE_PAYLOAD_BYTES, 0x20);

/**
 * The package payload as text, without the trailing spaces encodeOutcomePackage pads it with: parsing 64 KiB of
 * padding cost more than the JSON in it. Only an all-space tail after the last "}" is cut, which JSON.parse would
 * skip as whitespace anyway, so exactly the same payloads parse, to the same value; anything else is decoded whole.
 */
function packageJsonText(payload: Uint8Array): string {
  const bytes = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const end = bytes.lastIndexOf(0x7d) + 1;
  const tail = bytes.length - end;
  if (end > 0 && tail <= PADDING.length && bytes.compare(PADDING, 0, tail, end) === 0) return bytes.toString('utf8', 0, end);
  return bytes.toString('utf8');
}

function nameText(value: unknown): string | null {
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : null;
}

/** The outcome-record.json attached to a decision letter, or null when there is none. */
export async function letterAttachment(pdf: Uint8Array): Promise<Uint8Array | null> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const files = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict)?.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (!files) return null;
  for (let index = 0; index + 1 < files.size(); index += 2) {
    if (nameText(files.lookup(index)) !== LETTER_ATTACHMENT_NAME) continue;
    const ef = files.lookupMaybe(index + 1, PDFDict)?.lookupMaybe(PDFName.of('EF'), PDFDict);
    const stream = ef ? ef.context.lookup(ef.get(PDFName.of('F'))) : undefined;
    return stream instanceof PDFRawStream ? decodePDFRawStream(stream).decode() : null;
  }
  return null;
}

export interface IngestFile {
  name: string;
  bytes: Uint8Array;
}

export type FileOutcome =
  | { name: string; ok: true; recordId: string; caseReference: string; quarter: string; signatures: number }
  | { name: string; ok: false; code: string; message: string };

export class CentralOfficeLedger {
  constructor(
    readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Opens and verifies one package; nothing is stored. Throws RecordError (or AppError) naming the first problem. */
  async verifyPackage(file: Uint8Array, ageIdentity: string, options: VerifyOptions = {}): Promise<VerifiedPackage> {
    let opened: { header: EnvelopeHeader; payload: Uint8Array };
    let header: EnvelopeHeader | null = null;
    try {
      const envelope = await openEnvelope(file, { identity: ageIdentity, expectedTypes: ['hearing-desk/outcome@1'], maxPayloadBytes: MAX_PACKAGE_BYTES });
      header = envelope.header;
      opened = { header, payload: await collect(envelope.payload) };
    } catch (error) {
      // A cut inside the last chunk fails its authentication like any change would; lengths tell them apart: a package
      // is always longer than one age chunk (encodeOutcomePackage pads it), and past the first chunk the envelope
      // header declares the exact length.
      const cut = header ? file.length < expectedPackageLength(file, header) : file.length < minimumPackageLength(file);
      if (cut && (error instanceof AgeError || (error instanceof EnvelopeError && error.code === 'length-mismatch'))) {
        throw new RecordError('package-truncated', `This package is incomplete: it has ${file.length} bytes where its header declares content for more. It may have been cut short while being copied.`);
      }
      throw packageError(error);
    }
    const verified = this.verifyPackagePayload(opened.payload, opened.header.author.signingKey, sha256Hex(file));
    if (options.checkLetterAttachment ?? true) await this.checkLetter(verified);
    return verified;
  }

  /** The checks after decryption, synchronous: what the benchmark's 10,000-record figure measures besides age. */
  verifyPackagePayload(payload: Uint8Array, authorSigningKey: string, packageSha256: string): VerifiedPackage {
    let json: unknown;
    try {
      json = JSON.parse(packageJsonText(payload));
    } catch {
      throw new RecordError('package-malformed', 'The outcome package content is not readable JSON.');
    }
    const shell = OutcomePackage.safeParse(json);
    if (!shell.success) {
      const issue = shell.error.issues[0];
      throw new RecordError('package-malformed', `The outcome package is malformed (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}).`);
    }
    const content = shell.data;
    const parsed: ParsedSignedRecord = parseCheckedSignedRecord(content.signed);
    const { record } = parsed;
    const chair = record.participants.find((p) => p.role === 'chair' && !p.recused);
    if (!chair || chair.signingKey !== authorSigningKey) {
      throw new RecordError('package-author-not-chair', `This package was not sealed by the chair named in the record of case ${record.caseReference}.`);
    }
    const published = this.store.publishedCriteria(record.criteria.id, record.criteria.version);
    if (!published) {
      throw new RecordError(
        'criteria-not-published',
        `The record of case ${record.caseReference} was decided under criteria ${record.criteria.id} version ${record.criteria.version}, which this office never published.`,
        { criteria: record.criteria },
      );
    }
    if (published.digest !== record.criteria.digest) {
      throw new RecordError('criteria-digest-mismatch', `The record names criteria ${record.criteria.id} ${record.criteria.version}, but not the text this office published.`);
    }
    const signatures = verifyRecordSignatures(parsed, published.criteria, { requireComplete: true });
    const letterPdf = new Uint8Array(Buffer.from(content.letterPdf, 'base64')); // base64 checked by the schema
    if (sha256Hex(letterPdf) !== content.letterSha256) throw new RecordError('letter-hash-mismatch', 'The decision letter does not match its stated hash.');
    const expected = anonymisedSummaryOf(record);
    if (canonicalize(content.summary) !== canonicalize(expected)) {
      throw new RecordError('summary-mismatch', `The anonymised summary in the package does not match the record of case ${record.caseReference}.`);
    }
    requireAnonymised(record, expected.summary);
    if (this.store.hasRecord(parsed.recordId) || this.store.hasCase(record.caseReference)) {
      throw new RecordError('record-duplicate', `The record of case ${record.caseReference} is already in the ledger.`, { recordId: parsed.recordId });
    }
    return { ...signatures, package: content, letterPdf, packageSha256, summary: expected, quarter: quarterOf(record.dates.decision) };
  }

  private async checkLetter(verified: VerifiedPackage): Promise<void> {
    let attached: Uint8Array | null;
    try {
      attached = await letterAttachment(verified.letterPdf);
    } catch {
      throw new RecordError('letter-record-mismatch', 'The decision letter is not a readable PDF.');
    }
    if (!attached || Buffer.compare(Buffer.from(attached), Buffer.from(verified.payload)) !== 0) {
      throw new RecordError('letter-record-mismatch', `The record attached to the decision letter is not the signed record of case ${verified.record.caseReference}.`);
    }
  }

  /** Verifies each file on its own; reports each. Nothing is stored. */
  async verify(files: readonly IngestFile[], ageIdentity: string, options: VerifyOptions = {}): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = [];
    for (const file of files) {
      try {
        const verified = await this.verifyPackage(file.bytes, ageIdentity, options);
        outcomes.push(accepted(file.name, verified));
      } catch (error) {
        outcomes.push(refused(file.name, error));
      }
    }
    return outcomes;
  }

  /**
   * Verifies each file and stores every accepted one in a single transaction. A refused file (including a second copy
   * of a record within the same batch) is reported and changes nothing.
   */
  async ingest(files: readonly IngestFile[], ageIdentity: string, options: VerifyOptions = {}): Promise<FileOutcome[]> {
    const outcomes: FileOutcome[] = [];
    const entries: LedgerEntry[] = [];
    const batch = new Set<string>();
    const ingestedAt = this.now().toISOString();
    for (const file of files) {
      try {
        const verified = await this.verifyPackage(file.bytes, ageIdentity, options);
        if (batch.has(verified.recordId) || batch.has(verified.record.caseReference)) {
          throw new RecordError('record-duplicate', `The record of case ${verified.record.caseReference} appears twice in this batch.`);
        }
        batch.add(verified.recordId).add(verified.record.caseReference);
        entries.push(entryOf(verified, ingestedAt));
        outcomes.push(accepted(file.name, verified));
      } catch (error) {
        outcomes.push(refused(file.name, error));
      }
    }
    if (entries.length > 0) this.store.insert(entries);
    return outcomes;
  }

  stats(options: StatsOptions): StatsReport {
    const { from, to } = quarterBounds(options.quarter);
    return computeStats(this.store.statsRows(from, to), options);
  }

  /** Every ledger record's contribution to the decision history (category, band, sanction only). */
  historicalOutcomes(): HistoricalOutcome[] {
    return this.store.summaries().flatMap(historicalOutcomesOf);
  }

  /** The anonymised decision history, signed with the office's key, for panels' consistency checks. */
  exportHistory(seed: Uint8Array, issuedOn: string): SignedDecisionHistoryFile {
    return signDecisionHistory(buildDecisionHistory(this.historicalOutcomes(), issuedOn), seed);
  }

  /**
   * Registers criteria this office publishes: an unsigned document is signed with the office's seed; a signed file
   * must carry the office's own signature. Re-publishing the same version with different text is refused.
   */
  publishCriteria(input: string | Uint8Array, office: { name: string; signingKey: string; seed: Uint8Array }): { id: string; version: string; digest: string; signedJson: string } {
    let value: unknown;
    try {
      value = JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8'));
    } catch {
      throw new AppError('criteria-malformed', 'This is not a criteria file: it is not readable JSON.');
    }
    const office_ = [{ name: office.name, role: 'central-office' as const, signingKey: office.signingKey }];
    const signed = (value as { format?: unknown } | null)?.format === CRITERIA_FORMAT ? signCriteria(value, office.seed) : value;
    const { criteria, digest } = verifySignedCriteria(signed, office_);
    const signedJson = `${JSON.stringify(signed, null, 2)}\n`;
    this.store.addPublishedCriteria({ criteria, digest, signedJson, publishedAt: this.now().toISOString() });
    return { id: criteria.id, version: criteria.version, digest, signedJson };
  }
}

function entryOf(verified: VerifiedPackage, ingestedAt: string): LedgerEntry {
  return {
    recordId: verified.recordId,
    caseReference: verified.record.caseReference,
    signedJson: JSON.stringify(verified.signed),
    letterPdf: verified.letterPdf,
    summary: verified.summary,
    quarter: verified.quarter,
    criteriaId: verified.record.criteria.id,
    criteriaVersion: verified.record.criteria.version,
    packageSha256: verified.packageSha256,
    ingestedAt,
  };
}

function accepted(name: string, verified: VerifiedPackage): FileOutcome {
  return { name, ok: true, recordId: verified.recordId, caseReference: verified.record.caseReference, quarter: verified.quarter, signatures: verified.signers.length };
}

function refused(name: string, error: unknown): FileOutcome {
  if (!isAppError(error)) throw error;
  return { name, ok: false, code: String(error.code), message: error.message };
}

// --- the central office as the signed-in user -------------------------------------------------------------------------------

/** The ledger of the central-office profile whose vault `session` has unlocked. */
export function centralOfficeLedger(session: Session, now?: () => Date): CentralOfficeLedger {
  const status = session.status();
  if (status.profile?.role !== 'central-office') {
    throw new AppError('not-central-office', 'Only a central-office profile keeps the outcome ledger. Use the central office’s profile.');
  }
  return new CentralOfficeLedger(new SqliteLedgerStore(session.requireVault().db), now);
}

