// "Go to page B12" in the reader: bundle labels to a document and its page, and back.
import { describe, expect, it } from 'vitest';
import { findLabel, pageLabel } from '../../renderer/src/reader/labels';

const documents = [
  { id: 'statement', firstLabel: 'A2', firstPage: 2, pageCount: 3 },
  { id: 'transcript', firstLabel: 'B5', firstPage: 5, pageCount: 1 },
  { id: 'minutes', firstLabel: 'B6', firstPage: 6, pageCount: 2_000 },
];

describe('bundle page labels', () => {
  it('finds the document and its own page for a label, in any case and spacing', () => {
    expect(findLabel(documents, 'A3')).toEqual({ doc: documents[0], page: 2 });
    expect(findLabel(documents, ' b 5 ')).toEqual({ doc: documents[1], page: 1 });
    expect(findLabel(documents, 'B2005')).toEqual({ doc: documents[2], page: 2_000 });
    expect(findLabel(documents, '4')).toEqual({ doc: documents[0], page: 3 });
  });

  it('finds nothing for a page outside its section, past the end, or not a label at all', () => {
    expect(findLabel(documents, 'A5')).toBeNull();
    expect(findLabel(documents, 'B2006')).toBeNull();
    expect(findLabel(documents, 'A1')).toBeNull();
    expect(findLabel(documents, 'B-3')).toBeNull();
    expect(findLabel(documents, '')).toBeNull();
    expect(findLabel(documents, 'A'.repeat(5_000) + '1')).toBeNull();
  });

  it('labels a document page with its bundle page number, the inverse of findLabel', () => {
    for (const doc of documents) {
      for (const page of [1, doc.pageCount]) expect(findLabel(documents, pageLabel(doc, page))).toEqual({ doc, page });
    }
  });
});
