export type EvidenceKind = 'pdf' | 'image' | 'text' | 'eml';

/** Where a screenshot came from; printed under the image so the panel can weigh it. */
export interface CaptureDetails {
  sourceUrl: string;
  /** As recorded by the clerk, ideally ISO 8601 with an offset, e.g. 2026-03-03T09:14:00Z. */
  capturedAt: string;
  capturedBy: string;
}

export interface BundleDocumentInput {
  /** Caller's stable id; echoed back in the result and in errors. */
  id: string;
  title: string;
  /** ISO date (YYYY-MM-DD) is shown as "3 Mar 2026"; anything else is shown as given. */
  date?: string;
  kind: EvidenceKind;
  bytes: Uint8Array;
  capture?: CaptureDetails;
}

export interface BundleSectionInput {
  /** One to three capital letters, e.g. "B"; prefixes every page label in the section. */
  letter: string;
  title: string;
  documents: BundleDocumentInput[];
}

export interface BundleInput {
  caseReference: string;
  /** Shown on the index and in the PDF title; defaults to "Hearing bundle". */
  title?: string;
  sections: BundleSectionInput[];
}

export interface BundleLimits {
  /** Largest source file accepted, in bytes. */
  maxDocumentBytes: number;
  /** Most pages one document may contribute (a PDF's own pages, or pages a text or e-mail lays out to). */
  maxPagesPerDocument: number;
  /** Longest side of an image, in pixels. */
  maxImageDimension: number;
  /** Width × height of an image; PNGs are decoded in memory at 4 bytes a pixel. */
  maxImagePixels: number;
}

export const DEFAULT_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxDocumentBytes: 256 * 1024 * 1024,
  maxPagesPerDocument: 5_000,
  maxImageDimension: 30_000,
  maxImagePixels: 60_000_000,
});

export type BundleProgressPhase = 'convert' | 'index' | 'stamp' | 'save';

export interface BundleProgress {
  phase: BundleProgressPhase;
  /** Units finished in this phase: documents for "convert", pages for "index" and "stamp", 0 or 1 for "save". */
  done: number;
  total: number;
}

export interface AssembleOptions {
  limits?: Partial<BundleLimits>;
  onProgress?: (progress: BundleProgress) => void;
  signal?: AbortSignal;
  /** Written as the PDF's creation date. Omitted by default so the same input gives the same bytes. */
  createdAt?: Date;
}

export interface BundleDocumentEntry {
  id: string;
  /** Section letter. */
  section: string;
  title: string;
  date?: string;
  kind: EvidenceKind;
  /** 1-based PDF page numbers, equal to the numbers printed on the pages. */
  firstPage: number;
  lastPage: number;
  firstLabel: string;
  lastLabel: string;
  /** Hex SHA-256 of the source bytes as given, so annotations and audits can name the exact original. */
  sha256: string;
}

export interface BundleSectionEntry {
  letter: string;
  title: string;
  /** Pages the section occupies (its own index page included for a supplement); absent when the section is empty. */
  firstPage?: number;
  lastPage?: number;
  /** Added by appendSupplementary after the bundle was first paginated. */
  supplementary: boolean;
}

export interface AssembledBundle {
  pdf: Uint8Array;
  pageCount: number;
  caseReference: string;
  title: string;
  sections: BundleSectionEntry[];
  documents: BundleDocumentEntry[];
  /** The printed label of every page, index 0 = PDF page 1. */
  labels: string[];
}
