// Annotations on a case's evidence, in the vault (docs/annotations.md): create, change, delete and restore one's own
// annotations, each change a durable transaction with its audit entry before the call returns; share the panel and
// legal-advice ones as a signed, sealed pack and merge others' packs deterministically; export and import W3C Web
// Annotation JSON-LD; destroy private notes at the end of a case unless a legal hold applies.
//
// Merging (per annotation, always by its own author's version counter, never by a clock):
//   - only the author's own signed pack can change an annotation; a pack touching someone else's is refused whole;
//   - a higher version replaces a lower one; a lower one is ignored as stale;
//   - the same version with different content is a conflict: the variant with the smaller content hash is kept and
//     the other recorded in annotation_conflicts, so the result is the same whatever order packs arrive in.
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { canonicalize } from '../../../shared/canonical-json';
import {
  ANNOTATION_PACK_FORMAT,
  AnnotationContent,
  MAX_PACK_BYTES,
  normaliseContent,
  type Annotation,
  type AnnotationAuthor,
  type AnnotationPack,
  type AnnotationVisibility,
  type PackAnnotation,
} from '../../../shared/domain/annotation';
import type { BundleDocument, BundleManifest } from '../../../shared/domain/bundle';
import { AuditTrail } from '../audit';
import type { CaseRecord, ReceivedCases } from '../bundles/received-cases';
import { openEnvelopeBytes, sealEnvelopeBytes } from '../crypto/envelope';
import { fingerprintOf } from '../identities';
import { indexableText } from '../search';
import type { Session } from '../session';
import type { Vault } from '../vault/vault';
import { anchor, type Anchor } from './anchor';
import { AnnotationError } from './errors';
import { parseCollection, toCollection, toWebAnnotation } from './jsonld';
import { DELETED_VARIANT, liveVariant, parsePackPayload, serialisePack, variantHash, type Variant } from './pack';
import { caseMembers, memberWithKeys, SHARING_ROLES, type CaseMember } from './participants';

export const PACK_FILE_EXTENSION = 'hdnotes';

/** Content as a caller supplies it: the document's hash is filled in from the manifest. */
export type AnnotationContentInput = DistributiveOmit<AnnotationContent, 'documentSha256'> & { documentSha256?: string };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface AnnotationFilter {
  authorKey?: string;
  visibility?: AnnotationVisibility;
  allegation?: number;
  tag?: string;
  documentId?: string;
  /** Include deletions (tombstones). */
  includeDeleted?: boolean;
}

export interface AnnotationVersionRecord {
  version: number;
  visibility: AnnotationVisibility;
  deleted: boolean;
  content: AnnotationContent | null;
  modifiedAt: string;
  recordedAt: string;
  /** local: written here; pack / jsonld: arrived that way; conflict: won a same-version conflict on import; restore. */
  source: 'local' | 'restore' | 'pack' | 'conflict' | 'jsonld';
}

export interface AnnotationConflict {
  annotationId: string;
  author: AnnotationAuthor;
  version: number;
  /** What is current now (it may since have moved on to a later version). */
  current: { version: number; deleted: boolean; visibility: AnnotationVisibility; content: AnnotationContent | null };
  /** The variant that was not kept. */
  other: { deleted: boolean; visibility: AnnotationVisibility | null; content: AnnotationContent | null; modifiedAt: string | null };
  detectedAt: string;
}

export interface AudienceMember {
  name: string;
  role: string;
  fingerprint: string;
  /** Their keys are known, so a pack can be sealed to them. */
  reachable: boolean;
}

export interface PackExport {
  bytes: Uint8Array;
  suggestedName: string;
  recipients: AudienceMember[];
  /** Panel members or the lawyer whose keys are not known here: they cannot open this pack. */
  unreachable: AudienceMember[];
  annotations: number;
  tombstones: number;
}

export interface PackImportResult {
  author: { name: string; role: string; fingerprint: string };
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
  stale: number;
  conflicts: number;
  /** On documents that are not in this copy of the bundle: neither stored nor shown. */
  skipped: number;
  /** False when the pack changed nothing (importing it again, say). */
  changed: boolean;
}

export interface JsonLdImportResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Someone else's private notes found in the file: never imported (private means only its author sees it). */
  othersPrivate: number;
  /** Already here from a signed pack or written here, and different: kept as they are (an unsigned file never overrides). */
  kept: number;
}

export interface LegalHold {
  reason: string;
  setAt: string;
  setBy: string;
}

export interface AnchoredAnnotation {
  annotation: Annotation;
  /** Null when the document's text is not indexed (yet), so it cannot be checked here. */
  anchor: Anchor | null;
}

interface AnnotationRow {
  seq: number;
  id: string;
  bundle_id: string;
  author_key: string;
  visibility: AnnotationVisibility;
  version: number;
  deleted: number;
  content_json: string | null;
  search_text: string;
  created_at: string;
  modified_at: string;
  provenance: Annotation['provenance'];
}

interface Me {
  signingKey: string;
  ageRecipient: string;
  fingerprint: string;
}

interface CaseContext {
  record: CaseRecord;
  manifest: BundleManifest;
  members: CaseMember[];
  me: Me;
  myRole: string | null;
}

export function searchTextOf(content: AnnotationContent | null): string {
  if (!content) return '';
  return indexableText([content.note ?? '', content.tags.join(' '), content.kind === 'highlight' ? content.quote.exact : ''].filter(Boolean).join('\n'));
}

function parseStoredContent(json: string | null): AnnotationContent | null {
  return json === null ? null : AnnotationContent.parse(JSON.parse(json));
}

function variantOf(row: AnnotationRow): Variant {
  return row.deleted ? DELETED_VARIANT : liveVariant(row.visibility, parseStoredContent(row.content_json)!);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'annotations';
}

export class Annotations {
  private readonly audit: AuditTrail;
  private readonly identities = new WeakMap<Vault, Me>();

  constructor(
    private readonly session: Session,
    private readonly cases: ReceivedCases,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.audit = new AuditTrail(session, now);
  }

  private get db(): Database {
    return this.session.requireVault().db;
  }

  private me(): Me {
    const vault = this.session.requireVault();
    let me = this.identities.get(vault);
    if (!me) {
      const { card, fingerprint } = this.session.myCard();
      me = { signingKey: card.signingKey, ageRecipient: card.ageRecipient, fingerprint };
      this.identities.set(vault, me);
    }
    return me;
  }

  private context(record: CaseRecord): CaseContext {
    const members = caseMembers(this.db, record.manifest);
    const me = this.me();
    const myRole = members.find((m) => m.fingerprint === me.fingerprint)?.role ?? null;
    return { record, manifest: record.manifest, members, me, myRole };
  }

  /** The open (unexpired) case a bundle's annotations belong to. */
  private caseOfBundle(bundleId: string): CaseRecord {
    const row = this.db.prepare("SELECT id FROM cases WHERE bundle_id = ? AND status = 'ready'").get(bundleId) as { id: string } | undefined;
    if (!row) throw new AnnotationError('annotation-not-found', 'That annotation’s case is no longer in your vault.');
    return this.cases.requireOpenable(row.id);
  }

  private row(annotationId: string): AnnotationRow {
    const row = this.db.prepare('SELECT * FROM annotations WHERE id = ?').get(annotationId) as AnnotationRow | undefined;
    if (!row) throw new AnnotationError('annotation-not-found', 'That annotation is no longer in your vault.');
    return row;
  }

  private authorOf(members: readonly CaseMember[], signingKey: string): AnnotationAuthor {
    const member = memberWithKeys(members, signingKey);
    return member
      ? { signingKey, fingerprint: member.fingerprint, name: member.name, role: member.role }
      : { signingKey, fingerprint: null, name: 'Unknown participant', role: null };
  }

  private toAnnotation(context: CaseContext, row: AnnotationRow): Annotation {
    return {
      id: row.id,
      caseId: context.record.id,
      bundleId: row.bundle_id,
      author: this.authorOf(context.members, row.author_key),
      mine: row.author_key === context.me.signingKey,
      visibility: row.visibility,
      version: row.version,
      deleted: row.deleted === 1,
      content: parseStoredContent(row.content_json),
      createdAt: row.created_at,
      modifiedAt: row.modified_at,
      provenance: row.provenance,
    };
  }

  private documentOf(manifest: BundleManifest, content: { documentId: string; documentSha256?: string }): BundleDocument | undefined {
    return manifest.documents.find((d) => d.id === content.documentId) ?? manifest.documents.find((d) => d.sha256 === content.documentSha256);
  }

  /** Checks content against the case: the document exists in this copy, pages exist, allegations exist. */
  private validContent(manifest: BundleManifest, input: AnnotationContentInput, errorCode: 'annotation-invalid' | 'jsonld-malformed' = 'annotation-invalid'): AnnotationContent {
    const document = manifest.documents.find((d) => d.id === input.documentId);
    if (!document) throw new AnnotationError(errorCode, 'That document is not in this case.');
    if (input.documentSha256 !== undefined && input.documentSha256 !== document.sha256) {
      throw new AnnotationError(errorCode, 'The annotation was made on a different version of that document.');
    }
    const parsed = AnnotationContent.safeParse({ ...input, documentSha256: document.sha256 });
    if (!parsed.success) throw new AnnotationError(errorCode, `That annotation is not valid: ${z.prettifyError(parsed.error)}`);
    const content = normaliseContent(parsed.data);
    const lastPage = content.kind === 'highlight' ? content.end.page : content.page;
    if (lastPage > document.pageCount) throw new AnnotationError(errorCode, `“${document.title}” has ${document.pageCount} pages; the annotation points at page ${lastPage}.`);
    const allegations = new Set(manifest.case.allegations.map((a) => a.number));
    const unknown = content.allegations.find((n) => !allegations.has(n));
    if (unknown !== undefined) throw new AnnotationError(errorCode, `This case has no allegation ${unknown}.`);
    return content;
  }

  private requireVisibility(context: CaseContext, visibility: AnnotationVisibility): void {
    if (visibility === 'private') return;
    if (visibility === 'legal-advice' && context.myRole !== 'external-lawyer') {
      throw new AnnotationError('advice-only-by-lawyer', 'Only the case’s external lawyer can record legal advice.');
    }
    if (!context.myRole || !SHARING_ROLES.includes(context.myRole as (typeof SHARING_ROLES)[number])) {
      throw new AnnotationError('visibility-not-allowed', 'Only the panel and the external lawyer share annotations on this case; keep this one private.');
    }
  }

  private requireMine(context: CaseContext, row: AnnotationRow): void {
    if (row.author_key !== context.me.signingKey) {
      throw new AnnotationError('annotation-not-yours', `This annotation is ${this.authorOf(context.members, row.author_key).name}’s; only its author can change it.`);
    }
  }

  private recordVersion(row: Pick<AnnotationRow, 'id' | 'bundle_id' | 'version' | 'visibility' | 'deleted' | 'content_json' | 'modified_at'>, source: AnnotationVersionRecord['source']): void {
    this.db
      .prepare('INSERT INTO annotation_versions (annotation_id, bundle_id, version, visibility, deleted, content_json, modified_at, recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(row.id, row.bundle_id, row.version, row.visibility, row.deleted, row.content_json, row.modified_at, this.now().toISOString(), source);
  }

  private writeRow(row: Omit<AnnotationRow, 'seq'>, exists: boolean): void {
    const values = { ...row };
    if (exists) {
      this.db
        .prepare(
          `UPDATE annotations SET author_key = @author_key, visibility = @visibility, version = @version, deleted = @deleted, content_json = @content_json,
             search_text = @search_text, created_at = @created_at, modified_at = @modified_at, provenance = @provenance WHERE id = @id`,
        )
        .run(values);
    } else {
      this.db
        .prepare(
          `INSERT INTO annotations (id, bundle_id, author_key, visibility, version, deleted, content_json, search_text, created_at, modified_at, provenance)
           VALUES (@id, @bundle_id, @author_key, @visibility, @version, @deleted, @content_json, @search_text, @created_at, @modified_at, @provenance)`,
        )
        .run(values);
    }
  }

  private auditDetails(row: Pick<AnnotationRow, 'version' | 'visibility' | 'content_json'>, content: AnnotationContent | null) {
    return {
      version: row.version,
      visibility: row.visibility,
      kind: content?.kind ?? null,
      document: content?.documentId ?? null,
      page: content ? (content.kind === 'highlight' ? content.start.page : content.page) : null,
    };
  }

  // --- reading ------------------------------------------------------------------------------------------------

  list(caseId: string, filter: AnnotationFilter = {}): Annotation[] {
    const context = this.context(this.cases.requireOpenable(caseId));
    const rows = this.db.prepare('SELECT * FROM annotations WHERE bundle_id = ? ORDER BY created_at, id').all(context.record.bundleId) as AnnotationRow[];
    return rows
      .filter((row) => filter.includeDeleted || row.deleted === 0)
      .filter((row) => filter.authorKey === undefined || row.author_key === filter.authorKey)
      .filter((row) => filter.visibility === undefined || row.visibility === filter.visibility)
      .map((row) => this.toAnnotation(context, row))
      .filter((a) => filter.documentId === undefined || a.content?.documentId === filter.documentId)
      .filter((a) => filter.allegation === undefined || (a.content?.allegations.includes(filter.allegation) ?? false))
      .filter((a) => filter.tag === undefined || (a.content?.tags.includes(filter.tag) ?? false));
  }

  get(annotationId: string): Annotation {
    const row = this.row(annotationId);
    return this.toAnnotation(this.context(this.caseOfBundle(row.bundle_id)), row);
  }

  /** Each annotation of the case with where it anchors now; `pageTexts` gives a document's page texts (CaseSearch.pageTexts). */
  anchored(caseId: string, pageTexts: (documentId: string) => readonly string[] | null): AnchoredAnnotation[] {
    const record = this.cases.requireOpenable(caseId);
    return this.list(caseId).map((annotation) => {
      const content = annotation.content!;
      // Found by content hash first: the same document may sit under another id in a later revision.
      const document = record.manifest.documents.find((d) => d.sha256 === content.documentSha256) ?? record.manifest.documents.find((d) => d.id === content.documentId);
      const texts = document ? pageTexts(document.id) : null;
      if (!document) return { annotation, anchor: content.kind === 'highlight' ? { status: 'orphan', reason: 'text-not-found', quote: content.quote.exact, documentChanged: true } : { status: 'orphan', reason: 'page-not-found', quote: null, documentChanged: true } };
      return { annotation, anchor: texts ? anchor(content, texts, document.sha256) : null };
    });
  }

  /** Who will see an annotation with this visibility: shown before anyone widens it. */
  audience(caseId: string, visibility: AnnotationVisibility): AudienceMember[] {
    const context = this.context(this.cases.requireOpenable(caseId));
    if (visibility === 'private') {
      const me = context.members.find((m) => m.fingerprint === context.me.fingerprint);
      return me ? [{ name: me.name, role: me.role, fingerprint: me.fingerprint, reachable: true }] : [];
    }
    return context.members
      .filter((m) => SHARING_ROLES.includes(m.role))
      .map((m) => ({ name: m.name, role: m.role, fingerprint: m.fingerprint, reachable: m.ageRecipient !== null }));
  }

  history(annotationId: string): AnnotationVersionRecord[] {
    const row = this.row(annotationId);
    this.caseOfBundle(row.bundle_id);
    const versions = this.db.prepare('SELECT * FROM annotation_versions WHERE annotation_id = ? ORDER BY seq').all(annotationId) as {
      version: number; visibility: AnnotationVisibility; deleted: number; content_json: string | null; modified_at: string; recorded_at: string; source: AnnotationVersionRecord['source'];
    }[];
    return versions.map((v) => ({
      version: v.version,
      visibility: v.visibility,
      deleted: v.deleted === 1,
      content: parseStoredContent(v.content_json),
      modifiedAt: v.modified_at,
      recordedAt: v.recorded_at,
      source: v.source,
    }));
  }

  conflicts(caseId: string): AnnotationConflict[] {
    const context = this.context(this.cases.requireOpenable(caseId));
    const rows = this.db
      .prepare(
        `SELECT c.annotation_id, c.version, c.visibility, c.deleted, c.content_json, c.modified_at, c.detected_at, a.author_key,
                a.version AS current_version, a.deleted AS current_deleted, a.visibility AS current_visibility, a.content_json AS current_content
         FROM annotation_conflicts c JOIN annotations a ON a.id = c.annotation_id WHERE c.bundle_id = ? ORDER BY c.seq`,
      )
      .all(context.record.bundleId) as {
      annotation_id: string; version: number; visibility: AnnotationVisibility | null; deleted: number; content_json: string | null; modified_at: string | null;
      detected_at: string; author_key: string; current_version: number; current_deleted: number; current_visibility: AnnotationVisibility; current_content: string | null;
    }[];
    return rows.map((r) => ({
      annotationId: r.annotation_id,
      author: this.authorOf(context.members, r.author_key),
      version: r.version,
      current: { version: r.current_version, deleted: r.current_deleted === 1, visibility: r.current_visibility, content: parseStoredContent(r.current_content) },
      other: { deleted: r.deleted === 1, visibility: r.visibility, content: parseStoredContent(r.content_json), modifiedAt: r.modified_at },
      detectedAt: r.detected_at,
    }));
  }

  // --- one's own annotations ----------------------------------------------------------------------------------

  create(caseId: string, input: { content: AnnotationContentInput; visibility?: AnnotationVisibility }): Annotation {
    const context = this.context(this.cases.requireOpenable(caseId));
    const content = this.validContent(context.manifest, input.content);
    const visibility = input.visibility ?? 'private';
    this.requireVisibility(context, visibility);
    const at = this.now().toISOString();
    const row: Omit<AnnotationRow, 'seq'> = {
      id: randomUUID(),
      bundle_id: context.record.bundleId,
      author_key: context.me.signingKey,
      visibility,
      version: 1,
      deleted: 0,
      content_json: canonicalize(content),
      search_text: searchTextOf(content),
      created_at: at,
      modified_at: at,
      provenance: 'local',
    };
    this.db.transaction(() => {
      this.writeRow(row, false);
      this.recordVersion(row, 'local');
      this.audit.append({ caseId, action: 'annotation-created', object: `annotation ${row.id}`, details: this.auditDetails(row, content) });
    })();
    return this.toAnnotation(context, this.row(row.id));
  }

  /**
   * Changes one's own annotation: its content, its visibility, or both; a new version each time anything changes.
   * `expectedVersion` refuses the change if the annotation has moved on since the caller read it.
   */
  update(annotationId: string, change: { content?: AnnotationContentInput; visibility?: AnnotationVisibility; expectedVersion?: number }): Annotation {
    const current = this.row(annotationId);
    const context = this.context(this.caseOfBundle(current.bundle_id));
    this.requireMine(context, current);
    if (current.deleted) throw new AnnotationError('annotation-deleted', 'This annotation was deleted; restore an earlier version to bring it back.');
    this.requireVersion(current, change.expectedVersion);
    const content = change.content ? this.validContent(context.manifest, change.content) : parseStoredContent(current.content_json)!;
    const visibility = change.visibility ?? current.visibility;
    if (visibility !== current.visibility) this.requireVisibility(context, visibility);
    const contentJson = canonicalize(content);
    if (contentJson === current.content_json && visibility === current.visibility) return this.toAnnotation(context, current);
    return this.writeLocalVersion(context, current, { visibility, deleted: 0, content_json: contentJson, search_text: searchTextOf(content) }, 'local', { previousVisibility: current.visibility });
  }

  /** Deletes one's own annotation: a new version marked deleted. Earlier versions stay in its history. */
  delete(annotationId: string, expectedVersion?: number): Annotation {
    const current = this.row(annotationId);
    const context = this.context(this.caseOfBundle(current.bundle_id));
    this.requireMine(context, current);
    if (current.deleted) return this.toAnnotation(context, current);
    this.requireVersion(current, expectedVersion);
    return this.writeLocalVersion(context, current, { visibility: current.visibility, deleted: 1, content_json: null, search_text: '' }, 'local');
  }

  /** Makes an earlier version's content current again (as a new version; visibility stays as it is now). Also undeletes. */
  restore(annotationId: string, version: number): Annotation {
    const current = this.row(annotationId);
    const context = this.context(this.caseOfBundle(current.bundle_id));
    this.requireMine(context, current);
    const earlier = this.db
      .prepare('SELECT content_json FROM annotation_versions WHERE annotation_id = ? AND version = ? AND content_json IS NOT NULL ORDER BY seq DESC LIMIT 1')
      .get(annotationId, version) as { content_json: string } | undefined;
    if (!earlier) throw new AnnotationError('version-not-found', `This annotation has no version ${version} with content to restore.`);
    const content = this.validContent(context.manifest, parseStoredContent(earlier.content_json)!);
    const contentJson = canonicalize(content);
    if (!current.deleted && contentJson === current.content_json) return this.toAnnotation(context, current);
    return this.writeLocalVersion(context, current, { visibility: current.visibility, deleted: 0, content_json: contentJson, search_text: searchTextOf(content) }, 'restore', { restoredFrom: version });
  }

  private requireVersion(row: AnnotationRow, expected: number | undefined): void {
    if (expected !== undefined && expected !== row.version) {
      throw new AnnotationError('annotation-stale', `This annotation has changed since it was opened (now version ${row.version}). Reload it and try again.`, { version: row.version });
    }
  }

  private writeLocalVersion(
    context: CaseContext,
    current: AnnotationRow,
    next: Pick<AnnotationRow, 'visibility' | 'deleted' | 'content_json' | 'search_text'>,
    source: 'local' | 'restore',
    extra: Record<string, string | number> = {},
  ): Annotation {
    const row: Omit<AnnotationRow, 'seq'> = { ...current, ...next, version: current.version + 1, modified_at: this.now().toISOString(), provenance: 'local' };
    const content = parseStoredContent(row.content_json) ?? parseStoredContent(current.content_json);
    this.db.transaction(() => {
      this.writeRow(row, true);
      this.recordVersion(row, source);
      this.audit.append({
        caseId: context.record.id,
        action: row.deleted ? 'annotation-deleted' : 'annotation-changed',
        object: `annotation ${row.id}`,
        details: { ...this.auditDetails(row, content), ...extra },
      });
    })();
    return this.toAnnotation(context, this.row(row.id));
  }

  // --- packs --------------------------------------------------------------------------------------------------

  /** Seals this user's panel and advice annotations of the case, with their deletions, to the case's panel and lawyer. */
  async exportPack(caseId: string): Promise<PackExport> {
    const context = this.context(this.cases.requireOpenable(caseId));
    if (!context.myRole || !SHARING_ROLES.includes(context.myRole as (typeof SHARING_ROLES)[number])) {
      throw new AnnotationError('not-a-participant', 'Only the panel and the external lawyer share annotations on this case.');
    }
    const rows = this.db.prepare('SELECT * FROM annotations WHERE bundle_id = ? AND author_key = ? ORDER BY id').all(context.record.bundleId, context.me.signingKey) as AnnotationRow[];
    const everShared = this.db.prepare("SELECT 1 FROM annotation_versions WHERE annotation_id = ? AND deleted = 0 AND visibility <> 'private' LIMIT 1");
    const annotations: PackAnnotation[] = [];
    const tombstones: { id: string; version: number }[] = [];
    for (const row of rows) {
      if (!row.deleted && row.visibility !== 'private') {
        annotations.push({
          id: row.id,
          version: row.version,
          createdAt: row.created_at,
          modifiedAt: row.modified_at,
          visibility: row.visibility,
          content: parseStoredContent(row.content_json)!,
        });
      } else if (everShared.get(row.id) !== undefined) {
        // Deleted, or made private again: others must drop the copy they have. Nothing private goes with it.
        tombstones.push({ id: row.id, version: row.version });
      }
    }
    const pack: AnnotationPack = {
      format: ANNOTATION_PACK_FORMAT,
      bundleId: context.record.bundleId,
      caseReference: context.record.reference,
      author: { signingKey: context.me.signingKey },
      annotations,
      tombstones,
    };
    const payload = serialisePack(pack);
    if (payload.length > MAX_PACK_BYTES) throw new AnnotationError('pack-too-large', 'These annotations are too many to share in one pack.');
    const audience = context.members.filter((m) => SHARING_ROLES.includes(m.role) && m.fingerprint !== context.me.fingerprint);
    const reachable = audience.filter((m) => m.ageRecipient !== null);
    if (reachable.length === 0) throw new AnnotationError('pack-no-recipients', 'Nobody else on this case’s panel can be reached: import their participant cards first.');
    const toMember = (m: CaseMember): AudienceMember => ({ name: m.name, role: m.role, fingerprint: m.fingerprint, reachable: m.ageRecipient !== null });
    const bytes = await this.session.withIdentity((identity) =>
      sealEnvelopeBytes({
        type: 'hearing-desk/annotations@1',
        payload,
        author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
        // The author too, so the pack can be checked or re-imported on the author's other laptop.
        recipients: [identity.ageRecipient, ...reachable.map((m) => m.ageRecipient!)],
        createdAt: this.now(),
      }),
    );
    const myName = context.members.find((m) => m.fingerprint === context.me.fingerprint)?.name ?? 'me';
    return {
      bytes,
      suggestedName: `${slug(context.record.reference)}-annotations-${slug(myName)}.${PACK_FILE_EXTENSION}`,
      recipients: reachable.map(toMember),
      unreachable: audience.filter((m) => m.ageRecipient === null).map(toMember),
      annotations: annotations.length,
      tombstones: tombstones.length,
    };
  }

  /**
   * Verifies and merges a pack. Refuses (changing nothing) a pack that is tampered with or not for this user
   * (EnvelopeError / AgeError), malformed, for another case, from someone not on the panel or the lawyer, carrying
   * advice from someone other than the lawyer, or touching an annotation that is not its author's.
   */
  async importPack(caseId: string, bytes: Uint8Array): Promise<PackImportResult> {
    const record = this.cases.requireOpenable(caseId);
    if (bytes.length > MAX_PACK_BYTES + 1024 * 1024) throw new AnnotationError('pack-too-large', 'This file is far larger than any annotation pack; it was not made by Hearing Desk.');
    const opened = await this.session.withIdentity((identity) =>
      openEnvelopeBytes(bytes, { identity: identity.ageIdentity, expectedTypes: ['hearing-desk/annotations@1'], maxPayloadBytes: MAX_PACK_BYTES }),
    );
    const pack = parsePackPayload(opened.payload);
    // Re-read after the await: the case may have been wiped or the vault locked and reopened meanwhile.
    const context = this.context(this.cases.requireOpenable(record.id));
    if (pack.bundleId !== context.record.bundleId) {
      throw new AnnotationError('pack-wrong-case', `This annotation pack is for case ${pack.caseReference}, not ${context.record.reference}. Nothing was imported.`);
    }
    const signer = opened.header.author;
    if (pack.author.signingKey !== signer.signingKey) {
      throw new AnnotationError('pack-malformed', 'This annotation pack names a different author from the one who signed it. Nothing was imported.');
    }
    const member = memberWithKeys(context.members, signer.signingKey, signer.ageRecipient);
    if (!member || !SHARING_ROLES.includes(member.role)) {
      throw new AnnotationError('pack-not-participant', `This annotation pack was signed by someone who is not on the panel of case ${context.record.reference} or its lawyer (fingerprint ${fingerprintOf(signer.signingKey, signer.ageRecipient)}). Nothing was imported.`);
    }
    if (member.role !== 'external-lawyer' && pack.annotations.some((a) => a.visibility === 'legal-advice')) {
      throw new AnnotationError('pack-advice-not-lawyer', `${member.name} is not the case’s external lawyer, so cannot give legal advice. Nothing was imported.`);
    }
    const result: PackImportResult = {
      author: { name: member.name, role: member.role, fingerprint: member.fingerprint },
      added: 0, updated: 0, deleted: 0, unchanged: 0, stale: 0, conflicts: 0, skipped: 0, changed: false,
    };
    const authorKey = signer.signingKey;
    const bundleId = context.record.bundleId;
    this.db.transaction(() => {
      const incoming: { id: string; version: number; createdAt: string | null; modifiedAt: string | null; variant: Variant }[] = [];
      for (const item of pack.annotations) {
        const document = context.manifest.documents.find((d) => d.id === item.content.documentId && d.sha256 === item.content.documentSha256);
        if (!document) {
          result.skipped++;
          continue;
        }
        incoming.push({ id: item.id, version: item.version, createdAt: item.createdAt, modifiedAt: item.modifiedAt, variant: liveVariant(item.visibility, normaliseContent(item.content)) });
      }
      for (const tombstone of pack.tombstones) incoming.push({ id: tombstone.id, version: tombstone.version, createdAt: null, modifiedAt: null, variant: DELETED_VARIANT });

      const select = this.db.prepare('SELECT * FROM annotations WHERE id = ?');
      for (const item of incoming) {
        const local = select.get(item.id) as AnnotationRow | undefined;
        if (local && (local.author_key !== authorKey || local.bundle_id !== bundleId)) {
          throw new AnnotationError('pack-foreign-annotation', `This annotation pack tries to change an annotation that ${member.name} did not write. Nothing was imported.`);
        }
        this.mergeOne(context, authorKey, item, local, result);
      }
      result.changed = result.added + result.updated + result.deleted + result.conflicts > 0;
      if (result.changed) {
        this.audit.append({
          caseId: context.record.id,
          action: 'pack-imported',
          object: `annotation pack from ${member.fingerprint}`,
          details: { author: member.fingerprint, added: result.added, updated: result.updated, deleted: result.deleted, conflicts: result.conflicts, stale: result.stale },
        });
      }
    })();
    return result;
  }

  private mergeOne(
    context: CaseContext,
    authorKey: string,
    item: { id: string; version: number; createdAt: string | null; modifiedAt: string | null; variant: Variant },
    local: AnnotationRow | undefined,
    result: PackImportResult,
  ): void {
    const at = this.now().toISOString();
    const rowFor = (variant: Variant, version: number): Omit<AnnotationRow, 'seq'> => ({
      id: item.id,
      bundle_id: context.record.bundleId,
      author_key: authorKey,
      // A deletion of something never seen here has no visibility of its own; 'panel' is only a placeholder.
      visibility: variant.visibility ?? local?.visibility ?? 'panel',
      version,
      deleted: variant.deleted ? 1 : 0,
      content_json: variant.content ? canonicalize(variant.content) : null,
      search_text: searchTextOf(variant.content),
      created_at: local?.created_at ?? item.createdAt ?? item.modifiedAt ?? at,
      modified_at: item.modifiedAt ?? at,
      provenance: 'pack',
    });
    const apply = (source: 'pack' | 'conflict') => {
      const row = rowFor(item.variant, item.version);
      this.writeRow(row, local !== undefined);
      this.recordVersion(row, source);
      if (!local) item.variant.deleted ? result.deleted++ : result.added++;
      else item.variant.deleted && !local.deleted ? result.deleted++ : result.updated++;
    };
    if (!local) return apply('pack');
    const localVariant = variantOf(local);
    const same = variantHash(localVariant) === variantHash(item.variant);
    if (local.provenance === 'jsonld') {
      // A signed pack from the author outranks an unsigned file claiming to be theirs.
      if (same && local.version === item.version) result.unchanged++;
      else apply('pack');
      return;
    }
    if (item.version > local.version) return apply('pack');
    if (item.version < local.version) {
      result.stale++;
      return;
    }
    if (same) {
      result.unchanged++;
      return;
    }
    // Same version, different content: keep the smaller hash, record the other. Order of arrival cannot matter.
    const incomingWins = variantHash(item.variant) < variantHash(localVariant);
    const loser = incomingWins ? { variant: localVariant, modifiedAt: local.modified_at } : { variant: item.variant, modifiedAt: item.modifiedAt };
    const inserted = this.db
      .prepare(
        `INSERT OR IGNORE INTO annotation_conflicts (annotation_id, bundle_id, version, variant_hash, visibility, deleted, content_json, modified_at, detected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(item.id, context.record.bundleId, item.version, variantHash(loser.variant), loser.variant.visibility, loser.variant.deleted ? 1 : 0, loser.variant.content ? canonicalize(loser.variant.content) : null, loser.modifiedAt, at);
    if (inserted.changes > 0) result.conflicts++;
    if (incomingWins) {
      const row = rowFor(item.variant, item.version);
      this.writeRow(row, true);
      this.recordVersion(row, 'conflict');
    }
  }

  // --- JSON-LD ------------------------------------------------------------------------------------------------

  /** Every (undeleted) annotation of the case in this vault, as a W3C AnnotationCollection with one AnnotationPage. */
  exportJsonLd(caseId: string): Record<string, unknown> {
    const context = this.context(this.cases.requireOpenable(caseId));
    const rows = this.db.prepare('SELECT * FROM annotations WHERE bundle_id = ? AND deleted = 0 ORDER BY created_at, id').all(context.record.bundleId) as AnnotationRow[];
    const items = rows.map((row) => {
      const annotation = this.toAnnotation(context, row);
      return toWebAnnotation(context.record.bundleId, {
        annotation: { ...annotation, content: annotation.content! },
        creator: { signingKey: row.author_key, name: annotation.author.name },
      });
    });
    return toCollection(context.record.bundleId, context.record.reference, items);
  }

  /**
   * Imports a collection written by exportJsonLd, keeping ids, authors, versions, visibility and dates. The file is
   * unsigned, so it never overrides an annotation written here or received in a signed pack, and its authors must
   * be participants of the case. All or nothing.
   */
  importJsonLd(caseId: string, json: unknown): JsonLdImportResult {
    const context = this.context(this.cases.requireOpenable(caseId));
    const parsed = parseCollection(json, { bundleId: context.record.bundleId, reference: context.record.reference });
    const result: JsonLdImportResult = { added: 0, updated: 0, unchanged: 0, othersPrivate: 0, kept: 0 };
    this.db.transaction(() => {
      parsed.items.forEach((item, index) => {
        const member = memberWithKeys(context.members, item.creatorKey);
        if (!member) throw new AnnotationError('jsonld-unknown-author', `Annotation ${index + 1} in this file is by someone who is not a participant of this case. Nothing was imported.`);
        if (item.visibility === 'legal-advice' && member.role !== 'external-lawyer') {
          throw new AnnotationError('jsonld-advice-not-lawyer', `Annotation ${index + 1} is marked as legal advice but is not by the case’s external lawyer. Nothing was imported.`);
        }
        // Checked before anything is skipped: a malformed file is refused whole, whoever's notes are malformed.
        const content = this.validContent(context.manifest, item.content, 'jsonld-malformed');
        if (item.visibility === 'private' && item.creatorKey !== context.me.signingKey) {
          result.othersPrivate++;
          return;
        }
        const local = this.db.prepare('SELECT * FROM annotations WHERE id = ?').get(item.id) as AnnotationRow | undefined;
        if (local && (local.author_key !== item.creatorKey || local.bundle_id !== context.record.bundleId)) {
          throw new AnnotationError('jsonld-foreign-annotation', `Annotation ${index + 1} in this file has the id of an annotation by someone else. Nothing was imported.`);
        }
        const variant = liveVariant(item.visibility, content);
        if (local) {
          if (local.version === item.version && variantHash(variantOf(local)) === variantHash(variant)) {
            result.unchanged++;
            return;
          }
          if (local.provenance !== 'jsonld' || item.version <= local.version) {
            result.kept++;
            return;
          }
        }
        const row: Omit<AnnotationRow, 'seq'> = {
          id: item.id,
          bundle_id: context.record.bundleId,
          author_key: item.creatorKey,
          visibility: item.visibility,
          version: item.version,
          deleted: 0,
          content_json: canonicalize(content),
          search_text: searchTextOf(content),
          created_at: item.createdAt,
          modified_at: item.modifiedAt,
          // One's own annotations coming back from one's own export are one's own again.
          provenance: item.creatorKey === context.me.signingKey ? 'local' : 'jsonld',
        };
        this.writeRow(row, local !== undefined);
        this.recordVersion(row, 'jsonld');
        this.audit.append({
          caseId: context.record.id,
          action: local ? 'annotation-changed' : 'annotation-created',
          object: `annotation ${row.id}`,
          details: { ...this.auditDetails(row, content), source: 'json-ld' },
        });
        local ? result.updated++ : result.added++;
      });
    })();
    return result;
  }

  // --- retention ----------------------------------------------------------------------------------------------

  legalHold(caseId: string): LegalHold | null {
    const record = this.cases.get(caseId);
    const row = this.db.prepare('SELECT reason, set_at, set_by FROM legal_holds WHERE bundle_id = ?').get(record.bundleId) as { reason: string; set_at: string; set_by: string } | undefined;
    return row ? { reason: row.reason, setAt: row.set_at, setBy: row.set_by } : null;
  }

  setLegalHold(caseId: string, reason: string): LegalHold {
    const record = this.cases.get(caseId);
    const text = reason.trim();
    if (text.length < 1 || text.length > 500) throw new AnnotationError('annotation-invalid', 'Say why the legal hold is set (up to 500 characters).');
    this.db
      .prepare('INSERT INTO legal_holds (bundle_id, reason, set_at, set_by) VALUES (?, ?, ?, ?) ON CONFLICT(bundle_id) DO UPDATE SET reason = excluded.reason')
      .run(record.bundleId, text, this.now().toISOString(), this.me().fingerprint);
    return this.legalHold(caseId)!;
  }

  clearLegalHold(caseId: string): void {
    const record = this.cases.get(caseId);
    this.db.prepare('DELETE FROM legal_holds WHERE bundle_id = ?').run(record.bundleId);
  }

  /**
   * Destroys every private annotation of the case and every private version in any annotation's history, unless a
   * legal hold is set (then nothing is destroyed and the hold is returned). Works on an expired case too.
   */
  destroyPrivateNotes(caseId: string, reason: 'outcome-final' | 'case-wiped' | 'user'): { destroyed: number; legalHold: LegalHold | null } {
    const record = this.cases.get(caseId);
    const hold = this.legalHold(caseId);
    if (hold) return { destroyed: 0, legalHold: hold };
    let destroyed = 0;
    this.db.transaction(() => {
      destroyed = this.db.prepare("DELETE FROM annotations WHERE bundle_id = ? AND visibility = 'private'").run(record.bundleId).changes;
      const versions = this.db.prepare("DELETE FROM annotation_versions WHERE bundle_id = ? AND visibility = 'private'").run(record.bundleId).changes;
      this.audit.append({ caseId, action: 'notes-destroyed', object: `private notes of case ${record.reference}`, details: { annotations: destroyed, versions, reason } });
    })();
    return { destroyed, legalHold: null };
  }
}
