// The clerk's side: cases in preparation, their evidence (kept inside the vault, chunked), and sealing them into
// hearing bundles for exactly the named participants.
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { PDFDocument } from 'pdf-lib';
import { addDays } from '../../../shared/domain/common';
import type { BundleParticipantKey, CaptureMetadata } from '../../../shared/domain/bundle';
import { CaseFile, type CaseParticipant } from '../../../shared/domain/case';
import { CaseDraft, DEFAULT_SECTIONS, DraftFields, type DocumentChange, type DraftDocument } from '../../../shared/domain/draft';
import type { EvidenceKind } from '../../../shared/domain/bundle';
import sampleCriteria from '../../../shared/criteria/sample-criteria.json';
import { fsyncDirectory } from '../atomic-file';
import { AuditTrail } from '../audit';
import { appendSupplementary, assembleBundle } from '../bundle-pdf/assemble';
import type { AssembledBundle, BundleProgress } from '../bundle-pdf/types';
import type { Session } from '../session';
import { BUNDLE_FILE_EXTENSION, planSealedCopies, type SealDocumentSource } from './bundle-file';
import { BundleError } from './manifest';

const CHUNK_BYTES = 1024 * 1024;
export const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;

export interface SealProgress {
  phase: 'checking' | 'assembling' | 'sealing' | 'done';
  done: number;
  total: number;
}

export interface SealResult {
  files: { path: string; recipients: string[]; documentCount: number }[];
  pageCount: number;
  revision: number;
}

const KIND_BY_EXTENSION: Record<string, EvidenceKind> = {
  '.pdf': 'pdf',
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.txt': 'text',
  '.text': 'text',
  '.eml': 'eml',
};

export function evidenceKindOf(fileName: string): EvidenceKind | null {
  return KIND_BY_EXTENSION[extname(fileName).toLowerCase()] ?? null;
}

function titleFromFileName(fileName: string): string {
  const stem = basename(fileName, extname(fileName)).replace(/[_]+/g, ' ').trim();
  return (stem.charAt(0).toUpperCase() + stem.slice(1)).slice(0, 300) || 'Untitled document';
}

export function defaultFields(): DraftFields {
  return {
    reference: '',
    title: '',
    decidingBody: 'nec-panel',
    complaintType: null,
    region: null,
    protectedCharacteristics: [],
    complaintReceived: null,
    hearingDate: null,
    expiresOn: null,
    allegations: [],
    participants: [],
    respondentPseudonym: 'Respondent R1',
    complainantPseudonym: 'Complainant C1',
    sections: DEFAULT_SECTIONS,
    criteria: { id: sampleCriteria.id, version: sampleCriteria.version },
  };
}

interface DraftRow { id: string; draft_json: string; updated_at: string }

export class CaseDrafts {
  private readonly audit: AuditTrail;

  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.audit = new AuditTrail(session, now);
  }

  private get db(): Database {
    return this.session.requireVault().db;
  }

  list(): CaseDraft[] {
    const rows = this.db.prepare('SELECT * FROM case_drafts ORDER BY updated_at DESC').all() as DraftRow[];
    return rows.map((row) => this.hydrate(row));
  }

  get(id: string): CaseDraft {
    const row = this.db.prepare('SELECT * FROM case_drafts WHERE id = ?').get(id) as DraftRow | undefined;
    if (!row) throw new BundleError('draft-not-found', 'That case draft is no longer in your vault.');
    return this.hydrate(row);
  }

  private hydrate(row: DraftRow): CaseDraft {
    const stored = JSON.parse(row.draft_json) as Omit<CaseDraft, 'documents' | 'id' | 'updatedAt'>;
    const documents = (this.db.prepare('SELECT meta_json FROM draft_documents WHERE draft_id = ?').all(row.id) as { meta_json: string }[]).map(
      (d) => JSON.parse(d.meta_json) as DraftDocument & { position: number },
    );
    documents.sort((a, b) => a.position - b.position);
    return CaseDraft.parse({
      ...stored,
      id: row.id,
      updatedAt: row.updated_at,
      documents: documents.map(({ position: _position, ...doc }) => doc),
    });
  }

  private save(draft: Omit<CaseDraft, 'documents' | 'updatedAt'>): void {
    const { id, ...rest } = draft;
    this.db
      .prepare('INSERT INTO case_drafts (id, draft_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET draft_json = excluded.draft_json, updated_at = excluded.updated_at')
      .run(id, JSON.stringify(rest), this.now().toISOString());
  }

  create(fields: Partial<DraftFields> = {}): CaseDraft {
    const id = randomUUID();
    this.save({ id, fields: DraftFields.parse({ ...defaultFields(), ...fields }), bundleId: randomUUID(), sealedRevisions: 0, sealedDocumentIds: [] });
    return this.get(id);
  }

  update(id: string, fields: DraftFields): CaseDraft {
    const draft = this.get(id);
    const parsed = DraftFields.parse(fields);
    const letters = new Set(parsed.sections.map((s) => s.letter));
    const orphan = draft.documents.find((doc) => !letters.has(doc.section));
    if (orphan) throw new BundleError('draft-incomplete', `Section ${orphan.section} still holds “${orphan.title}”. Move or remove its documents first.`);
    this.save({ ...draft, fields: parsed });
    return this.get(id);
  }

  remove(id: string): void {
    this.get(id);
    this.db.prepare('DELETE FROM case_drafts WHERE id = ?').run(id);
  }

  /** Copies an evidence file into the vault (streamed, chunked) and appends it to a section. */
  async addDocument(id: string, path: string, section: string): Promise<CaseDraft> {
    this.refuseMissingSection(this.get(id), section);
    const sourceName = basename(path);
    const kind = this.kindOrRefuse(sourceName);
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new BundleError('file-unreadable', `“${sourceName}” could not be read. Check it is still there and try again.`);
    }
    this.refuseSize(sourceName, size);
    const chunks: Buffer[] = [];
    for await (const part of createReadStream(path, { highWaterMark: CHUNK_BYTES })) chunks.push(part as Buffer);
    return this.storeDocument(id, { sourceName, kind, section, chunks });
  }

  /**
   * Appends evidence the app itself produced (the practice hearing's documents) to a section, with its details.
   * The same checks as a chosen file: a known kind, not empty, not too large.
   */
  addGeneratedDocument(id: string, document: { sourceName: string; bytes: Uint8Array; section: string; title: string; date: string | null; capture?: CaptureMetadata | null }): CaseDraft {
    this.refuseMissingSection(this.get(id), document.section);
    const kind = this.kindOrRefuse(document.sourceName);
    this.refuseSize(document.sourceName, document.bytes.length);
    const chunks: Buffer[] = [];
    for (let at = 0; at < document.bytes.length; at += CHUNK_BYTES) chunks.push(Buffer.from(document.bytes.subarray(at, at + CHUNK_BYTES)));
    return this.storeDocument(id, { sourceName: document.sourceName, kind, section: document.section, chunks, title: document.title, date: document.date, capture: document.capture ?? null });
  }

  private refuseMissingSection(draft: CaseDraft, section: string): void {
    if (!draft.fields.sections.some((s) => s.letter === section)) throw new BundleError('draft-incomplete', `There is no section ${section}.`);
  }

  private kindOrRefuse(sourceName: string): EvidenceKind {
    const kind = evidenceKindOf(sourceName);
    if (!kind) throw new BundleError('file-unreadable', `“${sourceName}” is not a kind of evidence Hearing Desk can bundle. Use PDF, PNG, JPEG, plain text (.txt) or e-mail (.eml).`);
    return kind;
  }

  private refuseSize(sourceName: string, size: number): void {
    if (size === 0) throw new BundleError('file-unreadable', `“${sourceName}” is empty.`);
    if (size > MAX_EVIDENCE_BYTES) throw new BundleError('bundle-too-large', `“${sourceName}” is larger than the 256 MB a single piece of evidence may be.`);
  }

  private storeDocument(
    id: string,
    source: { sourceName: string; kind: EvidenceKind; section: string; chunks: Buffer[]; title?: string; date?: string | null; capture?: CaptureMetadata | null },
  ): CaseDraft {
    const documentId = `doc-${randomUUID().slice(0, 8)}`;
    const hash = createHash('sha256');
    let size = 0;
    for (const chunk of source.chunks) {
      hash.update(chunk);
      size += chunk.length;
    }
    const position = (this.db.prepare('SELECT count(*) AS n FROM draft_documents WHERE draft_id = ?').get(id) as { n: number }).n;
    const meta: DraftDocument & { position: number } = {
      id: documentId,
      section: source.section,
      title: source.title ?? titleFromFileName(source.sourceName),
      date: source.date ?? null,
      kind: source.kind,
      capture: source.capture ?? (source.kind === 'image' ? {} : null),
      restrictedFrom: [],
      sourceName: source.sourceName,
      bytes: size,
      sha256: hash.digest('hex'),
      position,
    };
    const insertChunk = this.db.prepare('INSERT INTO draft_document_chunks (draft_id, document_id, seq, data) VALUES (?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db.prepare('INSERT INTO draft_documents (draft_id, id, meta_json, bytes, sha256) VALUES (?, ?, ?, ?, ?)').run(id, documentId, JSON.stringify(meta), size, meta.sha256);
      source.chunks.forEach((chunk, seq) => insertChunk.run(id, documentId, seq, chunk));
    })();
    this.touch(id);
    return this.get(id);
  }

  updateDocument(id: string, documentId: string, change: DocumentChange): CaseDraft {
    const draft = this.get(id);
    const row = this.documentRow(id, documentId);
    if (change.section && !draft.fields.sections.some((s) => s.letter === change.section)) throw new BundleError('draft-incomplete', `There is no section ${change.section}.`);
    if (change.section && change.section !== row.section) this.refuseIfSealed(id, documentId, 'moved to another section');
    const next = { ...row, ...change };
    this.db.prepare('UPDATE draft_documents SET meta_json = ? WHERE draft_id = ? AND id = ?').run(JSON.stringify(next), id, documentId);
    this.touch(id);
    return this.get(id);
  }

  /** Moves a document one place up or down in the bundle order. */
  moveDocument(id: string, documentId: string, direction: -1 | 1): CaseDraft {
    const ordered = this.get(id).documents.map((doc) => doc.id);
    const from = ordered.indexOf(documentId);
    const to = from + direction;
    if (from < 0) throw new BundleError('document-not-found', 'That document is no longer in the draft.');
    if (to < 0 || to >= ordered.length) return this.get(id);
    [ordered[from], ordered[to]] = [ordered[to]!, ordered[from]!];
    const update = this.db.prepare('UPDATE draft_documents SET meta_json = ? WHERE draft_id = ? AND id = ?');
    this.db.transaction(() => {
      ordered.forEach((docId, position) => update.run(JSON.stringify({ ...this.documentRow(id, docId), position }), id, docId));
    })();
    this.touch(id);
    return this.get(id);
  }

  removeDocument(id: string, documentId: string): CaseDraft {
    this.documentRow(id, documentId);
    this.refuseIfSealed(id, documentId, 'removed');
    this.db.prepare('DELETE FROM draft_documents WHERE draft_id = ? AND id = ?').run(id, documentId);
    this.touch(id);
    return this.get(id);
  }

  private documentRow(id: string, documentId: string): DraftDocument & { position: number } {
    const row = this.db.prepare('SELECT meta_json FROM draft_documents WHERE draft_id = ? AND id = ?').get(id, documentId) as { meta_json: string } | undefined;
    if (!row) throw new BundleError('document-not-found', 'That document is no longer in the draft.');
    return JSON.parse(row.meta_json) as DraftDocument & { position: number };
  }

  /** Pages already sent to the panel never move or disappear: a later revision only adds a supplement. */
  private refuseIfSealed(id: string, documentId: string, what: string): void {
    if (this.get(id).sealedDocumentIds.includes(documentId)) {
      throw new BundleError('document-sealed', `This document was already sealed into the bundle; its pages keep their numbers and it cannot be ${what}. Add a correction as a new document instead.`);
    }
  }

  private storedAssembly(id: string): AssembledBundle | null {
    const row = this.db.prepare('SELECT record_json, pdf FROM draft_assemblies WHERE draft_id = ?').get(id) as { record_json: string; pdf: Buffer } | undefined;
    return row ? { ...(JSON.parse(row.record_json) as Omit<AssembledBundle, 'pdf'>), pdf: new Uint8Array(row.pdf) } : null;
  }

  private storeAssembly(id: string, assembled: AssembledBundle): void {
    const { pdf, ...record } = assembled;
    this.db
      .prepare('INSERT INTO draft_assemblies (draft_id, record_json, pdf) VALUES (?, ?, ?) ON CONFLICT(draft_id) DO UPDATE SET record_json = excluded.record_json, pdf = excluded.pdf')
      .run(id, JSON.stringify(record), Buffer.from(pdf));
  }

  private sourceInput(id: string, d: DraftDocument) {
    return {
      id: d.id,
      title: d.title,
      ...(d.date ? { date: d.date } : {}),
      kind: d.kind,
      bytes: this.documentBytes(id, d.id),
      ...(d.capture && (d.capture.sourceUrl || d.capture.capturedAt || d.capture.capturedBy)
        ? { capture: { sourceUrl: d.capture.sourceUrl ?? '', capturedAt: d.capture.capturedAt ?? '', capturedBy: d.capture.capturedBy ?? '' } }
        : {}),
    };
  }

  /**
   * The bundle's pages for this revision: the first seal paginates everything; a later one keeps the pages already
   * sealed byte for byte and appends the new documents as a supplementary section after them.
   */
  private async assemble(draft: CaseDraft, reference: string, onProgress: (p: BundleProgress) => void, signal?: AbortSignal): Promise<{ assembled: AssembledBundle; sections: { letter: string; title: string; supplementary: boolean }[] }> {
    const f = draft.fields;
    const previous = draft.sealedRevisions > 0 ? this.storedAssembly(draft.id) : null;
    if (!previous) {
      const sectionsWithDocs = f.sections.filter((s) => draft.documents.some((d) => d.section === s.letter));
      const assembled = await assembleBundle(
        {
          caseReference: reference,
          title: f.title,
          sections: sectionsWithDocs.map((s) => ({ letter: s.letter, title: s.title, documents: draft.documents.filter((d) => d.section === s.letter).map((d) => this.sourceInput(draft.id, d)) })),
        },
        { signal, onProgress },
      );
      return { assembled, sections: sectionsWithDocs.map((s) => ({ letter: s.letter, title: s.title, supplementary: false })) };
    }
    const added = draft.documents.filter((d) => !draft.sealedDocumentIds.includes(d.id));
    let assembled = previous;
    if (added.length > 0) {
      const used = new Set(previous.sections.map((s) => s.letter));
      const letter = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((candidate) => !used.has(candidate));
      if (!letter) throw new BundleError('draft-incomplete', 'Every section letter is already used: no further supplement can be added.');
      assembled = await appendSupplementary(
        previous,
        { letter, title: `Supplementary documents (revision ${draft.sealedRevisions + 1})`, documents: added.map((d) => this.sourceInput(draft.id, d)) },
        { signal, onProgress },
      );
    }
    return { assembled, sections: assembled.sections.filter((s) => s.firstPage !== undefined).map((s) => ({ letter: s.letter, title: s.title, supplementary: s.supplementary })) };
  }

  private touch(id: string): void {
    this.db.prepare('UPDATE case_drafts SET updated_at = ? WHERE id = ?').run(this.now().toISOString(), id);
  }

  private documentBytes(id: string, documentId: string): Buffer {
    const rows = this.db.prepare('SELECT data FROM draft_document_chunks WHERE draft_id = ? AND document_id = ? ORDER BY seq').all(id, documentId) as { data: Buffer }[];
    return Buffer.concat(rows.map((r) => r.data));
  }

  /** Everything that stops this draft from being sealed, in plain words (empty when it can be sealed). */
  problems(id: string): string[] {
    try {
      this.caseFileOf(this.get(id));
      return [];
    } catch (error) {
      if (error instanceof BundleError && Array.isArray(error.details)) return error.details as string[];
      throw error;
    }
  }

  private recipientsOf(draft: CaseDraft): { participants: CaseParticipant[]; keys: BundleParticipantKey[] } {
    const participants: CaseParticipant[] = [];
    const keys: BundleParticipantKey[] = [];
    for (const [index, person] of draft.fields.participants.entries()) {
      const contact = this.db.prepare('SELECT id, name, age_recipient, signing_key, fingerprint FROM contacts WHERE id = ?').get(person.contactId) as
        | { id: string; name: string; age_recipient: string; signing_key: string; fingerprint: string }
        | undefined;
      if (!contact) continue;
      const participantId = `p${index + 1}`;
      participants.push({ id: participantId, name: contact.name, role: person.role, fingerprint: contact.fingerprint, ...(person.office ? { office: person.office } : {}), ...(person.capacity ? { capacity: person.capacity } : {}) });
      keys.push({ participantId, name: contact.name, role: person.role, ageRecipient: contact.age_recipient, signingKey: contact.signing_key, fingerprint: contact.fingerprint });
    }
    return { participants, keys };
  }

  private caseFileOf(draft: CaseDraft): { caseFile: CaseFile; keys: BundleParticipantKey[] } {
    const f = draft.fields;
    const problems: string[] = [];
    if (!f.title) problems.push('Give the case a title.');
    if (draft.documents.length === 0) problems.push('Add at least one evidence document.');
    const missingContacts = f.participants.filter((p) => !this.db.prepare('SELECT 1 FROM contacts WHERE id = ?').get(p.contactId));
    if (missingContacts.length) problems.push(`${missingContacts.length} participant(s) are no longer in your address book.`);
    const { participants, keys } = this.recipientsOf(draft);
    if (!participants.some((p) => p.role === 'chair')) problems.push('Name the chair of the panel.');
    if (!participants.some((p) => p.role === 'chair' || p.role === 'panellist')) problems.push('Name the panel members.');
    const parsed = CaseFile.safeParse({
      format: 'hearing-desk/case@1',
      reference: f.reference,
      decidingBody: f.decidingBody,
      complaintType: f.complaintType,
      region: f.region,
      protectedCharacteristics: f.protectedCharacteristics,
      dates: { complaintReceived: f.complaintReceived, hearing: f.hearingDate },
      allegations: f.allegations.map((a, i) => ({ number: i + 1, text: a.text, ruleReference: a.ruleReference, conductCategoryId: a.conductCategoryId })),
      participants,
      respondent: { pseudonym: f.respondentPseudonym || 'Respondent' },
      complainant: { pseudonym: f.complainantPseudonym || 'Complainant' },
      criteria: f.criteria,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(describeCaseIssue(issue.path, issue.message));
    }
    if (!f.hearingDate && !f.expiresOn) problems.push('Set the hearing date (the bundle expires 30 days after it) or an expiry date.');
    if (problems.length > 0 || !parsed.success) {
      throw new BundleError('draft-incomplete', `This case cannot be sealed yet: ${problems[0]}`, [...new Set(problems)]);
    }
    return { caseFile: parsed.data, keys };
  }

  /**
   * Builds the hearing bundle, signs its manifest and seals one file per distinct set of visible documents.
   * The first file goes to `path`; further copies (role restrictions) beside it, named by their recipients.
   */
  async seal(id: string, path: string, options: { onProgress?: (progress: SealProgress) => void; signal?: AbortSignal } = {}): Promise<SealResult> {
    const draft = this.get(id);
    options.onProgress?.({ phase: 'checking', done: 0, total: 1 });
    const { caseFile, keys } = this.caseFileOf(draft);
    const f = draft.fields;
    const { assembled, sections } = await this.assemble(
      draft,
      caseFile.reference,
      (p: BundleProgress) => options.onProgress?.({ phase: 'assembling', done: p.done, total: p.total }),
      options.signal,
    );
    const byId = new Map(draft.documents.map((d) => [d.id, d]));
    const ordered = assembled.documents.map((entry) => byId.get(entry.id)).filter((d): d is DraftDocument => d !== undefined);
    const parts = await splitAssembled(assembled);
    const revision = draft.sealedRevisions + 1;
    const sealedAt = this.now();
    const expiresOn = f.expiresOn ?? addDays(f.hearingDate!, 30);
    const result = await this.session.withIdentity(async (me) => {
      const sealer: BundleParticipantKey = {
        participantId: 'sealer',
        name: me.name,
        role: 'clerk',
        ageRecipient: me.ageRecipient,
        signingKey: me.signingKey,
        fingerprint: me.fingerprint,
      };
      const documents: SealDocumentSource[] = ordered.map((d) => {
        const entry = assembled.documents.find((e) => e.id === d.id)!;
        const bytes = parts.documents.get(d.id)!;
        return {
          entry: {
            id: d.id,
            section: entry.section,
            title: d.title,
            date: d.date,
            kind: d.kind,
            capture: d.capture && Object.keys(d.capture).length > 0 ? d.capture : null,
            bytes: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            sourceSha256: d.sha256,
            firstPage: entry.firstPage,
            pageCount: entry.lastPage - entry.firstPage + 1,
            firstLabel: entry.firstLabel,
            lastLabel: entry.lastLabel,
          },
          restrictedFrom: d.restrictedFrom,
          open: () => bytes,
        };
      });
      const copies = planSealedCopies({
        author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient, participant: sealer },
        bundleId: draft.bundleId,
        revision,
        caseFile,
        title: f.title,
        sealedAt,
        expiresOn,
        sections,
        pageCount: assembled.pageCount,
        index: parts.index,
        documents,
        recipients: keys,
      });
      const files: SealResult['files'] = [];
      const totalBytes = copies.reduce((sum, copy) => sum + copy.payloadLength, 0);
      let written = 0;
      try {
        for (const [index, copy] of copies.entries()) {
          const target = index === 0 ? path : siblingPath(path, copy.recipients.filter((r) => r.role !== 'clerk' || r.participantId !== 'sealer').map((r) => r.role));
          await writeStreamAtomic(target, copy.stream(), (bytes) => {
            options.onProgress?.({ phase: 'sealing', done: Math.min(totalBytes, written + bytes), total: totalBytes });
          }, options.signal);
          written += copy.payloadLength;
          files.push({ path: target, recipients: copy.recipients.map((r) => r.name), documentCount: copy.signed.manifest.documents.length });
        }
      } catch (error) {
        for (const file of files) rmSync(file.path, { force: true });
        throw error;
      }
      return files;
    });
    this.db.transaction(() => {
      this.save({ ...draft, sealedRevisions: revision, sealedDocumentIds: ordered.map((d) => d.id) });
      this.storeAssembly(draft.id, assembled);
      this.audit.append({
        caseId: draft.bundleId,
        action: 'bundle-sealed',
        object: `bundle ${draft.bundleId} revision ${revision}`,
        details: { reference: caseFile.reference, copies: result.length, pages: assembled.pageCount },
      });
    })();
    options.onProgress?.({ phase: 'done', done: 1, total: 1 });
    return { files: result, pageCount: assembled.pageCount, revision };
  }
}

function describeCaseIssue(path: PropertyKey[], message: string): string {
  const [head, index, field] = path;
  if (head === 'reference') return `Case reference: ${message}`;
  if (head === 'allegations' && typeof index === 'number') {
    if (field === 'ruleReference') return `Allegation ${index + 1}: name the rule or code paragraph it breaches.`;
    if (field === 'conductCategoryId') return `Allegation ${index + 1}: choose its conduct category.`;
    return `Allegation ${index + 1}: ${message}`;
  }
  if (head === 'allegations') return message;
  if (head === 'region') return 'Region: use lower-case letters, digits and hyphens (e.g. "london").';
  if (head === 'dates') return message;
  if (head === 'respondent' || head === 'complainant') return `${String(head)} pseudonym: ${message}`;
  return `${path.join('.')}: ${message}`;
}

function siblingPath(path: string, roles: string[]): string {
  const extension = `.${BUNDLE_FILE_EXTENSION}`;
  const stem = path.endsWith(extension) ? path.slice(0, -extension.length) : path;
  const label = [...new Set(roles)].sort().join('-') || 'copy';
  return `${stem}-${label}${extension}`;
}

/** Splits the assembled bundle into its index pages and one PDF per document (pages keep their stamped labels). */
export async function splitAssembled(assembled: AssembledBundle): Promise<{ index: Uint8Array; documents: Map<string, Uint8Array> }> {
  const source = await PDFDocument.load(assembled.pdf, { updateMetadata: false });
  const extract = async (pageNumbers: number[]) => {
    const out = await PDFDocument.create({ updateMetadata: false });
    const pages = await out.copyPages(source, pageNumbers.map((n) => n - 1));
    for (const page of pages) out.addPage(page);
    return out.save({ useObjectStreams: false });
  };
  const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);
  // The index: every page that belongs to no document (the front index, and a supplement's own index page).
  const inDocuments = new Set(assembled.documents.flatMap((d) => range(d.firstPage, d.lastPage)));
  const index = await extract(range(1, assembled.pageCount).filter((page) => !inDocuments.has(page)));
  const documents = new Map<string, Uint8Array>();
  for (const doc of assembled.documents) documents.set(doc.id, await extract(range(doc.firstPage, doc.lastPage)));
  return { index, documents };
}

/** Streams into `path` through a sibling temporary file renamed on success; a failure leaves nothing behind. */
export async function writeStreamAtomic(path: string, stream: AsyncIterable<Uint8Array>, onBytes?: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const fd = openSync(temporary, 'w', 0o600);
  let total = 0;
  try {
    for await (const part of stream) {
      if (signal?.aborted) throw new BundleError('bundle-cancelled', 'Sealing was cancelled. No file was written.');
      let offset = 0;
      while (offset < part.length) offset += writeSync(fd, part, offset, part.length - offset);
      total += part.length;
      onBytes?.(total);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
    fsyncDirectory(dirname(path));
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(temporary, { force: true });
    throw error;
  }
}
