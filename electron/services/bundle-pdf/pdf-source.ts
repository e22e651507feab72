// Opening an evidence PDF defensively. pdf-lib parses leniently and walks the page tree recursively without
// looking for cycles or shared subtrees, so a hostile file could overflow the stack or (with a tree whose
// nodes repeat the same child many times) make it visit billions of pages. We inspect the tree ourselves first.
import { EncryptedPDFError, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef, type PDFContext } from 'pdf-lib';
import { BundlePdfError, describeCause } from './errors';

/** A real page tree is a few levels deep; anything deeper is broken or built to hurt. */
const MAX_PAGE_TREE_DEPTH = 64;

const TRAILER_WINDOW = 2048;

function malformed(reason: string, cause?: unknown): never {
  throw new BundlePdfError('pdf-malformed', `The PDF is damaged: ${reason}. Open it in a PDF reader, save or print it to a new PDF and add that instead.`, {
    reason,
    ...(cause === undefined ? {} : { cause: describeCause(cause) }),
  });
}

function indexOfAscii(bytes: Uint8Array, needle: string, from: number, to: number): number {
  const first = needle.charCodeAt(0);
  outer: for (let index = Math.max(0, from); index <= Math.min(bytes.length, to) - needle.length; index++) {
    if (bytes[index] !== first) continue;
    for (let offset = 1; offset < needle.length; offset++) if (bytes[index + offset] !== needle.charCodeAt(offset)) continue outer;
    return index;
  }
  return -1;
}

function encrypted(): never {
  throw new BundlePdfError('pdf-encrypted', 'The PDF is password-protected or encrypted. Ask the sender for an unprotected copy, or print it to a new PDF, and add that instead.');
}

/**
 * Whether the last trailer (a classic "trailer" dictionary or the cross-reference stream's dictionary that
 * startxref points to) names an /Encrypt dictionary. Both are never encrypted themselves, so this is plain text.
 */
export function declaresEncryption(bytes: Uint8Array): boolean {
  const text = (from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', Math.max(0, from), Math.min(bytes.length, to));
  const tail = text(bytes.length - 4096, bytes.length);
  const trailerAt = tail.lastIndexOf('trailer');
  if (trailerAt >= 0 && /\/Encrypt\b/.test(tail.slice(trailerAt))) return true;
  const startxref = [...tail.matchAll(/startxref\s+(\d+)/g)].at(-1);
  const offset = startxref ? Number(startxref[1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset >= bytes.length) return false;
  const section = text(offset, offset + 4096);
  const streamAt = section.indexOf('stream');
  return /^\s*\d+\s+\d+\s+obj\b/.test(section) && /\/Encrypt\b/.test(streamAt >= 0 ? section.slice(0, streamAt) : section);
}

/**
 * Loads a source PDF and returns it with its page count, or throws a BundlePdfError:
 * not-a-pdf, pdf-encrypted, pdf-malformed (including a truncated file), too-many-pages.
 */
export async function openSourcePdf(bytes: Uint8Array, maxPages: number): Promise<{ pdf: PDFDocument; pageCount: number }> {
  // The header may follow a little junk (some mail gateways prepend a line); readers accept it within 1 KB.
  if (indexOfAscii(bytes, '%PDF-', 0, 1024) < 0) {
    throw new BundlePdfError('not-a-pdf', 'The file is not a PDF (it does not start with a PDF header).');
  }
  // A file cut short in a download or copy loses its end marker; its last pages would be missing or garbled.
  if (indexOfAscii(bytes, '%%EOF', bytes.length - TRAILER_WINDOW, bytes.length) < 0) malformed('the file is incomplete (it was cut short)');

  // Checked before parsing: pdf-lib cannot decrypt object streams, so an encrypted file whose catalogue sits in one
  // fails to parse before pdf-lib's own encryption check is reached.
  if (declaresEncryption(bytes)) encrypted();
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false, ignoreEncryption: false });
  } catch (error) {
    if (error instanceof EncryptedPDFError || (error instanceof Error && error.name === 'EncryptedPDFError')) encrypted();
    malformed('it could not be parsed', error);
  }
  if (!(pdf.catalog instanceof PDFDict)) malformed('it has no document catalogue');
  const pageCount = countPages(pdf.context, pdf.catalog, maxPages);
  if (pageCount === 0) malformed('it has no pages');
  return { pdf, pageCount };
}

/**
 * Counts the leaves of the page tree, refusing cycles, repeated nodes, absurd depth, a declared /Count beyond
 * the limit, and more real pages than `maxPages` (stopping as soon as the limit is passed).
 */
export function countPages(context: PDFContext, catalog: PDFDict, maxPages: number): number {
  const root = catalog.get(PDFName.of('Pages'));
  const rootNode = root instanceof PDFRef ? context.lookup(root) : root;
  if (!(rootNode instanceof PDFDict)) malformed('it has no page tree');
  const declared = rootNode.get(PDFName.of('Count'));
  if (declared instanceof PDFNumber && declared.asNumber() > maxPages) tooManyPages(declared.asNumber(), maxPages, true);

  const seen = new Set<PDFDict>();
  let leaves = 0;
  const stack: { node: PDFDict; depth: number }[] = [{ node: rootNode, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (seen.has(node)) malformed('its page tree refers to the same page more than once');
    seen.add(node);
    const type = node.get(PDFName.of('Type'));
    const kidsValue = node.get(PDFName.of('Kids'));
    const isTree = type === PDFName.of('Pages') || (type === undefined && kidsValue !== undefined);
    if (!isTree) {
      if (++leaves > maxPages) tooManyPages(leaves, maxPages, false);
      continue;
    }
    if (depth >= MAX_PAGE_TREE_DEPTH) malformed('its page tree is nested too deeply');
    const kids = kidsValue instanceof PDFRef ? context.lookup(kidsValue) : kidsValue;
    if (!(kids instanceof PDFArray)) malformed('a page-tree node has no list of pages');
    // Pushed in reverse so pages are met in document order (only the count matters here, but it keeps errors stable).
    for (let index = kids.size() - 1; index >= 0; index--) {
      const kidValue = kids.get(index);
      const kid = kidValue instanceof PDFRef ? context.lookup(kidValue) : kidValue;
      if (!(kid instanceof PDFDict)) malformed('its page tree refers to a page that is missing');
      stack.push({ node: kid, depth: depth + 1 });
    }
  }
  return leaves;
}

function tooManyPages(count: number, maxPages: number, declared: boolean): never {
  throw new BundlePdfError(
    'too-many-pages',
    declared
      ? `The PDF says it has ${count.toLocaleString('en-GB')} pages; a single document may have at most ${maxPages.toLocaleString('en-GB')}. Split it and add the parts.`
      : `The PDF has more than ${maxPages.toLocaleString('en-GB')} pages, the most a single document may have. Split it and add the parts.`,
    { pageCount: count, maxPages },
  );
}
