// The decision workspace's calls (docs/decision-draft.md): bound to the Decisions service, plus the two things the
// service leaves to its caller: asking where a sealed file goes (and writing it atomically), and reading a file the
// user chose, refusing anything far larger than a decision or declaration could be before reading it whole.
import { AppError } from '../shared/errors';
import {
  DECISION_DRAFT_FILE_EXTENSION,
  DECLARATION_FILE_EXTENSION,
  MAX_DECLARATION_JSON_BYTES,
  MAX_DRAFT_JSON_BYTES,
} from '../shared/domain/decision-draft-file';
import type { DecisionExport } from '../shared/contract';
import { readChosenFile } from './chosen-file';
import type { Handlers } from './ipc';
import { writeFileAtomic } from './services/atomic-file';
import { Decisions, type ExportedFile } from './services/decisions';
import type { FilePicker } from './services/ports';
import { PublishedStore } from './services/published';
import type { Session } from './services/session';

/**
 * The most a sealed decision file can be: the largest payload plus the envelope's framing (a header, a signature
 * and 16 bytes per 64 KiB chunk) with a generous margin. Anything larger is not ours, whatever it claims.
 */
export const MAX_DECISION_FILE_BYTES = MAX_DRAFT_JSON_BYTES + 1024 * 1024;
export const MAX_DECLARATION_FILE_BYTES = MAX_DECLARATION_JSON_BYTES + 64 * 1024;

export { readChosenFile } from './chosen-file';

type DecisionHandlerNames = Extract<keyof Handlers, `decision.${string}`>;

export function createDecisionHandlers(session: Session, picker: FilePicker | undefined, now: () => Date = () => new Date()): Pick<Handlers, DecisionHandlerNames> {
  // Checked against the signed criteria and decision history the central office published (electron/services/published.ts).
  const published = new PublishedStore(session, now);
  const decisions = new Decisions(session, now, { criteriaFor: published.criteriaResolver(), historyFor: published.historyFor() });

  const requirePicker = (): FilePicker => {
    if (!picker) throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
    return picker;
  };

  /** Asks where to save a sealed file and writes it there; nothing is written when the user cancels. */
  const saveSealed = async (exported: ExportedFile, title: string, filter: { name: string; extensions: string[] }): Promise<DecisionExport> => {
    const path = await requirePicker().chooseSavePath({ title, suggestedName: exported.fileName, filters: [filter] });
    if (!path) return { savedTo: null, recipients: exported.recipients };
    writeFileAtomic(path, exported.bytes, 0o600);
    // Only now is it exported: a cancelled or failed save leaves no entry in the audit trail.
    decisions.recordExport(exported);
    return { savedTo: path, recipients: exported.recipients };
  };

  /** Asks for one file of the given kind; null when the user cancelled. */
  const chooseOne = async (title: string, filter: { name: string; extensions: string[] }): Promise<string | null> => {
    const [path] = await requirePicker().chooseOpenPaths({ title, filters: [filter], multiple: false });
    return path ?? null;
  };

  const draftFilter = { name: 'Hearing Desk decision draft', extensions: [DECISION_DRAFT_FILE_EXTENSION] };
  const declarationFilter = { name: 'Hearing Desk declaration', extensions: [DECLARATION_FILE_EXTENSION] };

  return {
    'decision.open': ({ caseId }) => decisions.open(caseId),
    'decision.save': ({ caseId, draft, baseRevision }) => decisions.save(caseId, draft, baseRevision),
    'decision.acknowledge': ({ caseId, ruleId, fieldKey, reason }) => decisions.acknowledge(caseId, ruleId, fieldKey, reason),
    'decision.finalise': ({ caseId, baseRevision }) => decisions.finalise(caseId, baseRevision),
    'decision.nameScribe': ({ caseId, participantId }) => decisions.nameScribe(caseId, participantId),
    'decision.revisions': ({ caseId }) => decisions.revisions(caseId),
    'decision.diff': ({ caseId, from, to }) => decisions.diff(caseId, from, to),
    'decision.exportDraft': async ({ caseId }) => saveSealed(await decisions.exportDraft(caseId, { record: false }), 'Save the decision draft for the panel', draftFilter),
    'decision.importDraft': async ({ caseId }) => {
      decisions.open(caseId); // an unknown case is refused before any picker opens
      const path = await chooseOne('Import a decision draft', draftFilter);
      if (!path) return null;
      return decisions.importDraft(caseId, readChosenFile(path, MAX_DECISION_FILE_BYTES, 'decision draft'));
    },
    'decision.recordMyDeclaration': ({ caseId, declaration }) => decisions.recordMyDeclaration(caseId, declaration),
    'decision.recordMyTraining': ({ caseId, completedOn }) => decisions.recordMyTraining(caseId, completedOn),
    'decision.myRecords': ({ caseId }) => decisions.myRecords(caseId),
    'decision.exportMyDeclaration': async ({ caseId }) =>
      saveSealed(await decisions.exportMyDeclaration(caseId, { record: false }), 'Save your declaration for the chair', declarationFilter),
    'decision.importDeclaration': async ({ caseId }) => {
      decisions.open(caseId);
      const path = await chooseOne("Import a participant's declaration", declarationFilter);
      if (!path) return null;
      return decisions.importDeclaration(caseId, readChosenFile(path, MAX_DECLARATION_FILE_BYTES, 'declaration'));
    },
  };
}
