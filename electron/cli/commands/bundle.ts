// `hearing-desk bundle …`: sealed files (docs/envelope.md). `inspect` reads only what a sealed file says about
// itself in clear, without any key. More bundle commands (seal, open) join `bundleCommands` below.
import { stat } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import { CHUNK_SIZE, inspectHeader, type AgeHeaderSummary } from '../../services/crypto/age';
import { defineCommand } from '../framework';
import { openFileInput } from '../io';
import { bundleOpen, bundleSeal } from './bundle-seal-open';

const TAG_BYTES = 16;
const PAYLOAD_NONCE_BYTES = 16;
const SEALED_CHUNK_BYTES = CHUNK_SIZE + TAG_BYTES;

export interface SealedFileSummary {
  file: string;
  sizeBytes: number;
  format: AgeHeaderSummary['version'];
  /** Stanza types in header order (e.g. ["X25519", "X25519"]). */
  stanzaTypes: string[];
  x25519Recipients: number;
  scrypt: { workFactor: number } | null;
  headerBytes: number;
  /** Bytes of encrypted content implied by the file size (the sealed header, payload and signature), if the size is consistent. */
  sealedContentBytes: number | null;
  chunks: number | null;
  /** Why the size cannot be that of a complete age file, or null. */
  problem: string | null;
}

/** What the length of the encrypted part implies, by the age payload layout: a nonce, then 64 KiB chunks each with a 16-byte tag. */
function contentSize(sizeBytes: number, headerBytes: number): Pick<SealedFileSummary, 'sealedContentBytes' | 'chunks' | 'problem'> {
  const encrypted = sizeBytes - headerBytes - PAYLOAD_NONCE_BYTES;
  if (encrypted < TAG_BYTES) {
    return { sealedContentBytes: null, chunks: null, problem: 'the file ends before its first encrypted chunk: it is truncated' };
  }
  const chunks = Math.ceil(encrypted / SEALED_CHUNK_BYTES);
  const last = encrypted - (chunks - 1) * SEALED_CHUNK_BYTES;
  if (last < TAG_BYTES || (last === TAG_BYTES && chunks > 1)) {
    return { sealedContentBytes: null, chunks: null, problem: 'its size does not fit whole encrypted chunks: it is truncated or has extra data' };
  }
  return { sealedContentBytes: encrypted - chunks * TAG_BYTES, chunks, problem: null };
}

export async function summarizeSealedFile(path: string): Promise<SealedFileSummary> {
  const info = await stat(path).catch(() => null);
  if (info && !info.isFile()) throw new AppError('input-unreadable', `Cannot inspect ${path}: it is not a regular file.`);
  const input = await openFileInput(path);
  let header: AgeHeaderSummary;
  try {
    header = await inspectHeader(input.source);
  } finally {
    await input.close();
  }
  const sizeBytes = input.size ?? 0;
  return {
    file: path,
    sizeBytes,
    format: header.version,
    stanzaTypes: header.stanzas.map((stanza) => stanza.type),
    x25519Recipients: header.x25519Recipients,
    scrypt: header.scrypt,
    headerBytes: header.headerBytes,
    ...contentSize(sizeBytes, header.headerBytes),
  };
}

function bytes(count: number): string {
  return `${count.toLocaleString('en-GB')} byte${count === 1 ? '' : 's'}`;
}

function describe(summary: SealedFileSummary): string {
  const opensWith = summary.scrypt
    ? `a passphrase (scrypt, work factor ${summary.scrypt.workFactor})`
    : `${summary.x25519Recipients} age key${summary.x25519Recipients === 1 ? '' : 's'} (X25519; whose cannot be read from the file)`;
  const others = summary.stanzaTypes.filter((type) => type !== 'X25519' && type !== 'scrypt');
  const rows: [string, string][] = [
    ['File', summary.file],
    ['Size', bytes(summary.sizeBytes)],
    ['Encryption', summary.format],
    ['Opens with', opensWith],
    ...(others.length > 0 ? [['Other stanzas', others.join(', ')] as [string, string]] : []),
    ['Header', bytes(summary.headerBytes)],
    [
      'Sealed content',
      summary.sealedContentBytes === null
        ? `unknown: ${summary.problem}`
        : `${bytes(summary.sealedContentBytes)} in ${summary.chunks} chunk${summary.chunks === 1 ? '' : 's'} (envelope header, payload and signature)`,
    ],
    ['Not checked', 'contents, author and signature: only a recipient can check those, by opening it'],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return `${rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}`).join('\n')}\n`;
}

export const bundleInspect = defineCommand({
  words: ['bundle', 'inspect'],
  summary: 'Show what a sealed file says about itself, without decrypting it',
  usage: '[--json] FILE',
  flags: [{ name: 'json', takesValue: false, description: 'print the summary as JSON' }],
  positionals: { min: 1, max: 1, name: 'FILE' },
  details: `Reads only the age header: how many keys the file is encrypted to (age hides whose), whether it is
protected by a passphrase instead, the header size, and what the file size implies about the encrypted content.
Needs no key and no passphrase, and checks nothing that needs one.`,
  async run(context) {
    const summary = await summarizeSealedFile(context.positionals[0]!);
    context.io.stdout.write(context.has('json') ? `${JSON.stringify(summary, null, 2)}\n` : describe(summary));
  },
});

export const bundleCommands = [bundleInspect, bundleSeal, bundleOpen];
