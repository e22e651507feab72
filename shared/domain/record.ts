// The outcome record (issue 6): what a panel decided, in one RFC 8785 canonical JSON document that every sitting
// member signs, the external lawyer attests, and the central office verifies, keeps and counts. Pure: no Node, no DOM.
// The format is specified in docs/outcome-record.md; the field names match DecisionLetterRecord
// (electron/services/records/letter.ts), so the decision letter is built from a record as it is.
import { z } from 'zod';
import { CaseReference, ComplaintType, CriteriaReference, DecidingBody, ParticipantId, ProtectedCharacteristic } from './case';
import { IsoDate, RecordText, Slug } from './common';
import { AllegationFinding, Acknowledgement, Seriousness, Sanction } from './decision';
import { AgeRecipient, Fingerprint, ParticipantRole, PersonName, SigningPublicKey } from './profile';

export const OUTCOME_RECORD_FORMAT = 'hearing-desk/outcome-record@1';
/** The DSSE payload type of a signed outcome record: bound into every signature (see recordSigningMessage). */
export const OUTCOME_RECORD_PAYLOAD_TYPE = 'application/vnd.hearing-desk.outcome-record+json; version=1';

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 hash is 64 lower-case hexadecimal digits.');
const Base64 = z.string().regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'Not standard padded base64.');
export const Ed25519Signature = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Not an Ed25519 signature.');

export const RecordParticipant = z.strictObject({
  id: ParticipantId,
  name: PersonName,
  role: ParticipantRole,
  /** fingerprintOf(signingKey, ageRecipient): the verifier recomputes it, so a key cannot be swapped under a name. */
  fingerprint: Fingerprint,
  signingKey: SigningPublicKey,
  /** Where "for signature" envelopes are sealed to. */
  ageRecipient: AgeRecipient,
  /** Stepped aside after declaring a conflict: neither sits nor signs. */
  recused: z.boolean(),
});
export type RecordParticipant = z.infer<typeof RecordParticipant>;

export const RecordAllegation = z.strictObject({
  number: z.int().min(1).max(10_000),
  text: RecordText,
  ruleReference: z.string().min(1).max(200),
  conductCategoryId: Slug,
  facts: RecordText,
  evidenceRefs: z.array(z.string().min(1).max(64)).max(500),
  finding: AllegationFinding,
  reasons: RecordText,
});
export type RecordAllegation = z.infer<typeof RecordAllegation>;

/** A checker finding as the record keeps it: enough to show what was flagged and how the panel answered. */
export const RecordCheckerFinding = z.strictObject({
  ruleId: Slug,
  severity: z.enum(['block', 'warn', 'info']),
  message: z.string().max(4_000),
  fieldKey: z.string().max(200),
  acknowledged: z.strictObject({ reason: z.string().max(2_000) }).optional(),
});
export type RecordCheckerFinding = z.infer<typeof RecordCheckerFinding>;

export const OutcomeRecord = z
  .strictObject({
    format: z.literal(OUTCOME_RECORD_FORMAT),
    caseReference: CaseReference,
    decidingBody: DecidingBody,
    complaintType: ComplaintType.nullable(),
    region: Slug.nullable(),
    protectedCharacteristics: z.array(ProtectedCharacteristic).max(9),
    respondent: z.strictObject({ pseudonym: z.string().min(1).max(60) }),
    complainant: z.strictObject({ pseudonym: z.string().min(1).max(60) }),
    dates: z.strictObject({ complaintReceived: IsoDate.nullable(), hearing: IsoDate.nullable(), decision: IsoDate }),
    participants: z.array(RecordParticipant).min(1).max(100),
    /** SHA-256 of the signed bundle manifest's canonical JSON: the evidence the panel had. */
    bundleManifestSha256: Sha256Hex,
    /** The criteria applied, pinned to their exact text. */
    criteria: CriteriaReference.extend({ digest: Sha256Hex }),
    /** The decision draft's revision this record was made from. */
    decisionRevision: z.int().min(0),
    /** The quarterly-publication category (action plan 2.4 (iii)), from the criteria. */
    outcomeCategory: Slug,
    allegations: z.array(RecordAllegation).min(1).max(500),
    seriousness: Seriousness.nullable(),
    sanction: Sanction.nullable(),
    orders: z.strictObject({
      educationCourse: z.strictObject({ dueDate: IsoDate }).nullable(),
      referral: z.strictObject({ to: z.string().min(1).max(200), reason: RecordText }).nullable(),
    }),
    delayExplanation: RecordText.optional(),
    checker: z.strictObject({
      findings: z.array(RecordCheckerFinding).max(2_000),
      acknowledgements: z.array(Acknowledgement).max(500),
    }),
    /** A summary of the external lawyer's recorded advice (null when the case had no lawyer). */
    lawyerAdvice: z.strictObject({ summary: RecordText, givenOn: IsoDate.optional() }).nullable(),
    /** The anonymised reasons summary for publication (action plan 2.7). */
    publicationSummary: RecordText,
    /** Head hash of the chair's audit trail when the record was made: anchors the trail outside the vault. */
    auditHeadSha256: Sha256Hex,
  })
  .superRefine((record, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const { complaintReceived, hearing, decision } = record.dates;
    if (complaintReceived && decision < complaintReceived) issue(['dates', 'decision'], 'The decision cannot be before the complaint was received.');
    if (hearing && decision < hearing) issue(['dates', 'decision'], 'The decision cannot be before the hearing.');
    const course = record.orders.educationCourse;
    if (course && course.dueDate < decision) issue(['orders', 'educationCourse', 'dueDate'], 'The course cannot be due before the decision.');
    const seen = { id: new Set<string>(), fingerprint: new Set<string>(), signingKey: new Set<string>() };
    record.participants.forEach((participant, index) => {
      for (const key of ['id', 'fingerprint', 'signingKey'] as const) {
        if (seen[key].has(participant[key])) issue(['participants', index, key], `${key} ${participant[key]} appears twice.`);
        seen[key].add(participant[key]);
      }
    });
    const numbers = new Set<number>();
    record.allegations.forEach((allegation, index) => {
      if (numbers.has(allegation.number)) issue(['allegations', index, 'number'], `Allegation ${allegation.number} appears twice.`);
      numbers.add(allegation.number);
    });
  });
export type OutcomeRecord = z.infer<typeof OutcomeRecord>;

// --- signatures ---------------------------------------------------------------------------------------------

export const SIGNATURE_PURPOSES = ['decision', 'attest-advice', 'attest-record'] as const;
export const SignaturePurpose = z.enum(SIGNATURE_PURPOSES);
export type SignaturePurpose = z.infer<typeof SignaturePurpose>;

export const RecordSignature = z.strictObject({
  /** The signer's fingerprint: names a participant of the record. */
  keyid: Fingerprint,
  role: ParticipantRole,
  purpose: SignaturePurpose,
  /** When the signer signed (stated by the signer and covered by the signature). */
  signedAt: z.iso.datetime(),
  sig: Ed25519Signature,
});
export type RecordSignature = z.infer<typeof RecordSignature>;

/** A DSSE-style envelope: one payload (the record's canonical bytes, base64), any number of signatures. */
export const SignedOutcomeRecord = z.strictObject({
  payloadType: z.literal(OUTCOME_RECORD_PAYLOAD_TYPE),
  payload: Base64.max(16_000_000),
  signatures: z.array(RecordSignature).max(100),
});
export type SignedOutcomeRecord = z.infer<typeof SignedOutcomeRecord>;

// --- offline signature collection ---------------------------------------------------------------------------

export const FOR_SIGNATURE_FORMAT = 'hearing-desk/for-signature@1';
export const SIGNATURE_RETURN_FORMAT = 'hearing-desk/signature-return@1';

/** What the chair sends the panel and the lawyer: the exact bytes to sign and who has signed so far. */
export const ForSignatureRequest = z.strictObject({
  format: z.literal(FOR_SIGNATURE_FORMAT),
  caseReference: CaseReference,
  /** Rises each time the chair sends changed bytes for the case. */
  version: z.int().min(1),
  signed: SignedOutcomeRecord,
  payloadSha256: Sha256Hex,
});
export type ForSignatureRequest = z.infer<typeof ForSignatureRequest>;

/** What a member sends back: one signature over the bytes with the stated hash. */
export const SignatureReturn = z.strictObject({
  format: z.literal(SIGNATURE_RETURN_FORMAT),
  caseReference: CaseReference,
  payloadSha256: Sha256Hex,
  signature: RecordSignature,
});
export type SignatureReturn = z.infer<typeof SignatureReturn>;

/** One difference between two versions of a record, by JSON path ("allegations.2.reasons"). */
export const RecordChange = z.strictObject({
  path: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});
export type RecordChange = z.infer<typeof RecordChange>;

// --- the outcome package (chair -> central office) -------------------------------------------------------------

export const OUTCOME_PACKAGE_FORMAT = 'hearing-desk/outcome-package@1';

/** The anonymised facts the central office publishes and counts: derived from the record, checked against it. */
export const AnonymisedSummary = z.strictObject({
  decidingBody: DecidingBody,
  complaintType: ComplaintType.nullable(),
  region: Slug.nullable(),
  protectedCharacteristics: z.array(ProtectedCharacteristic).max(9),
  complaintReceived: IsoDate.nullable(),
  decision: IsoDate,
  outcomeCategory: Slug,
  /** Conduct categories of the proven allegations (sorted, unique). */
  provenCategories: z.array(Slug).max(500),
  band: Slug.nullable(),
  sanctionRungId: Slug.nullable(),
  educationCourseDue: IsoDate.nullable(),
  summary: RecordText,
});
export type AnonymisedSummary = z.infer<typeof AnonymisedSummary>;

export const OutcomePackage = z.strictObject({
  format: z.literal(OUTCOME_PACKAGE_FORMAT),
  signed: SignedOutcomeRecord,
  /** The decision letter PDF (PAdES-signed by the chair), base64. */
  letterPdf: Base64.max(64_000_000),
  letterSha256: Sha256Hex,
  summary: AnonymisedSummary,
});
export type OutcomePackage = z.infer<typeof OutcomePackage>;

// --- statistics (action plan 2.4 and 4.1) -----------------------------------------------------------------------

/** The outcome columns of the quarterly publication, in the order the action plan lists them (2.4 (iii) a-d, and suspension). */
export const PUBLISHED_OUTCOME_CATEGORIES = ['not-proven-or-no-further-action', 'advice-or-training', 'formal-warning', 'suspension', 'expulsion'] as const;

export const Quarter = z.string().regex(/^\d{4}Q[1-4]$/, 'A quarter is written like 2026Q3.');
export type Quarter = z.infer<typeof Quarter>;

export const STATS_FORMATS = ['csv', 'json', 'md'] as const;
export const StatsFormat = z.enum(STATS_FORMATS);
export type StatsFormat = z.infer<typeof StatsFormat>;

/**
 * A published count: the number; "<N" when it is above zero but below the suppression threshold N; "*" when it is
 * withheld so that a suppressed count in the same row cannot be worked out from the total.
 */
export const PublishedCount = z.union([z.int().min(0), z.string().regex(/^(?:<\d+|\*)$/)]);
export type PublishedCount = z.infer<typeof PublishedCount>;

export const OutcomeCounts = z.strictObject({
  closed: PublishedCount,
  outcomes: z.record(z.string(), PublishedCount),
});
export type OutcomeCounts = z.infer<typeof OutcomeCounts>;

export const StatsReport = z.strictObject({
  format: z.literal('hearing-desk/outcome-stats@1'),
  quarter: Quarter,
  /** Counts above zero and below this are shown as "<threshold". */
  threshold: z.int().min(1),
  /** The date courses are judged overdue on. */
  asOf: IsoDate,
  outcomeCategories: z.array(z.strictObject({ id: z.string(), label: z.string() })),
  byRegionAndComplaintType: z.array(OutcomeCounts.extend({ region: z.string(), complaintType: z.string() })),
  byRegion: z.array(OutcomeCounts.extend({ region: z.string() })),
  byDecidingBody: z.array(OutcomeCounts.extend({ decidingBody: z.string() })),
  total: OutcomeCounts,
  /** Days from complaint received to decision; null when fewer cases than the threshold have both dates. */
  daysToDecision: z.strictObject({ cases: PublishedCount, median: z.number().nullable(), p90: z.number().nullable() }),
  educationCourses: z.strictObject({ ordered: PublishedCount, overdue: PublishedCount }),
});
export type StatsReport = z.infer<typeof StatsReport>;

// --- the anonymised decision history panels import (the checker's consistency rule) --------------------------------

export const DECISION_HISTORY_FORMAT = 'hearing-desk/decision-history@1';
export const SIGNED_DECISION_HISTORY_FORMAT = 'hearing-desk/signed-decision-history@1';
export const DECISION_HISTORY_SIGNING_CONTEXT = 'hearing-desk/decision-history@1 signature\n';

export const DecisionHistory = z.strictObject({
  format: z.literal(DECISION_HISTORY_FORMAT),
  issuedOn: IsoDate,
  /** Only category, band and sanction: nothing about who, where or when. */
  outcomes: z.array(z.strictObject({ category: Slug, band: Slug, sanctionRungId: Slug })).max(1_000_000),
});
export type DecisionHistory = z.infer<typeof DecisionHistory>;

export const SignedDecisionHistory = z.strictObject({
  format: z.literal(SIGNED_DECISION_HISTORY_FORMAT),
  signingKey: SigningPublicKey,
  signature: Ed25519Signature,
  history: z.unknown(),
});
