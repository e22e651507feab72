// The bundle index: a table of sections and documents with their page ranges, laid out first (to learn how many
// pages it needs, which shifts every page number after it) and then drawn, returning where each row is so it can
// be made a link.
import { rgb, type PDFPage } from 'pdf-lib';
import { A4, INK, MARGINS, MUTED, RULE, TextMeasurer, wrapParagraph, type BundleFonts } from './layout';
import { winAnsi } from './winansi';

export interface IndexRow {
  kind: 'section' | 'document';
  /** Section letter on a section row, the document's number within its section on a document row. */
  number: string;
  title: string;
  date: string;
  /** e.g. "B12–B14"; empty for an empty section. */
  pages: string;
  /** 0-based PDF page index the row links to; undefined for an empty section. */
  target: number | undefined;
}

export interface IndexHeading {
  title: string;
  caseReference: string;
  /** Paragraphs under the title on the first page. */
  notes: string[];
  /** Heading on continuation pages. */
  continued: string;
}

export interface PlacedRow {
  row: IndexRow;
  titleLines: string[];
  /** A date given as free text ("early March 2026") may need more than one line. */
  dateLines: string[];
  /** Top and bottom of the row's band in user space. */
  top: number;
  bottom: number;
}

export interface IndexLayout {
  pages: { rows: PlacedRow[]; first: boolean }[];
}

const CONTENT_WIDTH = A4.width - MARGINS.left - MARGINS.right;
const COLUMNS = {
  number: { x: MARGINS.left + 4, width: 30 },
  title: { x: MARGINS.left + 38, width: CONTENT_WIDTH - 38 - 84 - 96 },
  date: { x: A4.width - MARGINS.right - 84 - 92, width: 84 },
  pagesRight: A4.width - MARGINS.right - 4,
};
const SIZES = { title: 20, reference: 11, note: 8.5, header: 8, section: 10, document: 9.5, continued: 13 };
const LEADING = 1.3;
const SECTION_FILL = rgb(0.93, 0.94, 0.96);
const ROW_RULE = rgb(0.86, 0.86, 0.86);

/** Pure layout: which rows go on which page and where. Drawing uses exactly this, so measurement and output agree. */
export function layOutIndex(rows: IndexRow[], heading: IndexHeading, fonts: BundleFonts): IndexLayout {
  const regular = new TextMeasurer(fonts.regular);
  const bold = new TextMeasurer(fonts.bold);
  const pages: IndexLayout['pages'] = [];
  let current: { rows: PlacedRow[]; first: boolean } | undefined;
  let y = 0;

  const startPage = () => {
    current = { rows: [], first: pages.length === 0 };
    pages.push(current);
    y = A4.height - MARGINS.top - headingHeight(heading, current.first, fonts) - tableHeaderHeight();
  };
  const measure = (row: IndexRow) => {
    const size = row.kind === 'section' ? SIZES.section : SIZES.document;
    const measurer = row.kind === 'section' ? bold : regular;
    const titleLines = wrapParagraph(winAnsi(row.title), COLUMNS.title.width, (text) => measurer.width(text, size)).slice(0, 8);
    const dateLines = row.date ? wrapParagraph(winAnsi(row.date), COLUMNS.date.width - 8, (text) => regular.width(text, SIZES.document)).slice(0, 4) : [];
    const height = Math.max(titleLines.length, dateLines.length) * size * LEADING + (row.kind === 'section' ? 12 : 8);
    return { titleLines, dateLines, height };
  };

  startPage();
  for (const [index, row] of rows.entries()) {
    const { titleLines, dateLines, height } = measure(row);
    // A section heading is never left alone at the foot of a page: it needs room for its first document too.
    const next = rows[index + 1];
    const keepWith = row.kind === 'section' && next?.kind === 'document' ? measure(next).height : 0;
    const gapBefore = row.kind === 'section' && current!.rows.length > 0 ? 6 : 0;
    if (y - gapBefore - height - keepWith < MARGINS.bottom && current!.rows.length > 0) startPage();
    else y -= gapBefore;
    current!.rows.push({ row, titleLines, dateLines, top: y, bottom: y - height });
    y -= height;
  }
  return { pages };
}

function headingHeight(heading: IndexHeading, first: boolean, fonts: BundleFonts): number {
  if (!first) return SIZES.continued * 1.6 + 10;
  const noteLines = heading.notes.reduce((total, note) => total + noteLinesOf(note, fonts).length, 0);
  return SIZES.title * 1.25 + SIZES.reference * 1.8 + 10 + noteLines * SIZES.note * 1.4 + 16;
}

function noteLinesOf(note: string, fonts: BundleFonts): string[] {
  const measurer = new TextMeasurer(fonts.italic);
  return wrapParagraph(winAnsi(note), CONTENT_WIDTH, (text) => measurer.width(text, SIZES.note));
}

function tableHeaderHeight(): number {
  return SIZES.header * 2.6;
}

export interface IndexLink {
  page: PDFPage;
  rect: [number, number, number, number];
  target: number;
}

/** Draws the layout onto `pages` (one per layout page) and returns each linked row's rectangle. */
export function drawIndex(pages: PDFPage[], layout: IndexLayout, heading: IndexHeading, fonts: BundleFonts): IndexLink[] {
  const links: IndexLink[] = [];
  const regular = new TextMeasurer(fonts.regular);
  const bold = new TextMeasurer(fonts.bold);
  layout.pages.forEach((pageLayout, pageIndex) => {
    const page = pages[pageIndex]!;
    let y = A4.height - MARGINS.top;
    if (pageLayout.first) {
      y -= SIZES.title;
      page.drawText(winAnsi(heading.title), { x: MARGINS.left, y, font: fonts.bold, size: SIZES.title, color: INK });
      y -= SIZES.title * 0.25 + SIZES.reference * 1.8;
      page.drawText('Case reference', { x: MARGINS.left, y, font: fonts.regular, size: SIZES.reference, color: MUTED });
      page.drawText(winAnsi(heading.caseReference), { x: MARGINS.left + 92, y, font: fonts.bold, size: SIZES.reference, color: INK });
      y -= 10;
      for (const note of heading.notes) {
        for (const line of noteLinesOf(note, fonts)) {
          y -= SIZES.note * 1.4;
          page.drawText(line, { x: MARGINS.left, y, font: fonts.italic, size: SIZES.note, color: MUTED });
        }
      }
      y -= 16;
    } else {
      y -= SIZES.continued;
      page.drawText(winAnsi(heading.continued), { x: MARGINS.left, y, font: fonts.bold, size: SIZES.continued, color: INK });
      y -= SIZES.continued * 0.6 + 10;
    }
    // Column headings.
    const headerBaseline = y - SIZES.header * 1.5;
    const header = (text: string, x: number) => page.drawText(text, { x, y: headerBaseline, font: fonts.bold, size: SIZES.header, color: MUTED });
    header('NO.', COLUMNS.number.x);
    header('DOCUMENT', COLUMNS.title.x);
    header('DATE', COLUMNS.date.x);
    header('PAGES', COLUMNS.pagesRight - bold.width('PAGES', SIZES.header));
    page.drawLine({ start: { x: MARGINS.left, y: y - tableHeaderHeight() + 2 }, end: { x: A4.width - MARGINS.right, y: y - tableHeaderHeight() + 2 }, thickness: 0.8, color: RULE });

    for (const placed of pageLayout.rows) {
      const { row } = placed;
      const isSection = row.kind === 'section';
      const size = isSection ? SIZES.section : SIZES.document;
      const font = isSection ? fonts.bold : fonts.regular;
      if (isSection) page.drawRectangle({ x: MARGINS.left, y: placed.bottom + 1, width: CONTENT_WIDTH, height: placed.top - placed.bottom - 2, color: SECTION_FILL });
      else page.drawLine({ start: { x: MARGINS.left, y: placed.bottom }, end: { x: A4.width - MARGINS.right, y: placed.bottom }, thickness: 0.4, color: ROW_RULE });
      const firstBaseline = placed.top - (isSection ? 6 : 4) - size;
      page.drawText(winAnsi(row.number), { x: COLUMNS.number.x, y: firstBaseline, font, size, color: isSection ? INK : MUTED });
      placed.titleLines.forEach((line, index) => page.drawText(line, { x: COLUMNS.title.x, y: firstBaseline - index * size * LEADING, font, size, color: INK }));
      placed.dateLines.forEach((line, index) =>
        page.drawText(line, { x: COLUMNS.date.x, y: firstBaseline - index * size * LEADING, font: fonts.regular, size: SIZES.document, color: INK }),
      );
      const pagesText = winAnsi(row.pages.length > 0 ? row.pages : '—');
      const pagesWidth = (isSection ? bold : regular).width(pagesText, size);
      page.drawText(pagesText, { x: COLUMNS.pagesRight - pagesWidth, y: firstBaseline, font, size, color: row.pages.length > 0 ? INK : MUTED });
      if (row.target !== undefined) links.push({ page, rect: [MARGINS.left, placed.bottom, A4.width - MARGINS.right, placed.top], target: row.target });
    }
  });
  return links;
}
