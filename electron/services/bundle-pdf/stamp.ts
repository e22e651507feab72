// The page label (bottom right) and case reference (bottom left) on every page.
//
// Generated pages keep the band below MARGINS.bottom free for it. A copied evidence page gains a white strip of
// LABEL_STRIP points along the edge a reader sees as the bottom (which depends on its /Rotate), so the label never
// covers evidence: the page's own content is untouched, only its boxes grow.
import { PDFName, degrees, rgb, type PDFPage } from 'pdf-lib';
import type { PageOrigin } from './convert';
import { INK, MARGINS, MUTED, RULE, TextMeasurer, type BundleFonts } from './layout';
import { winAnsi } from './winansi';

export const LABEL_STRIP = 34;
const LABEL_SIZE = 10;
const REFERENCE_SIZE = 8;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function stampPage(page: PDFPage, origin: PageOrigin, label: string, caseReference: string, fonts: BundleFonts): void {
  if (origin === 'generated') {
    const { width } = page.getSize();
    drawFooter(page, fonts, label, caseReference, width, { band: MARGINS.bottom, baseline: 26, rule: 42, inset: MARGINS.left }, (dx, dy) => ({ x: dx, y: dy }), 0);
    return;
  }
  const rotation = normalisedRotation(page.getRotation().angle);
  const box = page.getCropBox();
  const grown: Box = { ...box };
  // Grow the box on the side that is displayed at the bottom.
  if (rotation === 0) {
    grown.y -= LABEL_STRIP;
    grown.height += LABEL_STRIP;
  } else if (rotation === 90) grown.width += LABEL_STRIP;
  else if (rotation === 180) grown.height += LABEL_STRIP;
  else {
    grown.x -= LABEL_STRIP;
    grown.width += LABEL_STRIP;
  }
  page.setMediaBox(grown.x, grown.y, grown.width, grown.height);
  page.setCropBox(grown.x, grown.y, grown.width, grown.height);
  // Print-production boxes would otherwise clip the strip away in some viewers and printers.
  for (const name of ['BleedBox', 'TrimBox', 'ArtBox']) page.node.delete(PDFName.of(name));

  // Maps a point in displayed coordinates (origin bottom-left as the reader sees the page) into user space.
  const toUser = (dx: number, dy: number): { x: number; y: number } => {
    const { x, y, width, height } = grown;
    if (rotation === 0) return { x: x + dx, y: y + dy };
    if (rotation === 90) return { x: x + width - dy, y: y + dx };
    if (rotation === 180) return { x: x + width - dx, y: y + height - dy };
    return { x: x + dy, y: y + height - dx };
  };
  const stripRect: Box =
    rotation === 0
      ? { x: grown.x, y: grown.y, width: grown.width, height: LABEL_STRIP }
      : rotation === 90
        ? { x: grown.x + grown.width - LABEL_STRIP, y: grown.y, width: LABEL_STRIP, height: grown.height }
        : rotation === 180
          ? { x: grown.x, y: grown.y + grown.height - LABEL_STRIP, width: grown.width, height: LABEL_STRIP }
          : { x: grown.x, y: grown.y, width: LABEL_STRIP, height: grown.height };
  // Painted white: content that overflowed the old box (normally clipped) must not show through the strip.
  page.drawRectangle({ ...stripRect, color: rgb(1, 1, 1) });
  const displayedWidth = rotation === 90 || rotation === 270 ? grown.height : grown.width;
  const inset = Math.min(MARGINS.left, displayedWidth * 0.06);
  drawFooter(page, fonts, label, caseReference, displayedWidth, { band: LABEL_STRIP, baseline: 12, rule: LABEL_STRIP, inset }, toUser, rotation);
}

function drawFooter(
  page: PDFPage,
  fonts: BundleFonts,
  label: string,
  caseReference: string,
  displayedWidth: number,
  geometry: { band: number; baseline: number; rule: number; inset: number },
  toUser: (dx: number, dy: number) => { x: number; y: number },
  rotation: number,
): void {
  // Tiny pages (receipts, tickets) get proportionally smaller text, never below a legible minimum.
  const scale = Math.max(0.6, Math.min(1, displayedWidth / 420));
  const labelSize = LABEL_SIZE * scale;
  const referenceSize = REFERENCE_SIZE * scale;
  const safeLabel = winAnsi(label);
  const labelWidth = new TextMeasurer(fonts.bold).width(safeLabel, labelSize);
  const right = displayedWidth - geometry.inset;
  const reference = fitText(winAnsi(caseReference), new TextMeasurer(fonts.regular), referenceSize, right - labelWidth - 16 - geometry.inset);
  const start = toUser(geometry.inset, geometry.rule);
  const end = toUser(right, geometry.rule);
  page.drawLine({ start, end, thickness: 0.5, color: RULE });
  page.drawText(reference, { ...toUser(geometry.inset, geometry.baseline), font: fonts.regular, size: referenceSize, color: MUTED, rotate: degrees(rotation) });
  page.drawText(safeLabel, { ...toUser(right - labelWidth, geometry.baseline), font: fonts.bold, size: labelSize, color: INK, rotate: degrees(rotation) });
}

/** Cuts text to `maxWidth` with an ellipsis (a case reference is short; this only guards against a silly one). */
function fitText(text: string, measurer: TextMeasurer, size: number, maxWidth: number): string {
  if (measurer.width(text, size) <= maxWidth) return text;
  let cut = text;
  while (cut.length > 0 && measurer.width(`${cut}…`, size) > maxWidth) cut = cut.slice(0, -1);
  return cut.length > 0 ? `${cut}…` : '';
}

function normalisedRotation(angle: number): 0 | 90 | 180 | 270 {
  const quarter = Math.round((((angle % 360) + 360) % 360) / 90) % 4;
  return (quarter * 90) as 0 | 90 | 180 | 270;
}
