// pdf-lib's standard 14 fonts encode text as WinAnsi (Windows-1252): any other character makes drawText throw.
// Everything we draw goes through here first, so an emoji in a post or a Polish name in an e-mail degrades to a
// visible '?' instead of failing the whole bundle. The original bytes stay hashed in the result, so nothing is lost.

export const SUBSTITUTE = '?';

/** The characters Windows-1252 adds in 0x80–0x9F; with printable ASCII and Latin-1 they make up the encodable set. */
const WINDOWS_1252_EXTRAS = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ';

const ENCODABLE = new Set<number>();
for (let code = 0x20; code <= 0x7e; code++) ENCODABLE.add(code);
for (let code = 0xa0; code <= 0xff; code++) ENCODABLE.add(code);
for (const char of WINDOWS_1252_EXTRAS) ENCODABLE.add(char.codePointAt(0)!);

/** Characters with a faithful WinAnsi stand-in (spacing and dashes look the same to a reader). */
const EQUIVALENTS = new Map<number, string>([
  [0x2010, '-'], // hyphen
  [0x2011, '-'], // non-breaking hyphen
  [0x2012, '–'], // figure dash
  [0x2015, '—'], // horizontal bar
  [0x2212, '-'], // minus sign
  [0x2032, "'"], // prime
  [0x2033, '"'], // double prime
]);

const WHITESPACE_LIKE = /[\t\n\r\v\f\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u1680]/;
/** Invisible in the source too (joiners, direction marks, variation selectors), so dropping them changes nothing a reader sees. */
const INVISIBLE = /[\p{Cf}\u{fe00}-\u{fe0f}\u{e0100}-\u{e01ef}]/u;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

export interface SanitizedText {
  text: string;
  /** How many characters were shown as SUBSTITUTE. */
  substituted: number;
}

export function isWinAnsiEncodable(codePoint: number): boolean {
  return ENCODABLE.has(codePoint);
}

/** Makes `text` drawable in a standard font on one line: line breaks and tabs become spaces. */
export function toWinAnsi(text: string): SanitizedText {
  if (PLAIN_ASCII.test(text)) return { text, substituted: 0 };
  let out = '';
  let substituted = 0;
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0)!;
    if (ENCODABLE.has(code) && code !== 0xad) out += char;
    else if (code === 0xad) continue; // soft hyphen: only a hint where a word may break
    else if (WHITESPACE_LIKE.test(char)) out += ' ';
    else if (EQUIVALENTS.has(code)) out += EQUIVALENTS.get(code)!;
    else if (INVISIBLE.test(char)) continue;
    else {
      out += SUBSTITUTE;
      substituted++;
    }
  }
  return { text: out, substituted };
}

/** Convenience for labels and captions where the count is not needed. */
export function winAnsi(text: string): string {
  return toWinAnsi(text).text;
}
