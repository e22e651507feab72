// Fuzzing the decision draft and declaration file parsers (shared/domain/decision-draft-file.ts) with fast-check:
// whatever bytes arrive inside a correctly signed envelope, the parser returns a file its schema accepts or throws
// its one typed error, never anything else (no TypeError, no RangeError, no zod error escaping).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import {
  DECISION_DRAFT_FILE_FORMAT,
  DECLARATION_FILE_FORMAT,
  DecisionDraftFile,
  DecisionFileError,
  DeclarationFile,
  MAX_DRAFT_JSON_BYTES,
  parseDecisionDraftFile,
  parseDeclarationFile,
} from '../../shared/domain/decision-draft-file';
import { baselineDraft } from '../fixtures/checker/baseline';

const encode = (text: string) => new TextEncoder().encode(text);

function validDraftFile(): DecisionDraftFile {
  const draft = baselineDraft();
  return { format: DECISION_DRAFT_FILE_FORMAT, caseReference: draft.caseReference, bundleId: '7d7c2b7e-5b0a-4c55-9a8e-3f1b8f0e2a11', revision: draft.revision, scribeId: null, draft };
}

function validDeclarationFile(): DeclarationFile {
  return {
    format: DECLARATION_FILE_FORMAT,
    caseReference: 'NCC/2026/0417',
    bundleId: '7d7c2b7e-5b0a-4c55-9a8e-3f1b8f0e2a11',
    participantId: 'panellist-wrenfield',
    recordedAt: '2026-04-19T10:00:00.000Z',
    declaration: { conflict: false, recused: false, declaredOn: '2026-04-19' },
    training: { completedOn: '2026-02-26' },
  };
}

const PARSERS = [
  { name: 'decision draft file', parse: parseDecisionDraftFile, code: 'draft-malformed', valid: validDraftFile, schema: DecisionDraftFile },
  { name: 'declaration file', parse: parseDeclarationFile, code: 'declaration-malformed', valid: validDeclarationFile, schema: DeclarationFile },
] as const;

/** Parses; returns 'ok' or the typed error's code. Anything else thrown fails the property. */
function outcome(parse: (bytes: Uint8Array) => unknown, schema: { safeParse(value: unknown): { success: boolean } }, bytes: Uint8Array): string {
  try {
    const parsed = parse(bytes);
    expect(schema.safeParse(parsed).success).toBe(true);
    return 'ok';
  } catch (error) {
    if (!(error instanceof DecisionFileError)) throw error;
    expect(error.message.length).toBeGreaterThan(20);
    return error.code;
  }
}

/** Sets the value at a path of a JSON value (creating nothing: a missing step leaves it unchanged). */
function setAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = setAt(copy[head!], rest, replacement);
  return copy;
}

/** Every path in a JSON value, so mutations can reach any field. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix];
  if (value === null || typeof value !== 'object') return here;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object);
  return here.concat(...entries.map(([key, child]) => paths(child, [...prefix, key])));
}

describe.each(PARSERS)('$name parser', ({ parse, code, valid, schema }) => {
  it('reads back exactly what was written', () => {
    const file = valid();
    expect(parse(encode(canonicalize(file)))).toEqual(file);
  });

  it('answers any bytes with a file or its typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(outcome(parse, schema, bytes)).toBe(code);
      }),
      { numRuns: 500 },
    );
  });

  it('answers any JSON value with a file or its typed error', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(outcome(parse, schema, encode(JSON.stringify(value)))).toBe(code);
      }),
      { numRuns: 500 },
    );
  });

  it('answers the valid file with any field replaced by any JSON value', () => {
    const file = valid();
    const everyPath = paths(file);
    fc.assert(
      fc.property(fc.constantFrom(...everyPath), fc.jsonValue({ maxDepth: 3 }), (path, replacement) => {
        const mutated = setAt(file, path, replacement);
        expect(['ok', code]).toContain(outcome(parse, schema, encode(JSON.stringify(mutated))));
      }),
      { numRuns: 1000 },
    );
  });

  it('answers the valid file with bytes flipped, cut or inserted', () => {
    const bytes = encode(canonicalize(valid()));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ kind: fc.constant('flip' as const), at: fc.nat({ max: bytes.length - 1 }), bit: fc.nat({ max: 7 }) }),
          fc.record({ kind: fc.constant('cut' as const), at: fc.nat({ max: bytes.length - 1 }) }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.nat({ max: bytes.length }), extra: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
        ),
        (edit) => {
          let mutated: Uint8Array;
          if (edit.kind === 'flip') {
            mutated = bytes.slice();
            mutated[edit.at]! ^= 1 << edit.bit;
          } else if (edit.kind === 'cut') {
            mutated = bytes.slice(0, edit.at);
          } else {
            mutated = new Uint8Array([...bytes.subarray(0, edit.at), ...edit.extra, ...bytes.subarray(edit.at)]);
          }
          expect(['ok', code]).toContain(outcome(parse, schema, mutated));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('refuses hostile shapes: deep nesting, prototype keys, lone surrogates, absurd sizes', () => {
    const hostile = [
      '['.repeat(200_000),
      `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
      JSON.stringify({ ...valid(), __proto__: { polluted: true } }).replace('"format"', '"__proto__":{"polluted":true},"format"'),
      '{"format":"\\ud800"}',
      '\ufeff{}',
      'null',
      '',
    ];
    for (const text of hostile) expect(outcome(parse, schema, encode(text))).toBe(code);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(outcome(parse, schema, new Uint8Array(MAX_DRAFT_JSON_BYTES + 128 * 1024).fill(0x20))).toBe(code);
  });
});

describe('the draft file beyond its schema', () => {
  it('refuses a draft whose inner case or revision disagrees with its file', () => {
    const file = validDraftFile();
    expect(() => parseDecisionDraftFile(encode(JSON.stringify({ ...file, caseReference: 'NCC/2026/0418' })))).toThrow(/different case/);
    expect(() => parseDecisionDraftFile(encode(JSON.stringify({ ...file, revision: 4 })))).toThrow(/different revision/);
  });

  it('refuses a declaration dated after it was recorded, or holding nothing', () => {
    const file = validDeclarationFile();
    expect(() => parseDeclarationFile(encode(JSON.stringify({ ...file, training: { completedOn: '2026-04-20' } })))).toThrow(/training is dated after/);
    expect(() => parseDeclarationFile(encode(JSON.stringify({ ...file, declaration: null, training: null })))).toThrow(/neither/);
  });
});
