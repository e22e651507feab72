// The hearing bundle's manifest: what the clerk sealed, for whom, and the exact bytes of every document.
// Signed by the clerk (Ed25519 over its canonical JSON), so a recipient can trust each document as soon as its
// hash matches — before the rest of a large bundle has arrived.
import { z } from 'zod';
import { CaseFile } from './case';
import { IsoDate, Slug } from './common';
import { AgeRecipient, Fingerprint, ParticipantRole, PersonName, SigningPublicKey } from './profile';

export const BUNDLE_MANIFEST_FORMAT = 'hearing-desk/bundle-manifest@1';
export const BUNDLE_PAYLOAD_TYPE = 'hearing-desk/bundle@1';

export const SectionLetter = z.string().regex(/^[A-Z]$/, 'Sections are lettered A to Z.');
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** Entry names inside a bundle: fixed shapes only, so no name can point outside the bundle. */
export const DocumentId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Document ids use lower-case letters, digits and hyphens.');

export const EVIDENCE_KINDS = ['pdf', 'image', 'text', 'eml'] as const;
export const EvidenceKind = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKind>;

export const CaptureMetadata = z.strictObject({
  sourceUrl: z.string().max(2000).optional(),
  capturedAt: z.iso.datetime({ offset: true }).or(IsoDate).optional(),
  capturedBy: z.string().max(120).optional(),
});
export type CaptureMetadata = z.infer<typeof CaptureMetadata>;

export const BundleParticipantKey = z.strictObject({
  participantId: z.string(),
  name: PersonName,
  role: ParticipantRole,
  ageRecipient: AgeRecipient,
  signingKey: SigningPublicKey,
  fingerprint: Fingerprint,
});
export type BundleParticipantKey = z.infer<typeof BundleParticipantKey>;

export const BundleDocument = z.strictObject({
  id: DocumentId,
  section: SectionLetter,
  title: z.string().min(1).max(300),
  date: IsoDate.nullable(),
  kind: EvidenceKind,
  capture: CaptureMetadata.nullable(),
  /** The entry carrying this document's pages (always `documents/<id>.pdf`). */
  path: z.string().max(200),
  bytes: z.int().min(1).max(4 * 1024 ** 3),
  sha256: Sha256Hex,
  /** SHA-256 of the file the clerk added (before conversion to bundle pages). */
  sourceSha256: Sha256Hex,
  firstPage: z.int().min(1),
  pageCount: z.int().min(1).max(20_000),
  firstLabel: z.string().max(16),
  lastLabel: z.string().max(16),
});
export type BundleDocument = z.infer<typeof BundleDocument>;

export const BundleManifest = z
  .strictObject({
    format: z.literal(BUNDLE_MANIFEST_FORMAT),
    bundleId: z.uuid(),
    /** Increments when the clerk re-seals with late additions; pages of earlier revisions never move. */
    revision: z.int().min(1).max(1000),
    case: CaseFile,
    title: z.string().min(1).max(200),
    sealedAt: z.iso.datetime({ offset: true }),
    sealedBy: BundleParticipantKey,
    /** After this date the app refuses to open the bundle and offers to wipe it. */
    expiresOn: IsoDate,
    /** Everyone this copy was sealed to (a role-restricted document is absent from other copies). */
    recipients: z.array(BundleParticipantKey).min(1).max(100),
    sections: z.array(z.strictObject({ letter: SectionLetter, title: z.string().min(1).max(120), supplementary: z.boolean() })).min(1).max(26),
    documents: z.array(BundleDocument).min(1).max(5000),
    pageCount: z.int().min(1).max(100_000),
  })
  .superRefine((manifest, ctx) => {
    const letters = new Set(manifest.sections.map((s) => s.letter));
    const ids = new Set<string>();
    let nextPage = 1;
    manifest.documents.forEach((doc, index) => {
      if (doc.path !== `documents/${doc.id}.pdf`) {
        ctx.addIssue({ code: 'custom', path: ['documents', index, 'path'], message: `names a path outside the bundle layout: ${JSON.stringify(doc.path).slice(0, 80)}` });
      }
      if (ids.has(doc.id)) ctx.addIssue({ code: 'custom', path: ['documents', index, 'id'], message: 'document id appears twice' });
      ids.add(doc.id);
      if (!letters.has(doc.section)) ctx.addIssue({ code: 'custom', path: ['documents', index, 'section'], message: 'unknown section' });
      if (doc.firstPage < nextPage) ctx.addIssue({ code: 'custom', path: ['documents', index, 'firstPage'], message: 'pages overlap the previous document' });
      nextPage = doc.firstPage + doc.pageCount;
    });
    if (nextPage - 1 > manifest.pageCount) ctx.addIssue({ code: 'custom', path: ['pageCount'], message: 'documents run past the last page' });
  });
export type BundleManifest = z.infer<typeof BundleManifest>;

export const SignedBundleManifest = z.strictObject({
  manifest: BundleManifest,
  /** Ed25519 signature (base64) by manifest.sealedBy.signingKey over the manifest-signing bytes. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type SignedBundleManifest = z.infer<typeof SignedBundleManifest>;

export const MANIFEST_SIGNING_CONTEXT = 'hearing-desk/bundle-manifest@1 signature\n';
export { Slug };
