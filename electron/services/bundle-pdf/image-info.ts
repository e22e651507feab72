// Reads an image's format, size and orientation from its header alone, before anything decodes it, so an image
// that claims absurd dimensions (a decompression bomb) is refused without allocating its pixels.
import { BundlePdfError } from './errors';
import type { BundleLimits } from './types';

export type ExifOrientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export interface ImageInfo {
  format: 'png' | 'jpeg';
  /** Pixel size as stored. */
  width: number;
  height: number;
  /** EXIF orientation (JPEG only; 1 = as stored). 5–8 swap width and height on display. */
  orientation: ExifOrientation;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Formats people send that we recognise but do not embed; named in the error so the clerk knows what to convert. */
const OTHER_FORMATS: { name: string; test: (bytes: Uint8Array) => boolean }[] = [
  { name: 'GIF', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'WebP', test: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP' },
  { name: 'BMP', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'TIFF', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { name: 'HEIC/HEIF', test: (b) => ascii(b, 4, 4) === 'ftyp' && /^(heic|heix|mif1|msf1|hevc|avif)$/.test(ascii(b, 8, 4)) },
  { name: 'PDF', test: (b) => ascii(b, 0, 5) === '%PDF-' },
];

export function readImageInfo(bytes: Uint8Array, limits: Pick<BundleLimits, 'maxImageDimension' | 'maxImagePixels'>): ImageInfo {
  const info = PNG_SIGNATURE.every((byte, index) => bytes[index] === byte)
    ? readPngInfo(bytes)
    : bytes[0] === 0xff && bytes[1] === 0xd8
      ? readJpegInfo(bytes)
      : unsupported(bytes);
  if (info.width === 0 || info.height === 0) throw new BundlePdfError('image-malformed', 'The image says it is 0 pixels wide or high.');
  if (Math.max(info.width, info.height) > limits.maxImageDimension || info.width * info.height > limits.maxImagePixels) {
    throw new BundlePdfError(
      'image-too-large',
      `The image is ${info.width} × ${info.height} pixels, more than the bundle accepts (${limits.maxImageDimension} pixels a side, ${Math.round(limits.maxImagePixels / 1e6)} million in all). Resize it and add it again.`,
      { width: info.width, height: info.height },
    );
  }
  return info;
}

function unsupported(bytes: Uint8Array): never {
  const known = OTHER_FORMATS.find((format) => format.test(bytes));
  throw new BundlePdfError(
    'image-unsupported',
    known
      ? `This is a ${known.name} file. Only PNG and JPEG images can go in a bundle: convert it and add it again.`
      : 'The file is not a PNG or JPEG image.',
    { detectedFormat: known?.name ?? 'unknown' },
  );
}

function readPngInfo(bytes: Uint8Array): ImageInfo {
  // The IHDR chunk must come first: length 13, then width and height as big-endian 32-bit numbers.
  if (bytes.length < 33 || ascii(bytes, 12, 4) !== 'IHDR') throw new BundlePdfError('image-malformed', 'The PNG image is damaged (no header chunk).');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20), orientation: 1 };
}

/** Start-of-frame markers that carry the image size (not DHT C4, JPG C8 or DAC CC). */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpegInfo(bytes: Uint8Array): ImageInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let orientation: ExifOrientation = 1;
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new BundlePdfError('image-malformed', 'The JPEG image is damaged (a marker is missing).');
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = view.getUint16(offset + 2);
    if (length < 2 || offset + 2 + length > bytes.length) break;
    const segment = offset + 4;
    if (marker === 0xe1 && ascii(bytes, segment, 6) === 'Exif\0\0') orientation = readExifOrientation(view, segment + 6, offset + 2 + length) ?? orientation;
    if (SOF_MARKERS.has(marker)) {
      if (length < 7) break;
      return { format: 'jpeg', height: view.getUint16(segment + 1), width: view.getUint16(segment + 3), orientation };
    }
    if (marker === 0xda || marker === 0xd9) break; // image data or end before any frame header
    offset += 2 + length;
  }
  throw new BundlePdfError('image-malformed', 'The JPEG image is damaged or incomplete (no frame header).');
}

function readExifOrientation(view: DataView, tiffStart: number, end: number): ExifOrientation | undefined {
  try {
    const order = view.getUint16(tiffStart);
    const little = order === 0x4949;
    if (!little && order !== 0x4d4d) return undefined;
    const ifd = tiffStart + view.getUint32(tiffStart + 4, little);
    const count = view.getUint16(ifd, little);
    for (let entry = 0; entry < count; entry++) {
      const at = ifd + 2 + entry * 12;
      if (at + 12 > end) return undefined;
      if (view.getUint16(at, little) === 0x0112) {
        const value = view.getUint16(at + 8, little);
        return value >= 1 && value <= 8 ? (value as ExifOrientation) : undefined;
      }
    }
  } catch {
    // A truncated EXIF block only loses the orientation hint; the image itself may be fine.
  }
  return undefined;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  let out = '';
  for (let index = start; index < start + length && index < bytes.length; index++) out += String.fromCharCode(bytes[index]!);
  return out;
}

/** Size as a viewer shows it, after applying the EXIF orientation. */
export function displaySize(info: ImageInfo): { width: number; height: number } {
  return info.orientation >= 5 ? { width: info.height, height: info.width } : { width: info.width, height: info.height };
}

/**
 * Header parsing proves nothing about the rest of the file, and a JPEG is embedded as-is (never decoded here),
 * so a file cut short would silently show a partly grey picture. Complete files end their data with markers we can find.
 */
export function assertImageComplete(bytes: Uint8Array, info: ImageInfo): void {
  const complete = info.format === 'png' ? pngHasEnd(bytes) : jpegHasEnd(bytes);
  if (!complete) {
    throw new BundlePdfError('image-malformed', `The ${info.format === 'png' ? 'PNG' : 'JPEG'} image is incomplete (the file was cut short).`, { reason: 'truncated' });
  }
}

function pngHasEnd(bytes: Uint8Array): boolean {
  // Walk the chunks: length, type, data, CRC. The image ends at IEND; a chunk running past the file means truncation.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 12 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = ascii(bytes, offset + 4, 4);
    if (offset + 12 + length > bytes.length) return false;
    if (type === 'IEND') return true;
    offset += 12 + length;
  }
  return false;
}

function jpegHasEnd(bytes: Uint8Array): boolean {
  // Skip the header segments up to the first start-of-scan; after it, 0xFF 0xD9 can only be the end-of-image marker
  // (entropy-coded 0xFF bytes are stuffed as 0xFF 0x00). Searching from the scan avoids an EXIF thumbnail's own end marker.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return false;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      offset += 2;
      continue;
    }
    if (marker === 0xda) break;
    offset += 2 + view.getUint16(offset + 2);
  }
  for (let index = offset + 2; index + 1 < bytes.length; index++) if (bytes[index] === 0xff && bytes[index + 1] === 0xd9) return true;
  return false;
}
