// `hearing-desk card …`: participant cards, the public half of an identity that people exchange and compare
// aloud by fingerprint. `show` checks a card file; `export` writes the user's own.
import { readFile } from 'node:fs/promises';
import { ROLE_LABELS, type ParticipantCard } from '../../../shared/domain/profile';
import { AppError } from '../../../shared/errors';
import { CARD_FILE_EXTENSION, fingerprintOf, parseCard, serializeCard } from '../../services/identities';
import { defineCommand } from '../framework';
import { writeText } from '../io';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile } from '../profile';

/** A card is well under a kilobyte; anything much larger is not one. */
const MAX_CARD_BYTES = 64 * 1024;

async function readCardFile(path: string): Promise<ParticipantCard> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('input-unreadable', `Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}.`);
  }
  if (bytes.length > MAX_CARD_BYTES) throw new AppError('invalid-card', `${path} is far too large to be a participant card.`);
  return parseCard(bytes.toString('utf8'));
}

export const cardShow = defineCommand({
  words: ['card', 'show'],
  summary: "Check a participant card's self-signature and show its keys and fingerprint",
  usage: `[--json] FILE.${CARD_FILE_EXTENSION}`,
  flags: [{ name: 'json', takesValue: false, description: 'print the card and its fingerprint as JSON' }],
  positionals: { min: 1, max: 1, name: 'card FILE' },
  details: `A valid self-signature proves the card was made by whoever holds its signing key, not who that is:
compare the fingerprint aloud with its owner before sealing anything to the age key.`,
  async run(context) {
    const card = await readCardFile(context.positionals[0]!);
    const fingerprint = fingerprintOf(card.signingKey, card.ageRecipient);
    if (context.has('json')) {
      context.io.stdout.write(`${JSON.stringify({ ...card, fingerprint, selfSignatureValid: true }, null, 2)}\n`);
      return;
    }
    const rows: [string, string][] = [
      ['Name', card.name],
      ['Role', ROLE_LABELS[card.role]],
      ['Fingerprint', fingerprint],
      ['Age key', card.ageRecipient],
      ['Signing key', card.signingKey],
      ['Created', card.createdAt],
      ['Self-signature', 'valid'],
    ];
    context.io.stdout.write(`${rows.map(([label, value]) => `${`${label}:`.padEnd(16)}${value}`).join('\n')}\n`);
    context.note('Compare the fingerprint aloud with its owner before trusting this card.');
  },
});

export const cardExport = defineCommand({
  words: ['card', 'export'],
  summary: 'Write your own participant card (public keys only) from your profile',
  usage: '[--profile DIR] [-o OUTPUT]',
  flags: [PROFILE_FLAG, { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file (default: standard output)' }],
  positionals: { min: 0, max: 0, name: 'argument' },
  details: `The profile's passphrase comes from HEARING_DESK_PASSPHRASE or is asked for. The card holds only public
keys; the fingerprint is printed on standard error to read aloud to whoever imports it.`,
  async run(context) {
    const { card, fingerprint } = await withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ session }) => session.myCard());
    await writeText(context.io, context.value('output'), serializeCard(card), 0o644);
    context.note(`Fingerprint: ${fingerprint}`);
  },
});

export const cardCommands = [cardShow, cardExport];
