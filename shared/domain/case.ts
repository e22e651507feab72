// The case file: what the clerk knows about a case when it is bundled for a panel. Names of respondent and
// complainant never appear here, only pseudonyms; the only real names are those of the people running the
// hearing (participants), who must be identified to sign. Other models (bundle, outcome record) build on this.
import { z } from 'zod';
import { IsoDate, RecordText, Slug } from './common';
import { Fingerprint, ParticipantRole, PersonName } from './profile';

export const DECIDING_BODIES = ['nec-panel', 'ncc', 'independent-panel'] as const;
export const DecidingBody = z.enum(DECIDING_BODIES);
export type DecidingBody = z.infer<typeof DecidingBody>;
export const DECIDING_BODY_LABELS: Record<DecidingBody, string> = {
  'nec-panel': 'NEC disputes panel',
  ncc: 'National Constitutional Committee',
  'independent-panel': 'Independent panel',
};

/** Complaint types as the quarterly publication splits them (action plan 2.4). */
export const COMPLAINT_TYPES = ['social-media', 'verbal-comment-in-meeting', 'written-communication', 'conduct-at-event', 'other'] as const;
export const ComplaintType = z.enum(COMPLAINT_TYPES);
export type ComplaintType = z.infer<typeof ComplaintType>;

/** The nine protected characteristics of the Equality Act 2010, s.4. */
export const PROTECTED_CHARACTERISTICS = [
  'age',
  'disability',
  'gender-reassignment',
  'marriage-civil-partnership',
  'pregnancy-maternity',
  'race',
  'religion-or-belief',
  'sex',
  'sexual-orientation',
] as const;
export const ProtectedCharacteristic = z.enum(PROTECTED_CHARACTERISTICS);
export type ProtectedCharacteristic = z.infer<typeof ProtectedCharacteristic>;

export const CaseReference = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9/-]{2,39}$/, 'Case references use capital letters, digits, "-" and "/" (3 to 40 characters).');
export type CaseReference = z.infer<typeof CaseReference>;

export const ParticipantId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Participant ids use letters, digits, "_" and "-".');

/** A conflict-of-interest declaration. A conflicted member must step aside (be recused). */
export const ConflictDeclaration = z.strictObject({
  conflict: z.boolean(),
  details: RecordText.optional(),
  recused: z.boolean(),
  declaredOn: IsoDate.optional(),
});
export type ConflictDeclaration = z.infer<typeof ConflictDeclaration>;

export const CaseParticipant = z
  .strictObject({
    id: ParticipantId,
    name: PersonName,
    role: ParticipantRole,
    fingerprint: Fingerprint,
    /** The office the person works in or for, as an id the criteria can bar (e.g. "leaders-office"). */
    office: Slug.optional(),
    /** What the person brings to a panel seat (e.g. "lawyer", "lay-member"), for panel-composition rules. */
    capacity: Slug.optional(),
    trainingCompleted: IsoDate.optional(),
    firstInvolvement: IsoDate.optional(),
    declaration: ConflictDeclaration.optional(),
  });
export type CaseParticipant = z.infer<typeof CaseParticipant>;

export const Allegation = z.strictObject({
  number: z.int().min(1).max(10_000),
  text: RecordText.min(1, 'State the allegation.'),
  /** The rule-book or code paragraph the conduct allegedly breaches. */
  ruleReference: z.string().min(1).max(200),
  /** A conduct category id from the criteria in force. */
  conductCategoryId: Slug,
});
export type Allegation = z.infer<typeof Allegation>;

/** Which criteria document applies; a bundle names the version in force when it was sealed. */
export const CriteriaReference = z.strictObject({
  id: Slug,
  version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/),
  /** SHA-256 (hex) of the criteria's canonical JSON, when the clerk pinned the exact text. */
  digest: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type CriteriaReference = z.infer<typeof CriteriaReference>;

export const CaseFile = z
  .strictObject({
    format: z.literal('hearing-desk/case@1'),
    reference: CaseReference,
    decidingBody: DecidingBody,
    complaintType: ComplaintType.nullable(),
    /** Party region id (e.g. "london", "wales"); null until known. */
    region: Slug.nullable(),
    protectedCharacteristics: z.array(ProtectedCharacteristic).max(PROTECTED_CHARACTERISTICS.length),
    dates: z.strictObject({
      complaintReceived: IsoDate.nullable(),
      hearing: IsoDate.nullable(),
    }),
    allegations: z.array(Allegation).min(1, 'A case needs at least one allegation.').max(500),
    participants: z.array(CaseParticipant).max(100),
    respondent: z.strictObject({ pseudonym: z.string().min(1).max(60) }),
    complainant: z.strictObject({ pseudonym: z.string().min(1).max(60) }),
    criteria: CriteriaReference,
  })
  .superRefine((file, ctx) => {
    const { complaintReceived, hearing } = file.dates;
    if (complaintReceived && hearing && hearing < complaintReceived) {
      ctx.addIssue({ code: 'custom', path: ['dates', 'hearing'], message: 'The hearing cannot be before the complaint was received.' });
    }
    const numbers = new Set<number>();
    file.allegations.forEach((allegation, index) => {
      if (numbers.has(allegation.number)) {
        ctx.addIssue({ code: 'custom', path: ['allegations', index, 'number'], message: `Allegation ${allegation.number} appears twice.` });
      }
      numbers.add(allegation.number);
    });
    const ids = new Set<string>();
    file.participants.forEach((participant, index) => {
      if (ids.has(participant.id)) {
        ctx.addIssue({ code: 'custom', path: ['participants', index, 'id'], message: `Participant id ${participant.id} appears twice.` });
      }
      ids.add(participant.id);
      if (complaintReceived && participant.firstInvolvement && participant.firstInvolvement < complaintReceived) {
        ctx.addIssue({
          code: 'custom',
          path: ['participants', index, 'firstInvolvement'],
          message: 'Nobody can be involved in a case before the complaint was received.',
        });
      }
    });
    const characteristics = new Set(file.protectedCharacteristics);
    if (characteristics.size !== file.protectedCharacteristics.length) {
      ctx.addIssue({ code: 'custom', path: ['protectedCharacteristics'], message: 'A protected characteristic is listed twice.' });
    }
  });
export type CaseFile = z.infer<typeof CaseFile>;
