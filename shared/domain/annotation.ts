// Annotations on a case's evidence (docs/annotations.md): what one person marks on a document, who may see it, and
// the annotation pack that carries shared annotations between laptops. Pure: no Node, no DOM.
//
// Anchors follow the W3C Web Annotation model: every text highlight stores its document's content hash, its page
// and offsets (TextPositionSelector) and its quote with context (TextQuoteSelector), so it can be found again when
// the text layer is re-extracted, and shown as an orphan with its quote when it cannot.
import { z } from 'zod';
import { DocumentId, Sha256Hex } from './bundle';
import { SigningPublicKey } from './profile';

export const ANNOTATION_VISIBILITIES = ['private', 'panel', 'legal-advice'] as const;
export const AnnotationVisibility = z.enum(ANNOTATION_VISIBILITIES);
export type AnnotationVisibility = z.infer<typeof AnnotationVisibility>;
/** What a pack may carry: never a private annotation. */
export const SharedVisibility = z.enum(['panel', 'legal-advice']);
export type SharedVisibility = z.infer<typeof SharedVisibility>;

export const VISIBILITY_LABELS: Record<AnnotationVisibility, string> = {
  private: 'Private (only me)',
  panel: 'Panel (the panel and the external lawyer)',
  'legal-advice': 'Legal advice (from the external lawyer, recorded for the outcome record)',
};

export const ANNOTATION_KINDS = ['highlight', 'area', 'page-note'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

export const MAX_QUOTE_CHARS = 20_000;
export const MAX_NOTE_CHARS = 20_000;
/** Characters of context kept either side of a quote (as Hypothesis keeps). */
export const QUOTE_CONTEXT_CHARS = 32;
export const MAX_TAGS = 20;
export const MAX_ALLEGATION_LINKS = 50;

/** A place in a document's text: 1-based page of the document's own PDF, and a UTF-16 offset into that page's text. */
export const TextPoint = z.strictObject({
  page: z.int().min(1).max(20_000),
  offset: z.int().min(0).max(10_000_000),
});
export type TextPoint = z.infer<typeof TextPoint>;

/** W3C TextQuoteSelector. For a selection across a page break, `exact` joins the pages' text with "\n". */
export const TextQuote = z.strictObject({
  exact: z.string().min(1).max(MAX_QUOTE_CHARS),
  prefix: z.string().max(QUOTE_CONTEXT_CHARS * 4),
  suffix: z.string().max(QUOTE_CONTEXT_CHARS * 4),
});
export type TextQuote = z.infer<typeof TextQuote>;

const Coordinate = z.number().refine(Number.isFinite, 'Coordinates are finite numbers.').refine((n) => Math.abs(n) <= 100_000, 'Coordinates are within ±100,000 points.');
/** A rectangle in PDF page coordinates (points, origin at the bottom left of the page, as pdf.js's viewport reverses). */
export const PdfRect = z.strictObject({
  x: Coordinate,
  y: Coordinate,
  width: Coordinate.refine((n) => n > 0, 'A rectangle has a positive width.'),
  height: Coordinate.refine((n) => n > 0, 'A rectangle has a positive height.'),
});
export type PdfRect = z.infer<typeof PdfRect>;

export const Tag = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty.')
  .max(40, 'Tags are limited to 40 characters.')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Tags cannot contain control characters.');

const Note = z.string().max(MAX_NOTE_CHARS, `Notes are limited to ${MAX_NOTE_CHARS.toLocaleString('en-GB')} characters.`);

const common = {
  documentId: DocumentId,
  /** SHA-256 of the document's PDF as named in the bundle manifest: identifies the document by content. */
  documentSha256: Sha256Hex,
  /** Text of the note; null for a bare highlight. A highlight with a note is a "note on a highlight". */
  note: Note.nullable(),
  tags: z.array(Tag).max(MAX_TAGS),
  /** Allegation numbers of the case this annotation is relevant to. */
  allegations: z.array(z.int().min(1).max(10_000)).max(MAX_ALLEGATION_LINKS),
};

export const HighlightContent = z.strictObject({
  kind: z.literal('highlight'),
  ...common,
  start: TextPoint,
  end: TextPoint,
  quote: TextQuote,
});
export const AreaContent = z.strictObject({
  kind: z.literal('area'),
  ...common,
  page: z.int().min(1).max(20_000),
  rect: PdfRect,
});
export const PageNoteContent = z.strictObject({
  kind: z.literal('page-note'),
  ...common,
  page: z.int().min(1).max(20_000),
  note: Note.min(1, 'Write the note.'),
});

/** What an annotation says and where it points: the part its author edits and every version records. */
export const AnnotationContent = z
  .discriminatedUnion('kind', [HighlightContent, AreaContent, PageNoteContent])
  .superRefine((content, ctx) => {
    if (new Set(content.tags).size !== content.tags.length) ctx.addIssue({ code: 'custom', path: ['tags'], message: 'A tag appears twice.' });
    if (new Set(content.allegations).size !== content.allegations.length) ctx.addIssue({ code: 'custom', path: ['allegations'], message: 'An allegation is linked twice.' });
    if (content.kind === 'highlight') {
      const { start, end } = content;
      if (end.page < start.page || (end.page === start.page && end.offset <= start.offset)) {
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'A highlight ends after it starts.' });
      }
    }
  });
export type AnnotationContent = z.infer<typeof AnnotationContent>;
export type HighlightContent = z.infer<typeof HighlightContent>;

/** Tags trimmed, de-duplicated and sorted; allegations sorted: one stored form per meaning. */
export function normaliseContent(content: AnnotationContent): AnnotationContent {
  return {
    ...content,
    tags: [...new Set(content.tags.map((t) => t.trim()))].sort(),
    allegations: [...new Set(content.allegations)].sort((a, b) => a - b),
  };
}

export interface AnnotationAuthor {
  /** Ed25519 public key (base64): who wrote it, as proven by the pack that brought it. */
  signingKey: string;
  fingerprint: string | null;
  name: string;
  role: string | null;
}

/** An annotation as the services hand it out. */
export interface Annotation {
  id: string;
  caseId: string;
  bundleId: string;
  author: AnnotationAuthor;
  /** Written by this vault's owner (only those can be edited, deleted or shared from here). */
  mine: boolean;
  visibility: AnnotationVisibility;
  /** The author's version counter for this annotation: 1 when created, +1 for every change, deletion included. */
  version: number;
  deleted: boolean;
  /** Null only for a deletion received in a pack for an annotation never seen here. */
  content: AnnotationContent | null;
  createdAt: string;
  modifiedAt: string;
  /** How it arrived: written here, from a signed pack, or from a JSON-LD file (unsigned: its author is as claimed). */
  provenance: 'local' | 'pack' | 'jsonld';
}

// --- the annotation pack (the payload of a 'hearing-desk/annotations@1' envelope) -------------------------------

export const ANNOTATION_PACK_FORMAT = 'hearing-desk/annotation-pack@1';
export const MAX_PACK_ANNOTATIONS = 20_000;
export const MAX_PACK_BYTES = 32 * 1024 * 1024;

const IsoTimestamp = z.iso.datetime({ offset: true });
export const AnnotationId = z.uuid();
export const AnnotationVersion = z.int().min(1).max(2 ** 31 - 1);

export const PackAnnotation = z.strictObject({
  id: AnnotationId,
  version: AnnotationVersion,
  createdAt: IsoTimestamp,
  modifiedAt: IsoTimestamp,
  visibility: SharedVisibility,
  content: AnnotationContent,
});
export type PackAnnotation = z.infer<typeof PackAnnotation>;

/** A deletion (or a return to private): only the id and the version at which it stopped being shared. */
export const PackTombstone = z.strictObject({ id: AnnotationId, version: AnnotationVersion });
export type PackTombstone = z.infer<typeof PackTombstone>;

export const AnnotationPack = z
  .strictObject({
    format: z.literal(ANNOTATION_PACK_FORMAT),
    /** The bundle (case) these annotations belong to: a pack for another case is refused. */
    bundleId: z.uuid(),
    caseReference: z.string().min(1).max(40),
    /** Must equal the envelope's signing key: the signed payload names its own author. */
    author: z.strictObject({ signingKey: SigningPublicKey }),
    annotations: z.array(PackAnnotation).max(MAX_PACK_ANNOTATIONS),
    tombstones: z.array(PackTombstone).max(MAX_PACK_ANNOTATIONS),
  })
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    [...pack.annotations, ...pack.tombstones].forEach((item, index) => {
      if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: ['annotations', index, 'id'], message: 'An annotation appears twice in the pack.' });
      seen.add(item.id);
    });
  });
export type AnnotationPack = z.infer<typeof AnnotationPack>;
