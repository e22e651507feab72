// Hostile input: whatever bytes arrive, the only thing that may escape the age layer is an AgeError,
// and any change to a genuine file must be refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgeError, decrypt, encrypt, generateIdentity, inspectHeader } from '../../electron/services/crypto/age';
import { concat } from '../../electron/services/crypto/byte-reader';
import { ascii, chunked, randomishBytes } from '../fixtures/age/builders';

const me = generateIdentity();
const other = generateIdentity();
const TIME_LIMIT_MS = 15_000;

async function onlyAgeErrors(work: () => Promise<unknown>): Promise<'ok' | 'refused'> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (error instanceof AgeError) return 'refused';
    throw error;
  }
}

/** Header-shaped junk: the parser's interesting paths are reached far more often than with uniform bytes. */
const headerishLine = fc.oneof(
  fc.constantFrom('-> X25519 ', '-> scrypt ', '--- ', '->', '---', '-> ', ''),
  fc.stringMatching(/^[A-Za-z0-9+/=\- >\r]{0,70}$/),
  fc.base64String({ maxLength: 90 }),
);
const headerish = fc
  .tuple(fc.array(fc.tuple(headerishLine, headerishLine), { maxLength: 6 }), fc.uint8Array({ maxLength: 200 }))
  .map(([lines, tail]) => concat([ascii(`age-encryption.org/v1\n${lines.map(([a, b]) => `${a}${b}\n`).join('')}`), tail]));

type Mutation = { kind: 'flip'; at: number; bit: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array } | { kind: 'delete'; at: number; count: number };

function mutate(file: Uint8Array, mutation: Mutation): Uint8Array {
  const at = mutation.at % (file.length + 1);
  switch (mutation.kind) {
    case 'flip': {
      const copy = file.slice();
      copy[at % file.length]! ^= 1 << mutation.bit;
      return copy;
    }
    case 'cut':
      return file.subarray(0, at % file.length);
    case 'insert':
      return concat([file.subarray(0, at), mutation.bytes, file.subarray(at)]);
    case 'delete':
      return concat([file.subarray(0, at), file.subarray(Math.min(file.length, at + mutation.count))]);
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 20 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 70_000 }) }),
);

describe('age under hostile input', () => {
  it('random bytes and header-shaped junk: only AgeError escapes, from decrypt and inspectHeader', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 3000 }), headerish), fc.integer({ min: 1, max: 64 }), async (bytes, split) => {
        expect(await onlyAgeErrors(() => decrypt(bytes, [me.identity]))).toBe('refused');
        await onlyAgeErrors(() => inspectHeader(chunked(bytes, [split])));
      }),
      { numRuns: 3000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('any single mutation of a genuine two-recipient, two-chunk file is refused with an AgeError', async () => {
    const plaintext = randomishBytes(70_000, 77);
    const genuine = await encrypt(plaintext, [other.recipient, me.recipient]);
    expect(Buffer.compare(await decrypt(genuine, [me.identity]), plaintext)).toBe(0);
    await fc.assert(
      fc.asyncProperty(mutation, async (change) => {
        const damaged = mutate(genuine, change);
        fc.pre(Buffer.compare(damaged, genuine) !== 0);
        expect(await onlyAgeErrors(() => decrypt(damaged, [me.identity]))).toBe('refused');
      }),
      { numRuns: 2000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('mutations of a small file (header-dominated) are refused too', async () => {
    const genuine = await encrypt(ascii('a fictional note'), [me.recipient]);
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (changes) => {
        const damaged = changes.reduce(mutate, genuine);
        fc.pre(Buffer.compare(damaged, genuine) !== 0);
        expect(await onlyAgeErrors(() => decrypt(damaged, [me.identity]))).toBe('refused');
      }),
      { numRuns: 3000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });
});
