// Images as the panel will see them: PNG pixels reach the PDF exactly (checked by decoding the embedded streams
// with qpdf, an independent decoder, including PNG predictors), in every colour type and row filter.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleBundle } from '../../electron/services/bundle-pdf/index';
import { formatCaptureTime } from '../../electron/services/bundle-pdf/convert';
import { tempDir } from '../helpers/temp';
import { makePng, type PngOptions } from '../fixtures/bundle-pdf/build';

const dir = tempDir('hd-bundle-img-');
afterAll(() => dir.cleanup());

const WIDTH = 37;
const HEIGHT = 23;
/** Gradients and noise-like values, so every row filter has real work to undo. */
const paint = (x: number, y: number): number[] => [(x * 7 + y * 3) & 0xff, (x * y * 5 + 11) & 0xff, (255 - x * 6) & 0xff, (y * 11 + x) & 0xff];

async function embeddedImageStreams(png: Uint8Array, name: string): Promise<{ colour: Buffer; mask: Buffer | undefined; dict: PDFDict }> {
  const bundle = await assembleBundle({ caseReference: 'DP-2026-021', sections: [{ letter: 'A', title: 'Images', documents: [{ id: 'img', title: 'Image', kind: 'image', bytes: png }] }] });
  const file = join(dir.path, `${name}.pdf`);
  writeFileSync(file, bundle.pdf);
  expect(execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors found');
  const doc = await PDFDocument.load(bundle.pdf);
  const xobjects = doc.getPage(1).node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
  const imageRef = xobjects.values().find((value): value is PDFRef => value instanceof PDFRef)!;
  const image = doc.context.lookup(imageRef) as unknown as { dict: PDFDict };
  const decoded = (ref: PDFRef) => execFileSync('qpdf', [`--show-object=${ref.objectNumber}`, '--filtered-stream-data', file]);
  const maskRef = image.dict.get(PDFName.of('SMask'));
  return { colour: decoded(imageRef), mask: maskRef instanceof PDFRef ? decoded(maskRef) : undefined, dict: image.dict };
}

function expected(channels: number[]): Buffer {
  const out: number[] = [];
  for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) for (const channel of channels) out.push(paint(x, y)[channel]!);
  return Buffer.from(out);
}

describe('PNG embedding', () => {
  const filters = [0, 1, 2, 3, 4];
  const cases: [string, PngOptions, number[], number[] | undefined][] = [
    ['rgb', { colorType: 2, filters }, [0, 1, 2], undefined],
    ['rgba', { colorType: 6, filters }, [0, 1, 2], [3]],
    ['grey', { colorType: 0, filters }, [0], undefined],
  ];
  for (const [name, options, colourChannels, maskChannels] of cases) {
    it(`embeds ${name} pixels exactly`, async () => {
      const streams = await embeddedImageStreams(makePng(WIDTH, HEIGHT, paint, options), name);
      expect(streams.colour.equals(expected(colourChannels))).toBe(true);
      if (maskChannels) expect(streams.mask?.equals(expected(maskChannels))).toBe(true);
      else expect(streams.mask).toBeUndefined();
    });
  }

  it('embeds palette images with their palette', async () => {
    const palette: [number, number, number][] = [
      [255, 0, 0],
      [0, 128, 0],
      [0, 0, 255],
    ];
    const streams = await embeddedImageStreams(makePng(WIDTH, HEIGHT, (x, y) => [(x + y) % 3], { colorType: 3, palette, filters }), 'palette');
    const indices: number[] = [];
    for (let y = 0; y < HEIGHT; y++) for (let x = 0; x < WIDTH; x++) indices.push((x + y) % 3);
    expect(streams.colour.equals(Buffer.from(indices))).toBe(true);
    expect(String(streams.dict.get(PDFName.of('ColorSpace')))).toContain('/Indexed /DeviceRGB 2');
  });
});

describe('capture times', () => {
  it('shows ISO 8601 times in words and keeps anything else as the clerk wrote it', () => {
    expect(formatCaptureTime('2026-03-01T21:07:00Z')).toBe('1 Mar 2026, 21:07:00 (UTC)');
    expect(formatCaptureTime('2026-03-01T21:07+01:00')).toBe('1 Mar 2026, 21:07 (UTC+01:00)');
    expect(formatCaptureTime('about 9pm on Sunday')).toBe('about 9pm on Sunday');
  });
});

describe('JPEG orientation', () => {
  // Where a stored point (u, v) (0..1, v up) appears on screen (X, Y) for each EXIF orientation, inverted:
  // given the displayed point, which stored point is shown there.
  const storedAt: Record<number, (X: number, Y: number) => [number, number]> = {
    1: (X, Y) => [X, Y],
    2: (X, Y) => [1 - X, Y],
    3: (X, Y) => [1 - X, 1 - Y],
    4: (X, Y) => [X, 1 - Y],
    5: (X, Y) => [1 - Y, 1 - X],
    6: (X, Y) => [1 - Y, X],
    7: (X, Y) => [Y, X],
    8: (X, Y) => [Y, 1 - X],
  };
  const shade = (u: number, v: number) => (u > 2 / 3 && v > 2 / 3 ? 'white' : u < 1 / 3 ? 'green' : 'black');

  for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`shows orientation ${orientation} as a viewer would`, async () => {
      const { makeJpeg } = await import('../fixtures/bundle-pdf/build');
      const jpeg = await makeJpeg(300, 200, orientation);
      const bundle = await assembleBundle({ caseReference: 'DP-2026-021', sections: [{ letter: 'A', title: 'Photos', documents: [{ id: 'p', title: 'Photo', kind: 'image', bytes: jpeg }] }] });
      const file = join(dir.path, `orientation-${orientation}.pdf`);
      writeFileSync(file, bundle.pdf);
      const out = join(dir.path, `orientation-${orientation}`);
      execFileSync('pdftoppm', ['-gray', '-r', '36', '-f', '2', '-l', '2', '-singlefile', file, out]);
      const pgm = execFileSync('cat', [`${out}.pgm`]);
      const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40))!;
      const [width, height] = [Number(header[1]), Number(header[2])];
      const pixels = pgm.subarray(header[0].length);
      const value = (x: number, y: number) => pixels[y * width + x]!;
      // The picture's rows are the ones mostly dark; text rows (title, footer) are sparse.
      const rows = [...Array(height).keys()].filter((y) => [...Array(width).keys()].filter((x) => value(x, y) < 150).length > width * 0.2);
      const top = rows[0]!;
      const bottom = rows[rows.length - 1]!;
      const middle = Math.round((top + bottom) / 2);
      const columns = [...Array(width).keys()].filter((x) => value(x, middle) < 150 || value(x, top + 2) < 150);
      const [left, right] = [columns[0]!, columns[columns.length - 1]!];
      for (const X of [1 / 6, 1 / 2, 5 / 6]) {
        for (const Y of [1 / 6, 1 / 2, 5 / 6]) {
          const pixel = value(Math.round(left + X * (right - left)), Math.round(bottom - Y * (bottom - top)));
          const seen = pixel > 200 ? 'white' : pixel > 70 ? 'green' : 'black';
          expect(seen, `at (${X.toFixed(2)}, ${Y.toFixed(2)})`).toBe(shade(...storedAt[orientation]!(X, Y)));
        }
      }
    });
  }
});
