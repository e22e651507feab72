// Full-text search of a case, inside the encrypted vault: SQLite FTS5 over the text of every page of every document
// (extracted once, after import, with pdf.js in-process) and over annotations' notes, tags and quotes.
//
// The user's query is never handed to FTS5 as syntax. It is read as words, "quoted phrases" and word* prefixes, and
// rebuilt from letters and digits only, each term a quoted FTS5 string, so no input can make an FTS5 syntax error
// or reach an operator (NEAR, AND, OR, NOT, column filters, parentheses, ^ and + are all just text).
import type { Database } from 'better-sqlite3';
import type { AnnotationVisibility } from '../../shared/domain/annotation';
import type { BundleDocument } from '../../shared/domain/bundle';
import { AppError } from '../../shared/errors';
import { memberWithKeys, caseMembers } from './annotations/participants';
import { BundlePdfError } from './bundle-pdf/errors';
import { extractPageTexts } from './bundle-pdf/page-text';
import type { ReceivedCases } from './bundles/received-cases';
import type { Session } from './session';

/** Snippets mark each hit with these control characters (never present in indexed text): split on them to render. */
export const SNIPPET_MATCH_START = '\u0002';
export const SNIPPET_MATCH_END = '\u0003';
export const SNIPPET_ELLIPSIS = '…';
export const MAX_QUERY_CHARS = 2_000;
export const MAX_QUERY_TERMS = 32;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const SNIPPET_TOKENS = 12;

export class SearchError extends AppError {
  constructor(code: 'search-query-too-long' | 'search-invalid-limit', message: string) {
    super(code, message);
    this.name = 'AppError';
  }
}

/** One thing the user asked for: a word, a phrase (several words in order), either possibly a prefix (word*). */
export interface SearchTerm {
  /** The term's words joined by single spaces, as the renderer should highlight them on the page. */
  text: string;
  words: string[];
  prefix: boolean;
}

const WORD_CHARACTERS = /[\p{L}\p{N}\p{M}]+/gu;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function wordsOf(text: string): string[] {
  return (text.match(WORD_CHARACTERS) ?? []).filter((word) => HAS_LETTER_OR_DIGIT.test(word));
}

/**
 * Reads the user's query: "…" is a phrase (an unclosed quote runs to the end), a trailing * makes a prefix, and
 * everything else is words. Punctuation inside a word ("e-mail", "text:foo") joins its parts as a phrase.
 */
export function parseSearchQuery(query: string): SearchTerm[] {
  if (query.length > MAX_QUERY_CHARS) {
    throw new SearchError('search-query-too-long', `Search for at most ${MAX_QUERY_CHARS.toLocaleString('en-GB')} characters at a time.`);
  }
  const terms: SearchTerm[] = [];
  const add = (words: string[], prefix: boolean) => {
    if (words.length === 0 || terms.length >= MAX_QUERY_TERMS) return;
    terms.push({ text: words.join(' '), words, prefix });
  };
  const segments = query.split('"');
  segments.forEach((segment, index) => {
    const insideQuotes = index % 2 === 1;
    if (insideQuotes) {
      // A star right after the closing quote ("hidden financ"*) makes the phrase's last word a prefix.
      const closed = index < segments.length - 1;
      add(wordsOf(segment), closed && segments[index + 1]!.startsWith('*'));
      return;
    }
    for (const chunk of segment.split(/\s+/u)) {
      add(wordsOf(chunk), /[\p{L}\p{N}\p{M}]\*+$/u.test(chunk));
    }
  });
  return terms;
}

/** The FTS5 MATCH expression for the terms (all must match), or null when nothing searchable remains. */
export function toMatchExpression(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term.words.join(' ')}"${term.prefix ? '*' : ''}`).join(' ');
}

/** Text as stored for indexing: C0 controls other than tab and newline become spaces (same length, so offsets hold). */
export function indexableText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
}

export interface PageHit {
  documentId: string;
  title: string;
  section: string;
  /** Page number within the bundle (the number in the label). */
  page: number;
  /** 1-based page of the document's own PDF (what the reader opens). */
  documentPage: number;
  label: string;
  /** Text around the hits; each hit between SNIPPET_MATCH_START and SNIPPET_MATCH_END. */
  snippet: string;
  /** FTS5 bm25 rank: lower is better. */
  rank: number;
}

export interface AnnotationHit {
  annotationId: string;
  documentId: string;
  title: string;
  documentPage: number;
  label: string;
  visibility: AnnotationVisibility;
  authorName: string;
  mine: boolean;
  snippet: string;
  rank: number;
}

export interface SearchResults {
  terms: SearchTerm[];
  pages: PageHit[];
  annotations: AnnotationHit[];
  /** Documents whose text is indexed, of all in the case: search is complete only when they are equal. */
  indexedDocuments: number;
  documents: number;
}

export interface IndexReport {
  documents: number;
  pages: number;
  /** Documents whose text could not be read (their pages are simply not searchable). */
  failed: { documentId: string; code: string }[];
}

/** Page rows matching an FTS5 expression in one case, best first. Also used by the benchmark. */
export function searchPageIndex(db: Database, caseId: string, match: string, limit: number, documentId?: string) {
  return db
    .prepare(
      `SELECT p.document_id AS documentId, p.document_page AS documentPage, p.bundle_page AS page, p.label AS label,
              snippet(page_text_index, 0, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '${SNIPPET_ELLIPSIS}', ${SNIPPET_TOKENS}) AS snippet,
              page_text_index.rank AS rank
       FROM page_text_index JOIN page_texts p ON p.seq = page_text_index.rowid
       WHERE page_text_index MATCH ? AND p.case_id = ? ${documentId === undefined ? '' : 'AND p.document_id = ?'}
       ORDER BY page_text_index.rank LIMIT ?`,
    )
    .all(...[match, caseId, ...(documentId === undefined ? [] : [documentId]), limit]) as {
    documentId: string; documentPage: number; page: number; label: string; snippet: string; rank: number;
  }[];
}

/** Stores one document's page texts (replacing any earlier ones) in one transaction. */
export function storePageTexts(db: Database, caseId: string, document: Pick<BundleDocument, 'id' | 'firstPage' | 'firstLabel'>, texts: readonly string[]): void {
  const labelPrefix = document.firstLabel.replace(/\d+$/, '');
  const insert = db.prepare('INSERT INTO page_texts (case_id, document_id, document_page, bundle_page, label, text) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM page_texts WHERE case_id = ? AND document_id = ?').run(caseId, document.id);
    texts.forEach((text, index) => {
      const page = document.firstPage + index;
      insert.run(caseId, document.id, index + 1, page, `${labelPrefix}${page}`, indexableText(text));
    });
  })();
}

export class CaseSearch {
  constructor(
    private readonly session: Session,
    private readonly cases: ReceivedCases,
  ) {}

  private get db(): Database {
    return this.session.requireVault().db;
  }

  private indexedDocumentIds(caseId: string): Set<string> {
    return new Set((this.db.prepare('SELECT DISTINCT document_id FROM page_texts WHERE case_id = ?').all(caseId) as { document_id: string }[]).map((r) => r.document_id));
  }

  /**
   * Extracts and indexes the text of every verified document of the case not indexed yet (all of them again with
   * `reindex`). Call it after an import; safe to call again (after a lock interrupted it, say). One transaction per
   * document, so a lock or crash part-way keeps what was done.
   */
  async indexCase(caseId: string, options: { reindex?: boolean } = {}): Promise<IndexReport> {
    const record = this.cases.requireOpenable(caseId);
    const ready = new Set(this.cases.readyDocumentIds(caseId));
    const done = options.reindex ? new Set<string>() : this.indexedDocumentIds(caseId);
    const report: IndexReport = { documents: 0, pages: 0, failed: [] };
    for (const document of record.manifest.documents) {
      if (!ready.has(document.id) || done.has(document.id)) continue;
      let texts: string[];
      try {
        texts = await extractPageTexts(this.cases.readDocument(caseId, document.id));
      } catch (error) {
        if (error instanceof BundlePdfError) {
          report.failed.push({ documentId: document.id, code: error.code });
          continue;
        }
        throw error;
      }
      storePageTexts(this.db, caseId, document, texts.slice(0, document.pageCount));
      report.documents++;
      report.pages += Math.min(texts.length, document.pageCount);
    }
    return report;
  }

  /** A document's page texts as indexed (index 0 = page 1), for anchoring and hit highlighting; null if not indexed. */
  pageTexts(caseId: string, documentId: string): string[] | null {
    this.cases.requireOpenable(caseId);
    const rows = this.db.prepare('SELECT text FROM page_texts WHERE case_id = ? AND document_id = ? ORDER BY document_page').all(caseId, documentId) as { text: string }[];
    return rows.length ? rows.map((r) => r.text) : null;
  }

  /** Searches the case's pages and annotations. `documentId` narrows page hits to one document. */
  search(caseId: string, query: string, options: { limit?: number; documentId?: string } = {}): SearchResults {
    const record = this.cases.requireOpenable(caseId);
    const limit = options.limit ?? DEFAULT_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new SearchError('search-invalid-limit', `Ask for between 1 and ${MAX_LIMIT} results.`);
    const terms = parseSearchQuery(query);
    const documents = new Map(record.manifest.documents.map((d) => [d.id, d]));
    const results: SearchResults = { terms, pages: [], annotations: [], indexedDocuments: this.indexedDocumentIds(caseId).size, documents: documents.size };
    const match = toMatchExpression(terms);
    if (match === null) return results;

    results.pages = searchPageIndex(this.db, caseId, match, limit, options.documentId).map((hit) => {
      const document = documents.get(hit.documentId);
      return { ...hit, title: document?.title ?? hit.documentId, section: document?.section ?? '' };
    });

    const members = caseMembers(this.db, record.manifest);
    const mySigningKey = this.session.myCard().card.signingKey;
    const rows = this.db
      .prepare(
        `SELECT a.id, a.author_key, a.visibility, a.content_json,
                snippet(annotation_text_index, 0, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '${SNIPPET_ELLIPSIS}', ${SNIPPET_TOKENS}) AS snippet,
                annotation_text_index.rank AS rank
         FROM annotation_text_index JOIN annotations a ON a.seq = annotation_text_index.rowid
         WHERE annotation_text_index MATCH ? AND a.bundle_id = ? AND a.deleted = 0
         ORDER BY annotation_text_index.rank LIMIT ?`,
      )
      .all(match, record.bundleId, limit) as { id: string; author_key: string; visibility: AnnotationVisibility; content_json: string; snippet: string; rank: number }[];
    results.annotations = rows.map((row) => {
      const content = JSON.parse(row.content_json) as { documentId: string; kind: string; page?: number; start?: { page: number } };
      const documentPage = content.kind === 'highlight' ? content.start!.page : content.page!;
      const document = documents.get(content.documentId);
      const bundlePage = document ? document.firstPage + documentPage - 1 : documentPage;
      return {
        annotationId: row.id,
        documentId: content.documentId,
        title: document?.title ?? content.documentId,
        documentPage,
        label: document ? `${document.firstLabel.replace(/\d+$/, '')}${bundlePage}` : String(documentPage),
        visibility: row.visibility,
        authorName: memberWithKeys(members, row.author_key)?.name ?? 'Unknown participant',
        mine: row.author_key === mySigningKey,
        snippet: row.snippet,
        rank: row.rank,
      };
    });
    return results;
  }
}
