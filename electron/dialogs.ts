// The services' FileDialogs port over Electron's native save dialog. The user picks the place; the bytes are
// written atomically (a crash never leaves half a file under the chosen name) and readable by the user only.
import { app, dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { join } from 'node:path';
import { writeFileAtomic } from './services/atomic-file';
import type { FileDialogs, FilePicker } from './services/ports';

export function createElectronDialogs(parentWindow: () => BrowserWindow | null): FileDialogs {
  return {
    async saveFile({ title, suggestedName, filters, bytes }) {
      const options: SaveDialogOptions = {
        title,
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters,
        // 'dontAddToRecent': a file name can name a case; Windows' recent-documents list should not keep it.
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
      };
      const parent = parentWindow();
      const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return null;
      writeFileAtomic(choice.filePath, bytes, 0o600);
      return choice.filePath;
    },
  };
}

/** Native pickers that only return paths: the services stream the files themselves (bundles can be gigabytes). */
export function createElectronFilePicker(parentWindow: () => BrowserWindow | null): FilePicker {
  return {
    async chooseOpenPaths({ title, filters, multiple }) {
      const options: OpenDialogOptions = {
        title,
        defaultPath: app.getPath('documents'),
        filters,
        properties: multiple ? ['openFile', 'multiSelections', 'dontAddToRecent'] : ['openFile', 'dontAddToRecent'],
      };
      const parent = parentWindow();
      const choice = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return choice.canceled ? [] : choice.filePaths;
    },
    async chooseSavePath({ title, suggestedName, filters }) {
      const options: SaveDialogOptions = {
        title,
        defaultPath: join(app.getPath('documents'), suggestedName),
        filters,
        properties: ['createDirectory', 'showOverwriteConfirmation', 'dontAddToRecent'],
      };
      const parent = parentWindow();
      const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return choice.canceled || !choice.filePath ? null : choice.filePath;
    },
  };
}
