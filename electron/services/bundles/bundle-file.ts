// A sealed hearing bundle on the wire: a sealed envelope (docs/envelope.md) of type hearing-desk/bundle@1 whose
// payload is a container (container.ts) holding, in this order, the clerk-signed manifest, the index PDF, and one
// PDF per document the recipients may see. Everything here streams: neither sealing nor reading ever holds more
// than one chunk of a document in memory.
import { createHash } from 'node:crypto';
import { BUNDLE_MANIFEST_FORMAT, type BundleDocument, type BundleManifest, type BundleParticipantKey, type SignedBundleManifest } from '../../../shared/domain/bundle';
import type { CaseFile } from '../../../shared/domain/case';
import type { ParticipantRole } from '../../../shared/domain/profile';
import type { ByteSource } from '../crypto/byte-reader';
import { openEnvelope, sealEnvelope, type EnvelopeHeader } from '../crypto/envelope';
import { containerLength, readContainer, writeContainer, type ContainerEntrySource } from './container';
import { BundleError, signManifest, verifySignedManifest } from './manifest';

export const BUNDLE_FILE_EXTENSION = 'hdbundle';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
/** The largest bundle accepted: far above any real hearing, far below what would exhaust a disk by surprise. */
export const MAX_BUNDLE_BYTES = 64 * 1024 ** 3;

export interface SealDocumentSource {
  /** The manifest entry, without the per-copy fields (path is derived from the id). */
  entry: Omit<BundleDocument, 'path'>;
  /** Roles that must not receive this document: it is absent from their copy, not hidden in it. */
  restrictedFrom: readonly ParticipantRole[];
  open(): ByteSource;
}

export interface SealRequest {
  author: { signingSeed: Uint8Array; ageRecipient: string; participant: BundleParticipantKey };
  bundleId: string;
  revision: number;
  caseFile: CaseFile;
  title: string;
  sealedAt: Date;
  expiresOn: string;
  sections: BundleManifest['sections'];
  pageCount: number;
  index: Uint8Array;
  documents: readonly SealDocumentSource[];
  /** Everyone the bundle is for (the clerk included, so they can reopen what they sealed). */
  recipients: readonly BundleParticipantKey[];
}

export interface SealedCopy {
  recipients: BundleParticipantKey[];
  signed: SignedBundleManifest;
  /** Exact size of the envelope payload (the container), for progress. */
  payloadLength: number;
  /** The envelope file's bytes; each call seals afresh. */
  stream(): AsyncGenerator<Uint8Array, void, undefined>;
}

/**
 * One sealed copy per distinct set of visible documents: a role-restricted document exists only in the copies
 * of those allowed to see it. The sealer is a recipient of every copy.
 */
export function planSealedCopies(request: SealRequest): SealedCopy[] {
  const groups = new Map<string, BundleParticipantKey[]>();
  const sealer = request.author.participant;
  for (const recipient of request.recipients) {
    if (recipient.signingKey === sealer.signingKey) continue;
    const visible = request.documents.filter((doc) => !doc.restrictedFrom.includes(recipient.role)).map((doc) => doc.entry.id);
    const key = visible.join('\n');
    groups.set(key, [...(groups.get(key) ?? []), recipient]);
  }
  if (groups.size === 0) groups.set(request.documents.map((doc) => doc.entry.id).join('\n'), []);
  return [...groups.entries()].map(([key, people]) => {
    const visibleIds = new Set(key.split('\n').filter(Boolean));
    const documents = request.documents.filter((doc) => visibleIds.has(doc.entry.id));
    if (documents.length === 0) {
      throw new BundleError('draft-incomplete', `Every document is closed to ${people.map((p) => p.name).join(', ')}: they would receive an empty bundle.`);
    }
    const recipients = [sealer, ...people];
    const manifest: BundleManifest = {
      format: BUNDLE_MANIFEST_FORMAT,
      bundleId: request.bundleId,
      revision: request.revision,
      case: request.caseFile,
      title: request.title,
      sealedAt: request.sealedAt.toISOString(),
      sealedBy: sealer,
      expiresOn: request.expiresOn,
      recipients,
      sections: request.sections,
      documents: documents.map((doc) => ({ ...doc.entry, path: `documents/${doc.entry.id}.pdf` })),
      pageCount: request.pageCount,
    };
    const signed = signManifest(manifest, request.author.signingSeed);
    const manifestBytes = Buffer.from(JSON.stringify(signed), 'utf8');
    const entries: ContainerEntrySource[] = [
      { name: 'manifest.json', size: manifestBytes.length, body: () => manifestBytes },
      { name: 'index.pdf', size: request.index.length, body: () => request.index },
      ...documents.map((doc) => ({ name: `documents/${doc.entry.id}.pdf`, size: doc.entry.bytes, body: () => doc.open() })),
    ];
    const payloadLength = containerLength(entries);
    return {
      recipients,
      signed,
      payloadLength,
      stream: () =>
        sealEnvelope({
          type: 'hearing-desk/bundle@1',
          payload: writeContainer(entries),
          payloadLength,
          author: { signingSeed: request.author.signingSeed, ageRecipient: request.author.ageRecipient },
          recipients: recipients.map((r) => r.ageRecipient),
          createdAt: request.sealedAt,
        }),
    };
  });
}

export interface BundleReadHandlers {
  /** Called once the clerk's signature on the manifest verified. Throw to stop reading (nothing more is read). */
  onManifest(signed: SignedBundleManifest, header: EnvelopeHeader, payloadLength: number): void | Promise<void>;
  onIndex(bytes: Uint8Array): void | Promise<void>;
  /** A piece of a document, in order. Not yet verified: keep it provisional until onDocumentVerified. */
  onDocumentChunk(document: BundleDocument, chunk: Uint8Array): void | Promise<void>;
  /** The document's bytes matched the signed manifest's hash and size. */
  onDocumentVerified(document: BundleDocument): void | Promise<void>;
  /** Bytes of envelope payload read so far, for progress. */
  onProgress?(payloadBytesRead: number): void;
  signal?: AbortSignal;
}

export interface ReadBundleOptions {
  identity: string;
  ownRecipient: string;
}

function checkAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BundleError('bundle-cancelled', 'The import was cancelled. Nothing was kept.');
}

async function readAll(body: AsyncIterable<Uint8Array>, limit: number, what: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const part of body) {
    length += part.length;
    if (length > limit) throw new BundleError('bundle-too-large', `The bundle’s ${what} is larger than allowed.`);
    parts.push(part);
  }
  return Buffer.concat(parts, length);
}

/**
 * Reads a sealed bundle end to end. Resolves only when every document matched the manifest AND the envelope's
 * own signature verified; any earlier throw (from here or a handler) means nothing read may be kept.
 */
export async function readBundle(source: ByteSource, options: ReadBundleOptions, handlers: BundleReadHandlers): Promise<SignedBundleManifest> {
  const opened = await openEnvelope(source, {
    identity: options.identity,
    expectedTypes: ['hearing-desk/bundle@1'],
    maxPayloadBytes: MAX_BUNDLE_BYTES,
  });
  let read = 0;
  const counted = (async function* () {
    for await (const part of opened.payload) {
      read += part.length;
      handlers.onProgress?.(read);
      yield part;
    }
  })();
  let signed: SignedBundleManifest | null = null;
  let sawIndex = false;
  let nextDocument = 0;
  try {
    for await (const entry of readContainer(counted, { maxEntryBytes: MAX_BUNDLE_BYTES, maxEntries: 5002 })) {
      checkAborted(handlers.signal);
      if (!signed) {
        if (entry.name !== 'manifest.json' || entry.size > MAX_MANIFEST_BYTES) {
          throw new BundleError('manifest-malformed', 'The bundle does not start with its table of contents.');
        }
        signed = verifySignedManifest(Buffer.from(await readAll(entry.body, MAX_MANIFEST_BYTES, 'table of contents')).toString('utf8'));
        if (signed.manifest.sealedBy.signingKey !== opened.header.author.signingKey) {
          throw new BundleError('sealer-mismatch', 'The bundle’s table of contents was signed by someone other than the person who sealed the file.');
        }
        if (!signed.manifest.recipients.some((recipient) => recipient.ageRecipient === options.ownRecipient)) {
          throw new BundleError('bundle-not-for-you', 'This bundle does not name you among its recipients.');
        }
        await handlers.onManifest(signed, opened.header, opened.header.payloadLength);
        continue;
      }
      if (!sawIndex) {
        if (entry.name !== 'index.pdf' || entry.size > MAX_INDEX_BYTES) throw new BundleError('manifest-malformed', 'The bundle’s index is missing or malformed.');
        await handlers.onIndex(await readAll(entry.body, MAX_INDEX_BYTES, 'index'));
        sawIndex = true;
        continue;
      }
      const document = signed.manifest.documents[nextDocument];
      if (!document || entry.name !== document.path) {
        throw new BundleError('document-unexpected', `The bundle holds a file its table of contents does not list in that place (${entry.name.slice(0, 80)}).`);
      }
      if (entry.size !== document.bytes) {
        throw new BundleError('document-size-mismatch', `“${document.title}” is not the size the clerk signed for. Nothing was imported.`);
      }
      const hash = createHash('sha256');
      for await (const chunk of entry.body) {
        checkAborted(handlers.signal);
        hash.update(chunk);
        await handlers.onDocumentChunk(document, chunk);
      }
      if (hash.digest('hex') !== document.sha256) {
        throw new BundleError('document-hash-mismatch', `“${document.title}” does not match the fingerprint the clerk signed: it was altered. Nothing was imported.`);
      }
      await handlers.onDocumentVerified(document);
      nextDocument++;
    }
    if (!signed || !sawIndex) throw new BundleError('manifest-malformed', 'The bundle is empty.');
    const missing = signed.manifest.documents[nextDocument];
    if (missing) throw new BundleError('document-missing', `“${missing.title}” is listed but missing from the bundle. Nothing was imported.`);
    if (!opened.verified) throw new BundleError('manifest-malformed', 'The bundle ended before its seal could be checked.');
    return signed;
  } finally {
    await counted.return(undefined).catch(() => undefined);
    await opened.close().catch(() => undefined);
  }
}

/** Reads only as far as the signed manifest: what the bundle says it holds, checked against the clerk's signature. */
export async function previewBundle(source: ByteSource, options: ReadBundleOptions): Promise<{ signed: SignedBundleManifest; header: EnvelopeHeader }> {
  let result: { signed: SignedBundleManifest; header: EnvelopeHeader } | null = null;
  const stop = new Error('preview complete');
  try {
    await readBundle(source, options, {
      onManifest(signed, header) {
        result = { signed, header };
        throw stop;
      },
      onIndex() {},
      onDocumentChunk() {},
      onDocumentVerified() {},
    });
  } catch (error) {
    if (error !== stop) throw error;
  }
  if (!result) throw new BundleError('manifest-malformed', 'The bundle has no table of contents.');
  return result;
}
