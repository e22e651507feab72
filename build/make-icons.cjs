// Draws the Hearing Desk icon and writes it as PNG files, with nothing but node:zlib: a sealed document (the
// hearing bundle) on a deep blue rounded square, closed by an amber seal. Shapes are signed-distance functions,
// so every edge is anti-aliased by exact pixel coverage and the output is identical on every machine.
//
//   node build/make-icons.cjs          writes build/icons/512x512.png and build/icons/256x256.png
//
// test/unit/packaging-config.test.ts checks that the stored files are exactly what renderIcon() draws.
'use strict';

const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { deflateSync } = require('node:zlib');

const ICON_SIZES = Object.freeze([512, 256]);
const ICONS_DIRECTORY = join(__dirname, 'icons');

// Colours as [r, g, b] in 0–255.
const TILE_TOP = [38, 70, 128];
const TILE_BOTTOM = [21, 40, 78];
const PAPER = [248, 249, 251];
const PAPER_SHADOW = [8, 18, 38];
const TEXT_LINE = [176, 186, 204];
const SEAL = [217, 146, 43];
const SEAL_RIM = [183, 114, 22];
const SEAL_MARK = [255, 244, 222];

/** Signed distance (in the unit square) to a rounded rectangle centred at (cx, cy). Negative inside. */
function roundedRect(x, y, cx, cy, halfWidth, halfHeight, radius) {
  const qx = Math.abs(x - cx) - halfWidth + radius;
  const qy = Math.abs(y - cy) - halfHeight + radius;
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function circle(x, y, cx, cy, radius) {
  return Math.hypot(x - cx, y - cy) - radius;
}

/** Distance to the segment from (ax, ay) to (bx, by), made into a stroke of the given half-width. */
function stroke(x, y, ax, ay, bx, by, halfWidth) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) - halfWidth;
}

/** Coverage of a pixel by a shape whose signed distance (in pixels) at the pixel centre is d. */
function coverage(distanceInPixels) {
  return Math.min(1, Math.max(0, 0.5 - distanceInPixels));
}

/** Source-over compositing of a straight-alpha colour onto a premultiplied accumulator. */
function over(pixel, colour, alpha) {
  if (alpha <= 0) return;
  for (let channel = 0; channel < 3; channel++) {
    pixel[channel] = colour[channel] * alpha + pixel[channel] * (1 - alpha);
  }
  pixel[3] = alpha + pixel[3] * (1 - alpha);
}

function mix(a, b, t) {
  return [0, 1, 2].map((channel) => a[channel] + (b[channel] - a[channel]) * t);
}

/** RGBA bytes (straight alpha), row by row, of the icon at size × size pixels. */
function drawIcon(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const pixel = [0, 0, 0, 0];
  // The document: portrait, slightly above centre, leaving room for the seal on its lower edge.
  const paper = { cx: 0.5, cy: 0.47, halfWidth: 0.235, halfHeight: 0.3, radius: 0.035 };
  const lines = [0.3, 0.37, 0.44, 0.51].map((y, index) => ({ y, end: index === 3 ? 0.56 : 0.66 }));
  const seal = { cx: 0.5, cy: 0.73, radius: 0.105 };

  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const x = (column + 0.5) / size;
      const y = (row + 0.5) / size;
      const toPixels = (distance) => distance * size;
      pixel.fill(0);

      // The tile: macOS-style margins so the icon sits well beside others on every platform.
      over(pixel, mix(TILE_TOP, TILE_BOTTOM, y), coverage(toPixels(roundedRect(x, y, 0.5, 0.5, 0.43, 0.43, 0.1))));
      // A soft shadow under the paper, then the paper.
      const shadowDistance = roundedRect(x, y, paper.cx, paper.cy + 0.012, paper.halfWidth, paper.halfHeight, paper.radius);
      over(pixel, PAPER_SHADOW, 0.35 * Math.min(1, Math.max(0, 1 - (shadowDistance + 0.004) / 0.03)));
      over(pixel, PAPER, coverage(toPixels(roundedRect(x, y, paper.cx, paper.cy, paper.halfWidth, paper.halfHeight, paper.radius))));
      for (const line of lines) {
        over(pixel, TEXT_LINE, coverage(toPixels(stroke(x, y, 0.34, line.y, line.end, line.y, 0.011))));
      }
      // The seal: rim, face, and a tick mark for "sealed and verified".
      over(pixel, SEAL_RIM, coverage(toPixels(circle(x, y, seal.cx, seal.cy, seal.radius))));
      over(pixel, SEAL, coverage(toPixels(circle(x, y, seal.cx, seal.cy, seal.radius - 0.014))));
      const tick = Math.min(
        stroke(x, y, seal.cx - 0.045, seal.cy + 0.002, seal.cx - 0.012, seal.cy + 0.034, 0.013),
        stroke(x, y, seal.cx - 0.012, seal.cy + 0.034, seal.cx + 0.05, seal.cy - 0.035, 0.013),
      );
      over(pixel, SEAL_MARK, coverage(toPixels(tick)));

      const offset = (row * size + column) * 4;
      const alpha = pixel[3];
      for (let channel = 0; channel < 3; channel++) {
        rgba[offset + channel] = alpha > 0 ? Math.round(pixel[channel]) : 0;
      }
      rgba[offset + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** A PNG file: 8-bit RGBA, non-interlaced, every row with filter type 0 (none). */
function encodePng(width, height, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: truecolour with alpha
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let row = 0; row < height; row++) {
    raw[row * (stride + 1)] = 0;
    rgba.copy(raw, row * (stride + 1) + 1, row * stride, (row + 1) * stride);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The icon as PNG bytes. */
function renderIcon(size) {
  return encodePng(size, size, drawIcon(size));
}

function iconPath(size) {
  return join(ICONS_DIRECTORY, `${size}x${size}.png`);
}

function writeIcons() {
  mkdirSync(ICONS_DIRECTORY, { recursive: true });
  return ICON_SIZES.map((size) => {
    writeFileSync(iconPath(size), renderIcon(size));
    return iconPath(size);
  });
}

module.exports = { ICON_SIZES, ICONS_DIRECTORY, crc32, iconPath, renderIcon, writeIcons };

if (require.main === module) {
  for (const path of writeIcons()) console.log(`wrote ${path}`);
}
