// PNG images into the bundle without blocking the event loop. pdf-lib decodes a PNG and re-compresses its pixels
// in JavaScript (pako), about 150 ms of uninterrupted work for one phone screenshot. PDF's Flate filter with PNG
// predictors reads PNG image data as it is, so an opaque PNG goes in unchanged (only checked by inflating it on
// zlib's thread pool); a PNG with an alpha channel is inflated and split into colour and mask, both compressed on
// the thread pool. Rarer shapes (interlaced, 16-bit with alpha, transparency chunks) use pdf-lib's path.
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { PDFName, PDFNumber, PDFHexString, type PDFDocument, type PDFRef } from 'pdf-lib';
import { BundlePdfError } from './errors';
import type { Yielder } from './yielder';

const inflateAsync = promisify(inflate);
const deflateAsync = promisify(deflate);

interface PngChunks {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  palette?: Uint8Array;
  hasTransparencyChunk: boolean;
  data: Buffer;
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function damaged(reason: string): never {
  throw new BundlePdfError('image-malformed', 'The PNG image is damaged and could not be read.', { reason });
}

function readChunks(bytes: Uint8Array): PngChunks {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Buffer[] = [];
  let offset = 8;
  let header: Omit<PngChunks, 'data' | 'palette' | 'hasTransparencyChunk'> | undefined;
  let palette: Uint8Array | undefined;
  let hasTransparencyChunk = false;
  while (offset + 12 <= buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('latin1', offset + 4, offset + 8);
    const data = buffer.subarray(offset + 8, offset + 8 + length);
    if (data.length !== length) damaged('chunk runs past the end');
    if (type === 'IHDR') {
      if (length < 13) damaged('short header');
      header = { width: data.readUInt32BE(0), height: data.readUInt32BE(4), bitDepth: data[8]!, colorType: data[9]!, interlace: data[12]! };
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') hasTransparencyChunk = true;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  if (!header) damaged('no header');
  if (idat.length === 0) damaged('no image data');
  return { ...header, ...(palette ? { palette } : {}), hasTransparencyChunk, data: Buffer.concat(idat) };
}

/** Returns the image XObject, or undefined when this PNG's shape is left to pdf-lib. */
export async function embedPngNatively(doc: PDFDocument, bytes: Uint8Array, yielder: Yielder): Promise<PDFRef | undefined> {
  const png = readChunks(bytes);
  const channels = CHANNELS[png.colorType];
  if (channels === undefined || png.interlace !== 0 || png.hasTransparencyChunk) return undefined;
  if (![1, 2, 4, 8, 16].includes(png.bitDepth) || (png.colorType === 3 && (!png.palette || png.bitDepth > 8))) return undefined;
  const hasAlpha = png.colorType === 4 || png.colorType === 6;
  if (hasAlpha && png.bitDepth !== 8) return undefined;

  const rowBytes = Math.ceil((png.width * channels * png.bitDepth) / 8);
  const expected = (rowBytes + 1) * png.height;
  let raw: Buffer;
  try {
    raw = await inflateAsync(png.data, { maxOutputLength: expected + 1 });
  } catch (error) {
    damaged(error instanceof Error ? error.message : 'inflate failed');
  }
  if (raw.length !== expected) damaged(`image data is ${raw.length} bytes, expected ${expected}`);

  const context = doc.context;
  if (!hasAlpha) {
    const colorSpace =
      png.colorType === 3
        ? context.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), PDFNumber.of(png.palette!.length / 3 - 1), PDFHexString.of(Buffer.from(png.palette!).toString('hex'))])
        : PDFName.of(png.colorType === 0 ? 'DeviceGray' : 'DeviceRGB');
    const dict = {
      Type: 'XObject',
      Subtype: 'Image',
      Width: png.width,
      Height: png.height,
      BitsPerComponent: png.bitDepth,
      ColorSpace: colorSpace,
      Filter: 'FlateDecode',
      DecodeParms: { Predictor: 15, Colors: channels, BitsPerComponent: png.bitDepth, Columns: png.width },
    };
    return context.register(context.stream(png.data, dict));
  }

  const colour = await unfilterAndSplit(raw, png.width, png.height, channels, yielder);
  const [colourData, alphaData] = await Promise.all([deflateAsync(colour.colour), deflateAsync(colour.alpha)]);
  const mask = context.register(
    context.stream(alphaData, { Type: 'XObject', Subtype: 'Image', Width: png.width, Height: png.height, BitsPerComponent: 8, ColorSpace: 'DeviceGray', Filter: 'FlateDecode' }),
  );
  const dict = {
    Type: 'XObject',
    Subtype: 'Image',
    Width: png.width,
    Height: png.height,
    BitsPerComponent: 8,
    ColorSpace: channels === 4 ? 'DeviceRGB' : 'DeviceGray',
    Filter: 'FlateDecode',
    SMask: mask,
  };
  return context.register(context.stream(colourData, dict));
}

/** Reverses PNG row filters (8-bit samples) and separates the last channel (alpha) from the colour channels. */
async function unfilterAndSplit(raw: Buffer, width: number, height: number, channels: number, yielder: Yielder): Promise<{ colour: Buffer; alpha: Buffer }> {
  const stride = width * channels;
  const colourChannels = channels - 1;
  const colour = Buffer.alloc(width * height * colourChannels);
  const alpha = Buffer.alloc(width * height);
  let previous = new Uint8Array(stride);
  let current = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const rowStart = y * (stride + 1);
    const filter = raw[rowStart]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[rowStart + 1 + x]!;
      const left = x >= channels ? current[x - channels]! : 0;
      const up = previous[x]!;
      let decoded: number;
      if (filter === 0) decoded = value;
      else if (filter === 1) decoded = value + left;
      else if (filter === 2) decoded = value + up;
      else if (filter === 3) decoded = value + ((left + up) >> 1);
      else if (filter === 4) {
        const upLeft = x >= channels ? previous[x - channels]! : 0;
        const estimate = left + up - upLeft;
        const toLeft = Math.abs(estimate - left);
        const toUp = Math.abs(estimate - up);
        const toUpLeft = Math.abs(estimate - upLeft);
        decoded = value + (toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft);
      } else damaged(`unknown row filter ${filter}`);
      current[x] = decoded & 0xff;
    }
    let colourAt = y * width * colourChannels;
    let alphaAt = y * width;
    for (let x = 0; x < stride; x += channels) {
      for (let channel = 0; channel < colourChannels; channel++) colour[colourAt++] = current[x + channel]!;
      alpha[alphaAt++] = current[x + colourChannels]!;
    }
    [previous, current] = [current, previous];
    if (y % 128 === 127) await yielder();
  }
  return { colour, alpha };
}
