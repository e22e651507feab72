import { PDFDocument, PDFFont, PDFPage, StandardFonts, rgb, type RGB } from 'pdf-lib';
import { toWinAnsi } from './winansi';

/** A4 in PDF points. Generated pages (index, text, e-mail, images) are A4 so they print without scaling. */
export const A4: { width: number; height: number } = { width: 595.28, height: 841.89 };

/**
 * Generated pages keep their content above `bottom`; the page label sits in the band below it (see stamp.ts),
 * the same band a copied PDF page gains as an added strip. So a label never covers content on any page.
 */
export const MARGINS = { top: 56, bottom: 64, left: 56, right: 56 } as const;

export const INK = rgb(0.1, 0.1, 0.1);
export const MUTED = rgb(0.38, 0.38, 0.38);
export const RULE = rgb(0.75, 0.75, 0.75);

export interface BundleFonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
}

export function embedBundleFonts(doc: PDFDocument): BundleFonts {
  return {
    regular: doc.embedStandardFont(StandardFonts.Helvetica),
    bold: doc.embedStandardFont(StandardFonts.HelveticaBold),
    italic: doc.embedStandardFont(StandardFonts.HelveticaOblique),
  };
}

/** Widths per character, cached: pdf-lib re-encodes the whole string on every measure, which dominates long texts. */
export class TextMeasurer {
  private readonly perPoint = new Map<string, number>();
  constructor(readonly font: PDFFont) {}

  /** Width of WinAnsi-safe `text` at `size`, as drawText renders it (pdf-lib does not kern when drawing). */
  width(text: string, size: number): number {
    let total = 0;
    for (const char of text) {
      let unit = this.perPoint.get(char);
      if (unit === undefined) {
        unit = this.font.widthOfTextAtSize(char, 1);
        this.perPoint.set(char, unit);
      }
      total += unit;
    }
    return total * size;
  }
}

/**
 * Greedy word wrap of one paragraph (no line breaks inside). Leading indentation is kept on the first line;
 * spaces at a wrap point are dropped; a word wider than the line is split between characters.
 */
export function wrapParagraph(text: string, maxWidth: number, widthOf: (text: string) => number): string[] {
  if (text.length === 0) return [''];
  const lines: string[] = [];
  const tokens = text.split(/( +)/).filter((token) => token.length > 0);
  let line = '';
  let pendingSpace = '';
  const flush = () => {
    lines.push(line);
    line = '';
    pendingSpace = '';
  };
  for (const [index, token] of tokens.entries()) {
    if (token.startsWith(' ')) {
      if (index === 0) line = fitPrefix(token, maxWidth, widthOf);
      else if (line.length > 0) pendingSpace = token;
      continue;
    }
    const candidate = line + pendingSpace + token;
    if (widthOf(candidate) <= maxWidth) {
      line = candidate;
      pendingSpace = '';
      continue;
    }
    if (line.trim().length > 0) flush();
    else pendingSpace = '';
    let rest = line + token;
    line = '';
    while (widthOf(rest) > maxWidth) {
      const head = fitPrefix(rest, maxWidth, widthOf);
      lines.push(head);
      rest = rest.slice(head.length);
    }
    line = rest;
  }
  if (line.length > 0 || lines.length === 0) lines.push(line);
  return lines;
}

/** Longest prefix that fits (at least one character, so wrapping always makes progress). */
function fitPrefix(text: string, maxWidth: number, widthOf: (text: string) => number): string {
  const chars = Array.from(text);
  let low = 1;
  let high = chars.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (widthOf(chars.slice(0, middle).join('')) <= maxWidth) low = middle;
    else high = middle - 1;
  }
  return chars.slice(0, low).join('');
}

export interface TextStyle {
  font: PDFFont;
  size: number;
  color?: RGB;
  /** Extra left indent in points. */
  indent?: number;
  /** Line height as a multiple of size. */
  leading?: number;
}

export interface FlowWriterOptions {
  /** Called before a page would exceed this many; must throw (documents have a page limit). */
  maxPages: number;
  onTooManyPages: () => never;
  size?: { width: number; height: number };
}

/** Lays text out top to bottom over as many A4 pages as it needs. */
export class FlowWriter {
  readonly pages: PDFPage[] = [];
  /** Characters shown as '?' because the standard fonts cannot encode them. */
  substituted = 0;
  private page: PDFPage | undefined;
  private y = 0;
  private readonly measurers = new Map<PDFFont, TextMeasurer>();
  private readonly size: { width: number; height: number };

  constructor(
    private readonly doc: PDFDocument,
    private readonly options: FlowWriterOptions,
  ) {
    this.size = options.size ?? A4;
  }

  get contentWidth(): number {
    return this.size.width - MARGINS.left - MARGINS.right;
  }

  measurer(font: PDFFont): TextMeasurer {
    let measurer = this.measurers.get(font);
    if (!measurer) {
      measurer = new TextMeasurer(font);
      this.measurers.set(font, measurer);
    }
    return measurer;
  }

  /** Wraps and draws one paragraph (a source line). Returns the number of lines drawn. */
  paragraph(text: string, style: TextStyle): number {
    const safe = toWinAnsi(text);
    this.substituted += safe.substituted;
    const indent = style.indent ?? 0;
    const measurer = this.measurer(style.font);
    const lines = wrapParagraph(safe.text, this.contentWidth - indent, (line) => measurer.width(line, style.size));
    for (const line of lines) this.drawLine(line, style);
    return lines.length;
  }

  /** A label in a fixed-width column with a wrapped value beside it (e-mail headers, capture details). */
  field(label: string, value: string, labelStyle: TextStyle, valueStyle: TextStyle, labelWidth: number): void {
    const safe = toWinAnsi(value);
    this.substituted += safe.substituted;
    const measurer = this.measurer(valueStyle.font);
    const lines = wrapParagraph(safe.text, this.contentWidth - labelWidth, (line) => measurer.width(line, valueStyle.size));
    lines.forEach((line, index) => {
      const lineHeight = valueStyle.size * (valueStyle.leading ?? 1.35);
      const page = this.reserve(lineHeight);
      if (index === 0) page.drawText(toWinAnsi(label).text, { x: MARGINS.left, y: this.y, font: labelStyle.font, size: labelStyle.size, color: labelStyle.color ?? INK });
      page.drawText(line, { x: MARGINS.left + labelWidth, y: this.y, font: valueStyle.font, size: valueStyle.size, color: valueStyle.color ?? INK });
    });
  }

  gap(points: number): void {
    if (this.page && this.y - points > MARGINS.bottom) this.y -= points;
  }

  rule(): void {
    const page = this.reserve(10);
    page.drawLine({
      start: { x: MARGINS.left, y: this.y + 4 },
      end: { x: this.size.width - MARGINS.right, y: this.y + 4 },
      thickness: 0.6,
      color: RULE,
    });
  }

  /** Makes sure at least one page exists (an empty document still occupies a page). */
  finish(): PDFPage[] {
    if (this.pages.length === 0) this.newPage();
    return this.pages;
  }

  private drawLine(line: string, style: TextStyle): void {
    const page = this.reserve(style.size * (style.leading ?? 1.35));
    if (line.length === 0) return;
    page.drawText(line, { x: MARGINS.left + (style.indent ?? 0), y: this.y, font: style.font, size: style.size, color: style.color ?? INK });
  }

  /** Moves the cursor down by `lineHeight`, starting a new page first if the line would cross the bottom margin. */
  private reserve(lineHeight: number): PDFPage {
    if (!this.page || this.y - lineHeight < MARGINS.bottom) this.newPage();
    this.y -= lineHeight;
    return this.page!;
  }

  private newPage(): void {
    if (this.pages.length >= this.options.maxPages) this.options.onTooManyPages();
    this.page = this.doc.addPage([this.size.width, this.size.height]);
    this.pages.push(this.page);
    this.y = this.size.height - MARGINS.top;
  }
}
