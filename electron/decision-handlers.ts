// The decision workspace's calls (docs/decision-draft.md): bound to the Decisions service, plus the two things the
// service leaves to its caller: asking where a sealed file goes (and writing it atomically), and reading a file the
// user chose, refusing anything far larger than a decision or declaration could be before reading it whole.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../shared/errors';
import {
  DECISION_DRAFT_FILE_EXTENSION,
  DECLARATION_FILE_EXTENSION,
  MAX_DECLARATION_JSON_BYTES,
  MAX_DRAFT_JSON_BYTES,
} from '../shared/domain/decision-draft-file';
import type { DecisionExport } from '../shared/contract';
import type { Handlers } from './ipc';
import { writeFileAtomic } from './services/atomic-file';
import { Decisions, type ExportedFile } from './services/decisions';
import type { FilePicker } from './services/ports';
import type { Session } from './services/session';

/**
 * The most a sealed decision file can be: the largest payload plus the envelope's framing (a header, a signature
 * and 16 bytes per 64 KiB chunk) with a generous margin. Anything larger is not ours, whatever it claims.
 */
export const MAX_DECISION_FILE_BYTES = MAX_DRAFT_JSON_BYTES + 1024 * 1024;
export const MAX_DECLARATION_FILE_BYTES = MAX_DECLARATION_JSON_BYTES + 64 * 1024;

export class DecisionFileReadError extends AppError {
  constructor(code: 'decision-file-too-large' | 'decision-file-unreadable', message: string) {
    super(code, message);
    this.name = 'AppError';
  }
}

/** Reads a chosen file whole, refusing one over `limit` bytes before reading any of it (and one that grows meanwhile). */
export function readChosenFile(path: string, limit: number, what: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new DecisionFileReadError('decision-file-unreadable', `${basename(path)} could not be opened. Check the file is still there and try again.`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new DecisionFileReadError('decision-file-unreadable', `${basename(path)} is not a file.`);
    if (stat.size > limit) {
      throw new DecisionFileReadError('decision-file-too-large', `${basename(path)} is ${stat.size} bytes, far larger than any ${what} (at most ${limit}). It was not read.`);
    }
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > stat.size) {
        throw new DecisionFileReadError('decision-file-unreadable', `${basename(path)} changed while it was being read. Try again once it is complete.`);
      }
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length);
  } finally {
    closeSync(fd);
  }
}

type DecisionHandlerNames = Extract<keyof Handlers, `decision.${string}`>;

export function createDecisionHandlers(session: Session, picker: FilePicker | undefined, now: () => Date = () => new Date()): Pick<Handlers, DecisionHandlerNames> {
  const decisions = new Decisions(session, now);

  const requirePicker = (): FilePicker => {
    if (!picker) throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
    return picker;
  };

  /** Asks where to save a sealed file and writes it there; nothing is written when the user cancels. */
  const saveSealed = async (exported: ExportedFile, title: string, filter: { name: string; extensions: string[] }): Promise<DecisionExport> => {
    const path = await requirePicker().chooseSavePath({ title, suggestedName: exported.fileName, filters: [filter] });
    if (!path) return { savedTo: null, recipients: exported.recipients };
    writeFileAtomic(path, exported.bytes, 0o600);
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
    'decision.exportDraft': async ({ caseId }) => saveSealed(await decisions.exportDraft(caseId), 'Save the decision draft for the panel', draftFilter),
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
      saveSealed(await decisions.exportMyDeclaration(caseId), 'Save your declaration for the chair', declarationFilter),
    'decision.importDeclaration': async ({ caseId }) => {
      decisions.open(caseId);
      const path = await chooseOne("Import a participant's declaration", declarationFilter);
      if (!path) return null;
      return decisions.importDeclaration(caseId, readChosenFile(path, MAX_DECLARATION_FILE_BYTES, 'declaration'));
    },
  };
}
