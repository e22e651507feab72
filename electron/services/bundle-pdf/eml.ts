// A small, defensive RFC 5322 / MIME reader for e-mails saved as .eml. It extracts what a panel reads
// (headers, the body text, the names of attachments) and never executes or fetches anything.
import { BundlePdfError } from './errors';
import { htmlToText } from './html-to-text';
import { binaryStringToBytes, bytesToBinaryString, decodeBase64, decodeCharset, decodeQuotedPrintable } from './text-decoding';

export interface EmailAttachment {
  filename: string;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
}

export interface ParsedEmail {
  from?: string;
  to?: string;
  cc?: string;
  date?: string;
  subject?: string;
  body: string;
  /** Which part the body came from: the plain-text part, the HTML part reduced to text, or none. */
  bodyFormat: 'plain' | 'html' | 'none';
  attachments: EmailAttachment[];
}

interface MimeEntity {
  headers: Map<string, string[]>;
  /** Raw body, one char per byte. */
  body: string;
}

interface ContentType {
  type: string;
  params: Map<string, string>;
}

/** Nesting beyond this is not followed (real mail rarely exceeds 4; a hostile file could nest thousands). */
const MAX_MIME_DEPTH = 12;
const MAX_PARTS = 1_000;
/**
 * Real headers, even with long Received chains and DKIM signatures, are tens of kilobytes and well under a hundred
 * fields; a "header bomb" (millions of fields or one enormous folded value) would otherwise be laid out as pages.
 */
export const MAX_HEADER_BYTES = 512 * 1024;
export const MAX_HEADER_FIELDS = 2_000;
const KNOWN_HEADERS = ['from', 'to', 'cc', 'date', 'subject', 'message-id', 'mime-version', 'content-type', 'received', 'sender', 'reply-to'];
const HEADER_LINE = /^([!-9;-~]+)[ \t]*:(.*)$/;

export function parseEml(bytes: Uint8Array): ParsedEmail {
  const raw = bytesToBinaryString(bytes).replace(/^\ufeff|^\xef\xbb\xbf/, '');
  const root = parseEntity(raw.replace(/^From [^\n]*\n/, ''), true);
  const decoded = (name: string) => {
    const value = root.headers.get(name)?.[0];
    return value === undefined ? undefined : decodeHeaderValue(value);
  };

  const collected: { plain: string[]; html: string[]; attachments: EmailAttachment[] } = { plain: [], html: [], attachments: [] };
  walk(root, 0, collected, { count: 0 });
  const plain = collected.plain.join('\n\n').trim();
  const html = collected.html.map(htmlToText).join('\n\n').trim();
  const [body, bodyFormat] = plain.length > 0 ? [plain, 'plain' as const] : html.length > 0 ? [html, 'html' as const] : ['', 'none' as const];

  return {
    from: decoded('from'),
    to: decoded('to'),
    cc: decoded('cc'),
    date: decoded('date'),
    subject: decoded('subject'),
    body: body.replace(/\r\n?/g, '\n'),
    bodyFormat,
    attachments: collected.attachments,
  };
}

function malformed(reason: string): never {
  throw new BundlePdfError('email-malformed', `The e-mail file could not be read: ${reason}.`);
}

function headersTooLarge(what: string): never {
  throw new BundlePdfError(
    'email-headers-too-large',
    'The e-mail has far more header lines than any real message, so it was not added. Export the message again from the mail program.',
    { reason: what },
  );
}

function parseEntity(raw: string, isTopLevel: boolean): MimeEntity {
  const split = /\r?\n\r?\n/.exec(raw);
  const headerText = split ? raw.slice(0, split.index) : raw;
  const body = split ? raw.slice(split.index + split[0].length) : '';
  if (isTopLevel) {
    if (raw.trim().length === 0) malformed('the file is empty');
    if (headerText.includes('\0')) malformed('it contains binary data where the headers should be');
  }
  if (isTopLevel && headerText.length > MAX_HEADER_BYTES) headersTooLarge(`${headerText.length} bytes of headers`);
  const headers = new Map<string, string[]>();
  let fieldCount = 0;
  let current: { name: string; value: string } | undefined;
  const commit = () => {
    if (!current) return;
    const list = headers.get(current.name) ?? [];
    list.push(current.value.trim());
    headers.set(current.name, list);
  };
  for (const [index, line] of headerText.split(/\r?\n/).entries()) {
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`; // unfolding
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) {
      if (isTopLevel && index === 0) malformed('it does not start with e-mail headers');
      continue; // a stray line in a real mail's headers: skip it as mail clients do
    }
    commit();
    if (++fieldCount > MAX_HEADER_FIELDS) headersTooLarge(`more than ${MAX_HEADER_FIELDS} header fields`);
    current = { name: match[1]!.toLowerCase(), value: match[2]! };
  }
  commit();
  if (isTopLevel && !KNOWN_HEADERS.some((name) => headers.has(name))) malformed('it has none of the usual headers (From, To, Date, Subject)');
  // A part with no blank line is all headers in a real mail, but a part that is only text is more likely body.
  if (!isTopLevel && !split && headers.size === 0) return { headers, body: raw };
  return { headers, body };
}

function walk(entity: MimeEntity, depth: number, out: { plain: string[]; html: string[]; attachments: EmailAttachment[] }, budget: { count: number }): void {
  if (++budget.count > MAX_PARTS) return;
  const contentType = parseContentType(entity.headers.get('content-type')?.[0]);
  const disposition = parseContentType(entity.headers.get('content-disposition')?.[0] ?? 'inline');
  const filename = disposition.params.get('filename') ?? contentType.params.get('name');
  const boundary = contentType.params.get('boundary');

  if (contentType.type.startsWith('multipart/') && boundary && depth < MAX_MIME_DEPTH) {
    const parts = splitMultipart(entity.body, boundary);
    if (parts.length > 0) {
      const children = parts.map((part) => parseEntity(part, false));
      if (contentType.type === 'multipart/alternative') {
        // Alternatives are the same message in different forms: keep the plain one, else the richest we can read.
        const chosen =
          children.find((child) => childType(child) === 'text/plain') ??
          children.find((child) => childType(child).startsWith('multipart/')) ??
          children.find((child) => childType(child) === 'text/html') ??
          children[children.length - 1]!;
        walk(chosen, depth + 1, out, budget);
        return;
      }
      for (const child of children) walk(child, depth + 1, out, budget);
      return;
    }
  }

  const isAttachment = disposition.type === 'attachment' || (filename !== undefined && !contentType.type.startsWith('text/'));
  const isText = contentType.type === 'text/plain' || contentType.type === 'text/html';
  if (isText && !isAttachment) {
    const text = decodeCharset(decodeTransfer(entity), contentType.params.get('charset'));
    (contentType.type === 'text/plain' ? out.plain : out.html).push(text);
    return;
  }
  out.attachments.push({
    filename: filename !== undefined ? decodeHeaderValue(filename) : describeUnnamedPart(contentType.type, entity),
    contentType: contentType.type,
    size: decodeTransfer(entity).length,
  });
}

function childType(child: MimeEntity): string {
  return parseContentType(child.headers.get('content-type')?.[0]).type;
}

function describeUnnamedPart(type: string, entity: MimeEntity): string {
  if (type === 'message/rfc822') {
    const subject = /^subject[ \t]*:(.*)$/im.exec(entity.body)?.[1];
    return subject ? `Forwarded message: ${decodeHeaderValue(subject.trim())}` : 'Forwarded message';
  }
  return `Unnamed ${type} part`;
}

function decodeTransfer(entity: MimeEntity): Uint8Array {
  const encoding = (entity.headers.get('content-transfer-encoding')?.[0] ?? '7bit').trim().toLowerCase();
  if (encoding === 'base64') return decodeBase64(entity.body);
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body);
  return binaryStringToBytes(entity.body);
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const parts: string[] = [];
  const lines = body.split(/\r?\n/);
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
      if (current) parts.push(current.join('\n'));
      current = undefined;
      break;
    }
    if (trimmed === delimiter) {
      if (current) parts.push(current.join('\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current) parts.push(current.join('\n')); // missing closing delimiter: keep what arrived
  return parts;
}

/** `type/subtype; a=b; c="d e"`, including RFC 2231 `name*=utf-8''%C3%A9` and `name*0=…; name*1=…` continuations. */
export function parseContentType(value: string | undefined): ContentType {
  const fallback: ContentType = { type: 'text/plain', params: new Map() };
  if (value === undefined || value.trim() === '') return fallback;
  const [head, ...rest] = splitParams(value);
  const type = (head ?? '').trim().toLowerCase() || 'text/plain';
  const plain = new Map<string, string>();
  const extended = new Map<string, { index: number; value: string; encoded: boolean }[]>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq < 0) continue;
    const key = param.slice(0, eq).trim().toLowerCase();
    let paramValue = param.slice(eq + 1).trim();
    if (paramValue.startsWith('"')) paramValue = paramValue.slice(1, paramValue.endsWith('"') ? -1 : undefined).replace(/\\(.)/g, '$1');
    // name* (encoded), name*0 (continuation), name*0* (both)
    const star = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(key);
    if (star && (star[2] !== undefined || star[3] !== undefined)) {
      const base = star[1]!;
      const list = extended.get(base) ?? [];
      list.push({ index: Number(star[2] ?? 0), value: paramValue, encoded: star[3] !== undefined });
      extended.set(base, list);
    } else plain.set(key, paramValue);
  }
  for (const [base, pieces] of extended) {
    pieces.sort((a, b) => a.index - b.index);
    let charset = 'utf-8';
    const bytes: number[] = [];
    for (const [position, piece] of pieces.entries()) {
      let text = piece.value;
      if (piece.encoded && position === 0) {
        const match = /^([^']*)'[^']*'(.*)$/.exec(text);
        if (match) {
          charset = match[1] || charset;
          text = match[2]!;
        }
      }
      if (piece.encoded) {
        for (let index = 0; index < text.length; index++) {
          if (text[index] === '%' && /^[0-9A-Fa-f]{2}$/.test(text.slice(index + 1, index + 3))) {
            bytes.push(parseInt(text.slice(index + 1, index + 3), 16));
            index += 2;
          } else bytes.push(text.charCodeAt(index) & 0xff);
        }
      } else for (let index = 0; index < text.length; index++) bytes.push(text.charCodeAt(index) & 0xff);
    }
    plain.set(base, decodeCharset(Uint8Array.from(bytes), charset));
  }
  return { type, params: plain };
}

function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (char === '\\' && quoted) {
      current += char + (value[index + 1] ?? '');
      index++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === ';' && !quoted) {
      out.push(current);
      current = '';
    } else current += char;
  }
  out.push(current);
  return out;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/**
 * A raw header value (one char per byte) to text: 8-bit bytes are read as UTF-8 when valid (common in practice
 * though not in the RFC), then RFC 2047 encoded-words are decoded. Adjacent encoded-words in one charset are joined
 * as bytes first, because senders split multi-byte characters across them.
 */
export function decodeHeaderValue(raw: string): string {
  const text = /[\x80-\xff]/.test(raw) ? decodeCharset(binaryStringToBytes(raw), 'utf-8') : raw;
  const segments: ({ kind: 'text'; text: string } | { kind: 'encoded'; charset: string; bytes: Uint8Array })[] = [];
  let last = 0;
  for (const match of text.matchAll(ENCODED_WORD)) {
    const between = text.slice(last, match.index);
    const previous = segments[segments.length - 1];
    // Whitespace between two encoded-words is not part of the text (RFC 2047 §6.2).
    if (!(previous?.kind === 'encoded' && /^[ \t\r\n]*$/.test(between)) && between.length > 0) segments.push({ kind: 'text', text: between });
    const charset = match[1]!.split('*')[0]!.toLowerCase();
    const payload = match[3]!;
    const bytes = match[2]!.toUpperCase() === 'B' ? decodeBase64(payload) : decodeQuotedPrintable(payload.replace(/_/g, ' '));
    const tail = segments[segments.length - 1];
    if (tail?.kind === 'encoded' && tail.charset === charset) tail.bytes = concat(tail.bytes, bytes);
    else segments.push({ kind: 'encoded', charset, bytes });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: 'text', text: text.slice(last) });
  return segments
    .map((segment) => (segment.kind === 'text' ? segment.text : decodeCharset(segment.bytes, segment.charset)))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
