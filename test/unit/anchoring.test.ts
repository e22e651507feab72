// Re-anchoring annotations when the text layer changes: the cases Hypothesis users meet on PDFs (re-extracted text
// with different spacing and hyphenation, text that moved, text that is gone) and highlights across a page break.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnnotationContent, HighlightContent, TextPoint } from '../../shared/domain/annotation';
import { anchor, describeTextSelection, documentText, normaliseText, toGlobal, toPoint } from '../../electron/services/annotations/anchor';

const SHA = 'a'.repeat(64);

function highlight(pages: string[], start: TextPoint, end: TextPoint): HighlightContent {
  return { kind: 'highlight', documentId: 'doc-a', documentSha256: SHA, note: null, tags: [], allegations: [], start, end, quote: describeTextSelection(pages, start, end) };
}

function textAt(pages: string[], result: ReturnType<typeof anchor>): string {
  if (result.status !== 'anchored' || result.method === 'page') throw new Error(`not a text anchor: ${JSON.stringify(result)}`);
  const doc = documentText(pages);
  return doc.text.slice(toGlobal(doc, result.start)!, toGlobal(doc, result.end)!);
}

const ORIGINAL = [
  'Statement of the complainant\nOn 3 June 2026 the respondent shared a post about hidden financiers.\nMembers replied that it was offensive.\n',
  'The respondent then commented that those people always complain.\nThe post was removed two days later.\n',
];

describe('anchoring a highlight', () => {
  it('finds it at its stored position when the text is unchanged', () => {
    const start = { page: 1, offset: ORIGINAL[0]!.indexOf('hidden') };
    const content = highlight(ORIGINAL, start, { page: 1, offset: start.offset + 'hidden financiers'.length });
    const result = anchor(content, ORIGINAL, SHA);
    expect(result).toMatchObject({ status: 'anchored', method: 'position', start, documentChanged: false });
    expect(textAt(ORIGINAL, result)).toBe('hidden financiers');
  });

  it('crosses a page break and comes back the same', () => {
    const start = { page: 1, offset: ORIGINAL[0]!.indexOf('Members') };
    const end = { page: 2, offset: ORIGINAL[1]!.indexOf(' always') };
    const content = highlight(ORIGINAL, start, end);
    expect(content.quote.exact).toContain('offensive.\n\nThe respondent');
    const result = anchor(content, ORIGINAL);
    expect(result).toMatchObject({ status: 'anchored', method: 'position', start, end });
  });

  it('survives a re-extracted text layer with different spacing, line breaks and hyphenation', () => {
    const start = { page: 1, offset: ORIGINAL[0]!.indexOf('shared a post') };
    const content = highlight(ORIGINAL, start, { page: 1, offset: ORIGINAL[0]!.indexOf(' financiers') + ' financiers'.length });
    const reExtracted = [
      'Statement  of  the  complainant\n\nOn 3 June 2026 the  re-\nspondent shared a\npost about hid-\nden  ﬁnanciers .\nMembers replied that it was offensive.\n',
      ORIGINAL[1]!,
    ];
    const result = anchor(content, reExtracted, 'b'.repeat(64));
    expect(result).toMatchObject({ status: 'anchored', method: 'normalised-quote', documentChanged: true });
    expect(textAt(reExtracted, result).replace(/\s+/g, ' ')).toBe('shared a post about hid- den ﬁnanciers');
  });

  it('follows text that moved to another page, choosing the occurrence whose context matches', () => {
    const pages = ['Preamble.\nThe post was removed two days later.\n', 'Other matters.\n'];
    const start = { page: 1, offset: pages[0]!.indexOf('removed') };
    const content = highlight(pages, start, { page: 1, offset: start.offset + 'removed'.length });
    // The same word appears earlier in a different context; the highlighted passage itself moved to page 3.
    const moved = ['New cover page.\nNothing was removed from the file.\n', 'Other matters.\n', 'Preamble.\nThe post was removed two days later.\n'];
    const result = anchor(content, moved);
    expect(result).toMatchObject({ status: 'anchored', method: 'quote', start: { page: 3, offset: moved[2]!.indexOf('removed') } });
  });

  it('prefers the occurrence nearest the old position when the context cannot tell them apart', () => {
    const pages = ['x y z\n', 'x y z\n', 'x y z\n'];
    const content = highlight(pages, { page: 2, offset: 2 }, { page: 2, offset: 3 });
    const shifted = ['x  y z\n', 'x  y z\n', 'x  y z\n'];
    const result = anchor(content, shifted);
    expect(result).toMatchObject({ status: 'anchored', start: { page: 2 } });
  });

  it('is an orphan, kept with its quote, when the text was deleted', () => {
    const start = { page: 2, offset: ORIGINAL[1]!.indexOf('those people') };
    const content = highlight(ORIGINAL, start, { page: 2, offset: start.offset + 'those people always complain'.length });
    const edited = [ORIGINAL[0]!, 'The respondent then commented.\nThe post was removed two days later.\n'];
    expect(anchor(content, edited)).toEqual({ status: 'orphan', reason: 'text-not-found', quote: 'those people always complain', documentChanged: false });
    // A document that lost the page entirely: also an orphan, never an error.
    expect(anchor(content, [ORIGINAL[0]!])).toMatchObject({ status: 'orphan', quote: 'those people always complain' });
    expect(anchor(content, [])).toMatchObject({ status: 'orphan' });
  });

  it('anchors areas and page notes by page, and orphans them when the page is gone', () => {
    const area: AnnotationContent = { kind: 'area', documentId: 'doc-a', documentSha256: SHA, note: null, tags: [], allegations: [], page: 2, rect: { x: 10, y: 20, width: 30, height: 40 } };
    expect(anchor(area, ORIGINAL)).toEqual({ status: 'anchored', method: 'page', page: 2, documentChanged: false });
    expect(anchor(area, [ORIGINAL[0]!])).toMatchObject({ status: 'orphan', reason: 'page-not-found' });
  });
});

describe('text offsets', () => {
  it('maps page points to document offsets and back', () => {
    const doc = documentText(['abc', 'de', '']);
    expect(toGlobal(doc, { page: 2, offset: 1 })).toBe(5);
    expect(toGlobal(doc, { page: 2, offset: 3 })).toBeNull();
    expect(toGlobal(doc, { page: 4, offset: 0 })).toBeNull();
    expect(toPoint(doc, 5, 'start')).toEqual({ page: 2, offset: 1 });
    // An end on the first character of a page is the end of the page before it.
    expect(toPoint(doc, 4, 'end')).toEqual({ page: 1, offset: 3 });
    expect(toPoint(doc, 4, 'start')).toEqual({ page: 2, offset: 0 });
  });

  it('normalises away spacing, soft hyphens, line-end hyphens, ligatures, curly quotes and case, keeping a map back', () => {
    const text = 'Re-\nspon\u00adse “Quoted” ﬁle';
    const normalised = normaliseText(text);
    expect(normalised.chars).toBe('response"quoted"file');
    // Every normalised character maps into the original.
    normalised.from.forEach((from, i) => expect(text.slice(from, normalised.to[i]).normalize('NFKC').toLowerCase()).toContain(normalised.chars[i] === '"' ? '' : normalised.chars[i]!));
    // A hyphen inside a line is kept.
    expect(normaliseText('well-known').chars).toBe('well-known');
  });

  it('property: any selection in any text anchors back to exactly the same text at its stored position', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 60 }), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        (pages, a, b) => {
          const doc = documentText(pages);
          const from = a % doc.text.length;
          const to = from + 1 + (b % (doc.text.length - from));
          const start = toPoint(doc, from, 'start');
          const end = toPoint(doc, to, 'end');
          const startAt = toGlobal(doc, start)!;
          const endAt = toGlobal(doc, end)!;
          fc.pre(endAt > startAt);
          const content = highlight(pages, start, end);
          const result = anchor(content, pages);
          expect(result.status).toBe('anchored');
          expect(textAt(pages, result)).toBe(content.quote.exact);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
