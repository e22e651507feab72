// The clerk's case in preparation. Deliberately lenient (a draft may be half-filled for days); sealing turns it
// into a strict CaseFile and a signed manifest, and reports every gap at once (shared/domain/case.ts, bundle.ts).
import { z } from 'zod';
import { CaptureMetadata, DocumentId, EvidenceKind, SectionLetter } from './bundle';
import { ComplaintType, CriteriaReference, DecidingBody, ProtectedCharacteristic } from './case';
import { IsoDate, Slug } from './common';
import { ParticipantRole } from './profile';

export const DraftSection = z.strictObject({ letter: SectionLetter, title: z.string().trim().min(1, 'Name the section.').max(120) });
export type DraftSection = z.infer<typeof DraftSection>;

export const DEFAULT_SECTIONS: DraftSection[] = [
  { letter: 'A', title: 'Complaint' },
  { letter: 'B', title: 'Evidence' },
  { letter: 'C', title: 'Response' },
  { letter: 'D', title: 'Procedural documents' },
];

export const DraftAllegation = z.strictObject({
  text: z.string().max(20_000),
  ruleReference: z.string().max(200),
  conductCategoryId: z.string().max(64),
});
export type DraftAllegation = z.infer<typeof DraftAllegation>;

/** Roles a clerk assigns on a case (the central office receives outcomes later, not bundles). */
export const CASE_ROLES = ['chair', 'panellist', 'external-lawyer', 'clerk'] as const;
export const CaseRole = z.enum(CASE_ROLES);

export const DraftParticipant = z.strictObject({
  contactId: z.string().max(64),
  role: CaseRole,
  office: Slug.optional(),
  capacity: Slug.optional(),
});
export type DraftParticipant = z.infer<typeof DraftParticipant>;

/** What the clerk edits directly; documents are managed by their own calls. */
export const DraftFields = z.strictObject({
  reference: z.string().trim().max(40),
  title: z.string().trim().max(200),
  decidingBody: DecidingBody,
  complaintType: ComplaintType.nullable(),
  region: z.string().max(64).nullable(),
  protectedCharacteristics: z.array(ProtectedCharacteristic).max(9),
  complaintReceived: IsoDate.nullable(),
  hearingDate: IsoDate.nullable(),
  /** Defaults to hearing date + 30 days when sealing. */
  expiresOn: IsoDate.nullable(),
  allegations: z.array(DraftAllegation).max(500),
  participants: z.array(DraftParticipant).max(100),
  respondentPseudonym: z.string().trim().max(60),
  complainantPseudonym: z.string().trim().max(60),
  sections: z.array(DraftSection).min(1).max(26),
  criteria: CriteriaReference,
});
export type DraftFields = z.infer<typeof DraftFields>;

export const DraftDocument = z.strictObject({
  id: DocumentId,
  section: SectionLetter,
  title: z.string().trim().min(1, 'Give the document a title.').max(300),
  date: IsoDate.nullable(),
  kind: EvidenceKind,
  capture: CaptureMetadata.nullable(),
  /** Roles that must not receive this document: absent from their copy of the bundle. */
  restrictedFrom: z.array(CaseRole).max(4),
  sourceName: z.string().max(260),
  bytes: z.int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type DraftDocument = z.infer<typeof DraftDocument>;

export const DocumentChange = DraftDocument.pick({ section: true, title: true, date: true, capture: true, restrictedFrom: true }).partial().strict();
export type DocumentChange = z.infer<typeof DocumentChange>;

export const CaseDraft = z.strictObject({
  id: z.uuid(),
  fields: DraftFields,
  documents: z.array(DraftDocument),
  /** The bundle id every revision of this case keeps, and how many times it has been sealed. */
  bundleId: z.uuid(),
  sealedRevisions: z.int().min(0),
  /** Pages sealed in earlier revisions keep their numbers; later documents go to a supplementary section. */
  sealedDocumentIds: z.array(DocumentId),
  updatedAt: z.iso.datetime(),
});
export type CaseDraft = z.infer<typeof CaseDraft>;
