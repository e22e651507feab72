// Finding an annotation again in a document's text (docs/annotations.md, "Anchoring"). Pure: no Node, no DOM, so
// the renderer can run the same code on pdf.js's text layer.
//
// Order, as Hypothesis does it: the stored position if the quote is still there; else the quote itself, the
// occurrence whose prefix/suffix context (then nearness to the old position) fits best; else the same search over
// a normalised text (whitespace and line-end hyphens removed, Unicode compatibility forms folded, case folded), which
// survives a re-extracted text layer; else an orphan, kept and shown with its quote, never dropped.
import { QUOTE_CONTEXT_CHARS, type AnnotationContent, type TextPoint, type TextQuote } from '../../../shared/domain/annotation';

/** Pages of one document are joined with this to make the document's text; a quote across a page break contains it. */
export const PAGE_JOIN = '\n';

export interface DocumentText {
  text: string;
  /** Offset in `text` where page i + 1 starts. */
  pageStarts: number[];
  pageLengths: number[];
}

export function documentText(pageTexts: readonly string[]): DocumentText {
  const pageStarts: number[] = [];
  let at = 0;
  for (const page of pageTexts) {
    pageStarts.push(at);
    at += page.length + PAGE_JOIN.length;
  }
  return { text: pageTexts.join(PAGE_JOIN), pageStarts, pageLengths: pageTexts.map((p) => p.length) };
}

/** The offset in the document's text of a page/offset point, or null when the page or offset does not exist. */
export function toGlobal(doc: DocumentText, point: TextPoint): number | null {
  const index = point.page - 1;
  if (index < 0 || index >= doc.pageStarts.length) return null;
  if (point.offset > doc.pageLengths[index]!) return null;
  return doc.pageStarts[index]! + point.offset;
}

/** The page/offset of a document-text offset. A start on a page join moves to the next page; an end, to the page before. */
export function toPoint(doc: DocumentText, global: number, edge: 'start' | 'end'): TextPoint {
  let low = 0;
  let high = doc.pageStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (doc.pageStarts[mid]! <= global) low = mid;
    else high = mid - 1;
  }
  const offset = global - doc.pageStarts[low]!;
  if (edge === 'end' && offset === 0 && low > 0) return { page: low, offset: doc.pageLengths[low - 1]! };
  if (offset > doc.pageLengths[low]!) {
    return edge === 'start' && low + 1 < doc.pageStarts.length ? { page: low + 2, offset: 0 } : { page: low + 1, offset: doc.pageLengths[low]! };
  }
  return { page: low + 1, offset };
}

/** The TextQuoteSelector for a selection, with the context Hypothesis keeps. Throws RangeError for a selection that is not in the text. */
export function describeTextSelection(pageTexts: readonly string[], start: TextPoint, end: TextPoint): TextQuote {
  const doc = documentText(pageTexts);
  const from = toGlobal(doc, start);
  const to = toGlobal(doc, end);
  if (from === null || to === null) throw new RangeError('The selection is not within the document’s pages.');
  if (to <= from) throw new RangeError('A selection ends after it starts.');
  return {
    exact: doc.text.slice(from, to),
    prefix: doc.text.slice(Math.max(0, from - QUOTE_CONTEXT_CHARS), from),
    suffix: doc.text.slice(to, to + QUOTE_CONTEXT_CHARS),
  };
}

export type Anchor =
  | {
      status: 'anchored';
      /** position: found where it was stored; quote: the exact quote elsewhere; normalised-quote: the quote once spacing, hyphenation and case are ignored. */
      method: 'position' | 'quote' | 'normalised-quote';
      start: TextPoint;
      end: TextPoint;
      /** The document's content hash differs from the one the annotation was made on. */
      documentChanged: boolean;
    }
  | { status: 'anchored'; method: 'page'; page: number; documentChanged: boolean }
  | { status: 'orphan'; reason: 'text-not-found' | 'page-not-found'; quote: string | null; documentChanged: boolean };

interface Normalised {
  chars: string;
  /** For each normalised character: where its source character starts and ends in the original text. */
  from: number[];
  to: number[];
}

const HYPHENS = new Set(['-', '\u2010', '\u2011']);
const FOLD: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"',
  '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2010': '-', '\u2011': '-',
};

function isWhitespace(char: string): boolean {
  return /\s/u.test(char);
}

/** Drops whitespace, soft hyphens and line-end hyphenation; folds compatibility forms, quotes, dashes and case. */
export function normaliseText(text: string): Normalised {
  const out: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let i = 0;
  while (i < text.length) {
    const codePoint = text.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    const next = i + char.length;
    if (char === '\u00ad' || isWhitespace(char)) {
      i = next;
      continue;
    }
    if (HYPHENS.has(char) && i > 0 && /\p{L}/u.test(text[i - 1]!)) {
      // "state-\nment" becomes "statement": a hyphen followed by a line break (after optional spaces).
      let j = next;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '\n' || text[j] === '\r') {
        i = next;
        continue;
      }
    }
    const folded = (FOLD[char] ?? char.normalize('NFKC')).toLowerCase();
    for (const piece of folded) {
      if (isWhitespace(piece)) continue;
      out.push(piece);
      from.push(i);
      to.push(next);
    }
    i = next;
  }
  return { chars: out.join(''), from, to };
}

const MAX_CANDIDATES = 2_000;

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1 && found.length < MAX_CANDIDATES; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The candidate whose context matches best; ties go to the one nearest the expected position, then the first. */
function bestCandidate(text: string, candidates: number[], length: number, prefix: string, suffix: string, expected: number | null): number | null {
  let best: number | null = null;
  let bestContext = -1;
  let bestDistance = Infinity;
  for (const at of candidates) {
    const context = commonSuffix(prefix, text.slice(Math.max(0, at - prefix.length), at)) + commonPrefix(suffix, text.slice(at + length, at + length + suffix.length));
    const distance = expected === null ? 0 : Math.abs(at - expected);
    if (context > bestContext || (context === bestContext && distance < bestDistance)) {
      best = at;
      bestContext = context;
      bestDistance = distance;
    }
  }
  return best;
}

/** The first normalised index whose source is at or after `offset`. */
function normalisedIndexOf(normalised: Normalised, offset: number): number {
  let low = 0;
  let high = normalised.from.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (normalised.from[mid]! < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Anchors an annotation in the current text of its document (one string per page, as extractPageTexts gives).
 * `currentSha256` is the hash of the document the text came from, when known.
 */
export function anchor(content: AnnotationContent, pageTexts: readonly string[], currentSha256?: string): Anchor {
  const documentChanged = currentSha256 !== undefined && currentSha256 !== content.documentSha256;
  if (content.kind !== 'highlight') {
    if (content.page <= pageTexts.length) return { status: 'anchored', method: 'page', page: content.page, documentChanged };
    return { status: 'orphan', reason: 'page-not-found', quote: null, documentChanged };
  }
  const { exact, prefix, suffix } = content.quote;
  const doc = documentText(pageTexts);
  const storedStart = toGlobal(doc, content.start);
  const storedEnd = toGlobal(doc, content.end);
  const found = (from: number, to: number, method: 'position' | 'quote' | 'normalised-quote'): Anchor => ({
    status: 'anchored',
    method,
    start: toPoint(doc, from, 'start'),
    end: toPoint(doc, to, 'end'),
    documentChanged,
  });

  const normalisedExact = normaliseText(exact).chars;
  if (storedStart !== null && storedEnd !== null && storedEnd > storedStart) {
    const there = doc.text.slice(storedStart, storedEnd);
    if (there === exact || (normalisedExact.length > 0 && normaliseText(there).chars === normalisedExact)) {
      return found(storedStart, storedEnd, 'position');
    }
  }
  // Where it should have been, as a hint between equally good candidates.
  const expected = storedStart ?? (content.start.page - 1 < doc.pageStarts.length ? doc.pageStarts[content.start.page - 1]! : null);

  const exactAt = bestCandidate(doc.text, occurrences(doc.text, exact), exact.length, prefix, suffix, expected);
  if (exactAt !== null) return found(exactAt, exactAt + exact.length, 'quote');

  if (normalisedExact.length > 0) {
    const text = normaliseText(doc.text);
    const hint = expected === null ? null : normalisedIndexOf(text, expected);
    const at = bestCandidate(text.chars, occurrences(text.chars, normalisedExact), normalisedExact.length, normaliseText(prefix).chars, normaliseText(suffix).chars, hint);
    if (at !== null) return found(text.from[at]!, text.to[at + normalisedExact.length - 1]!, 'normalised-quote');
  }
  return { status: 'orphan', reason: 'text-not-found', quote: exact, documentChanged };
}
