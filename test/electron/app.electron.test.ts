// The real desktop app, end to end: Electron runs the built dist/main/main.cjs (as `electron .` does) against a
// throwaway user-data directory, and Playwright drives the window through the foundation flow: create a
// profile, lock, refuse a wrong passphrase, unlock. It then reads the window's live webPreferences and tries
// the doors the hardening must keep shut (Node globals, new windows, navigation, network).
//
// Runs wherever an Electron binary has been downloaded and a display exists; otherwise it says why it skipped.
// It never imports 'electron' itself: resolving that package would start the binary download.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NAME = 'Robin Ashdown';
const PASSPHRASE = 'lantern orchard pebble thistle';
const WRONG_PASSPHRASE = 'lantern orchard pebble thistles';

type LiveWebPreferences = Partial<Record<
  | 'contextIsolation' | 'sandbox' | 'nodeIntegration' | 'nodeIntegrationInWorker' | 'nodeIntegrationInSubFrames'
  | 'webviewTag' | 'webSecurity' | 'allowRunningInsecureContent',
  boolean
>> & { preload?: string };

/**
 * Regular files below `directory` whose bytes contain `marker` (UTF-8 or UTF-16LE). Uses lstat: a running
 * Chromium profile holds symlinks that point nowhere (SingletonLock) or at sockets.
 */
function regularFilesContaining(directory: string, marker: string): string[] {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')];
  const hits: string[] = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) hits.push(...regularFilesContaining(path, marker));
    else if (stat.isFile() && needles.some((needle) => readFileSync(path).includes(needle))) hits.push(path);
  }
  return hits;
}

/** Why the Electron test cannot run here, or null when it can. Mirrors how node_modules/electron finds its binary. */
function reasonToSkip(): string | null {
  const packageDirectory = join(ROOT, 'node_modules', 'electron');
  if (!existsSync(join(packageDirectory, 'package.json'))) return 'the electron package is not installed';
  const pathFile = join(packageDirectory, 'path.txt');
  if (!existsSync(pathFile)) return 'Electron binary not downloaded (no network here): node_modules/electron/path.txt is missing';
  const relativeBinary = readFileSync(pathFile, 'utf8').trim();
  const distDirectory = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDirectory, 'dist');
  const binary = join(distDirectory, relativeBinary);
  if (!existsSync(binary)) return `Electron binary not downloaded (no network here): ${binary} does not exist`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display to open a window on (run the tests under xvfb-run)';
  }
  return null;
}

const skipReason = reasonToSkip();
if (skipReason) console.log(`[test/electron] Electron app test skipped: ${skipReason}.`);

describe.skipIf(skipReason !== null)('the Electron app: first run, lock, unlock, hardening', () => {
  let userData: ReturnType<typeof tempDir>;
  let app: ElectronApplication;
  let page: Page;

  async function unlockWith(passphrase: string): Promise<void> {
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  }

  beforeAll(async () => {
    const built = ['dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html'];
    const missing = built.filter((file) => !existsSync(join(ROOT, file)));
    if (missing.length > 0) throw new Error(`The Electron test runs the build, and ${missing.join(', ')} is missing. Run \`npm run build\` first.`);

    userData = tempDir('hd-electron-');
    // `args: [ROOT]` is `electron .`: Electron reads package.json and starts its "main", dist/main/main.cjs.
    app = await electron.launch({
      args: [ROOT],
      cwd: ROOT,
      env: { ...process.env, HEARING_DESK_USER_DATA: userData.path } as Record<string, string>,
      timeout: 60_000,
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    userData?.cleanup();
  });

  it('shows the first-run screen from app://', async () => {
    await page.getByRole('heading', { level: 1, name: 'Set up Hearing Desk' }).waitFor();
    expect(page.url()).toBe('app://hearing-desk/index.html');
  });

  it('creates a profile and opens the case list', async () => {
    await page.getByLabel('Your name').fill(NAME);
    await page.getByLabel('Your role').selectOption({ label: 'Panellist' });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('banner').innerText()).toContain(NAME);
  });

  it('locks, refuses a wrong passphrase, and unlocks with the right one', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByText('You locked Hearing Desk.').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(NAME);

    await unlockWith(WRONG_PASSPHRASE);
    await page.getByRole('alert').filter({ hasText: 'That passphrase is not correct' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('heading', { level: 1, name: 'Cases' }).count()).toBe(0);

    await unlockWith(PASSPHRASE);
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor({ timeout: 30_000 });
  });

  it('runs the window with the hardened webPreferences and the built preload', async () => {
    const preferences = await app.evaluate(({ BrowserWindow }) => {
      const windows = BrowserWindow.getAllWindows();
      // Undocumented in Electron's typings but long-standing: the preferences the renderer really runs with.
      const contents = windows[0]?.webContents as unknown as { getLastWebPreferences(): LiveWebPreferences | null } | undefined;
      const live = contents?.getLastWebPreferences();
      return {
        windows: windows.length,
        contextIsolation: live?.contextIsolation,
        sandbox: live?.sandbox,
        nodeIntegration: live?.nodeIntegration,
        nodeIntegrationInWorker: live?.nodeIntegrationInWorker,
        nodeIntegrationInSubFrames: live?.nodeIntegrationInSubFrames,
        webviewTag: live?.webviewTag,
        webSecurity: live?.webSecurity,
        allowRunningInsecureContent: live?.allowRunningInsecureContent,
        preload: live?.preload,
      };
    });
    expect(preferences).toMatchObject({
      windows: 1,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    });
    expect(preferences.preload?.endsWith(join('dist', 'main', 'preload.cjs'))).toBe(true);
    expect(existsSync(preferences.preload!)).toBe(true);
  });

  it('gives the page the bridge and nothing of Node', async () => {
    const globals = await page.evaluate(() => {
      const scope = globalThis as Record<string, unknown>;
      return {
        origin: location.origin,
        bridge: typeof scope.hearingDesk,
        require: typeof scope.require,
        process: typeof scope.process,
        module: typeof scope.module,
        isSecureContext,
      };
    });
    expect(globals).toEqual({ origin: 'app://hearing-desk', bridge: 'object', require: 'undefined', process: 'undefined', module: 'undefined', isSecureContext: true });
  });

  it('opens no new window, navigates nowhere and reaches no network', async () => {
    expect(await page.evaluate(() => window.open('https://example.org/') === null)).toBe(true);
    expect(await page.evaluate(() => fetch('https://example.org/').then(() => 'loaded', () => 'refused'))).toBe('refused');
    expect(await page.evaluate(() => fetch('file:///etc/hostname').then(() => 'loaded', () => 'refused'))).toBe('refused');
    await page.evaluate(() => {
      location.href = 'https://example.org/';
    });
    // The navigation is cancelled in main; the page (and the unlocked session on it) stays.
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    expect(page.url()).toBe('app://hearing-desk/index.html');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('leaves neither the name nor the passphrase readable anywhere in the user-data directory', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Passphrase', { exact: true }).waitFor();
    expect(regularFilesContaining(userData.path, PASSPHRASE)).toEqual([]);
    expect(regularFilesContaining(userData.path, NAME)).toEqual([]);
  });
});
