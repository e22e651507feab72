// The recipient's side of a bundle: preview what a sealed file says it holds, import it into the vault (all or
// nothing), list and show cases, read a document's bytes back, and wipe a case on demand or at expiry.
//
// Import is all-or-nothing without holding one long transaction across awaits: rows are written under a case
// row marked 'importing' (invisible to every list), committed in batches, and flipped to 'ready' in one final
// transaction once the envelope's signature has verified. A failure or cancellation deletes them at once; a crash
// leaves them to be deleted at the next unlock (recoverInterruptedImports). secure_delete zeroes what is deleted.
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { BundleDocument, BundleManifest, SignedBundleManifest } from '../../../shared/domain/bundle';
import type { EnvelopeHeader } from '../crypto/envelope';
import { AuditTrail } from '../audit';
import { fingerprintOf } from '../identities';
import type { OwnIdentity, Session } from '../session';
import { previewBundle, readBundle } from './bundle-file';
import { BundleError } from './manifest';

const CHUNK_BYTES = 1024 * 1024;
/** Document bytes are committed in batches of this size: bounded memory, few fsyncs, and main never blocks long on one batch. */
const BATCH_BYTES = 4 * 1024 * 1024;

export interface SealerTrust {
  name: string;
  role: string;
  fingerprint: string;
  /** In the address book with this exact key. */
  known: boolean;
  /** Known, and its fingerprint was compared with its owner. */
  verified: boolean;
}

export interface BundlePreviewResult {
  manifest: BundleManifest;
  sealer: SealerTrust;
  expired: boolean;
  /** A copy of this bundle (same or later revision) is already in the vault. */
  alreadyImported: boolean;
  fileBytes: number;
}

export interface ImportProgress {
  phase: 'verifying' | 'importing' | 'finishing';
  bytesDone: number;
  bytesTotal: number;
  documentsDone: number;
  documentsTotal: number;
}

export interface ImportOptions {
  /** The user compared the sealer's fingerprint and chose to trust them: they are added as a verified contact. */
  trustSealer: boolean;
  onProgress?: (progress: ImportProgress) => void;
  /** Told when a document is verified and stored, so a screen can show it before the rest has arrived. */
  onDocumentReady?: (caseId: string, document: BundleDocument) => void;
  signal?: AbortSignal;
}

export interface CaseRecord {
  id: string;
  bundleId: string;
  reference: string;
  title: string;
  revision: number;
  manifest: BundleManifest;
  expiresOn: string;
  importedAt: string;
  sealedByKey: string;
}

/** A sealed bundle on disk, or already in memory (the demo hearing, a test). Either way it is ciphertext. */
export type BundleSource = string | { name: string; bytes: Uint8Array };

function openSource(source: BundleSource) {
  return typeof source === 'string' ? createReadStream(source, { highWaterMark: CHUNK_BYTES }) : source.bytes;
}

function sourceSize(source: BundleSource): number {
  return typeof source === 'string' ? fileSize(source) : source.bytes.length;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export class ReceivedCases {
  private readonly audit: AuditTrail;

  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {
    session.onUnlock((vault) => recoverInterruptedImports(vault.db));
    this.audit = new AuditTrail(session, now);
  }

  private get db(): Database {
    return this.session.requireVault().db;
  }

  private sealerTrust(manifest: BundleManifest): SealerTrust {
    const sealer = manifest.sealedBy;
    const contact = this.db.prepare('SELECT verified_at FROM contacts WHERE signing_key = ? AND age_recipient = ?').get(sealer.signingKey, sealer.ageRecipient) as
      | { verified_at: string | null }
      | undefined;
    return {
      name: sealer.name,
      role: sealer.role,
      fingerprint: fingerprintOf(sealer.signingKey, sealer.ageRecipient),
      known: contact !== undefined,
      verified: contact?.verified_at != null,
    };
  }

  private alreadyImported(manifest: BundleManifest): boolean {
    const row = this.db.prepare("SELECT revision FROM cases WHERE bundle_id = ? AND status = 'ready'").get(manifest.bundleId) as { revision: number } | undefined;
    return row !== undefined && row.revision >= manifest.revision;
  }

  isExpired(expiresOn: string): boolean {
    return expiresOn < isoDay(this.now());
  }

  async preview(source: BundleSource): Promise<BundlePreviewResult> {
    const fileBytes = sourceSize(source);
    const { signed } = await this.session.withIdentity((me) => previewBundle(openSource(source), { identity: me.ageIdentity, ownRecipient: me.ageRecipient }));
    return {
      manifest: signed.manifest,
      sealer: this.sealerTrust(signed.manifest),
      expired: this.isExpired(signed.manifest.expiresOn),
      alreadyImported: this.alreadyImported(signed.manifest),
      fileBytes,
    };
  }

  /** Imports a sealed bundle; resolves to the new case's id. Throws a typed error and keeps nothing on failure. */
  async import(source: BundleSource, options: ImportOptions): Promise<string> {
    const fileBytes = sourceSize(source);
    const caseId = randomUUID();
    let started = false;
    let documentsTotal = 0;
    let documentsDone = 0;
    let bytesTotal = fileBytes;
    let bytesDone = 0;
    const report = (phase: ImportProgress['phase']) => options.onProgress?.({ phase, bytesDone, bytesTotal, documentsDone, documentsTotal });
    const pending: { documentId: string; seq: number; data: Buffer }[] = [];
    let pendingBytes = 0;
    let carry: Buffer[] = [];
    let carryBytes = 0;
    let seq = 0;
    let position = 0;
    let currentDocumentId: string | null = null;

    const flushBatch = () => {
      if (pending.length === 0) return;
      const insert = this.db.prepare('INSERT INTO case_document_chunks (case_id, document_id, seq, data) VALUES (?, ?, ?, ?)');
      this.db.transaction(() => {
        for (const chunk of pending) insert.run(caseId, chunk.documentId, chunk.seq, chunk.data);
      })();
      pending.length = 0;
      pendingBytes = 0;
    };
    const pushChunk = (documentId: string, data: Buffer) => {
      pending.push({ documentId, seq: seq++, data });
      pendingBytes += data.length;
      if (pendingBytes >= BATCH_BYTES) flushBatch();
    };

    try {
      await this.session.withIdentity(async (me: OwnIdentity) => {
        await readBundle(
          openSource(source),
          { identity: me.ageIdentity, ownRecipient: me.ageRecipient },
          {
            signal: options.signal,
            onManifest: (signed: SignedBundleManifest, _header: EnvelopeHeader, payloadLength: number) => {
              const manifest = signed.manifest;
              if (this.isExpired(manifest.expiresOn)) {
                throw new BundleError('bundle-expired', `This bundle expired on ${manifest.expiresOn}. The clerk can send a new one if the case is still open.`);
              }
              if (this.alreadyImported(manifest)) {
                throw new BundleError('bundle-already-imported', `Case ${manifest.case.reference} (revision ${manifest.revision}) is already in your vault.`);
              }
              this.requireTrustedSealer(manifest, options.trustSealer);
              documentsTotal = manifest.documents.length;
              bytesTotal = payloadLength;
              this.db
                .prepare(
                  `INSERT INTO cases (id, bundle_id, reference, title, status, revision, manifest_json, manifest_signature, sealed_by_key, expires_on, imported_at)
                   VALUES (?, ?, ?, ?, 'importing', ?, ?, ?, ?, ?, ?)`,
                )
                .run(caseId, manifest.bundleId, manifest.case.reference, manifest.title, manifest.revision, JSON.stringify(manifest), signed.signature, manifest.sealedBy.signingKey, manifest.expiresOn, this.now().toISOString());
              started = true;
              report('importing');
            },
            onIndex: (bytes) => {
              this.db.prepare('UPDATE cases SET index_pdf = ? WHERE id = ?').run(Buffer.from(bytes), caseId);
            },
            onDocumentChunk: (document, chunk) => {
              if (document.id !== currentDocumentId) {
                this.db.prepare('INSERT INTO case_documents (case_id, id, position, entry_json) VALUES (?, ?, ?, ?)').run(caseId, document.id, position++, JSON.stringify(document));
                currentDocumentId = document.id;
                seq = 0;
              }
              carry.push(Buffer.from(chunk));
              carryBytes += chunk.length;
              while (carryBytes >= CHUNK_BYTES) {
                const joined = Buffer.concat(carry, carryBytes);
                pushChunk(document.id, joined.subarray(0, CHUNK_BYTES));
                carry = [joined.subarray(CHUNK_BYTES)];
                carryBytes -= CHUNK_BYTES;
              }
            },
            onDocumentVerified: (document) => {
              if (carryBytes > 0) pushChunk(document.id, Buffer.concat(carry, carryBytes));
              carry = [];
              carryBytes = 0;
              flushBatch();
              this.db.prepare('UPDATE case_documents SET verified = 1 WHERE case_id = ? AND id = ?').run(caseId, document.id);
              documentsDone++;
              report('importing');
              options.onDocumentReady?.(caseId, document);
            },
            onProgress: (read) => {
              bytesDone = read;
              if (started) report('importing');
            },
          },
        );
      });
      report('finishing');
      const manifest = this.manifestOf(caseId, 'importing');
      const earlier = this.db.prepare("SELECT id FROM cases WHERE bundle_id = ? AND status = 'ready'").get(manifest.bundleId) as { id: string } | undefined;
      // A later revision replaces the earlier copy under the same case id, so everything that refers to the case
      // (annotations, the decision, the audit trail) carries on; late additions never move existing pages.
      const finalId = earlier?.id ?? caseId;
      this.db.transaction(() => {
        if (earlier) this.db.prepare('DELETE FROM cases WHERE id = ?').run(earlier.id);
        this.db.prepare("UPDATE cases SET status = 'ready', id = ? WHERE id = ?").run(finalId, caseId);
        this.audit.append({
          caseId: finalId,
          action: 'bundle-imported',
          object: `bundle ${manifest.bundleId} revision ${manifest.revision}`,
          details: { reference: manifest.case.reference, documents: manifest.documents.length, sealedBy: manifest.sealedBy.fingerprint },
        });
      })();
      return finalId;
    } catch (error) {
      if (started) this.discard(caseId);
      throw error;
    }
  }

  private requireTrustedSealer(manifest: BundleManifest, trustSealer: boolean): void {
    const trust = this.sealerTrust(manifest);
    if (trust.known) return;
    const sealer = manifest.sealedBy;
    const clash = this.db.prepare('SELECT name FROM contacts WHERE signing_key = ? OR age_recipient = ?').get(sealer.signingKey, sealer.ageRecipient) as { name: string } | undefined;
    if (clash) {
      throw new BundleError('sealer-untrusted', `This bundle was sealed with a key that only partly matches ${clash.name} in your address book. Do not import it; ask the clerk.`);
    }
    if (!trustSealer) {
      throw new BundleError(
        'sealer-untrusted',
        `This bundle was sealed by ${sealer.name}, who is not in your address book. Compare the fingerprint ${trust.fingerprint} with them before trusting it.`,
      );
    }
    const now = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO contacts (id, name, role, age_recipient, signing_key, fingerprint, card_json, verified_at, imported_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(randomUUID(), sealer.name, sealer.role, sealer.ageRecipient, sealer.signingKey, trust.fingerprint, JSON.stringify({ fromBundle: manifest.bundleId }), now, now);
  }

  private discard(caseId: string): void {
    try {
      this.db.prepare('DELETE FROM cases WHERE id = ?').run(caseId);
    } catch {
      // Locked mid-import: recoverInterruptedImports removes it at the next unlock.
    }
  }

  private manifestOf(caseId: string, status: 'importing' | 'ready' = 'ready'): BundleManifest {
    const row = this.db.prepare('SELECT manifest_json FROM cases WHERE id = ? AND status = ?').get(caseId, status) as { manifest_json: string } | undefined;
    if (!row) throw new BundleError('case-not-found', 'That case is no longer in your vault.');
    return JSON.parse(row.manifest_json) as BundleManifest;
  }

  list(): CaseRecord[] {
    const rows = this.db.prepare("SELECT * FROM cases WHERE status = 'ready' ORDER BY imported_at DESC").all() as CaseRow[];
    return rows.map(toRecord);
  }

  get(caseId: string): CaseRecord {
    const row = this.db.prepare("SELECT * FROM cases WHERE id = ? AND status = 'ready'").get(caseId) as CaseRow | undefined;
    if (!row) throw new BundleError('case-not-found', 'That case is no longer in your vault.');
    return toRecord(row);
  }

  /** Refuses an expired case: its material must not be read any more, only wiped. */
  requireOpenable(caseId: string): CaseRecord {
    const record = this.get(caseId);
    if (this.isExpired(record.expiresOn)) {
      throw new BundleError('bundle-expired', `Case ${record.reference} expired on ${record.expiresOn}. Wipe it; the clerk can send a new bundle if the case is still open.`);
    }
    return record;
  }

  /** Verified documents of a case, including one still importing (so the first can be shown early). */
  readyDocumentIds(caseId: string): string[] {
    return (this.db.prepare('SELECT id FROM case_documents WHERE case_id = ? AND verified = 1 ORDER BY position').all(caseId) as { id: string }[]).map((r) => r.id);
  }

  /** A document's bytes, from the vault. Only verified documents are ever returned. */
  readDocument(caseId: string, documentId: string): Uint8Array {
    const doc = this.db.prepare('SELECT verified FROM case_documents WHERE case_id = ? AND id = ?').get(caseId, documentId) as { verified: number } | undefined;
    if (!doc || doc.verified !== 1) throw new BundleError('document-not-found', 'That document is not in the vault.');
    const chunks = this.db.prepare('SELECT data FROM case_document_chunks WHERE case_id = ? AND document_id = ? ORDER BY seq').all(caseId, documentId) as { data: Buffer }[];
    return Buffer.concat(chunks.map((c) => c.data));
  }

  readIndex(caseId: string): Uint8Array {
    const row = this.db.prepare('SELECT index_pdf FROM cases WHERE id = ?').get(caseId) as { index_pdf: Buffer | null } | undefined;
    if (!row?.index_pdf) throw new BundleError('document-not-found', 'That case has no index.');
    return row.index_pdf;
  }

  /** Removes a case and everything in it; keeps only a line saying it was wiped, for the audit trail. */
  wipe(caseId: string, reason: 'user' | 'expired'): void {
    const record = this.get(caseId);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM cases WHERE id = ?').run(caseId);
      this.db.prepare('INSERT INTO wiped_cases (case_id, reference, reason, wiped_at) VALUES (?, ?, ?, ?)').run(caseId, record.reference, reason, this.now().toISOString());
      this.audit.append({ caseId, action: 'case-wiped', object: `case ${record.reference}`, details: { reason } });
    })();
  }

  wipedCases(): { caseId: string; reference: string; reason: string; wipedAt: string }[] {
    return (this.db.prepare('SELECT case_id, reference, reason, wiped_at FROM wiped_cases ORDER BY wiped_at').all() as { case_id: string; reference: string; reason: string; wiped_at: string }[]).map((r) => ({
      caseId: r.case_id,
      reference: r.reference,
      reason: r.reason,
      wipedAt: r.wiped_at,
    }));
  }
}

interface CaseRow {
  id: string; bundle_id: string; reference: string; title: string; revision: number; manifest_json: string;
  expires_on: string; imported_at: string; sealed_by_key: string;
}

function toRecord(row: CaseRow): CaseRecord {
  return {
    id: row.id,
    bundleId: row.bundle_id,
    reference: row.reference,
    title: row.title,
    revision: row.revision,
    manifest: JSON.parse(row.manifest_json) as BundleManifest,
    expiresOn: row.expires_on,
    importedAt: row.imported_at,
    sealedByKey: row.sealed_by_key,
  };
}

/** Deletes what an import interrupted by a crash or a lock left behind. */
export function recoverInterruptedImports(db: Database): number {
  return db.prepare("DELETE FROM cases WHERE status = 'importing'").run().changes;
}

function fileSize(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new Error('not a file');
    return stat.size;
  } catch {
    throw new BundleError('file-unreadable', 'That file could not be read. Check it is still there and try again.');
  }
}

