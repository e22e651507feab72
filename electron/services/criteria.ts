// Signing and verifying sanctions criteria. The central office signs a criteria document with its Ed25519
// key; the app accepts a document only when the signature holds, the key belongs to a central-office contact
// in the address book, the document passes its schema, and it is the version the case's bundle names.
// Each way to fail has its own error code, and nothing is returned (so nothing is stored) on any failure.
import { createHash } from 'node:crypto';
import { CanonicalJsonError, canonicalize } from '../../shared/canonical-json';
import { criteriaSigningBytes, SIGNED_CRITERIA_FORMAT, SignedCriteriaShell, sampleCriteria, type SignedCriteria } from '../../shared/criteria';
import { CriteriaDocument, CRITERIA_FORMAT } from '../../shared/domain/criteria';
import type { CriteriaReference } from '../../shared/domain/case';
import type { ParticipantRole } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from './crypto/ed25519';

export const CRITERIA_ERROR_CODES = [
  /** Not JSON, or JSON with no canonical form. */
  'criteria-malformed',
  /** A criteria document without the signed wrapper, or a wrapper without a usable signature. */
  'criteria-unsigned',
  /** The signature does not match the document: it was changed after signing. */
  'criteria-tampered',
  /** Correctly signed, but not by a central-office contact in the address book. */
  'criteria-untrusted-signer',
  /** Signed by the central office, but the document breaks the criteria schema (absurd values, dates out of order …). */
  'criteria-invalid',
  /** Not the criteria id and version the bundle names. */
  'criteria-version-mismatch',
  /** The right version, but not the exact text the bundle pinned. */
  'criteria-digest-mismatch',
] as const;
export type CriteriaErrorCode = (typeof CRITERIA_ERROR_CODES)[number];

export class CriteriaError extends AppError {
  declare readonly code: CriteriaErrorCode;
  constructor(code: CriteriaErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'CriteriaError';
  }
}

/** What the verifier needs from an address-book contact. */
export interface CriteriaSignerContact {
  name: string;
  role: ParticipantRole;
  /** Raw 32-byte Ed25519 public key, base64. */
  signingKey: string;
}

export interface VerifyCriteriaOptions {
  /** The criteria the case's bundle names: id and version must match, and the digest when it pins one. */
  expected?: CriteriaReference;
}

export interface VerifiedCriteria {
  criteria: CriteriaDocument;
  signer: CriteriaSignerContact;
  /** SHA-256 (hex) of the document's canonical JSON: what a CriteriaReference.digest pins. */
  digest: string;
}

export function criteriaDigest(criteria: CriteriaDocument): string {
  return createHash('sha256').update(canonicalize(criteria), 'utf8').digest('hex');
}

function schemaProblem(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const first = issues[0];
  const where = first?.path.map(String).join('.') || 'document';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length === 2 ? '' : 's'})` : '';
  return `${where}: ${first?.message ?? 'invalid'}${more}`;
}

/** Signs a criteria document with a central-office seed. Refuses a document that would not verify. */
export function signCriteria(doc: unknown, seed: Uint8Array): SignedCriteria {
  const parsed = CriteriaDocument.safeParse(doc);
  if (!parsed.success) {
    throw new CriteriaError('criteria-invalid', `These criteria cannot be signed: ${schemaProblem(parsed.error.issues)}.`, { issues: parsed.error.issues });
  }
  const criteria = parsed.data;
  const signature = Buffer.from(ed25519Sign(seed, criteriaSigningBytes(criteria))).toString('base64');
  const signingKey = Buffer.from(ed25519PublicFromSeed(seed)).toString('base64');
  return { format: SIGNED_CRITERIA_FORMAT, signingKey, signature, criteria };
}

export function serializeSignedCriteria(signed: SignedCriteria): string {
  return `${JSON.stringify(signed, null, 2)}\n`;
}

/** The sample criteria signed with a (demo) central-office seed, for the demo hearing. */
export function signedSampleCriteria(seed: Uint8Array): SignedCriteria {
  return signCriteria(sampleCriteria(), seed);
}

function readJson(input: string | Uint8Array): unknown {
  try {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
    return JSON.parse(text) as unknown;
  } catch {
    throw new CriteriaError('criteria-malformed', 'This is not a criteria file: it is not readable JSON.');
  }
}

/**
 * Verifies signed criteria (file text or bytes, or an already parsed value) and returns the document.
 * `trustedContacts` is the address book: only contacts with the central-office role may sign criteria.
 */
export function verifySignedCriteria(
  signed: string | Uint8Array | unknown,
  trustedContacts: readonly CriteriaSignerContact[],
  options: VerifyCriteriaOptions = {},
): VerifiedCriteria {
  const value = typeof signed === 'string' || signed instanceof Uint8Array ? readJson(signed) : signed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CriteriaError('criteria-malformed', 'This is not a criteria file: it does not hold a criteria document.');
  }
  const format = (value as { format?: unknown }).format;
  if (format === CRITERIA_FORMAT) {
    throw new CriteriaError('criteria-unsigned', 'These criteria are not signed. Only criteria signed by the central office can be used.');
  }
  if (format !== SIGNED_CRITERIA_FORMAT) {
    throw new CriteriaError('criteria-malformed', 'This is not a Hearing Desk criteria file (unknown format).');
  }
  const shell = SignedCriteriaShell.safeParse(value);
  if (!shell.success) {
    const missingSignature = shell.error.issues.some((issue) => issue.path[0] === 'signature' || issue.path[0] === 'signingKey');
    if (missingSignature) {
      throw new CriteriaError('criteria-unsigned', 'These criteria carry no valid signature. Only criteria signed by the central office can be used.');
    }
    throw new CriteriaError('criteria-malformed', `This criteria file is malformed (${schemaProblem(shell.error.issues)}).`);
  }
  const { signingKey, signature, criteria: raw } = shell.data;
  if (raw === undefined) throw new CriteriaError('criteria-malformed', 'This criteria file holds no criteria document.');

  const contact = trustedContacts.find((candidate) => candidate.signingKey === signingKey);
  if (!contact || contact.role !== 'central-office') {
    throw new CriteriaError(
      'criteria-untrusted-signer',
      contact
        ? `These criteria are signed by ${contact.name}, who is not a central-office contact. Only the central office publishes criteria.`
        : 'These criteria are signed by a key that is not a central-office contact in your address book. Import and verify the central office’s card first.',
      { signingKey },
    );
  }

  let bytes: Uint8Array;
  try {
    // The signature covers the document exactly as received, before any schema normalisation.
    bytes = criteriaSigningBytes(raw);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new CriteriaError('criteria-malformed', `This criteria file is malformed (${error.message}).`);
    throw error;
  }
  if (!ed25519Verify(Buffer.from(signingKey, 'base64'), bytes, Buffer.from(signature, 'base64'))) {
    throw new CriteriaError('criteria-tampered', `These criteria do not match ${contact.name}’s signature: they were changed after signing. Do not use them.`);
  }

  const parsed = CriteriaDocument.safeParse(raw);
  if (!parsed.success) {
    throw new CriteriaError('criteria-invalid', `These signed criteria are not valid: ${schemaProblem(parsed.error.issues)}.`, { issues: parsed.error.issues });
  }
  const criteria = parsed.data;
  const digest = criteriaDigest(criteria);
  const expected = options.expected;
  if (expected && (expected.id !== criteria.id || expected.version !== criteria.version)) {
    throw new CriteriaError(
      'criteria-version-mismatch',
      `The case names criteria "${expected.id}" version ${expected.version}, but this file is "${criteria.id}" version ${criteria.version}. Import the version the case names.`,
      { expected, actual: { id: criteria.id, version: criteria.version } },
    );
  }
  if (expected?.digest && expected.digest !== digest) {
    throw new CriteriaError(
      'criteria-digest-mismatch',
      `This is "${criteria.id}" version ${criteria.version}, but not the exact text the case pinned. Ask the central office for the published file.`,
      { expected: expected.digest, actual: digest },
    );
  }
  return { criteria, signer: contact, digest };
}
