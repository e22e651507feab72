// The central office's check of one outcome package, with no database: open the age envelope with the office's
// identity, then check every signature, hash and the summary against criteria the office published (handed in as
// plain data). Pure and CPU-bound, so the ledger runs it on the main thread for small batches and in worker threads
// (verify-pool.ts) for large ones; the ledger's own part (is the record already kept? store it) stays with the ledger.
// Whatever thread it runs on, the result says the same thing: either what the ledger needs to store the record, or
// the AppError naming the first problem.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString, decodePDFRawStream } from 'pdf-lib';
import { canonicalize } from '../../../shared/canonical-json';
import type { CriteriaDocument } from '../../../shared/domain/criteria';
import { AnonymisedSummary, OutcomePackage } from '../../../shared/domain/record';
import { AppError, isAppError } from '../../../shared/errors';
import { AgeError } from '../crypto/age-errors';
import { collect } from '../crypto/byte-reader';
import { ENVELOPE_VERSION, EnvelopeError, openEnvelope, serializeEnvelopeHeader, type EnvelopeHeader } from '../crypto/envelope';
import { requireAnonymised } from './anonymise';
import { LETTER_ATTACHMENT_NAME } from './letter';
import { anonymisedSummaryOf, parseCheckedSignedRecord, RecordError, sha256Hex, type ParsedSignedRecord } from './record';
import { verifyRecordSignatures, type VerifiedRecordSignatures } from './signatures';
import { quarterOf } from './stats';

export const MAX_PACKAGE_BYTES = 96 * 1024 * 1024;
/** See encodeOutcomePackage: one age chunk, so the envelope plaintext always needs a second. */
export const MIN_PACKAGE_PAYLOAD_BYTES = 64 * 1024;

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

export interface PublishedCriteriaEntry {
  criteria: CriteriaDocument;
  digest: string;
  publishedAt: string;
}

/** The criteria this office published under an id and version, or null. */
export type PublishedCriteriaLookup = (id: string, version: string) => PublishedCriteriaEntry | null;

/** A lookup over a snapshot of published criteria: what a worker thread gets instead of the database. */
export function criteriaLookupOf(entries: readonly PublishedCriteriaEntry[]): PublishedCriteriaLookup {
  const byKey = new Map(entries.map((entry) => [`${entry.criteria.id}\u0000${entry.criteria.version}`, entry]));
  return (id, version) => byKey.get(`${id}\u0000${version}`) ?? null;
}

// --- opening the envelope -----------------------------------------------------------------------------------------

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

/** Decrypts the envelope and checks its author's signature; throws RecordError naming what is wrong with the file. */
export async function openOutcomeEnvelope(file: Uint8Array, ageIdentity: string): Promise<{ header: EnvelopeHeader; payload: Uint8Array }> {
  let header: EnvelopeHeader | null = null;
  try {
    const envelope = await openEnvelope(file, { identity: ageIdentity, expectedTypes: ['hearing-desk/outcome@1'], maxPayloadBytes: MAX_PACKAGE_BYTES });
    header = envelope.header;
    return { header, payload: await collect(envelope.payload) };
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
}

// --- the content --------------------------------------------------------------------------------------------------

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

/**
 * Every check of the decrypted content except whether the ledger already holds the record: the JSON and its schema,
 * that the sealing key is the sitting chair's, the criteria (published, same text), every record signature, the
 * letter's hash, and that the summary is the record's and anonymous.
 */
export function checkPackageContent(payload: Uint8Array, authorSigningKey: string, packageSha256: string, publishedCriteria: PublishedCriteriaLookup): VerifiedPackage {
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
  const published = publishedCriteria(record.criteria.id, record.criteria.version);
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
  return { ...signatures, package: content, letterPdf, packageSha256, summary: expected, quarter: quarterOf(record.dates.decision) };
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

/** Throws 'letter-record-mismatch' unless the letter carries exactly the signed record. */
export async function checkLetterAttachment(verified: VerifiedPackage): Promise<void> {
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

// --- the verify step's result -------------------------------------------------------------------------------------

/** What the ledger stores of an accepted package (plain data: it crosses from a worker thread). */
export interface CheckedPackage {
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
  /** How many record signatures verified. */
  signatures: number;
}

/**
 * One file's verify step. `letterError` is kept apart rather than thrown because the ledger's duplicate check has
 * always come before the letter check: a second copy of a kept record is a duplicate whatever its letter says.
 */
export type PackageCheck = { ok: true; checked: CheckedPackage; letterError: AppError | null } | { ok: false; error: unknown };

export function checkedPackageOf(verified: VerifiedPackage): CheckedPackage {
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
    signatures: verified.signers.length,
  };
}

/** The verify step: everything about one file that does not need the ledger. Never throws; the result says. */
export async function checkPackageFile(file: Uint8Array, ageIdentity: string, publishedCriteria: PublishedCriteriaLookup, options: VerifyOptions = {}): Promise<PackageCheck> {
  let verified: VerifiedPackage;
  try {
    const opened = await openOutcomeEnvelope(file, ageIdentity);
    verified = checkPackageContent(opened.payload, opened.header.author.signingKey, sha256Hex(file), publishedCriteria);
  } catch (error) {
    return { ok: false, error };
  }
  let letterError: AppError | null = null;
  if (options.checkLetterAttachment ?? true) {
    try {
      await checkLetterAttachment(verified);
    } catch (error) {
      if (!isAppError(error)) return { ok: false, error };
      letterError = error;
    }
  }
  return { ok: true, checked: checkedPackageOf(verified), letterError };
}

// --- crossing a thread boundary -------------------------------------------------------------------------------------

/** An error as it crosses from a worker: AppErrors keep class, code, message and details; anything else is a bug. */
export type SerializedError =
  | { kind: 'app'; name: string; code: string; message: string; details?: unknown }
  | { kind: 'unexpected'; name: string; message: string; stack?: string };

export function serializeError(error: unknown): SerializedError {
  if (isAppError(error)) {
    const details = cloneable(error.details);
    return { kind: 'app', name: error.name, code: String(error.code), message: error.message, ...(details === undefined ? {} : { details }) };
  }
  const caught = error instanceof Error ? error : new Error(String(error));
  return { kind: 'unexpected', name: caught.name, message: caught.message, ...(caught.stack ? { stack: caught.stack } : {}) };
}

/** Rebuilds the error on this side: a RecordError is a RecordError again, other AppErrors keep their name. */
export function deserializeError(serialized: SerializedError): Error {
  if (serialized.kind === 'unexpected') {
    const error = new Error(`Verifying a package failed unexpectedly in a worker thread: ${serialized.name}: ${serialized.message}`);
    if (serialized.stack) error.stack = `${error.name}: ${error.message}\n  in the worker: ${serialized.stack}`;
    return error;
  }
  if (serialized.name === 'RecordError') return new RecordError(serialized.code as RecordError['code'], serialized.message, serialized.details);
  const error = new AppError(serialized.code, serialized.message, serialized.details);
  error.name = serialized.name;
  return error;
}

/** Details are plain data in practice; whatever structured clone could not carry is left out rather than failing. */
function cloneable(details: unknown): unknown {
  if (details === undefined) return undefined;
  try {
    return structuredClone(details);
  } catch {
    return undefined;
  }
}
