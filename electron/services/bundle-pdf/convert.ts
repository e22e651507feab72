// Turns one evidence document into bundle pages, appended to the bundle document in order.
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFObjectCopier,
  PDFPage,
  PDFRef,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
} from 'pdf-lib';
import { parseEml, type ParsedEmail } from './eml';
import { BundlePdfError, describeCause } from './errors';
import { formatByteSize, formatDisplayDate } from './format';
import { assertImageComplete, displaySize, readImageInfo, type ImageInfo } from './image-info';
import { A4, FlowWriter, INK, MARGINS, MUTED, RULE, TextMeasurer, wrapParagraph, type BundleFonts, type TextStyle } from './layout';
import { openSourcePdf } from './pdf-source';
import { embedPngNatively } from './png-embed';
import { decodeUnlabelledText } from './text-decoding';
import type { BundleDocumentInput, BundleLimits, EvidenceKind } from './types';
import { toWinAnsi, winAnsi } from './winansi';
import type { Yielder } from './yielder';

export interface ConvertContext {
  doc: PDFDocument;
  fonts: BundleFonts;
  limits: BundleLimits;
  yielder: Yielder;
}

/**
 * "copied" pages keep their own size and gain a label strip below their content (see stamp.ts);
 * "generated" pages are A4 with the label band already kept free by MARGINS.bottom.
 */
export type PageOrigin = 'generated' | 'copied';

export interface ConvertedDocument {
  pages: PDFPage[];
  origin: PageOrigin;
}

const KIND_NAMES: Record<EvidenceKind, string> = { pdf: 'PDF document', image: 'Image', text: 'Text document', eml: 'E-mail' };

export async function convertDocument(context: ConvertContext, input: BundleDocumentInput): Promise<ConvertedDocument> {
  if (input.bytes.byteLength > context.limits.maxDocumentBytes) {
    throw new BundlePdfError(
      'document-too-large',
      `The file is ${formatByteSize(input.bytes.byteLength)}, more than the ${formatByteSize(context.limits.maxDocumentBytes)} a single document may be.`,
      { size: input.bytes.byteLength, maxDocumentBytes: context.limits.maxDocumentBytes },
    );
  }
  switch (input.kind) {
    case 'pdf':
      return { pages: await copyPdf(context, input.bytes), origin: 'copied' };
    case 'image':
      return { pages: [await drawImagePage(context, input)], origin: 'generated' };
    case 'text':
      return { pages: await layOutText(context, input), origin: 'generated' };
    case 'eml':
      return { pages: await layOutEmail(context, input), origin: 'generated' };
    default:
      throw new BundlePdfError('invalid-input', `Unknown kind of document: ${String((input as { kind: unknown }).kind)}.`);
  }
}

// ---------------------------------------------------------------------------------------------------------- PDF

async function copyPdf(context: ConvertContext, bytes: Uint8Array): Promise<PDFPage[]> {
  const { pdf, pageCount } = await openSourcePdf(bytes, context.limits.maxPagesPerDocument);
  await context.yielder();
  try {
    const sourcePages = pdf.getPages();
    if (sourcePages.length !== pageCount) throw new Error(`page tree yielded ${sourcePages.length} pages, expected ${pageCount}`);
    // One copier for the whole document, so fonts and images shared between its pages are copied once;
    // page by page (rather than pdf-lib's copyPages) so a long document can yield between pages.
    const copier = PDFObjectCopier.for(pdf.context, context.doc.context);
    const pages: PDFPage[] = [];
    for (const sourcePage of sourcePages) {
      dropInternalReferences(sourcePage.node);
      const copy = copier.copy(sourcePage.node);
      const page = PDFPage.of(copy, context.doc.context.register(copy), context.doc);
      context.doc.addPage(page);
      pages.push(page);
      await context.yielder();
    }
    return pages;
  } catch (error) {
    if (error instanceof BundlePdfError) throw error;
    throw new BundlePdfError('pdf-malformed', 'The PDF is damaged: its pages could not be copied. Open it in a PDF reader, save or print it to a new PDF and add that instead.', {
      reason: 'copy-failed',
      cause: describeCause(error),
    });
  }
}

/**
 * Links to other pages of the source document, and annotations' back-references to their page, would make the
 * copier drag the source's whole page tree into the bundle as unreachable objects (and the links would lead
 * nowhere). Web links (URI actions) stay. Only our parsed copy of the source is changed.
 */
function dropInternalReferences(page: PDFDict): void {
  const context = page.context;
  const annots = context.lookup(page.get(PDFName.of('Annots')));
  if (!(annots instanceof PDFArray)) return;
  const kept = annots.asArray().filter((value) => {
    const annot = value instanceof PDFRef ? context.lookup(value) : value;
    if (!(annot instanceof PDFDict)) return false;
    annot.delete(PDFName.of('P'));
    if (annot.get(PDFName.of('Subtype')) !== PDFName.of('Link')) return true;
    if (annot.has(PDFName.of('Dest'))) return false;
    const action = context.lookup(annot.get(PDFName.of('A')));
    return !(action instanceof PDFDict) || action.get(PDFName.of('S')) !== PDFName.of('GoTo');
  });
  page.set(PDFName.of('Annots'), context.obj(kept));
}

// --------------------------------------------------------------------------------------------- generated pages

const TITLE_SIZE = 13;
const META_SIZE = 9;
const BODY_SIZE = 10;
const FIELD_LABEL_WIDTH = 70;

function tooManyPages(limits: BundleLimits): never {
  throw new BundlePdfError('too-many-pages', `The document would take more than ${limits.maxPagesPerDocument.toLocaleString('en-GB')} pages, the most a single document may have. Split it and add the parts.`, {
    maxPages: limits.maxPagesPerDocument,
  });
}

function newWriter(context: ConvertContext): FlowWriter {
  return new FlowWriter(context.doc, { maxPages: context.limits.maxPagesPerDocument, onTooManyPages: () => tooManyPages(context.limits) });
}

/** Title and a muted line naming the date and kind, so a generated page says what it is without the index. */
function writeHeading(writer: FlowWriter, fonts: BundleFonts, input: BundleDocumentInput): void {
  writer.paragraph(input.title, { font: fonts.bold, size: TITLE_SIZE, leading: 1.3 });
  const meta = [formatDisplayDate(input.date), KIND_NAMES[input.kind]].filter((part) => part.length > 0).join('  ·  ');
  writer.paragraph(meta, { font: fonts.regular, size: META_SIZE, color: MUTED, leading: 1.6 });
  writer.rule();
  writer.gap(6);
}

/** Tabs to spaces at 4-column stops, so tabulated text (chat exports, tables) keeps its shape. */
function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(4 - (out.length % 4)) : char;
  return out;
}

async function writeBody(context: ConvertContext, writer: FlowWriter, text: string): Promise<void> {
  const style: TextStyle = { font: context.fonts.regular, size: BODY_SIZE, leading: 1.4 };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (const [index, line] of lines.entries()) {
    writer.paragraph(expandTabs(line).trimEnd(), style);
    if (index % 256 === 255) await context.yielder();
  }
}

async function layOutText(context: ConvertContext, input: BundleDocumentInput): Promise<PDFPage[]> {
  const writer = newWriter(context);
  writeHeading(writer, context.fonts, input);
  await writeBody(context, writer, decodeUnlabelledText(input.bytes).replace(/^\ufeff/, ''));
  noteSubstitutions(context, writer);
  return writer.finish();
}

/** The panel must know when what they read is not exactly what was sent (emoji, scripts outside Latin-1). */
function noteSubstitutions(context: ConvertContext, writer: FlowWriter): void {
  if (writer.substituted === 0) return;
  const count = writer.substituted;
  writer.gap(8);
  writer.paragraph(
    `${count} ${count === 1 ? 'character' : 'characters'} that the bundle's font cannot show (such as emoji) ${count === 1 ? 'appears' : 'appear'} as "?". The original file is kept unchanged.`,
    { font: context.fonts.italic, size: 8.5, color: MUTED, leading: 1.5 },
  );
}

async function layOutEmail(context: ConvertContext, input: BundleDocumentInput): Promise<PDFPage[]> {
  let email: ParsedEmail;
  try {
    email = parseEml(input.bytes);
  } catch (error) {
    if (error instanceof BundlePdfError) throw error;
    throw new BundlePdfError('email-malformed', 'The e-mail file could not be read.', { cause: describeCause(error) });
  }
  const { fonts } = context;
  const writer = newWriter(context);
  writeHeading(writer, fonts, input);
  const label: TextStyle = { font: fonts.bold, size: 9.5, color: MUTED };
  const value: TextStyle = { font: fonts.regular, size: 9.5, leading: 1.4 };
  const fields: [string, string | undefined][] = [
    ['From', email.from],
    ['To', email.to],
    ['Cc', email.cc],
    ['Date', email.date],
    ['Subject', email.subject],
  ];
  for (const [name, text] of fields) if (text !== undefined && text.length > 0) writer.field(name, text, label, value, FIELD_LABEL_WIDTH);
  if (email.attachments.length > 0) writer.field('Attachments', `${email.attachments.length} (listed at the end)`, label, value, FIELD_LABEL_WIDTH);
  writer.gap(4);
  writer.rule();
  writer.gap(6);
  if (email.bodyFormat === 'none') writer.paragraph('(The message has no text.)', { font: fonts.italic, size: BODY_SIZE, color: MUTED });
  else {
    if (email.bodyFormat === 'html') writer.paragraph('Text of the HTML message; formatting and images are not reproduced.', { font: fonts.italic, size: 8.5, color: MUTED, leading: 1.8 });
    await writeBody(context, writer, email.body);
  }
  if (email.attachments.length > 0) {
    writer.gap(10);
    writer.rule();
    writer.paragraph('Attachments', { font: fonts.bold, size: 10.5, leading: 1.6 });
    writer.paragraph('Listed only. An attachment appears in the bundle if it was added as a document of its own.', {
      font: fonts.italic,
      size: 8.5,
      color: MUTED,
      leading: 1.6,
    });
    for (const [index, attachment] of email.attachments.entries()) {
      writer.paragraph(`${index + 1}.  ${attachment.filename}  (${attachment.contentType}, ${formatByteSize(attachment.size)})`, { font: fonts.regular, size: 9.5, leading: 1.45 });
      if (index % 256 === 255) await context.yielder();
    }
  }
  noteSubstitutions(context, writer);
  return writer.finish();
}

// ------------------------------------------------------------------------------------------------------ images

const CAPTION_SIZE = 8.5;
const CAPTION_LEADING = 1.35;
/** Small screenshots are not blown up beyond this many points per pixel (they would only look blurred). */
const MAX_POINTS_PER_PIXEL = 1.5;

async function drawImagePage(context: ConvertContext, input: BundleDocumentInput): Promise<PDFPage> {
  const info = readImageInfo(input.bytes, context.limits);
  assertImageComplete(input.bytes, info);
  const image = await embedImage(context, input.bytes, info);
  const shown = displaySize(info);
  // Landscape images (desktop screenshots) get a landscape page so they are not shrunk to a strip.
  const size = shown.width > shown.height * 1.15 ? { width: A4.height, height: A4.width } : A4;
  const page = context.doc.addPage([size.width, size.height]);
  const { fonts } = context;
  const contentWidth = size.width - MARGINS.left - MARGINS.right;

  // Title block at the top.
  let y = size.height - MARGINS.top;
  const titleMeasurer = new TextMeasurer(fonts.bold);
  for (const line of wrapParagraph(winAnsi(input.title), contentWidth, (text) => titleMeasurer.width(text, TITLE_SIZE))) {
    y -= TITLE_SIZE * 1.3;
    page.drawText(line, { x: MARGINS.left, y, font: fonts.bold, size: TITLE_SIZE, color: INK });
  }
  const meta = [formatDisplayDate(input.date), KIND_NAMES.image, `${info.width} × ${info.height} pixels`].filter((part) => part.length > 0).join('  ·  ');
  y -= META_SIZE * 1.6;
  page.drawText(winAnsi(meta), { x: MARGINS.left, y, font: fonts.regular, size: META_SIZE, color: MUTED });
  y -= 12;

  // Capture details at the bottom, measured first so the image gets whatever space is left.
  const caption = captionLines(context, input, contentWidth);
  const captionHeight = caption.length * CAPTION_SIZE * CAPTION_LEADING;
  const captionTop = MARGINS.bottom + captionHeight + (caption.length > 0 ? 12 : 0);
  const box = { x: MARGINS.left, y: captionTop, width: contentWidth, height: y - captionTop };
  const scale = Math.min(box.width / shown.width, box.height / shown.height, MAX_POINTS_PER_PIXEL);
  const width = shown.width * scale;
  const height = shown.height * scale;
  const x = box.x + (box.width - width) / 2;
  const imageY = box.y + box.height - height; // top-aligned under the title, so the caption follows close beneath
  drawOrientedImage(page, image, info, x, imageY, width, height);
  page.drawRectangle({ x, y: imageY, width, height, borderColor: RULE, borderWidth: 0.5 });

  let captionY = imageY - 12;
  for (const line of caption) {
    captionY -= CAPTION_SIZE * CAPTION_LEADING;
    if (line.label) page.drawText(line.label, { x: MARGINS.left, y: captionY, font: fonts.bold, size: CAPTION_SIZE, color: MUTED });
    page.drawText(line.text, { x: MARGINS.left + FIELD_LABEL_WIDTH, y: captionY, font: fonts.regular, size: CAPTION_SIZE, color: INK });
  }
  return page;
}

function captionLines(context: ConvertContext, input: BundleDocumentInput, contentWidth: number): { label: string; text: string }[] {
  const capture = input.capture;
  if (!capture) return [];
  const measurer = new TextMeasurer(context.fonts.regular);
  const out: { label: string; text: string }[] = [];
  const fields: [string, string][] = [
    ['Source', capture.sourceUrl],
    ['Captured', formatCaptureTime(capture.capturedAt)],
    ['Captured by', capture.capturedBy],
  ];
  for (const [label, value] of fields) {
    if (value.trim().length === 0) continue;
    // URLs have no spaces: wrapParagraph splits them between characters when they are too long for a line.
    const lines = wrapParagraph(toWinAnsi(value.trim()).text, contentWidth - FIELD_LABEL_WIDTH, (text) => measurer.width(text, CAPTION_SIZE));
    lines.slice(0, 6).forEach((text, index) => out.push({ label: index === 0 ? label : '', text }));
  }
  return out;
}

/** "2026-03-03T09:14:00Z" → "3 Mar 2026, 09:14:00 (UTC)"; the clerk's own wording is kept when it is not ISO 8601. */
export function formatCaptureTime(value: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return value.trim();
  const date = formatDisplayDate(match[1]);
  if (date === match[1]) return value.trim();
  const zone = match[3] === undefined ? '' : match[3] === 'Z' ? ' (UTC)' : ` (UTC${match[3]})`;
  return `${date}, ${match[2]}${zone}`;
}

async function embedImage(context: ConvertContext, bytes: Uint8Array, info: ImageInfo): Promise<PDFRef> {
  if (info.format === 'png') {
    const native = await embedPngNatively(context.doc, bytes, context.yielder);
    if (native) return native;
  }
  try {
    const image = info.format === 'png' ? await context.doc.embedPng(bytes) : await context.doc.embedJpg(bytes);
    // Written into the document now rather than at save: a PNG is otherwise held decoded (4 bytes a pixel) until then.
    await image.embed();
    return image.ref;
  } catch (error) {
    throw new BundlePdfError('image-malformed', `The ${info.format === 'png' ? 'PNG' : 'JPEG'} image is damaged and could not be read.`, {
      cause: describeCause(error),
    });
  }
}

/**
 * Draws the stored pixels so they appear as a viewer shows them: the EXIF orientation says how the camera held the
 * sensor. The matrix maps the image's unit square onto the target box, rotated and/or mirrored (orientations 2–8).
 */
function drawOrientedImage(page: PDFPage, image: PDFRef, info: ImageInfo, x: number, y: number, width: number, height: number): void {
  const w = width;
  const h = height;
  const matrices: Record<number, [number, number, number, number, number, number]> = {
    1: [w, 0, 0, h, x, y],
    2: [-w, 0, 0, h, x + w, y],
    3: [-w, 0, 0, -h, x + w, y + h],
    4: [w, 0, 0, -h, x, y + h],
    5: [0, -h, -w, 0, x + w, y + h],
    6: [0, -h, w, 0, x, y + h],
    7: [0, h, w, 0, x, y],
    8: [0, h, -w, 0, x + w, y],
  };
  const [a, b, c, d, e, f] = matrices[info.orientation]!;
  const name = page.node.newXObject('Image', image);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(a, b, c, d, e, f), drawObject(name), popGraphicsState());
}
