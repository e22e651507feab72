// Turning bytes into text without ever throwing: evidence arrives in whatever encoding the sender's software chose.

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Charset labels as they appear in MIME, mapped to a WHATWG TextDecoder; unknown labels fall back to UTF-8. */
export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const label = (charset ?? '').trim().toLowerCase().replace(/^"|"$/g, '');
  if (label === '' || label === 'us-ascii' || label === 'ascii' || label === 'utf-8' || label === 'utf8') return decodeUtf8OrLegacy(bytes);
  try {
    // "latin1" / "iso-8859-1" are decoded as windows-1252 by WHATWG, which is what mail software means by them.
    return new TextDecoder(label, { fatal: false }).decode(bytes);
  } catch {
    return decodeUtf8OrLegacy(bytes);
  }
}

/**
 * Plain-text files carry no charset: honour a byte-order mark, accept valid UTF-8, and otherwise read Windows-1252
 * (every byte sequence is valid in it, so the text is always readable, if imperfect).
 */
export function decodeUnlabelledText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return decodeUtf8OrLegacy(bytes);
}

function decodeUtf8OrLegacy(bytes: Uint8Array): string {
  try {
    return UTF8_STRICT.decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** Bytes of a string whose chars are all 0–255 (how we hold raw MIME). */
export function binaryStringToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index) & 0xff;
  return bytes;
}

export function bytesToBinaryString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function decodeQuotedPrintable(binary: string): Uint8Array {
  // Soft line breaks ("=" at end of line) join lines; "=XX" is a byte; anything else is literal (lenient, as mail clients are).
  const joined = binary.replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const char = joined.charCodeAt(index);
    if (char === 0x3d /* = */ && /^[0-9A-Fa-f]{2}$/.test(joined.slice(index + 1, index + 3))) {
      out.push(parseInt(joined.slice(index + 1, index + 3), 16));
      index += 2;
    } else out.push(char & 0xff);
  }
  return Uint8Array.from(out);
}

export function decodeBase64(binary: string): Uint8Array {
  const clean = binary.replace(/[^A-Za-z0-9+/]/g, '');
  return new Uint8Array(Buffer.from(clean, 'base64'));
}
