// Assembles a hearing bundle: a hyperlinked index, then every section's documents, paginated continuously.
//
// Page labels. The e-bundle guidance asks that the page numbers printed on the bundle equal the PDF's own page
// numbering, so a reference to "page 12" means the same page to someone holding paper and someone in a PDF reader.
// We therefore label a page with its section letter followed by its 1-based PDF page number: "B12" is PDF page 12,
// which lies in section B. The index pages at the front carry the plain number ("1", "2"). The same labels are
// printed bottom right, written as /PageLabels (so a reader's page box shows "B12"), used in the index's page
// ranges and in the bookmark titles. A supplement appended later continues the numbering: nothing is renumbered.
import { createHash } from 'node:crypto';
import { PDFDocument, type PDFPage } from 'pdf-lib';
import { convertDocument, type ConvertContext, type PageOrigin } from './convert';
import { BundlePdfError, withDocument } from './errors';
import { formatDisplayDate, labelRange } from './format';
import { openForUpdate, saveIncremental } from './incremental';
import { countPages } from './pdf-source';
import { drawIndex, layOutIndex, type IndexHeading, type IndexLayout, type IndexRow } from './index-pages';
import { A4, embedBundleFonts, type BundleFonts } from './layout';
import { addLink, appendOutline, appendPageLabelRange, setOutline, setPageLabels, type OutlineNode } from './navigation';
import { stampPage } from './stamp';
import {
  DEFAULT_LIMITS,
  type AssembleOptions,
  type AssembledBundle,
  type BundleDocumentEntry,
  type BundleInput,
  type BundleLimits,
  type BundleProgress,
  type BundleSectionEntry,
  type BundleSectionInput,
} from './types';
import { createYielder, throwIfAborted, type Yielder } from './yielder';

const PRODUCER = 'Hearing Desk';
const DEFAULT_TITLE = 'Hearing bundle';
const SECTION_LETTERS = /^[A-Z]{1,3}$/;
const KINDS = new Set(['pdf', 'image', 'text', 'eml']);

/** Where a converted document's pages sit among the pages it was converted with (0-based, before any index pages). */
interface ConvertedEntry {
  sectionIndex: number;
  documentIndex: number;
  start: number;
  count: number;
  sha256: string;
}

interface Run {
  limits: BundleLimits;
  yielder: Yielder;
  report: (progress: BundleProgress) => void;
}

function startRun(options: AssembleOptions): Run {
  const limits = { ...DEFAULT_LIMITS, ...(options.limits ?? {}) };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new BundlePdfError('invalid-input', `The limit ${name} must be a positive whole number.`);
  }
  const onProgress = options.onProgress;
  return {
    limits,
    yielder: createYielder(options.signal),
    // A throwing progress callback is the caller's bug, but it must not leave the assembly half done and untyped.
    report: (progress) => {
      try {
        onProgress?.(progress);
      } catch {
        /* ignored */
      }
    },
  };
}

function invalid(message: string): never {
  throw new BundlePdfError('invalid-input', message);
}

function validateSection(section: BundleSectionInput, letters: Set<string>, ids: Set<string>): void {
  if (typeof section !== 'object' || section === null) invalid('A section is missing.');
  if (typeof section.letter !== 'string' || !SECTION_LETTERS.test(section.letter)) invalid(`Section letters are one to three capital letters (got "${String(section.letter)}").`);
  if (letters.has(section.letter)) invalid(`Two sections use the letter ${section.letter}.`);
  letters.add(section.letter);
  if (typeof section.title !== 'string' || section.title.trim().length === 0) invalid(`Section ${section.letter} needs a title.`);
  if (!Array.isArray(section.documents)) invalid(`Section ${section.letter} has no list of documents.`);
  for (const document of section.documents) {
    if (typeof document !== 'object' || document === null) invalid(`Section ${section.letter} has an empty entry.`);
    if (typeof document.id !== 'string' || document.id.length === 0 || document.id.length > 200) invalid(`A document in section ${section.letter} has no usable id.`);
    if (ids.has(document.id)) invalid(`Two documents use the id "${document.id}".`);
    ids.add(document.id);
    if (typeof document.title !== 'string' || document.title.trim().length === 0) invalid(`Document "${document.id}" needs a title.`);
    if (!KINDS.has(document.kind)) invalid(`Document "${document.title}" is of an unknown kind.`);
    if (!(document.bytes instanceof Uint8Array)) invalid(`Document "${document.title}" has no content.`);
    if (document.date !== undefined && typeof document.date !== 'string') invalid(`Document "${document.title}" has a date that is not text.`);
    const capture = document.capture;
    if (capture !== undefined && (typeof capture !== 'object' || capture === null || ![capture.sourceUrl, capture.capturedAt, capture.capturedBy].every((value) => typeof value === 'string'))) {
      invalid(`Document "${document.title}" has incomplete capture details.`);
    }
  }
}

function validateCaseReference(caseReference: unknown): string {
  if (typeof caseReference !== 'string' || caseReference.trim().length === 0 || caseReference.length > 120) invalid('The bundle needs a case reference (up to 120 characters).');
  return caseReference.trim();
}

/** Converts every document of `sections`, appending pages to `context.doc` in order. */
async function convertSections(context: ConvertContext, sections: BundleSectionInput[], run: Run): Promise<{ entries: ConvertedEntry[]; origins: PageOrigin[] }> {
  const total = sections.reduce((sum, section) => sum + section.documents.length, 0);
  const entries: ConvertedEntry[] = [];
  const origins: PageOrigin[] = [];
  let done = 0;
  run.report({ phase: 'convert', done, total });
  for (const [sectionIndex, section] of sections.entries()) {
    for (const [documentIndex, document] of section.documents.entries()) {
      await run.yielder();
      let converted;
      try {
        converted = await convertDocument(context, document);
      } catch (error) {
        if (error instanceof BundlePdfError && error.code === 'aborted') throw error;
        throw withDocument(error, document.id, document.title);
      }
      entries.push({
        sectionIndex,
        documentIndex,
        start: origins.length,
        count: converted.pages.length,
        sha256: createHash('sha256').update(document.bytes).digest('hex'),
      });
      for (let index = 0; index < converted.pages.length; index++) origins.push(converted.origin);
      run.report({ phase: 'convert', done: ++done, total });
    }
  }
  return { entries, origins };
}

interface Placement {
  /** 0-based PDF page index of the first converted page. */
  contentStart: number;
  indexPageCount: number;
  layout: IndexLayout;
  rows: IndexRow[];
}

/**
 * The index's length moves every page after it, and the page ranges it prints can change its length (a longer
 * label may wrap a row), so it is laid out until the page count it assumes is the count it needs.
 */
function placeIndex(
  sections: BundleSectionInput[],
  entries: ConvertedEntry[],
  firstIndexPage: number,
  heading: IndexHeading,
  fonts: BundleFonts,
  labelOf: (pageIndex: number, indexPages: number) => string,
): Placement {
  let indexPageCount = 1;
  for (let attempt = 0; ; attempt++) {
    const contentStart = firstIndexPage + indexPageCount;
    const rows = indexRows(sections, entries, contentStart, (pageIndex) => labelOf(pageIndex, indexPageCount));
    const layout = layOutIndex(rows, heading, fonts);
    if (layout.pages.length <= indexPageCount || attempt >= 8) {
      // Only an oscillating layout can need fewer pages than assumed; a blank continuation page keeps numbers true.
      while (layout.pages.length < indexPageCount) layout.pages.push({ rows: [], first: false });
      return { contentStart, indexPageCount: layout.pages.length, layout, rows };
    }
    indexPageCount = layout.pages.length;
  }
}

function indexRows(sections: BundleSectionInput[], entries: ConvertedEntry[], contentStart: number, label: (pageIndex: number) => string): IndexRow[] {
  const rows: IndexRow[] = [];
  for (const [sectionIndex, section] of sections.entries()) {
    const inSection = entries.filter((entry) => entry.sectionIndex === sectionIndex);
    const first = inSection[0];
    const last = inSection[inSection.length - 1];
    rows.push({
      kind: 'section',
      number: section.letter,
      title: section.title,
      date: '',
      pages: first && last ? labelRange(label(contentStart + first.start), label(contentStart + last.start + last.count - 1)) : '',
      target: first ? contentStart + first.start : undefined,
    });
    for (const entry of inSection) {
      const document = section.documents[entry.documentIndex]!;
      rows.push({
        kind: 'document',
        number: String(entry.documentIndex + 1),
        title: document.title,
        date: formatDisplayDate(document.date),
        pages: labelRange(label(contentStart + entry.start), label(contentStart + entry.start + entry.count - 1)),
        target: contentStart + entry.start,
      });
    }
  }
  return rows;
}

function documentEntries(sections: BundleSectionInput[], entries: ConvertedEntry[], contentStart: number, labels: string[]): BundleDocumentEntry[] {
  return entries.map((entry) => {
    const section = sections[entry.sectionIndex]!;
    const document = section.documents[entry.documentIndex]!;
    const firstIndex = contentStart + entry.start;
    const lastIndex = firstIndex + entry.count - 1;
    return {
      id: document.id,
      section: section.letter,
      title: document.title,
      ...(document.date === undefined ? {} : { date: document.date }),
      kind: document.kind,
      firstPage: firstIndex + 1,
      lastPage: lastIndex + 1,
      firstLabel: labels[firstIndex]!,
      lastLabel: labels[lastIndex]!,
      sha256: entry.sha256,
    };
  });
}

function sectionEntries(sections: BundleSectionInput[], documents: BundleDocumentEntry[], supplementary: boolean, supplementFirstPage?: number): BundleSectionEntry[] {
  return sections.map((section) => {
    const own = documents.filter((document) => document.section === section.letter);
    const firstPage = supplementFirstPage ?? own[0]?.firstPage;
    const lastPage = own[own.length - 1]?.lastPage ?? (supplementFirstPage !== undefined ? firstPage : undefined);
    return {
      letter: section.letter,
      title: section.title,
      ...(firstPage === undefined || lastPage === undefined ? {} : { firstPage, lastPage }),
      supplementary,
    };
  });
}

function outlineForSections(sections: BundleSectionInput[], documents: BundleDocumentEntry[], pages: PDFPage[], supplementary: boolean, supplementFirstPage?: number): OutlineNode[] {
  const nodes: OutlineNode[] = [];
  for (const section of sections) {
    const own = documents.filter((document) => document.section === section.letter);
    const firstPage = supplementFirstPage ?? own[0]?.firstPage;
    if (firstPage === undefined) continue; // an empty section has nowhere to go
    const lastLabel = own[own.length - 1]?.lastLabel ?? `${section.letter}${firstPage}`;
    const range = labelRange(`${section.letter}${firstPage}`, lastLabel);
    nodes.push({
      title: `${range} Section ${section.letter}${supplementary ? ' (supplementary)' : ''}: ${section.title}`,
      target: pages[firstPage - 1]!.ref,
      children: own.map((document) => ({ title: `${labelRange(document.firstLabel, document.lastLabel)} ${document.title}`, target: pages[document.firstPage - 1]!.ref })),
    });
  }
  return nodes;
}

async function stampPages(pages: PDFPage[], from: number, origins: PageOrigin[], labels: string[], caseReference: string, fonts: BundleFonts, run: Run): Promise<void> {
  const total = pages.length - from;
  run.report({ phase: 'stamp', done: 0, total });
  for (let index = from; index < pages.length; index++) {
    stampPage(pages[index]!, origins[index - from]!, labels[index]!, caseReference, fonts);
    if ((index - from) % 32 === 31 || index === pages.length - 1) {
      run.report({ phase: 'stamp', done: index - from + 1, total });
      await run.yielder();
    }
  }
}

function drawIndexPages(doc: PDFDocument, pages: PDFPage[], placement: Placement, heading: IndexHeading, fonts: BundleFonts, firstIndexPage: number, run: Run): void {
  const indexPages = pages.slice(firstIndexPage, firstIndexPage + placement.indexPageCount);
  for (const link of drawIndex(indexPages, placement.layout, heading, fonts)) addLink(doc, link.page, link.rect, pages[link.target]!.ref);
  run.report({ phase: 'index', done: placement.indexPageCount, total: placement.indexPageCount });
}

/**
 * Builds the bundle PDF. Throws a BundlePdfError: invalid-input for a malformed request, a per-document code
 * (with documentId) for evidence that cannot be used, aborted when the signal fires.
 */
export async function assembleBundle(input: BundleInput, options: AssembleOptions = {}): Promise<AssembledBundle> {
  const run = startRun(options);
  if (typeof input !== 'object' || input === null || !Array.isArray(input.sections)) invalid('The bundle has no sections.');
  const caseReference = validateCaseReference(input.caseReference);
  const title = typeof input.title === 'string' && input.title.trim().length > 0 ? input.title.trim() : DEFAULT_TITLE;
  const letters = new Set<string>();
  const ids = new Set<string>();
  for (const section of input.sections) validateSection(section, letters, ids);
  throwIfAborted(options.signal);

  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = embedBundleFonts(doc);
  const context: ConvertContext = { doc, fonts, limits: run.limits, yielder: run.yielder };
  const { entries, origins } = await convertSections(context, input.sections, run);

  // Index pages are numbered 1..n; a content page's label is its section letter and PDF page number.
  const sectionOfContent: string[] = [];
  for (const entry of entries) for (let index = 0; index < entry.count; index++) sectionOfContent.push(input.sections[entry.sectionIndex]!.letter);
  const labelOf = (pageIndex: number, indexPages: number) => (pageIndex < indexPages ? String(pageIndex + 1) : `${sectionOfContent[pageIndex - indexPages]}${pageIndex + 1}`);
  const heading: IndexHeading = {
    title,
    caseReference,
    notes: [
      'Page numbers are the labels printed at the bottom right of every page; the number in each label is also the page number in a PDF reader (B12 is page 12). Select a row to open that document.',
    ],
    continued: `Index (continued) · ${caseReference}`,
  };
  run.report({ phase: 'index', done: 0, total: 1 });
  const placement = placeIndex(input.sections, entries, 0, heading, fonts, labelOf);
  await run.yielder();
  for (let index = 0; index < placement.indexPageCount; index++) doc.insertPage(index, [A4.width, A4.height]);
  const pages = doc.getPages();
  const labels = pages.map((_, index) => labelOf(index, placement.indexPageCount));
  drawIndexPages(doc, pages, placement, heading, fonts, 0, run);

  const pageOrigins: PageOrigin[] = [...new Array<PageOrigin>(placement.indexPageCount).fill('generated'), ...origins];
  await stampPages(pages, 0, pageOrigins, labels, caseReference, fonts, run);

  const documents = documentEntries(input.sections, entries, placement.contentStart, labels);
  const sections = sectionEntries(input.sections, documents, false);
  setOutline(doc, [
    { title: `${labelRange(labels[0]!, labels[placement.indexPageCount - 1]!)} Index`, target: pages[0]!.ref },
    ...outlineForSections(input.sections, documents, pages, false),
  ]);
  const labelRanges = [{ startIndex: 0, prefix: '' }];
  for (const section of sections) if (section.firstPage !== undefined) labelRanges.push({ startIndex: section.firstPage - 1, prefix: section.letter });
  setPageLabels(doc, labelRanges);
  setMetadata(doc, title, caseReference, options.createdAt);

  const pdf = await save(doc, run);
  return { pdf, pageCount: pages.length, caseReference, title, sections, documents, labels };
}

function safePageCount(doc: PDFDocument, limit: number): number | undefined {
  try {
    return countPages(doc.context, doc.catalog, limit);
  } catch {
    return undefined;
  }
}

function setMetadata(doc: PDFDocument, title: string, caseReference: string, createdAt: Date | undefined): void {
  doc.setTitle(`${title} – ${caseReference}`, { showInWindowTitleBar: true });
  doc.setSubject(`Hearing bundle for case ${caseReference}`);
  doc.setProducer(PRODUCER);
  doc.setCreator(PRODUCER);
  doc.setLanguage('en-GB');
  if (createdAt) {
    doc.setCreationDate(createdAt);
    doc.setModificationDate(createdAt);
  }
}

async function save(doc: PDFDocument, run: Run): Promise<Uint8Array> {
  run.report({ phase: 'save', done: 0, total: 1 });
  await run.yielder();
  // Classic cross-reference tables (no object streams) so a supplement can be appended as an incremental update.
  const pdf = await doc.save({ useObjectStreams: false, addDefaultPage: false, objectsPerTick: 50 });
  run.report({ phase: 'save', done: 1, total: 1 });
  return pdf;
}

/**
 * Appends a late section without renumbering anything: the existing PDF bytes are kept verbatim and the new
 * section (its own short index, then its documents) is written as an incremental update after them. Its pages
 * continue the numbering (a supplement "D" after 40 pages starts at D41), and the outline and page labels gain it.
 */
export async function appendSupplementary(existing: AssembledBundle, section: BundleSectionInput, options: AssembleOptions = {}): Promise<AssembledBundle> {
  const run = startRun(options);
  if (typeof existing !== 'object' || existing === null || !(existing.pdf instanceof Uint8Array)) invalid('There is no bundle to add to.');
  const letters = new Set(existing.sections.map((entry) => entry.letter));
  const ids = new Set(existing.documents.map((entry) => entry.id));
  validateSection(section, letters, ids);
  throwIfAborted(options.signal);

  let session;
  try {
    session = await openForUpdate(existing.pdf);
  } catch {
    session = undefined;
  }
  // Counted with the defensive walker: the record's PDF comes from storage, and storage can be damaged.
  const pageCount = session ? safePageCount(session.doc, existing.pageCount + 1) : undefined;
  if (!session || pageCount !== existing.pageCount || existing.labels.length !== existing.pageCount) {
    throw new BundlePdfError('bundle-mismatch', 'The bundle file does not match its record (its pages differ), so nothing was added.');
  }
  const { doc } = session;
  const fonts = embedBundleFonts(doc);
  const context: ConvertContext = { doc, fonts, limits: run.limits, yielder: run.yielder };
  const { entries, origins } = await convertSections(context, [section], run);

  const firstNewPage = existing.pageCount;
  const label = (pageIndex: number) => `${section.letter}${pageIndex + 1}`;
  const heading: IndexHeading = {
    title: `Supplementary section ${section.letter}: ${section.title}`,
    caseReference: existing.caseReference,
    notes: [
      `Added after the bundle was paginated. Earlier pages keep their numbers; this section continues from page ${firstNewPage + 1}. Select a row to open that document.`,
    ],
    continued: `Supplementary section ${section.letter} (continued)`,
  };
  run.report({ phase: 'index', done: 0, total: 1 });
  const placement = placeIndex([section], entries, firstNewPage, heading, fonts, (pageIndex) => label(pageIndex));
  for (let index = 0; index < placement.indexPageCount; index++) doc.insertPage(firstNewPage + index, [A4.width, A4.height]);
  const pages = doc.getPages();
  const labels = [...existing.labels, ...pages.slice(firstNewPage).map((_, offset) => label(firstNewPage + offset))];
  drawIndexPages(doc, pages, placement, heading, fonts, firstNewPage, run);
  const newOrigins: PageOrigin[] = [...new Array<PageOrigin>(placement.indexPageCount).fill('generated'), ...origins];
  await stampPages(pages, firstNewPage, newOrigins, labels, existing.caseReference, fonts, run);

  const newDocuments = documentEntries([section], entries, placement.contentStart, labels);
  appendOutline(doc, outlineForSections([section], newDocuments, pages, true, firstNewPage + 1));
  appendPageLabelRange(doc, { startIndex: firstNewPage, prefix: section.letter });

  run.report({ phase: 'save', done: 0, total: 1 });
  await run.yielder();
  const pdf = await saveIncremental(session);
  run.report({ phase: 'save', done: 1, total: 1 });
  return {
    pdf,
    pageCount: pages.length,
    caseReference: existing.caseReference,
    title: existing.title,
    sections: [...existing.sections, ...sectionEntries([section], newDocuments, true, firstNewPage + 1).map((entry) => ({ ...entry, lastPage: pages.length }))],
    documents: [...existing.documents, ...newDocuments],
    labels,
  };
}
