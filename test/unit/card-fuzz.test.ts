// Participant cards arrive as files from other people: parseCard on random text, on genuine cards edited anywhere
// (as text and as JSON), and on cards re-signed with their own key after an edit (a card's owner can sign anything).
// Only AppError('invalid-card') may escape, quickly (parseCard promises that every failure says what is wrong with
// the file, under the one code the address book explains); an accepted card is exactly what its key signed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { ParticipantCard } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { ed25519Sign } from '../../electron/services/crypto/ed25519';
import { createIdentityKeys, makeCard, parseCard, serializeCard } from '../../electron/services/identities';

const CASE_TIME_BOUND_MS = 2_000;
const PROPERTY_TIME_LIMIT_MS = 8_000;
/** The card self-signature's context string (docs and identities.ts); checked below by re-signing a genuine card. */
const CARD_SIGNATURE_CONTEXT = 'hearing-desk/participant-card@1 self-signature\n';

const keys = createIdentityKeys();
const genuine = makeCard({ name: 'Quinn Hartwell', role: 'panellist', createdAt: '2026-11-01T10:00:00.000Z' }, keys);
const genuineText = serializeCard(genuine);
const runs: Record<string, { runs: number; accepted: number }> = {};

function parse(name: string, text: string): ParticipantCard | 'refused' {
  const count = (runs[name] ??= { runs: 0, accepted: 0 });
  count.runs++;
  try {
    const card = parseCard(text);
    count.accepted++;
    return card;
  } catch (error) {
    if (error instanceof AppError) {
      expect(error.code).toBe('invalid-card');
      expect(error.message.length).toBeGreaterThan(10);
      return 'refused';
    }
    throw error;
  }
}

/** Signs any card-shaped value with the genuine card's key, as its owner (or a tool of theirs) could. */
function selfSigned(card: Record<string, unknown>): string {
  const { selfSignature: _dropped, ...unsigned } = card;
  let signature: string;
  try {
    signature = Buffer.from(ed25519Sign(keys.signingSeed, Buffer.from(CARD_SIGNATURE_CONTEXT + canonicalize(unsigned), 'utf8'))).toString('base64');
  } catch {
    signature = Buffer.alloc(64).toString('base64'); // no canonical form: nothing its owner could have signed
  }
  return JSON.stringify({ ...unsigned, selfSignature: signature });
}

const options = (numRuns: number) => ({ numRuns, timeout: CASE_TIME_BOUND_MS, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '', ' ', '   Quinn   ', 'Quinn\u0000Hartwell', 'Quinn\nHartwell', '\u202eQuinn', '<img src=x onerror=alert(1)>', 'x'.repeat(121), 'x'.repeat(100_000),
    'Quinn \ud800', '\udc00Quinn', 'clerk', 'chair', 'Clerk', 'admin', '__proto__', '2026-02-30T10:00:00Z', '2026-11-01T10:00:00+01:00', 'age1' + 'q'.repeat(58),
    keys.signingPublic.toString('base64'), keys.ageRecipient, genuine.selfSignature,
  ),
);

afterAll(() => {
  console.info(`card fuzz cases: ${Object.entries(runs).map(([name, c]) => `${name} ${c.runs} (${c.accepted} accepted)`).join('; ')}`);
});

describe('participant cards under hostile input', () => {
  it('a genuine card parses, and re-signing it with its own key gives the same card (the signer below is right)', () => {
    expect(parseCard(genuineText)).toEqual(genuine);
    expect(parseCard(selfSigned({ ...genuine }))).toEqual(genuine);
  });

  it('random text, random JSON and random objects with the card format: typed refusals only', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 400 }),
          fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
          fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })).map((value) => JSON.stringify({ ...value, format: 'hearing-desk/participant-card@1' })),
        ),
        (text) => {
          expect(parse('random', text)).toBe('refused');
        },
      ),
      options(3000),
    );
  });

  it('a genuine card edited anywhere as text: refused unless the edit changes nothing signed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 6 }), insert: fc.string({ unit: 'binary', maxLength: 6 }) }), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const text = edits.reduce((current, { at, remove, insert }) => {
            const position = at % (current.length + 1);
            return current.slice(0, position) + insert + current.slice(position + remove);
          }, genuineText);
          const outcome = parse('text-edits', text);
          // Whitespace between tokens, a reordered key …: whatever is accepted must be the genuine card itself.
          if (outcome !== 'refused') expect(outcome).toEqual(genuine);
        },
      ),
      options(3000),
    );
  });

  it('a card with any field changed, dropped or added, re-signed with its own key: accepted only if still a valid card', () => {
    const fields = [...Object.keys(genuine), 'extra', '__proto__', 'constructor'];
    fc.assert(
      fc.property(
        fc.array(fc.record({ field: fc.constantFrom(...fields), change: fc.option(hostileValue, { nil: undefined }) }), { minLength: 1, maxLength: 3 }),
        (changes) => {
          const card: Record<string, unknown> = { ...genuine };
          for (const { field, change } of changes) {
            if (change === undefined) delete card[field];
            else Object.defineProperty(card, field, { value: change, enumerable: true, writable: true, configurable: true });
          }
          const text = selfSigned(card);
          const outcome = parse('re-signed', text);
          if (outcome !== 'refused') {
            // The schema held, and what is returned is exactly what the key signed (nothing trimmed or dropped).
            expect(ParticipantCard.safeParse(outcome).success).toBe(true);
            expect(outcome.signingKey).toBe(genuine.signingKey);
            expect(canonicalize(outcome)).toBe(canonicalize(JSON.parse(text)));
          }
        },
      ),
      options(3000),
    );
  });
});
