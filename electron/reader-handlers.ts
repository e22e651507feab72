// The evidence reader's calls: document bytes and page texts from the vault, full-text search, and annotations
// (create, change, undo through restore, visibility with its audience, packs and JSON-LD through the native
// pickers, edit history), and each user's place in each case.
// Inputs arrive validated by the dispatcher; results are checked against the contract on the way out.
import { readFileSync, statSync } from 'node:fs';
import type { Handlers } from './ipc';
import type { CaseServices } from './bundle-handlers';
import { AppError } from '../shared/errors';
import { MAX_PACK_BYTES } from '../shared/domain/annotation';
import { Annotations, PACK_FILE_EXTENSION } from './services/annotations/annotations';
import { AnnotationError } from './services/annotations/errors';
import { writeFileAtomic } from './services/atomic-file';
import type { FilePicker } from './services/ports';
import { CaseSearch } from './services/search';
import type { Session } from './services/session';
import { ReaderPlaceView } from '../shared/contract';

type ReaderHandlerNames =
  | 'reader.open' | 'reader.document' | 'reader.pageTexts' | 'search.query'
  | 'annotations.list' | 'annotations.create' | 'annotations.update' | 'annotations.delete' | 'annotations.restore'
  | 'annotations.audience' | 'annotations.exportPack' | 'annotations.importPack'
  | 'reader.savePlace' | 'reader.place' | 'annotations.legalHold' | 'annotations.setLegalHold' | 'annotations.clearLegalHold' | 'annotations.history' | 'annotations.exportJsonLd' | 'annotations.importJsonLd';

const PACK_FILTER = { name: 'Hearing Desk annotation pack', extensions: [PACK_FILE_EXTENSION] };
const JSONLD_FILTER = { name: 'W3C Web Annotation (JSON-LD)', extensions: ['jsonld', 'json'] };
/** Far above what 20,000 annotations of full-length notes and quotes come to in practice; read whole, so bounded. */
export const MAX_JSONLD_BYTES = 64 * 1024 * 1024;

type Place = ReaderPlaceView;

export function createReaderHandlers(session: Session, services: CaseServices, picker?: FilePicker): Pick<Handlers, ReaderHandlerNames> {
  const { cases } = services;
  const search = new CaseSearch(session, cases);
  const annotations = new Annotations(session, cases);
  // One indexing run per case at a time: a second reader.open waits for the first instead of extracting twice.
  const indexing = new Map<string, Promise<unknown>>();

  const requirePicker = (): FilePicker => {
    if (!picker) throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
    return picker;
  };
  // Each user's place per case lives in the vault (reader_places), keyed by bundle so a later revision keeps it.
  const storedPlace = (bundleId: string): Place | null => {
    const row = session.requireVault().db.prepare('SELECT document_id, page, zoom FROM reader_places WHERE bundle_id = ?').get(bundleId) as
      | { document_id: string; page: number; zoom: string }
      | undefined;
    const parsed = row ? ReaderPlaceView.safeParse({ documentId: row.document_id, page: row.page, zoom: row.zoom }) : null;
    return parsed?.success ? parsed.data : null;
  };
  const requireDocument = (caseId: string, documentId: string) => {
    const record = cases.requireOpenable(caseId);
    const entry = record.manifest.documents.find((d) => d.id === documentId);
    if (!entry) throw new AppError('document-not-found', 'That document is not in this bundle.');
    return entry;
  };
  const indexOf = async (caseId: string) => {
    let running = indexing.get(caseId);
    if (!running) {
      running = search.indexCase(caseId).finally(() => indexing.delete(caseId));
      indexing.set(caseId, running);
    }
    await running;
  };

  return {
    'reader.open': async ({ caseId }) => {
      await indexOf(caseId);
      // An empty query matches nothing but still reports how complete the index is.
      const { indexedDocuments, documents } = search.search(caseId, '');
      const ready = new Set(cases.readyDocumentIds(caseId));
      return { indexedDocuments, documents, unreadable: [...ready].length - indexedDocuments };
    },
    'reader.document': ({ caseId, documentId }) => {
      requireDocument(caseId, documentId);
      return { base64: Buffer.from(cases.readDocument(caseId, documentId)).toString('base64') };
    },
    'reader.pageTexts': ({ caseId, documentId }) => search.pageTexts(caseId, documentId),
    'search.query': ({ caseId, query, documentId }) => search.search(caseId, query, documentId === undefined ? {} : { documentId }),
    'annotations.list': ({ caseId }) => annotations.anchored(caseId, (documentId) => search.pageTexts(caseId, documentId)),
    'annotations.create': ({ caseId, content, visibility }) => annotations.create(caseId, { content, visibility }),
    'annotations.update': ({ annotationId, content, visibility, expectedVersion }) =>
      annotations.update(annotationId, {
        ...(content ? { content } : {}),
        ...(visibility ? { visibility } : {}),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      }),
    'annotations.delete': ({ annotationId, expectedVersion }) => annotations.delete(annotationId, expectedVersion),
    'annotations.restore': ({ annotationId, version }) => annotations.restore(annotationId, version),
    'annotations.audience': ({ caseId, visibility }) => annotations.audience(caseId, visibility),
    'annotations.exportPack': async ({ caseId }) => {
      // Sealed first, so a refusal (nobody to share with) comes before the save dialog.
      const pack = await annotations.exportPack(caseId);
      const path = await requirePicker().chooseSavePath({ title: 'Save the annotation pack', suggestedName: pack.suggestedName, filters: [PACK_FILTER] });
      const summary = { recipients: pack.recipients, unreachable: pack.unreachable, annotations: pack.annotations, tombstones: pack.tombstones };
      if (!path) return { savedTo: null, ...summary };
      // The pack is a sealed envelope: nothing readable reaches the disk.
      writeFileAtomic(path, pack.bytes, 0o600);
      return { savedTo: path, ...summary };
    },
    'annotations.importPack': async ({ caseId }) => {
      cases.requireOpenable(caseId);
      const [path] = await requirePicker().chooseOpenPaths({ title: 'Import an annotation pack', filters: [PACK_FILTER], multiple: false });
      if (!path) return null;
      if (statSync(path).size > MAX_PACK_BYTES + 1024 * 1024) {
        throw new AnnotationError('pack-too-large', 'This file is far larger than any annotation pack; it was not made by Hearing Desk.');
      }
      return annotations.importPack(caseId, readFileSync(path));
    },
    'reader.savePlace': ({ caseId, documentId, page, zoom }) => {
      const entry = requireDocument(caseId, documentId);
      if (page > entry.pageCount) throw new AppError('page-not-found', `${entry.title} has ${entry.pageCount} pages; there is no page ${page}.`);
      const { bundleId } = cases.get(caseId);
      session
        .requireVault()
        .db.prepare(
          `INSERT INTO reader_places (bundle_id, document_id, page, zoom, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(bundle_id) DO UPDATE SET document_id = excluded.document_id, page = excluded.page, zoom = excluded.zoom, updated_at = excluded.updated_at`,
        )
        .run(bundleId, documentId, page, zoom, new Date().toISOString());
      return null;
    },
    'reader.place': ({ caseId }) => {
      const record = cases.requireOpenable(caseId);
      const place = storedPlace(record.bundleId);
      // A later revision of the bundle may have dropped the document or shortened it: start afresh then.
      const entry = place ? record.manifest.documents.find((d) => d.id === place.documentId) : undefined;
      return place && entry && place.page <= entry.pageCount ? place : null;
    },
    'annotations.legalHold': ({ caseId }) => annotations.legalHold(cases.requireOpenable(caseId).id),
    'annotations.setLegalHold': ({ caseId, reason }) => annotations.setLegalHold(cases.requireOpenable(caseId).id, reason),
    'annotations.clearLegalHold': ({ caseId }) => {
      annotations.clearLegalHold(cases.requireOpenable(caseId).id);
      return null;
    },
    'annotations.history': ({ annotationId }) => {
      const { author } = annotations.get(annotationId);
      return annotations.history(annotationId).map((version) => ({ ...version, authorName: author.name }));
    },
    'annotations.exportJsonLd': async ({ caseId }) => {
      const record = cases.requireOpenable(caseId);
      const collection = annotations.exportJsonLd(caseId);
      const count = ((collection.first as { items?: unknown[] } | undefined)?.items ?? []).length;
      const path = await requirePicker().chooseSavePath({
        title: 'Export the annotations as JSON-LD',
        suggestedName: `${record.reference.replace(/[^A-Za-z0-9_-]+/g, '-')}-annotations.jsonld`,
        filters: [JSONLD_FILTER],
      });
      if (!path) return { savedTo: null, annotations: count };
      // Readable text, by the user's explicit choice (the reader warns before asking where): the standard format.
      writeFileAtomic(path, Buffer.from(`${JSON.stringify(collection, null, 2)}\n`, 'utf8'), 0o600);
      return { savedTo: path, annotations: count };
    },
    'annotations.importJsonLd': async ({ caseId }) => {
      cases.requireOpenable(caseId);
      const [path] = await requirePicker().chooseOpenPaths({ title: 'Import annotations from JSON-LD', filters: [JSONLD_FILTER], multiple: false });
      if (!path) return null;
      if (statSync(path).size > MAX_JSONLD_BYTES) {
        throw new AppError('jsonld-too-large', `This file is larger than ${MAX_JSONLD_BYTES / 1024 / 1024} MB, far more than any annotation export; nothing was imported.`);
      }
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path)));
      } catch {
        throw new AnnotationError('jsonld-malformed', 'This file is not JSON-LD (it is not valid UTF-8 JSON); nothing was imported.');
      }
      return annotations.importJsonLd(caseId, json);
    },
  };
}
