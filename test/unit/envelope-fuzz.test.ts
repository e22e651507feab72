// Hostile input at both layers: mutated files (anyone on the path) and mutated plaintexts re-encrypted by a
// recipient (who holds a valid key). Only AgeError or EnvelopeError may escape, and every change is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AgeError, decrypt, encrypt, generateIdentity } from '../../electron/services/crypto/age';
import { concat } from '../../electron/services/crypto/byte-reader';
import { generateEd25519Seed } from '../../electron/services/crypto/ed25519';
import { EnvelopeError, openEnvelopeBytes, sealEnvelopeBytes, type OpenEnvelopeOptions } from '../../electron/services/crypto/envelope';
import { ascii, randomishBytes } from '../fixtures/age/builders';

const author = { ...generateIdentity(), seed: generateEd25519Seed() };
const reader = generateIdentity();
const TIME_LIMIT_MS = 15_000;
const options: OpenEnvelopeOptions = {
  identity: reader.identity,
  expectedTypes: ['hearing-desk/bundle@1', 'hearing-desk/outcome@1'],
  maxPayloadBytes: 1 << 20,
};

async function outcome(work: () => Promise<unknown>): Promise<'ok' | 'refused'> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (error instanceof EnvelopeError || error instanceof AgeError) return 'refused';
    throw error;
  }
}

const edit = fc.oneof(
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 3 }), insert: fc.uint8Array({ maxLength: 4 }) }),
  fc.record({ at: fc.nat(), remove: fc.constant(0), insert: fc.constantFrom(ascii(' '), ascii('"'), ascii('\n'), ascii('0'), ascii('}')) }),
);

function applyEdit(bytes: Uint8Array, change: { at: number; remove: number; insert: Uint8Array }): Uint8Array {
  const at = change.at % (bytes.length + 1);
  return concat([bytes.subarray(0, at), change.insert, bytes.subarray(Math.min(bytes.length, at + change.remove))]);
}

describe('envelopes under hostile input', () => {
  it('a recipient editing the plaintext anywhere (header, payload, signature) and re-encrypting is always refused', async () => {
    const sealed = await sealEnvelopeBytes({
      type: 'hearing-desk/bundle@1',
      payload: randomishBytes(3000, 5),
      author: { signingSeed: author.seed, ageRecipient: author.recipient },
      recipients: [reader.recipient],
    });
    const plaintext = await decrypt(sealed, [reader.identity]);
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (changes) => {
        const edited = changes.reduce(applyEdit, plaintext);
        fc.pre(Buffer.compare(edited, plaintext) !== 0);
        const reencrypted = await encrypt(edited, [reader.recipient]);
        expect(await outcome(() => openEnvelopeBytes(reencrypted, options))).toBe('refused');
      }),
      { numRuns: 2000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });

  it('random plaintexts behind a valid magic line, and random files: only the typed errors escape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.boolean(), async (junk, withMagic) => {
        const plaintext = withMagic ? concat([ascii('hearing-desk/envelope@1\n'), junk]) : junk;
        expect(await outcome(() => encrypt(plaintext, [reader.recipient]).then((file) => openEnvelopeBytes(file, options)))).toBe('refused');
        expect(await outcome(() => openEnvelopeBytes(junk, options))).toBe('refused');
      }),
      { numRuns: 2000, interruptAfterTimeLimit: TIME_LIMIT_MS },
    );
  });
});
