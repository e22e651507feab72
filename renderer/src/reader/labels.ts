// Bundle page labels ("B12"): a document's section prefix and its page's number in the whole bundle.
import type { BundleDocument } from '../../../shared/domain/bundle';

type LabelledDocument = Pick<BundleDocument, 'id' | 'firstLabel' | 'firstPage' | 'pageCount'>;

function labelPrefix(doc: LabelledDocument): string {
  return doc.firstLabel.replace(/\d+$/, '');
}

/** The bundle label of a page of a document (1-based page of the document's own PDF). */
export function pageLabel(doc: LabelledDocument, documentPage: number): string {
  return `${labelPrefix(doc)}${doc.firstPage + documentPage - 1}`;
}

/** "B12", "b 12" or a bare "12" to the document holding that bundle page and the page within it; null if none does. */
export function findLabel<D extends LabelledDocument>(documents: readonly D[], input: string): { doc: D; page: number } | null {
  const match = /^\s*([A-Za-z]*)\s*(\d{1,7})\s*$/.exec(input);
  if (!match) return null;
  const prefix = match[1]!.toUpperCase();
  const page = Number(match[2]);
  const doc = documents.find((d) => (prefix === '' || labelPrefix(d).toUpperCase() === prefix) && page >= d.firstPage && page < d.firstPage + d.pageCount);
  return doc ? { doc, page: page - doc.firstPage + 1 } : null;
}
