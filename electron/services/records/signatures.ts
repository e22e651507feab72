// Signatures on the outcome record, and collecting them offline.
//
// Every signature is Ed25519 over a DSSE-style pre-authentication encoding (PAE) that binds, besides the record's
// canonical bytes, the payload type, the purpose (a decision signature can never be passed off as the lawyer's
// attestation, or the reverse) and the signer's stated time:
//   "HDSSEv1" SP LEN(payloadType) SP payloadType SP LEN(purpose) SP purpose SP LEN(signedAt) SP signedAt SP LEN(body) SP body
// (LEN is the byte length in ASCII decimal, as in DSSE v1). Several signatures sit side by side on one payload.
//
// Offline collection: the chair seals a "for signature" envelope to everyone who must sign; each opens it (this records
// the exact bytes they were shown, and gives them a diff against the last version they saw), signs, and seals a
// signature envelope back to the chair, whose import checks it and adds it.
import { AuditTrail } from '../audit';
import { openEnvelopeBytes, sealEnvelopeBytes } from '../crypto/envelope';
import { ed25519Sign, ed25519Verify } from '../crypto/ed25519';
import { fingerprintOf } from '../identities';
import type { Session } from '../session';
import type { CriteriaDocument } from '../../../shared/domain/criteria';
import {
  FOR_SIGNATURE_FORMAT,
  ForSignatureRequest,
  OUTCOME_RECORD_PAYLOAD_TYPE,
  SIGNATURE_RETURN_FORMAT,
  SignatureReturn,
  type OutcomeRecord,
  type RecordChange,
  type RecordParticipant,
  type RecordSignature,
  type SignaturePurpose,
  type SignedOutcomeRecord,
} from '../../../shared/domain/record';
import {
  diffRecords,
  missingSignatures,
  OutcomeRecordStore,
  parseSignedRecord,
  purposeForRole,
  RecordError,
  recordSignatories,
  sha256Hex,
  type MissingSignature,
  type ParsedSignedRecord,
  type RecordInProgress,
} from './record';

const PAE_PREFIX = 'HDSSEv1';
const MAX_EXCHANGE_BYTES = 32 * 1024 * 1024;

/** The exact bytes an outcome-record signature covers (see the header comment). */
export function recordSigningMessage(payloadType: string, purpose: SignaturePurpose, signedAt: string, body: Uint8Array): Uint8Array {
  const parts: Buffer[] = [Buffer.from(PAE_PREFIX, 'latin1')];
  for (const field of [Buffer.from(payloadType, 'utf8'), Buffer.from(purpose, 'utf8'), Buffer.from(signedAt, 'utf8'), Buffer.from(body)]) {
    parts.push(Buffer.from(` ${field.length} `, 'latin1'), field);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/** Low level: one signature by a seed over a record's canonical bytes. */
export function signPayload(
  seed: Uint8Array,
  signer: { fingerprint: string; role: RecordParticipant['role'] },
  purpose: SignaturePurpose,
  payload: Uint8Array,
  signedAt: Date,
): RecordSignature {
  const at = signedAt.toISOString();
  const sig = Buffer.from(ed25519Sign(seed, recordSigningMessage(OUTCOME_RECORD_PAYLOAD_TYPE, purpose, at, payload))).toString('base64');
  return { keyid: signer.fingerprint, role: signer.role, purpose, signedAt: at, sig };
}

/**
 * Checks one signature against the record and the criteria; returns the signer. Throws the specific RecordError:
 * non-member (or recused), a role or purpose the criteria do not give this person, a duplicate, a record whose keys do
 * not match the fingerprint it names, or a signature that does not verify over these bytes.
 */
export function checkSignature(
  parsed: ParsedSignedRecord,
  signature: RecordSignature,
  criteria: CriteriaDocument,
  others: readonly RecordSignature[],
): RecordParticipant {
  const participant = parsed.record.participants.find((candidate) => candidate.fingerprint === signature.keyid);
  if (!participant) {
    throw new RecordError('signature-non-member', `A signature is by ${signature.keyid}, a key that is not among the participants named in the record.`, { keyid: signature.keyid });
  }
  if (participant.recused) {
    throw new RecordError('signature-non-member', `${participant.name} stepped aside from this case and cannot sign its record.`, { keyid: signature.keyid });
  }
  if (fingerprintOf(participant.signingKey, participant.ageRecipient) !== participant.fingerprint) {
    throw new RecordError('signature-key-mismatch', `The record gives ${participant.name} keys that do not match the fingerprint ${participant.fingerprint}.`);
  }
  if (signature.role !== participant.role) {
    throw new RecordError('signature-wrong-purpose', `${participant.name} signed as ${signature.role}, but the record names them as ${participant.role}.`);
  }
  const expected = purposeForRole(criteria, participant.role);
  if (expected === null) {
    throw new RecordError('signature-wrong-purpose', `The criteria ask no signature of a ${participant.role}; ${participant.name}'s signature is not part of the record.`);
  }
  if (signature.purpose !== expected) {
    throw new RecordError('signature-wrong-purpose', `A ${participant.role} signs with purpose "${expected}", but ${participant.name}'s signature says "${signature.purpose}".`, {
      expected,
      actual: signature.purpose,
    });
  }
  if (others.some((other) => other.keyid === signature.keyid)) {
    throw new RecordError('signature-duplicate', `${participant.name} has already signed this record; a second signature is not added.`, { keyid: signature.keyid });
  }
  const message = recordSigningMessage(OUTCOME_RECORD_PAYLOAD_TYPE, signature.purpose, signature.signedAt, parsed.payload);
  if (!verifyWithCachedKey(participant.signingKey, message, Buffer.from(signature.sig, 'base64'))) {
    throw new RecordError('signature-invalid', `${participant.name}'s signature does not verify over this record: the record was changed after signing, or the signature is forged.`, {
      keyid: signature.keyid,
    });
  }
  return participant;
}

/** libsodium's Ed25519 (no key import per call), shared with every other signature check in the app. */
function verifyWithCachedKey(signingKeyBase64: string, message: Uint8Array, signature: Uint8Array): boolean {
  return ed25519Verify(Buffer.from(signingKeyBase64, 'base64'), message, signature);
}

export interface VerifiedRecordSignatures extends ParsedSignedRecord {
  signers: { participant: RecordParticipant; signature: RecordSignature }[];
  missing: MissingSignature[];
  complete: boolean;
}

/**
 * Verifies every signature on a signed record against the participants it names and the criteria's rule. With
 * `requireComplete`, a missing required signature is refused ('signature-missing').
 */
export function verifyRecordSignatures(
  input: SignedOutcomeRecord | ParsedSignedRecord | string | Uint8Array,
  criteria: CriteriaDocument,
  options: { requireComplete?: boolean } = {},
): VerifiedRecordSignatures {
  const parsed = isParsed(input) ? input : parseSignedRecord(input);
  if (parsed.record.criteria.id !== criteria.id || parsed.record.criteria.version !== criteria.version) {
    throw new RecordError('criteria-digest-mismatch', `The record was decided under ${parsed.record.criteria.id} ${parsed.record.criteria.version}, not ${criteria.id} ${criteria.version}.`);
  }
  const signers: VerifiedRecordSignatures['signers'] = [];
  parsed.signed.signatures.forEach((signature, index) => {
    signers.push({ participant: checkSignature(parsed, signature, criteria, parsed.signed.signatures.slice(0, index)), signature });
  });
  const missing = missingSignatures(criteria, parsed.record, parsed.signed.signatures);
  if (options.requireComplete && missing.length > 0) {
    const first = missing[0]!;
    throw new RecordError(
      'signature-missing',
      `The record lacks a required signature: ${first.needed} more ${first.role} signature(s) (${first.purpose}) from ${first.outstanding.map((o) => o.name).join(', ') || 'nobody eligible'}.`,
      { missing },
    );
  }
  return { ...parsed, signers, missing, complete: missing.length === 0 };
}

function isParsed(value: unknown): value is ParsedSignedRecord {
  return typeof value === 'object' && value !== null && 'recordId' in value && 'payload' in value && value.payload instanceof Uint8Array;
}

// --- signing as the user ---------------------------------------------------------------------------------------------

export interface SignOptions {
  now?: () => Date;
  /** The vault's case id for the audit entry, when the case is held locally. */
  caseId?: string | null;
}

/**
 * Adds the user's own signature. "Signing asks for the passphrase again": the passphrase is checked against the
 * keyfile before the key is used. Refuses when the audit trail is broken, when the user is not a participant of the
 * record, or has signed already. Records 'signature-added' in the audit trail.
 */
export async function signRecord(
  session: Session,
  passphrase: string,
  signed: SignedOutcomeRecord,
  criteria: CriteriaDocument,
  options: SignOptions = {},
): Promise<SignedOutcomeRecord> {
  await session.verifyPassphrase(passphrase);
  const parsed = parseSignedRecord(signed);
  const audit = new AuditTrail(session, options.now);
  audit.requireIntact();
  const now = (options.now ?? (() => new Date()))();
  const signature = await session.withIdentity((identity) => {
    const me = parsed.record.participants.find((participant) => participant.fingerprint === identity.fingerprint);
    if (!me) throw new RecordError('signature-non-member', `You (${identity.fingerprint}) are not a participant of case ${parsed.record.caseReference}; you cannot sign its record.`);
    if (me.signingKey !== identity.signingKey) {
      throw new RecordError('signature-key-mismatch', `The record names a different signing key for ${me.name} than this profile holds.`);
    }
    const purpose = purposeForRole(criteria, me.role);
    if (!purpose) throw new RecordError('signature-wrong-purpose', `The criteria ask no signature of a ${me.role}.`);
    return signPayload(identity.signingSeed, me, purpose, parsed.payload, now);
  });
  checkSignature(parsed, signature, criteria, parsed.signed.signatures);
  audit.append({
    caseId: options.caseId ?? null,
    action: 'signature-added',
    object: parsed.record.caseReference,
    details: { purpose: signature.purpose, signer: signature.keyid, recordId: parsed.recordId },
  });
  return { ...parsed.signed, signatures: [...parsed.signed.signatures, signature] };
}

/** The chair starts collecting signatures on a record (or replaces it with changed bytes: a new version). */
export function startSigning(session: Session, signed: SignedOutcomeRecord, options: { now?: () => Date } = {}): RecordInProgress {
  return new OutcomeRecordStore(session, options.now).save(signed);
}

// --- offline collection ------------------------------------------------------------------------------------------------

/**
 * The chair's "for signature" envelope for the record in progress, sealed to everyone the criteria ask to sign (and
 * the chair, who may reopen it). What the chair sends is recorded as seen by the chair.
 */
export async function exportForSignature(
  session: Session,
  caseReference: string,
  criteria: CriteriaDocument,
  options: { now?: () => Date } = {},
): Promise<{ bytes: Uint8Array; version: number; recipients: RecordParticipant[] }> {
  const store = new OutcomeRecordStore(session, options.now);
  const current = store.require(caseReference);
  const recipients = recordSignatories(criteria, current.record).flatMap((signatory) => signatory.candidates);
  const request: ForSignatureRequest = {
    format: FOR_SIGNATURE_FORMAT,
    caseReference,
    version: current.version,
    signed: current.signed,
    payloadSha256: sha256Hex(current.payload),
  };
  const createdAt = (options.now ?? (() => new Date()))();
  const bytes = await session.withIdentity((identity) =>
    sealEnvelopeBytes({
      type: 'hearing-desk/for-signature@1',
      payload: Buffer.from(JSON.stringify(request), 'utf8'),
      author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
      recipients: [...new Set([identity.ageRecipient, ...recipients.map((r) => r.ageRecipient)])],
      createdAt,
    }),
  );
  store.markSeen(caseReference, current.version, current.payload);
  return { bytes, version: current.version, recipients };
}

export interface ForSignatureView {
  request: ForSignatureRequest;
  record: OutcomeRecord;
  /** Exactly the bytes a signature will cover. */
  payload: Uint8Array;
  payloadSha256: string;
  chair: RecordParticipant;
  me: RecordParticipant;
  /** The last version this user was shown before this one, if any. */
  previous: { version: number; seenAt: string; payloadSha256: string } | null;
  /** What changed since `previous` (empty when there is none, or nothing changed). */
  changes: RecordChange[];
  /** Signatures already on the record, each verified. */
  signedBy: { name: string; role: string; fingerprint: string; purpose: SignaturePurpose }[];
  alreadySignedByMe: boolean;
}

function parseJsonPayload(payload: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw new RecordError('signed-record-malformed', `The ${what} is not readable JSON.`);
  }
}

/**
 * A member opens the chair's envelope: checks that the chair named in the record sent it and that the user is named
 * in it, verifies the signatures already on it, stores the exact bytes as seen, and returns them with a diff against
 * the last version the user saw.
 */
export async function openForSignature(
  session: Session,
  file: Uint8Array,
  criteria: CriteriaDocument,
  options: { now?: () => Date } = {},
): Promise<ForSignatureView> {
  const { opened, me } = await session.withIdentity(async (identity) => ({
    opened: await openEnvelopeBytes(file, { identity: identity.ageIdentity, expectedTypes: ['hearing-desk/for-signature@1'], maxPayloadBytes: MAX_EXCHANGE_BYTES }),
    me: identity.fingerprint,
  }));
  const shell = ForSignatureRequest.safeParse(parseJsonPayload(opened.payload, 'record sent for signature'));
  if (!shell.success) throw new RecordError('signed-record-malformed', 'The record sent for signature is malformed.');
  const request = shell.data;
  const verified = verifyRecordSignatures(request.signed, criteria);
  const { record, payload } = verified;
  const payloadSha256 = sha256Hex(payload);
  if (request.caseReference !== record.caseReference) {
    throw new RecordError('signature-other-case', `The envelope says case ${request.caseReference}, but the record inside is for ${record.caseReference}.`);
  }
  if (request.payloadSha256 !== payloadSha256) {
    throw new RecordError('signature-different-bytes', 'The record inside the envelope is not the one its hash names: it was changed.');
  }
  const chair = record.participants.find((p) => p.role === 'chair' && !p.recused && p.signingKey === opened.header.author.signingKey);
  if (!chair) throw new RecordError('for-signature-not-from-chair', `This record for signature was not sent by the chair named in case ${record.caseReference}.`);
  const self = record.participants.find((p) => p.fingerprint === me);
  if (!self) throw new RecordError('signature-non-member', `You (${me}) are not a participant of case ${record.caseReference}.`);

  const store = new OutcomeRecordStore(session, options.now);
  const earlier = store.seen(record.caseReference).filter((entry) => entry.payloadSha256 !== payloadSha256);
  const last = earlier[earlier.length - 1] ?? null;
  const changes = last ? diffRecords(parseJsonPayload(last.payload, 'version seen before'), record) : [];
  store.markSeen(record.caseReference, request.version, payload);
  return {
    request,
    record,
    payload,
    payloadSha256,
    chair,
    me: self,
    previous: last ? { version: last.version, seenAt: last.seenAt, payloadSha256: last.payloadSha256 } : null,
    changes,
    signedBy: verified.signers.map(({ participant, signature }) => ({ name: participant.name, role: participant.role, fingerprint: participant.fingerprint, purpose: signature.purpose })),
    alreadySignedByMe: verified.signers.some(({ participant }) => participant.fingerprint === me),
  };
}

/**
 * The member signs what they were shown and seals the signature back to the chair. Only bytes this user has been
 * shown (openForSignature) can be signed; the passphrase is asked again.
 */
export async function signForSignature(
  session: Session,
  passphrase: string,
  view: Pick<ForSignatureView, 'request'>,
  criteria: CriteriaDocument,
  options: SignOptions = {},
): Promise<Uint8Array> {
  const parsed = parseSignedRecord(view.request.signed);
  const payloadSha256 = sha256Hex(parsed.payload);
  const store = new OutcomeRecordStore(session, options.now);
  if (!store.hasSeen(parsed.record.caseReference, payloadSha256)) {
    throw new RecordError('signature-not-seen', 'Open the record for signature first: only a record you have been shown can be signed.');
  }
  const signed = await signRecord(session, passphrase, parsed.signed, criteria, options);
  const signature = signed.signatures[signed.signatures.length - 1]!;
  const chair = parsed.record.participants.find((p) => p.role === 'chair' && !p.recused);
  if (!chair) throw new RecordError('for-signature-not-from-chair', 'The record names no sitting chair to return the signature to.');
  const reply: SignatureReturn = { format: SIGNATURE_RETURN_FORMAT, caseReference: parsed.record.caseReference, payloadSha256, signature };
  const createdAt = (options.now ?? (() => new Date()))();
  return session.withIdentity((identity) =>
    sealEnvelopeBytes({
      type: 'hearing-desk/signature@1',
      payload: Buffer.from(JSON.stringify(reply), 'utf8'),
      author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
      recipients: [chair.ageRecipient],
      createdAt,
    }),
  );
}

/**
 * The chair adds a returned signature to the record in progress for `caseReference`. Refuses, with nothing stored:
 * a signature for another case, over different bytes, by a non-member (or sent by one), for the wrong purpose, a
 * duplicate, or one that does not verify.
 */
export async function importSignature(
  session: Session,
  caseReference: string,
  file: Uint8Array,
  criteria: CriteriaDocument,
  options: SignOptions = {},
): Promise<RecordInProgress & { added: RecordSignature; missing: MissingSignature[] }> {
  const store = new OutcomeRecordStore(session, options.now);
  const current = store.require(caseReference);
  const opened = await session.withIdentity((identity) =>
    openEnvelopeBytes(file, { identity: identity.ageIdentity, expectedTypes: ['hearing-desk/signature@1'], maxPayloadBytes: 1024 * 1024 }),
  );
  const shell = SignatureReturn.safeParse(parseJsonPayload(opened.payload, 'returned signature'));
  if (!shell.success) throw new RecordError('signed-record-malformed', 'The returned signature is malformed.');
  const reply = shell.data;
  if (reply.caseReference !== caseReference) {
    throw new RecordError('signature-other-case', `This signature is for case ${reply.caseReference}, not ${caseReference}.`, { caseReference: reply.caseReference });
  }
  if (reply.payloadSha256 !== sha256Hex(current.payload)) {
    throw new RecordError(
      'signature-different-bytes',
      `This signature is over a different version of the record than the one now being signed (version ${current.version}). Send the current version for signature again.`,
    );
  }
  const parsed: ParsedSignedRecord = { signed: current.signed, record: current.record, payload: current.payload, recordId: sha256Hex(current.payload) };
  const sender = current.record.participants.find((p) => p.signingKey === opened.header.author.signingKey);
  if (!sender) throw new RecordError('signature-non-member', 'This signature was sent by someone who is not a participant of the case.');
  if (reply.signature.keyid !== sender.fingerprint) {
    throw new RecordError('signature-key-mismatch', `${sender.name} sent a signature made under another key (${reply.signature.keyid}).`);
  }
  const audit = new AuditTrail(session, options.now);
  audit.requireIntact();
  checkSignature(parsed, reply.signature, criteria, current.signed.signatures);
  const signed = { ...current.signed, signatures: [...current.signed.signatures, reply.signature] };
  // The signature and its audit entry are stored together or not at all.
  const saved = session.requireVault().db.transaction(() => {
    const result = store.save(signed);
    audit.append({
      caseId: options.caseId ?? null,
      action: 'signature-added',
      object: caseReference,
      details: { purpose: reply.signature.purpose, signer: reply.signature.keyid, recordId: parsed.recordId },
    });
    return result;
  })();
  return { ...saved, added: reply.signature, missing: missingSignatures(criteria, saved.record, signed.signatures) };
}
