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
//
// Ingest is two steps. The verify step (package-verify.ts: decrypt, every signature and hash, parse) needs no database,
// only the office's identity and the published criteria, so a large batch runs it in worker threads (verify-pool.ts).
// The store step (already kept? twice in this batch? insert) runs here, on the caller's thread, once every file has
// its result.
import type { Database, Statement } from 'better-sqlite3';
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
import { parseIdentity } from '../crypto/age-keys';
import { sealEnvelopeBytes } from '../crypto/envelope';
import type { Session } from '../session';
import { requireAnonymised } from './anonymise';
import type { ChairCertificate } from './certificate';
import { buildDecisionLetter, type LetterSignature } from './letter';
import {
  checkLetterAttachment,
  checkPackageContent,
  checkPackageFile,
  MIN_PACKAGE_PAYLOAD_BYTES,
  openOutcomeEnvelope,
  type CheckedPackage,
  type PackageCheck,
  type PublishedCriteriaEntry,
  type PublishedCriteriaLookup,
  type VerifiedPackage,
  type VerifyOptions,
} from './package-verify';
import { signPdfPades } from './pades';
import { anonymisedSummaryOf, parseSignedRecord, RecordError, sha256Hex } from './record';
import { verifyRecordSignatures } from './signatures';
import { computeStats, quarterBounds, type StatsOptions, type StatsRow } from './stats';
import { buildDecisionHistory, historicalOutcomesOf, signDecisionHistory, type SignedDecisionHistoryFile } from './history';
import { defaultVerifyWorkerEntry, MAX_VERIFY_WORKERS, MIN_POOLED_FILES, runVerifyPool, verifyPoolSize, type VerifyWorkerEntry } from './verify-pool';

export { letterAttachment, MAX_PACKAGE_BYTES, MIN_PACKAGE_PAYLOAD_BYTES } from './package-verify';
export type { PublishedCriteriaEntry, VerifiedPackage, VerifyOptions } from './package-verify';

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

export interface IngestFile {
  name: string;
  bytes: Uint8Array;
}

export type FileOutcome =
  | { name: string; ok: true; recordId: string; caseReference: string; quarter: string; signatures: number }
  | { name: string; ok: false; code: string; message: string };

/** How the ledger spreads the verify step of a large batch over cores; the defaults suit the app and the CLI. */
export interface LedgerParallelism {
  /** Batches of fewer files are verified on the calling thread (default MIN_POOLED_FILES). */
  minPooledFiles?: number;
  /** At most this many worker threads (default MAX_VERIFY_WORKERS); 1 verifies every batch in-thread. */
  maxWorkers?: number;
  /** Exactly this many worker threads for a pooled batch, whatever the cores (tests); default one per core. */
  workers?: number;
  /** The worker script; default defaultVerifyWorkerEntry(), null for none. */
  workerEntry?: VerifyWorkerEntry | null;
}

export class CentralOfficeLedger {
  constructor(
    readonly store: LedgerStore,
    private readonly now: () => Date = () => new Date(),
    private readonly parallelism: LedgerParallelism = {},
  ) {}

  /** Opens and verifies one package; nothing is stored. Throws RecordError (or AppError) naming the first problem. */
  async verifyPackage(file: Uint8Array, ageIdentity: string, options: VerifyOptions = {}): Promise<VerifiedPackage> {
    const opened = await openOutcomeEnvelope(file, ageIdentity);
    const verified = this.verifyPackagePayload(opened.payload, opened.header.author.signingKey, sha256Hex(file));
    if (options.checkLetterAttachment ?? true) await checkLetterAttachment(verified);
    return verified;
  }

  /** The checks after decryption, synchronous: what the benchmark's 10,000-record figure measures besides age. */
  verifyPackagePayload(payload: Uint8Array, authorSigningKey: string, packageSha256: string): VerifiedPackage {
    const verified = checkPackageContent(payload, authorSigningKey, packageSha256, this.publishedCriteria);
    this.requireNotKept(verified.recordId, verified.record.caseReference);
    return verified;
  }

  /** Worker threads a batch of this many files is verified with; 1 means on the calling thread. */
  verifyWorkersFor(files: number): number {
    if (files < (this.parallelism.minPooledFiles ?? MIN_POOLED_FILES) || this.workerEntry() === null) return 1;
    const { workers, maxWorkers } = this.parallelism;
    return workers === undefined ? verifyPoolSize(files, maxWorkers ?? MAX_VERIFY_WORKERS) : Math.max(1, Math.min(workers, files));
  }

  /** Verifies each file on its own; reports each. Nothing is stored. */
  async verify(files: readonly IngestFile[], ageIdentity: string, options: VerifyOptions = {}): Promise<FileOutcome[]> {
    const checks = await this.checkFiles(files, ageIdentity, options);
    return files.map((file, index) => {
      try {
        return accepted(file.name, this.acceptable(checks[index]!));
      } catch (error) {
        return refused(file.name, error);
      }
    });
  }

  /**
   * Verifies each file and stores every accepted one in a single transaction. A refused file (including a second copy
   * of a record within the same batch) is reported and changes nothing. The verify step may run in worker threads;
   * the store step (duplicates, insert) is always here, after every file has its result.
   */
  async ingest(files: readonly IngestFile[], ageIdentity: string, options: VerifyOptions = {}): Promise<FileOutcome[]> {
    const ingestedAt = this.now().toISOString();
    const checks = await this.checkFiles(files, ageIdentity, options);
    const outcomes: FileOutcome[] = [];
    const entries: LedgerEntry[] = [];
    const batch = new Set<string>();
    files.forEach((file, index) => {
      try {
        const checked = this.acceptable(checks[index]!);
        if (batch.has(checked.recordId) || batch.has(checked.caseReference)) {
          throw new RecordError('record-duplicate', `The record of case ${checked.caseReference} appears twice in this batch.`);
        }
        batch.add(checked.recordId).add(checked.caseReference);
        entries.push(entryOf(checked, ingestedAt));
        outcomes.push(accepted(file.name, checked));
      } catch (error) {
        outcomes.push(refused(file.name, error));
      }
    });
    if (entries.length > 0) this.store.insert(entries);
    return outcomes;
  }

  /** The verify step of a batch, in worker threads when it is large enough. One check per file, in input order. */
  private async checkFiles(files: readonly IngestFile[], ageIdentity: string, options: VerifyOptions): Promise<PackageCheck[]> {
    const workers = this.verifyWorkersFor(files.length);
    const entry = this.workerEntry();
    // An identity that does not parse goes the in-thread way, which refuses each file as it always has.
    const secret = workers > 1 && entry ? secretOf(ageIdentity) : null;
    if (secret && entry) {
      try {
        const criteria = this.store.listPublishedCriteria().flatMap(({ id, version }) => this.store.publishedCriteria(id, version) ?? []);
        return await runVerifyPool({ files: files.map((file) => file.bytes), secret, criteria, options, workers, entry });
      } finally {
        secret.fill(0);
      }
    }
    const checks: PackageCheck[] = [];
    for (const file of files) checks.push(await checkPackageFile(file.bytes, ageIdentity, this.publishedCriteria, options));
    return checks;
  }

  /** The store step's checks, in the order a single file has always been checked: verify, kept already, letter. */
  private acceptable(check: PackageCheck): CheckedPackage {
    if (!check.ok) throw check.error;
    this.requireNotKept(check.checked.recordId, check.checked.caseReference);
    if (check.letterError) throw check.letterError;
    return check.checked;
  }

  private requireNotKept(recordId: string, caseReference: string): void {
    if (this.store.hasRecord(recordId) || this.store.hasCase(caseReference)) {
      throw new RecordError('record-duplicate', `The record of case ${caseReference} is already in the ledger.`, { recordId });
    }
  }

  private readonly publishedCriteria: PublishedCriteriaLookup = (id, version) => this.store.publishedCriteria(id, version);

  private workerEntry(): VerifyWorkerEntry | null {
    return this.parallelism.workerEntry === undefined ? defaultVerifyWorkerEntry() : this.parallelism.workerEntry;
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

function entryOf(checked: CheckedPackage, ingestedAt: string): LedgerEntry {
  const { signatures: _signatures, ...entry } = checked;
  return { ...entry, ingestedAt };
}

function accepted(name: string, checked: CheckedPackage): FileOutcome {
  return { name, ok: true, recordId: checked.recordId, caseReference: checked.caseReference, quarter: checked.quarter, signatures: checked.signatures };
}

/** The office's X25519 secret, or null when the identity does not parse. */
function secretOf(ageIdentity: string): Uint8Array | null {
  try {
    return parseIdentity(ageIdentity);
  } catch {
    return null;
  }
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

