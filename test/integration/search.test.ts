// Full-text search over a real case in a real SQLCipher vault: the demo hearing (sealed, verified, imported) has its
// page text extracted with pdf.js and indexed in FTS5; queries find pages with labels and marked snippets, hostile
// query syntax never reaches FTS5, annotations are searchable, and a wipe leaves no indexed term behind.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotations } from '../../electron/services/annotations/annotations';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { installDemoHearing } from '../../electron/services/demo-hearing';
import { CaseSearch, parseSearchQuery, SNIPPET_MATCH_END, SNIPPET_MATCH_START, toMatchExpression } from '../../electron/services/search';
import { createPerson, type Person } from '../helpers/people';

let panellist: Person;
let cases: ReceivedCases;
let search: CaseSearch;
let annotations: Annotations;
let caseId: string;

beforeAll(async () => {
  panellist = await createPerson('Robin Searchwell', 'panellist');
  cases = new ReceivedCases(panellist.session);
  search = new CaseSearch(panellist.session, cases);
  annotations = new Annotations(panellist.session, cases);
  caseId = await installDemoHearing(panellist.session, cases);
});
afterAll(() => panellist?.cleanup());

function hitWords(snippet: string): string[] {
  return [...snippet.matchAll(new RegExp(`${SNIPPET_MATCH_START}([^${SNIPPET_MATCH_END}]*)${SNIPPET_MATCH_END}`, 'g'))].map((m) => m[1]!.toLowerCase());
}

describe('indexing a case', () => {
  it('extracts every document’s pages into the vault, once', async () => {
    const before = search.search(caseId, 'financiers');
    expect(before.indexedDocuments).toBe(0);
    expect(before.pages).toEqual([]);
    const report = await search.indexCase(caseId);
    const manifest = cases.get(caseId).manifest;
    expect(report.failed).toEqual([]);
    expect(report.documents).toBe(manifest.documents.length);
    expect(report.pages).toBe(manifest.documents.reduce((sum, d) => sum + d.pageCount, 0));
    // Again: nothing left to do.
    expect(await search.indexCase(caseId)).toEqual({ documents: 0, pages: 0, failed: [] });
    const texts = search.pageTexts(caseId, 'doc-complaint');
    expect(texts?.join('\n')).toContain('hidden financiers');
  });
});

describe('searching', () => {
  it('finds a word with its document, bundle page, label and a marked snippet', () => {
    const results = search.search(caseId, 'financiers');
    const complaint = cases.get(caseId).manifest.documents.find((d) => d.id === 'doc-complaint')!;
    const hit = results.pages.find((p) => p.documentId === 'doc-complaint');
    expect(hit).toMatchObject({ title: complaint.title, section: 'A', documentPage: 1, page: complaint.firstPage, label: complaint.firstLabel });
    expect(hitWords(hit!.snippet)).toContain('financiers');
    expect(results.indexedDocuments).toBe(results.documents);
    expect(results.terms).toEqual([{ text: 'financiers', words: ['financiers'], prefix: false }]);
  });

  it('matches a phrase only in order, a prefix by its start, and ignores case and accents', () => {
    expect(search.search(caseId, '"hidden financiers"').pages.map((p) => p.documentId)).toContain('doc-complaint');
    expect(search.search(caseId, '"financiers hidden"').pages).toEqual([]);
    const prefix = search.search(caseId, 'financ*');
    expect(prefix.pages.map((p) => p.documentId)).toContain('doc-complaint');
    expect(prefix.terms[0]).toMatchObject({ prefix: true, text: 'financ' });
    expect(search.search(caseId, 'financ').pages).toEqual([]);
    expect(search.search(caseId, 'FINANCIERS').pages.length).toBeGreaterThan(0);
    expect(search.search(caseId, 'fïnanciers').pages.length).toBeGreaterThan(0);
    // Every word must match (AND).
    expect(search.search(caseId, 'financiers zyzzyva').pages).toEqual([]);
    // Narrowed to one document.
    expect(search.search(caseId, 'respondent', { documentId: 'doc-response' }).pages.every((p) => p.documentId === 'doc-response')).toBe(true);
  });

  it('treats FTS5 syntax in the query as plain text: quotes, stars, parentheses, NEAR, column filters, unicode', () => {
    const hostile = [
      '"', '""', '"""', '*', '**', 'financiers"', '"hidden financiers', 'hidden" financiers"*', '(', ')', '(financiers', 'financiers)',
      'NEAR(hidden financiers)', 'NEAR(hidden financiers, 2)', 'hidden NEAR financiers', 'AND', 'OR', 'NOT', 'financiers NOT hidden', 'hidden OR',
      'text:financiers', '{text}: financiers', 'case_id:x', '- financiers', '^financiers', '+financiers', 'financiers*'.repeat(5), 'a:b:c:"d',
      '\u0000', '\u0002financiers\u0003', 'финансисты', '金融家', '🦊 financiers', 'e\u0301', '\u0301', 'ﬁnanciers', '\uD800', 'x'.repeat(1000),
    ];
    for (const query of hostile) {
      const results = search.search(caseId, query);
      expect(Array.isArray(results.pages), query).toBe(true);
    }
    // Parentheses are punctuation; NEAR is a word the page must contain, not an operator.
    expect(search.search(caseId, '(hidden) (financiers)').pages.map((p) => p.documentId)).toContain('doc-complaint');
    expect(search.search(caseId, 'hidden NEAR financiers').pages).toEqual([]);
    expect(search.search(caseId, 'text:financiers').pages).toEqual([]);
    expect(search.search(caseId, 'financiers)').pages.map((p) => p.documentId)).toContain('doc-complaint');
    // OR is a word here, not an operator: every word must still match.
    expect(search.search(caseId, 'financiers OR zyzzyva').pages).toEqual([]);
    expect(search.search(caseId, 'financiers').pages.length).toBeGreaterThan(0);
    expect(() => search.search(caseId, 'x'.repeat(2_001))).toThrowError(expect.objectContaining({ code: 'search-query-too-long' }));
    expect(() => search.search(caseId, 'x', { limit: 0 })).toThrowError(expect.objectContaining({ code: 'search-invalid-limit' }));
  });

  it('property: no string whatever makes an FTS5 error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: fc.constantFrom('"', '*', '(', ')', ':', '^', '+', '-', ' ', 'N', 'E', 'A', 'R', 'a', 'é', '\u0301', '{', '}', ','), maxLength: 30 })), (query) => {
        const terms = parseSearchQuery(query);
        const match = toMatchExpression(terms);
        // Never a quote inside a term, so every term is exactly one FTS5 string.
        for (const term of terms) expect(term.text).not.toMatch(/["*]/);
        if (match !== null) expect(match).toMatch(/^"[^"]+"\*?( "[^"]+"\*?)*$/);
        search.search(caseId, query, { limit: 5 });
      }),
      { numRuns: 3000 },
    );
  });
});

describe('annotations in search', () => {
  it('finds annotation notes, tags and quotes, and forgets deleted ones', () => {
    const manifest = cases.get(caseId).manifest;
    const notice = manifest.documents.find((d) => d.id === 'doc-notice')!;
    const note = annotations.create(caseId, { content: { kind: 'page-note', documentId: notice.id, page: 1, note: 'Check the zeppelin timetable against the hearing date.', tags: ['procedure'], allegations: [1] } });
    const results = search.search(caseId, 'zeppelin');
    expect(results.annotations).toHaveLength(1);
    expect(results.annotations[0]).toMatchObject({ annotationId: note.id, documentId: notice.id, documentPage: 1, label: notice.firstLabel, visibility: 'private', mine: true, authorName: 'Robin Searchwell' });
    expect(hitWords(results.annotations[0]!.snippet)).toEqual(['zeppelin']);
    expect(search.search(caseId, 'procedure').annotations).toHaveLength(1);
    annotations.delete(note.id);
    expect(search.search(caseId, 'zeppelin').annotations).toEqual([]);
  });
});

describe('wiping the case', () => {
  it('removes every page row and every indexed term', () => {
    const db = panellist.session.requireVault().db;
    annotations.create(caseId, { content: { kind: 'page-note', documentId: 'doc-notice', page: 1, note: 'quixotic marker note', tags: [], allegations: [] } });
    expect((db.prepare('SELECT count(*) AS n FROM page_texts').get() as { n: number }).n).toBeGreaterThan(0);
    cases.wipe(caseId, 'user');
    expect((db.prepare('SELECT count(*) AS n FROM page_texts').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM annotations').get() as { n: number }).n).toBe(0);
    expect(db.prepare("SELECT rowid FROM page_text_index WHERE page_text_index MATCH 'financiers'").all()).toEqual([]);
    // The index itself holds no term of the case any more (FTS5 secure-delete), not merely no matching rows.
    db.exec("CREATE VIRTUAL TABLE temp.page_terms USING fts5vocab(main, 'page_text_index', 'row')");
    db.exec("CREATE VIRTUAL TABLE temp.note_terms USING fts5vocab(main, 'annotation_text_index', 'row')");
    expect(db.prepare('SELECT term FROM temp.page_terms').all()).toEqual([]);
    expect(db.prepare('SELECT term FROM temp.note_terms').all()).toEqual([]);
  });
});
