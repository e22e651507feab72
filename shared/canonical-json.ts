// JSON Canonicalization Scheme (RFC 8785): one byte-exact text per JSON value, so a signature over it
// survives re-serialisation, key re-ordering and whitespace changes. Pure: no Node, no DOM.
//
// - Numbers are written as ECMAScript's Number.prototype.toString writes them (RFC 8785 §3.2.2.3).
// - Strings use JSON.stringify's escaping, which is exactly RFC 8785 §3.2.2.2 (lowercase \u00xx for controls).
// - Object keys are sorted by UTF-16 code units (§3.2.3), which is what Array.prototype.sort does by default.
// Anything that is not I-JSON (RFC 7493) is refused instead of being silently changed.
import { AppError } from './errors';

/** Thrown for values that have no canonical JSON form (NaN, Infinity, lone surrogates, Dates, Maps, cycles …). */
export class CanonicalJsonError extends AppError {
  constructor(message: string, readonly path: string) {
    super('canonical-json-unsupported', `Cannot canonicalise ${path || 'the value'}: ${message}`);
  }
}

// A lone surrogate (high not followed by low, or low not preceded by high) makes the string invalid I-JSON.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, '', new Set(), parts);
  return parts.join('');
}

function write(value: unknown, path: string, ancestors: Set<object>, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${String(value)} is not a JSON number.`, path);
      // -0 prints as "0", as RFC 8785 requires.
      out.push(String(value));
      return;
    case 'string':
      writeString(value, path, out);
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`a ${typeof value} is not a JSON value.`, path);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new CanonicalJsonError('the value refers to itself.', path);
  ancestors.add(object);
  if (Array.isArray(object)) {
    out.push('[');
    object.forEach((item: unknown, index) => {
      if (index > 0) out.push(',');
      // JSON.stringify would turn undefined into null; a signed text must not change meaning silently.
      if (item === undefined) throw new CanonicalJsonError('arrays cannot hold undefined.', `${path}[${index}]`);
      write(item, `${path}[${index}]`, ancestors, out);
    });
    out.push(']');
  } else {
    const prototype = Object.getPrototypeOf(object) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new CanonicalJsonError('only plain objects and arrays are JSON (not Dates, Maps, byte arrays …).', path);
    }
    const record = object as Record<string, unknown>;
    // Properties holding undefined are absent, as in JSON.stringify: an optional field left unset
    // canonicalises the same as one never written.
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    out.push('{');
    keys.forEach((key, index) => {
      if (index > 0) out.push(',');
      const childPath = path ? `${path}.${key}` : key;
      writeString(key, childPath, out);
      out.push(':');
      write(record[key], childPath, ancestors, out);
    });
    out.push('}');
  }
  ancestors.delete(object);
}

function writeString(value: string, path: string, out: string[]): void {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError('the text contains an unpaired UTF-16 surrogate.', path);
  out.push(JSON.stringify(value));
}
