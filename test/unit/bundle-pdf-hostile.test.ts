// Hostile and broken evidence: each must fail with its own BundlePdfError code naming the document, never hang
// and never escape as an untyped error.
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { assembleBundle, isBundlePdfError, type BundleDocumentInput, type BundleLimits, type BundlePdfErrorCode } from '../../electron/services/bundle-pdf/index';
import { extractPageTexts } from '../../electron/services/bundle-pdf/page-text';
import {
  encryptPdf,
  headerBombEmail,
  makeAbsurdPageCountPdf,
  makeCyclicPageTreePdf,
  makeJpeg,
  makePng,
  makePngHeaderOnly,
  makeSourcePdf,
} from '../fixtures/bundle-pdf/build';

async function expectRefusal(document: Omit<BundleDocumentInput, 'id' | 'title'>, code: BundlePdfErrorCode, limits?: Partial<BundleLimits>): Promise<void> {
  const attempt = assembleBundle(
    { caseReference: 'DP-2026-099', sections: [{ letter: 'A', title: 'Evidence', documents: [{ id: 'doc-1', title: 'Exhibit', ...document }] }] },
    limits ? { limits } : {},
  );
  const error = await attempt.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isBundlePdfError(error), `expected a BundlePdfError, got ${String(error)}`).toBe(true);
  expect(error).toMatchObject({ code, documentId: code === 'invalid-input' ? undefined : 'doc-1' });
}

let goodPdf: Uint8Array;
beforeAll(async () => {
  goodPdf = await makeSourcePdf({ pages: 3, marker: 'GOOD' });
});

describe('hostile PDFs', () => {
  it('refuses bytes that are not a PDF', () => expectRefusal({ kind: 'pdf', bytes: new TextEncoder().encode('hello, panel') }, 'not-a-pdf'));

  it('refuses garbage behind a PDF header', () =>
    expectRefusal({ kind: 'pdf', bytes: new TextEncoder().encode(`%PDF-1.7\n${'<<]]>> obj ( endobj 9 0 R '.repeat(200)}\n%%EOF\n`) }, 'pdf-malformed'));

  it('refuses a truncated PDF', () => expectRefusal({ kind: 'pdf', bytes: goodPdf.subarray(0, Math.floor(goodPdf.length * 0.6)) }, 'pdf-malformed'));

  it('refuses an encrypted PDF, whether its trailer is a stream or a classic table', async () => {
    await expectRefusal({ kind: 'pdf', bytes: encryptPdf(goodPdf, 'object-streams') }, 'pdf-encrypted');
    await expectRefusal({ kind: 'pdf', bytes: encryptPdf(goodPdf, 'classic') }, 'pdf-encrypted');
  });

  it('refuses a PDF that claims two billion pages', () => expectRefusal({ kind: 'pdf', bytes: makeAbsurdPageCountPdf() }, 'too-many-pages'));

  it('refuses a page tree that contains itself', () => expectRefusal({ kind: 'pdf', bytes: makeCyclicPageTreePdf() }, 'pdf-malformed'));

  it('refuses a PDF with no pages', async () => {
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });
    await expectRefusal({ kind: 'pdf', bytes: empty }, 'pdf-malformed');
  });

  it('refuses more pages than the limit, and a file larger than the limit', async () => {
    await expectRefusal({ kind: 'pdf', bytes: goodPdf }, 'too-many-pages', { maxPagesPerDocument: 2 });
    await expectRefusal({ kind: 'pdf', bytes: goodPdf }, 'document-too-large', { maxDocumentBytes: 1024 });
  });

  it('refuses damaged PDF bytes in text extraction', async () => {
    await expect(extractPageTexts(new TextEncoder().encode('%PDF-1.7\nnot really\n'))).rejects.toMatchObject({ code: 'pdf-malformed' });
  });
});

describe('hostile images', () => {
  it('refuses a PNG claiming absurd dimensions before decoding it', () => expectRefusal({ kind: 'image', bytes: makePngHeaderOnly(200_000, 200_000) }, 'image-too-large'));

  it('refuses a truncated JPEG', async () => {
    const jpeg = await makeJpeg(120, 80);
    await expectRefusal({ kind: 'image', bytes: jpeg.subarray(0, jpeg.length - 40) }, 'image-malformed');
  });

  it('refuses a truncated PNG', async () => {
    const png = makePng(64, 64, (x, y) => [x * 4, y * 4, 0]);
    await expectRefusal({ kind: 'image', bytes: png.subarray(0, png.length - 30) }, 'image-malformed');
  });

  it('refuses a PNG whose compressed data is corrupt', async () => {
    const png = Buffer.from(makePng(64, 64, (x, y) => [x * 4, y * 4, 0]));
    png.fill(0x55, 45, 70); // inside IDAT
    await expectRefusal({ kind: 'image', bytes: new Uint8Array(png) }, 'image-malformed');
  });

  it('names a GIF as unsupported', () => expectRefusal({ kind: 'image', bytes: new TextEncoder().encode('GIF89a\x01\x00\x01\x00') }, 'image-unsupported'));
});

describe('hostile e-mails and text', () => {
  it('refuses an e-mail with a header bomb', () => expectRefusal({ kind: 'eml', bytes: headerBombEmail() }, 'email-headers-too-large'));

  it('refuses an e-mail with one enormous folded header', () =>
    expectRefusal({ kind: 'eml', bytes: new TextEncoder().encode(`From: a@example.org\r\nSubject: x\r\n${' folded\r\n'.repeat(80_000)}\r\nbody`) }, 'email-headers-too-large'));

  it('refuses a file that is not an e-mail', () => expectRefusal({ kind: 'eml', bytes: new TextEncoder().encode('just some words\n\nmore words') }, 'email-malformed'));

  it('refuses text that would run past the page limit', () =>
    expectRefusal({ kind: 'text', bytes: new TextEncoder().encode('line\n'.repeat(5_000)) }, 'too-many-pages', { maxPagesPerDocument: 3 }));
});

describe('malformed requests', () => {
  it('refuses a bad section letter, duplicate ids and a missing case reference', async () => {
    const doc = { id: 'x', title: 'X', kind: 'text' as const, bytes: new Uint8Array([65]) };
    await expect(assembleBundle({ caseReference: 'R', sections: [{ letter: 'a1', title: 'S', documents: [] }] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(assembleBundle({ caseReference: 'R', sections: [{ letter: 'A', title: 'S', documents: [doc, doc] }] })).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(assembleBundle({ caseReference: ' ', sections: [] })).rejects.toMatchObject({ code: 'invalid-input' });
  });
});
