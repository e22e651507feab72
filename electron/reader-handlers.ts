// The evidence reader's calls: document bytes and page texts from the vault, full-text search, and annotations
// (create, change, undo through restore, visibility with its audience, packs through the native pickers).
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

type ReaderHandlerNames =
  | 'reader.open' | 'reader.document' | 'reader.pageTexts' | 'search.query'
  | 'annotations.list' | 'annotations.create' | 'annotations.update' | 'annotations.delete' | 'annotations.restore'
  | 'annotations.audience' | 'annotations.exportPack' | 'annotations.importPack';

const PACK_FILTER = { name: 'Hearing Desk annotation pack', extensions: [PACK_FILE_EXTENSION] };

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
      const record = cases.requireOpenable(caseId);
      if (!record.manifest.documents.some((d) => d.id === documentId)) throw new AppError('document-not-found', 'That document is not in this bundle.');
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
  };
}
