// The annotation pack parser and the JSON-LD parser under fast-check: random bytes, random JSON, and valid documents
// with one part broken. Each input either parses into a valid value or fails with the parser's own typed error,
// never a TypeError, RangeError or anything untyped.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { ANNOTATION_PACK_FORMAT, AnnotationPack } from '../../shared/domain/annotation';
import { AnnotationError } from '../../electron/services/annotations/errors';
import { parseCollection, toCollection, toWebAnnotation } from '../../electron/services/annotations/jsonld';
import { parsePackPayload } from '../../electron/services/annotations/pack';

const BUNDLE = '8a1f9c3e-2b4d-4e6f-9a0b-1c2d3e4f5a6b';
const KEY = `${'B'.repeat(43)}=`;
const SHA = 'c'.repeat(64);

const validPack = {
  format: ANNOTATION_PACK_FORMAT,
  bundleId: BUNDLE,
  caseReference: 'NEC-2026-0001',
  author: { signingKey: KEY },
  annotations: [
    {
      id: '11111111-2222-4333-8444-555555555555',
      version: 3,
      createdAt: '2026-11-20T10:00:00.000Z',
      modifiedAt: '2026-11-21T10:00:00.000Z',
      visibility: 'panel',
      content: { kind: 'highlight', documentId: 'doc-a', documentSha256: SHA, note: 'n', tags: ['t'], allegations: [1], start: { page: 1, offset: 2 }, end: { page: 2, offset: 3 }, quote: { exact: 'abc', prefix: 'p', suffix: 's' } },
    },
    {
      id: '66666666-7777-4888-9999-000000000000',
      version: 1,
      createdAt: '2026-11-20T10:00:00.000Z',
      modifiedAt: '2026-11-20T10:00:00.000Z',
      visibility: 'legal-advice',
      content: { kind: 'area', documentId: 'doc-b', documentSha256: SHA, note: null, tags: [], allegations: [], page: 1, rect: { x: 1, y: 2, width: 3, height: 4 } },
    },
  ],
  tombstones: [{ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', version: 7 }],
};

function expectTyped(run: () => unknown, codes: readonly string[]): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnotationError);
    expect(codes).toContain((error as AnnotationError).code);
  }
}

/** Replaces the value at a random path of a JSON value. */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const key = keys[path[0]! % keys.length]!;
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as unknown as Record<string, unknown>) : { ...(value as Record<string, unknown>) };
  copy[key] = mutate((value as Record<string, unknown>)[key], path.slice(1), replacement);
  return copy;
}

const PACK_CODES = ['pack-malformed', 'pack-too-large'] as const;

describe('the annotation pack parser', () => {
  it('accepts a valid pack', () => {
    expect(parsePackPayload(Buffer.from(canonicalize(validPack)))).toEqual(AnnotationPack.parse(validPack));
  });

  it('fails only with pack-malformed on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => expectTyped(() => parsePackPayload(bytes), PACK_CODES)), { numRuns: 3000 });
  });

  it('fails only with pack-malformed on random JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectTyped(() => parsePackPayload(Buffer.from(JSON.stringify(value) ?? 'null')), PACK_CODES)), { numRuns: 3000 });
  });

  it('fails only with pack-malformed on a valid pack with one part replaced by anything', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0, 2 ** 53, '', 'private', '__proto__', null, [], {})), (path, replacement) => {
        const bytes = Buffer.from(JSON.stringify(mutate(validPack, path, replacement)) ?? 'null');
        expectTyped(() => parsePackPayload(bytes), PACK_CODES);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses invalid UTF-8, deep nesting, and a pack over the size limit, each as typed errors', () => {
    expect(() => parsePackPayload(new Uint8Array([0x7b, 0xff, 0x7d]))).toThrowError(expect.objectContaining({ code: 'pack-malformed' }));
    expect(() => parsePackPayload(Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)))).toThrowError(expect.objectContaining({ code: 'pack-malformed' }));
    expect(() => parsePackPayload(new Uint8Array(33 * 1024 * 1024))).toThrowError(expect.objectContaining({ code: 'pack-too-large' }));
    expect(() => parsePackPayload(Buffer.from(canonicalize({ ...validPack, tombstones: [{ id: validPack.annotations[0]!.id, version: 9 }] })))).toThrowError(expect.objectContaining({ code: 'pack-malformed' }));
  });
});

describe('the JSON-LD parser', () => {
  const collection = toCollection(
    BUNDLE,
    'NEC-2026-0001',
    validPack.annotations.map((a) => toWebAnnotation(BUNDLE, { annotation: { ...a, content: a.content as never, visibility: a.visibility as 'panel' }, creator: { signingKey: KEY, name: 'Pat Example' } })),
  );

  it('reads back what it writes', () => {
    const parsed = parseCollection(collection);
    expect(parsed.items.map((i) => i.content)).toEqual(validPack.annotations.map((a) => a.content));
  });

  it('fails only with its own typed errors on a valid collection with one part replaced by anything', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 10 }), fc.oneof(fc.jsonValue(), fc.constantFrom(-1, 0, 1.5, '', 'page=0', 'urn:uuid:x', null, [], {})), (path, replacement) => {
        expectTyped(() => parseCollection(mutate(collection, path, replacement), { bundleId: BUNDLE, reference: 'NEC-2026-0001' }), ['jsonld-malformed', 'jsonld-wrong-case']);
      }),
      { numRuns: 5000 },
    );
  });

  it('fails only with jsonld-malformed on random JSON', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectTyped(() => parseCollection(value), ['jsonld-malformed'])), { numRuns: 2000 });
  });
});
