// The calls for what the central office publishes (electron/services/published.ts): list what is held, and import
// signed criteria or a signed decision history the user picks, never reading a file far larger than its kind can be.
import type { Handlers } from './ipc';
import { readChosenFile } from './decision-handlers';
import { MAX_CRITERIA_FILE_BYTES, MAX_HISTORY_FILE_BYTES, PublishedStore } from './services/published';
import type { FilePicker } from './services/ports';
import type { Session } from './services/session';
import { AppError } from '../shared/errors';

type PublishedHandlerNames = Extract<keyof Handlers, `published.${string}`>;

const FILTERS = {
  criteria: { name: 'Signed sanctions criteria', extensions: ['json'] },
  history: { name: 'Signed decision history', extensions: ['json'] },
};

export function createPublishedHandlers(session: Session, picker: FilePicker | undefined, now: () => Date = () => new Date()): Pick<Handlers, PublishedHandlerNames> {
  const published = new PublishedStore(session, now);

  /** One file of the given kind; null when the user cancelled. Refused before any picker opens while locked. */
  const chooseOne = async (title: string, filter: { name: string; extensions: string[] }): Promise<string | null> => {
    session.requireVault();
    if (!picker) throw new AppError('picker-unavailable', 'Choosing files is only available in the desktop app.');
    const [path] = await picker.chooseOpenPaths({ title, filters: [filter], multiple: false });
    return path ?? null;
  };

  return {
    'published.list': () => published.list(),
    'published.importCriteria': async () => {
      const path = await chooseOne('Import signed criteria from the central office', FILTERS.criteria);
      if (!path) return null;
      return published.importCriteria(readChosenFile(path, MAX_CRITERIA_FILE_BYTES, 'criteria document'));
    },
    'published.importHistory': async () => {
      const path = await chooseOne('Import the decision history from the central office', FILTERS.history);
      if (!path) return null;
      return published.importHistory(readChosenFile(path, MAX_HISTORY_FILE_BYTES, 'decision history'));
    },
  };
}
