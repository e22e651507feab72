// A person's identity: an X25519 key (their age recipient, for sealing files to them) and an Ed25519 key
// (for signing what they author). Secret halves live only inside the vault. The public halves travel as a
// participant card, self-signed to prove possession, and are compared aloud through a short fingerprint.
import { createHash } from 'node:crypto';
import { CanonicalJsonError, canonicalize } from '../../shared/canonical-json';
import { ParticipantCard, type ParticipantRole } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { generateIdentity } from './crypto/age';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify, generateEd25519Seed } from './crypto/ed25519';

export interface IdentityKeys {
  ageIdentity: string;
  ageRecipient: string;
  signingSeed: Buffer;
  signingPublic: Buffer;
}

export function createIdentityKeys(): IdentityKeys {
  const { identity, recipient } = generateIdentity();
  const signingSeed = Buffer.from(generateEd25519Seed());
  return { ageIdentity: identity, ageRecipient: recipient, signingSeed, signingPublic: Buffer.from(ed25519PublicFromSeed(signingSeed)) };
}

const CARD_SIGNATURE_CONTEXT = 'hearing-desk/participant-card@1 self-signature\n';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * 100 bits of SHA-256 over both public keys, as five groups of four Crockford base32 characters
 * (no I, L, O, U: nothing to mishear when read aloud). Both keys are bound, so neither can be swapped.
 */
export function fingerprintOf(signingKeyBase64: string, ageRecipient: string): string {
  const digest = createHash('sha256')
    .update('hearing-desk/fingerprint@1\n')
    .update(Buffer.from(signingKeyBase64, 'base64'))
    .update(ageRecipient)
    .digest();
  let bits = '';
  for (const byte of digest.subarray(0, 13)) bits += byte.toString(2).padStart(8, '0');
  const chars: string[] = [];
  for (let i = 0; i < 20; i++) chars.push(CROCKFORD[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]!);
  return [0, 4, 8, 12, 16].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

function cardSigningBytes(card: Omit<ParticipantCard, 'selfSignature'>): Buffer {
  return Buffer.from(CARD_SIGNATURE_CONTEXT + canonicalize(card), 'utf8');
}

export function makeCard(person: { name: string; role: ParticipantRole; createdAt: string }, keys: Pick<IdentityKeys, 'ageRecipient' | 'signingSeed' | 'signingPublic'>): ParticipantCard {
  const unsigned = {
    format: 'hearing-desk/participant-card@1' as const,
    name: person.name,
    role: person.role,
    ageRecipient: keys.ageRecipient,
    signingKey: keys.signingPublic.toString('base64'),
    createdAt: person.createdAt,
  };
  const selfSignature = Buffer.from(ed25519Sign(keys.signingSeed, cardSigningBytes(unsigned))).toString('base64');
  return ParticipantCard.parse({ ...unsigned, selfSignature });
}

export const CARD_FILE_EXTENSION = 'hdcard';
export function serializeCard(card: ParticipantCard): string {
  return `${JSON.stringify(card, null, 2)}\n`;
}

/** Parses a card file's text and checks its self-signature. Every failure says what is wrong with the file. */
export function parseCard(text: string): ParticipantCard {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('invalid-card', 'This is not a participant card: the file is not readable card data.');
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== 'hearing-desk/participant-card@1') {
    throw new AppError('invalid-card', 'This is not a Hearing Desk participant card (unknown format).');
  }
  const parsed = ParticipantCard.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AppError('invalid-card', `This participant card is malformed (${first?.path.join('.') || 'card'}: ${first?.message ?? 'invalid'}).`);
  }
  const { selfSignature, ...unsigned } = parsed.data;
  let signed: Buffer;
  try {
    signed = cardSigningBytes(unsigned);
  } catch (error) {
    // Text that has no canonical form (an unpaired UTF-16 surrogate) cannot have been signed by any Hearing Desk.
    if (error instanceof CanonicalJsonError) throw new AppError('invalid-card', 'This participant card is malformed: it contains text that is not valid Unicode.');
    throw error;
  }
  const valid = ed25519Verify(Buffer.from(unsigned.signingKey, 'base64'), signed, Buffer.from(selfSignature, 'base64'));
  if (!valid) {
    throw new AppError('invalid-card', 'This participant card has been altered: its signature does not match its keys. Do not trust it; ask its owner for a fresh copy.');
  }
  return parsed.data;
}
