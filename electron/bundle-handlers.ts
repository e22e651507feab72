// The case and bundle calls: a clerk's drafts and sealing, a recipient's preview, import, cases and wiping.
// Inputs arrive validated by the dispatcher; results are checked against the contract on the way out.
import { randomUUID } from 'node:crypto';
import { basename, extname } from 'node:path';
import type { BundlePreview, CaseDetail, CaseSummary, DraftView, EventName, EventPayload } from '../shared/contract';
import type { BundleManifest } from '../shared/domain/bundle';
import { AppError, isAppError } from '../shared/errors';
import type { Handlers } from './ipc';
import { BUNDLE_FILE_EXTENSION } from './services/bundles/bundle-file';
import { Annotations } from './services/annotations/annotations';
import { CaseDrafts } from './services/bundles/case-drafts';
import { BundleError } from './services/bundles/manifest';
import { ReceivedCases, type CaseRecord } from './services/bundles/received-cases';
import type { FilePicker } from './services/ports';
import sampleCriteriaDocument from '../shared/criteria/sample-criteria.json';
import { createPracticeDraft, DEMO_REFERENCE, installDemoHearing } from './services/demo-hearing';
import type { Session } from './services/session';

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

export interface CaseServices {
  cases: ReceivedCases;
  drafts: CaseDrafts;
  /** Files the user chose or dropped, by opaque token: the renderer can only import what main showed it. */
  chosenFiles: Map<string, string>;
}

export function createCaseServices(session: Session, now?: () => Date): CaseServices {
  return { cases: new ReceivedCases(session, now), drafts: new CaseDrafts(session, now), chosenFiles: new Map() };
}

/** Reads what a sealed file on disk holds and registers it for import under a fresh token. */
export async function previewBundleFile(services: CaseServices, path: string): Promise<BundlePreview> {
  const preview = await services.cases.preview(path);
  const token = randomUUID();
  services.chosenFiles.set(token, path);
  const manifest = preview.manifest;
  return {
    token,
    fileName: basename(path),
    fileBytes: preview.fileBytes,
    reference: manifest.case.reference,
    title: manifest.title,
    decidingBody: manifest.case.decidingBody,
    hearingDate: manifest.case.dates.hearing,
    expiresOn: manifest.expiresOn,
    expired: preview.expired,
    alreadyImported: preview.alreadyImported,
    revision: manifest.revision,
    sealedAt: manifest.sealedAt,
    sealer: preview.sealer,
    recipients: manifest.recipients.map((r) => ({ name: r.name, role: r.role, fingerprint: r.fingerprint })),
    sections: manifest.sections,
    documents: manifest.documents.map(({ path: _path, ...doc }) => doc),
    pageCount: manifest.pageCount,
  };
}

/**
 * A bundle file arrived from outside the window's pickers: dropped on the window, double-clicked in the file
 * manager, or passed to a second launch. The renderer hears of it as a 'bundles.offered' event and shows the
 * same open dialog as for a chosen file; a file it cannot read is reported the same way, in plain words.
 */
/** Where each of the app's other files is opened, for when one is double-clicked or dropped like a bundle. */
const OPENED_ELSEWHERE: Record<string, string> = {
  hdnotes: 'This file holds notes shared by a member of the panel. Open the case, then the evidence reader, and choose “Import a pack…”.',
  hddecision: 'This file holds a draft of the panel’s decision. Open the case, then Decision, and choose “Import draft…”.',
  hddeclaration: 'This file holds a panel member’s declaration. The chair opens the case, then Decision, and chooses “Import a declaration…”.',
  hdforsignature: 'This file holds an outcome record to sign. Open the case, then “Outcome and signatures”, and choose “Open the record for signature…”.',
  hdsignature: 'This file holds a signature on an outcome record. The chair opens the case, then “Outcome and signatures”, and chooses “Add returned signatures…”.',
  hdoutcome: 'This file is an outcome package for the central office. In the central office’s profile, open “Central office” and choose “Ingest outcome packages…”.',
  hdcard: 'This file is a participant card. Open the Address book and choose “Import card…”, then compare its fingerprint with its owner.',
};

export async function offerBundleFile(session: Session, services: CaseServices, emit: EmitEvent, path: string): Promise<void> {
  if (!session.isUnlocked) return; // the unlock screen has nowhere to show it; the user can open it after unlocking
  const elsewhere = OPENED_ELSEWHERE[extname(path).slice(1).toLowerCase()];
  if (elsewhere) {
    emit('bundles.offered', { preview: null, error: { code: 'not-a-bundle', message: elsewhere, fileName: basename(path) } });
    return;
  }
  try {
    emit('bundles.offered', { preview: await previewBundleFile(services, path), error: null });
  } catch (error) {
    const message = isAppError(error) ? error.message : 'That file could not be opened as a hearing bundle.';
    emit('bundles.offered', { preview: null, error: { code: isAppError(error) ? error.code : 'internal', message, fileName: basename(path) } });
  }
}

const NO_PICKER: FilePicker = {
  async chooseOpenPaths() {
    throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
  },
  async chooseSavePath() {
    throw new AppError('picker-unavailable', 'Choosing where to save is only available in the desktop app.');
  },
};

type CaseHandlerNames =
  | 'cases.list' | 'cases.get' | 'cases.wipe' | 'bundles.choose' | 'bundles.import'
  | 'drafts.list' | 'drafts.create' | 'drafts.createPractice' | 'drafts.get' | 'drafts.update' | 'drafts.remove' | 'drafts.addDocuments'
  | 'drafts.updateDocument' | 'drafts.moveDocument' | 'drafts.removeDocument' | 'drafts.seal' | 'operations.cancel'
  | 'criteria.current' | 'demo.install';

export function createCaseHandlers(
  session: Session,
  services: CaseServices,
  picker: FilePicker = NO_PICKER,
  emit: EmitEvent = () => undefined,
): Pick<Handlers, CaseHandlerNames> {
  const { cases, drafts, chosenFiles } = services;
  const running = new Map<string, AbortController>();

  const me = () => session.status().profile;
  const summaryOf = (record: CaseRecord): CaseSummary => {
    const manifest = record.manifest;
    const ownFingerprint = me()?.fingerprint;
    return {
      id: record.id,
      reference: record.reference,
      title: record.title,
      hearingDate: manifest.case.dates.hearing,
      status: cases.isExpired(record.expiresOn) ? 'expired' : 'open',
      expiresOn: record.expiresOn,
      decidingBody: manifest.case.decidingBody,
      myRole: manifest.recipients.find((r) => r.fingerprint === ownFingerprint)?.role ?? null,
      sealedBy: manifest.sealedBy.name,
      documentCount: manifest.documents.length,
      pageCount: manifest.pageCount,
      importedAt: record.importedAt,
    };
  };
  const sealerView = (manifest: BundleManifest) => {
    const known = session
      .listContacts()
      .find((c) => c.signingKey === manifest.sealedBy.signingKey && c.ageRecipient === manifest.sealedBy.ageRecipient);
    return { name: manifest.sealedBy.name, role: manifest.sealedBy.role, fingerprint: manifest.sealedBy.fingerprint, known: !!known, verified: !!known?.verifiedAt };
  };
  const documentsOf = (manifest: BundleManifest) => manifest.documents.map(({ path: _path, ...doc }) => doc);
  const draftView = (id: string): DraftView => ({ draft: drafts.get(id), problems: drafts.problems(id) });

  const track = <T>(operationId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    if (running.has(operationId)) throw new AppError('operation-running', 'That operation is already running.');
    const controller = new AbortController();
    running.set(operationId, controller);
    return work(controller.signal).finally(() => running.delete(operationId));
  };

  return {
    'cases.list': () => cases.list().map(summaryOf),
    'cases.get': ({ id }): CaseDetail => {
      const record = cases.requireOpenable(id);
      return {
        summary: summaryOf(record),
        caseFile: record.manifest.case,
        sealer: sealerView(record.manifest),
        sections: record.manifest.sections,
        documents: documentsOf(record.manifest),
        revision: record.revision,
      };
    },
    'cases.wipe': ({ id }) => {
      const record = cases.get(id);
      // Private notes go with the case, recorded in the audit trail (a legal hold keeps them).
      new Annotations(session, cases).destroyPrivateNotes(id, 'case-wiped');
      cases.wipe(id, cases.isExpired(record.expiresOn) ? 'expired' : 'user');
      return { ok: true as const };
    },
    'bundles.choose': async () => {
      const [path] = await picker.chooseOpenPaths({
        title: 'Open a hearing bundle',
        filters: [{ name: 'Hearing Desk bundle', extensions: [BUNDLE_FILE_EXTENSION] }],
        multiple: false,
      });
      if (!path) return null;
      return previewBundleFile(services, path);
    },
    'bundles.import': async ({ token, trustSealer }) => {
      const path = chosenFiles.get(token);
      if (!path) throw new BundleError('file-unreadable', 'Choose the bundle file again.');
      const caseId = await track(token, (signal) =>
        cases.import(path, {
          trustSealer,
          signal,
          onProgress: (p) => emit('progress', { operationId: token, operation: 'import', phase: p.phase, done: p.bytesDone, total: p.bytesTotal }),
        }),
      );
      chosenFiles.delete(token);
      return { caseId };
    },
    'demo.install': async () => {
      const existing = cases.list().find((c) => c.reference === DEMO_REFERENCE);
      if (existing) return { caseId: existing.id };
      return { caseId: await installDemoHearing(session, cases) };
    },
    'criteria.current': () => {
      session.requireVault();
      const criteria = sampleCriteriaDocument;
      return {
        id: criteria.id,
        version: criteria.version,
        title: criteria.title,
        isSample: criteria.sample === true,
        conductCategories: criteria.conductCategories.map((c) => ({ id: c.id, label: c.label })),
      };
    },
    'operations.cancel': ({ operationId }) => {
      running.get(operationId)?.abort();
      return { ok: true as const };
    },
    'drafts.list': () =>
      drafts.list().map((d) => ({
        id: d.id,
        reference: d.fields.reference,
        title: d.fields.title,
        documentCount: d.documents.length,
        sealedRevisions: d.sealedRevisions,
        updatedAt: d.updatedAt,
      })),
    'drafts.create': () => draftView(drafts.create().id),
    'drafts.createPractice': async () => draftView(await createPracticeDraft(drafts)),
    'drafts.get': ({ id }) => draftView(id),
    'drafts.update': ({ id, fields }) => {
      drafts.update(id, fields);
      return draftView(id);
    },
    'drafts.remove': ({ id }) => {
      drafts.remove(id);
      return { ok: true as const };
    },
    'drafts.addDocuments': async ({ id, section }) => {
      drafts.get(id);
      const paths = await picker.chooseOpenPaths({
        title: 'Add evidence',
        filters: [{ name: 'Evidence (PDF, images, text, e-mail)', extensions: ['pdf', 'png', 'jpg', 'jpeg', 'txt', 'eml'] }],
        multiple: true,
      });
      for (const path of paths) await drafts.addDocument(id, path, section);
      return draftView(id);
    },
    'drafts.updateDocument': ({ id, documentId, change }) => {
      drafts.updateDocument(id, documentId, change);
      return draftView(id);
    },
    'drafts.moveDocument': ({ id, documentId, direction }) => {
      drafts.moveDocument(id, documentId, direction);
      return draftView(id);
    },
    'drafts.removeDocument': ({ id, documentId }) => {
      drafts.removeDocument(id, documentId);
      return draftView(id);
    },
    'drafts.seal': async ({ id, operationId }) => {
      const draft = drafts.get(id);
      const problems = drafts.problems(id);
      if (problems.length > 0) throw new BundleError('draft-incomplete', `This case cannot be sealed yet: ${problems[0]}`);
      const slug = (draft.fields.reference || 'bundle').replace(/[^A-Za-z0-9-]+/g, '-');
      const path = await picker.chooseSavePath({
        title: 'Save the sealed bundle',
        suggestedName: `${slug}.${BUNDLE_FILE_EXTENSION}`,
        filters: [{ name: 'Hearing Desk bundle', extensions: [BUNDLE_FILE_EXTENSION] }],
      });
      if (!path) return { cancelled: true, files: [], pageCount: 0, revision: draft.sealedRevisions };
      const result = await track(operationId, (signal) =>
        drafts.seal(id, path, {
          signal,
          onProgress: (p) => emit('progress', { operationId, operation: 'seal', phase: p.phase, done: p.done, total: p.total }),
        }),
      );
      return { cancelled: false, ...result };
    },
  };
}
