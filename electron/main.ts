// The main process: one hardened window showing the app:// renderer, the IPC door into the services, and the
// rules that lock the vault when the user is away. Every security value applied here comes from
// security-config.ts, where it is unit-tested; this file only wires those values into Electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  powerMonitor,
  protocol,
  session as electronSession,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type Session as ElectronSession,
  type WebContents,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { events, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type EventName, type EventPayload, type SessionState, type WireResult } from '../shared/contract';
import { refusal, resolveAppRequest } from './app-protocol';
import { createCaseServices, offerBundleFile } from './bundle-handlers';
import { createElectronDialogs, createElectronFilePicker } from './dialogs';
import { BUNDLE_FILE_EXTENSION } from './services/bundles/bundle-file';
import { createHandlers, PASSIVE_CALLS } from './handlers';
import { createDispatcher } from './ipc';
import { createSafeStorageKeychain } from './keychain';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  applicationMenuTemplate,
  appPaths,
  devicePermissionDecision,
  displayMediaDecision,
  downloadDecision,
  droppedFileFrom,
  fileArgumentFrom,
  frameNavigationDecision,
  isTrustedSender,
  navigationDecision,
  permissionCheckDecision,
  permissionDecision,
  requestDecision,
  schemePrivileges,
  startupDecision,
  webviewAttachDecision,
  windowOpenDecision,
  windowOptions,
} from './security-config';
import { Session } from './services/session';

/** Lets tests run the app against a throwaway profile. Ignored by packaged builds. */
const USER_DATA_OVERRIDE_VARIABLE = 'HEARING_DESK_USER_DATA';

const UNTRUSTED_SENDER_REFUSAL: WireResult<never> = {
  ok: false,
  error: { code: 'untrusted-sender', message: 'This request did not come from the Hearing Desk window and was refused.' },
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad request', 404: 'Not found', 405: 'Method not allowed' };

let mainWindow: BrowserWindow | null = null;

/**
 * Where "open this envelope file" requests arrive (double-click in the file manager, a second launch with a
 * path, macOS open-file, a file dropped on the window). A bundle is previewed and offered to the renderer; the
 * path itself is never logged: a file name can name a case. Set once the services exist.
 */
let handleOpenFileRequest: (filePath: string) => void = () => undefined;

function focusMainWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** IPC is answered only for the top frame of our own window while it shows our own origin. */
function isTrustedIpcEvent(event: IpcMainInvokeEvent): boolean {
  try {
    const frame = event.senderFrame;
    return (
      frame !== null &&
      frame.parent === null &&
      mainWindow !== null &&
      !mainWindow.isDestroyed() &&
      event.sender.id === mainWindow.webContents.id &&
      isTrustedSender(frame.url)
    );
  } catch {
    return false; // the frame was destroyed while we looked at it
  }
}

function sendEvent<E extends EventName>(name: E, payload: EventPayload<E>): void {
  const window = mainWindow;
  if (!window || window.isDestroyed() || !isTrustedSender(window.webContents.getURL())) return;
  // The same strict schema the renderer checks: nothing undeclared leaves in an event either.
  window.webContents.send(IPC_EVENT_CHANNEL, name, events[name].parse(payload));
}

function sendSessionChanged(state: SessionState): void {
  sendEvent('session.changed', state);
}

async function serveAppRequest(request: Request, rendererRoot: string): Promise<Response> {
  const resolved = resolveAppRequest({ method: request.method, url: request.url }, rendererRoot);
  if (resolved.status === 200 && resolved.filePath) {
    try {
      // readFile (not net.fetch of a file: URL): file: requests are blocked for the whole session, and
      // Electron's fs reads straight out of app.asar.
      const body = await readFile(resolved.filePath);
      return new Response(new Uint8Array(body), { status: 200, headers: resolved.headers });
    } catch {
      const notFound = refusal(404);
      return new Response(STATUS_TEXT[404], { status: 404, headers: notFound.headers });
    }
  }
  return new Response(STATUS_TEXT[resolved.status] ?? '', { status: resolved.status, headers: resolved.headers });
}

/** No network, no permissions, no devices, no downloads, no spell-check dictionary fetches. */
function lockDownSession(ses: ElectronSession): void {
  ses.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionDecision(permission)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionCheckDecision(permission, requestingOrigin));
  ses.setDevicePermissionHandler((details) => devicePermissionDecision(details.deviceType));
  ses.setDisplayMediaRequestHandler((_request, callback) => callback(displayMediaDecision()));
  ses.setSpellCheckerEnabled(false);
  ses.on('will-download', (event, item) => {
    if (downloadDecision(item.getURL()) === 'cancel') event.preventDefault();
  });
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: requestDecision(details.url) === 'block' }));
}

/** Applied to every WebContents the app ever creates, before it can load anything. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (navigationDecision(event.url) === 'deny') event.preventDefault();
    const dropped = droppedFileFrom(event.url);
    if (dropped) handleOpenFileRequest(dropped);
  });
  contents.on('will-frame-navigate', (event) => {
    if (frameNavigationDecision(event.url, event.isMainFrame) === 'deny') event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (navigationDecision(event.url) === 'deny') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    if (webviewAttachDecision() === 'deny') event.preventDefault();
  });
  contents.setWindowOpenHandler(() => windowOpenDecision());
}

function createMainWindow(session: Session): BrowserWindow {
  const window = new BrowserWindow(windowOptions(appPaths(__dirname).preload, app.isPackaged));
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  window.webContents.on('render-process-gone', (_event, details) => {
    // A renderer that died (perhaps because something attacked it) must not come back to an open vault.
    session.lock('idle');
    if (details.reason !== 'clean-exit' && !window.isDestroyed()) window.reload();
  });
  mainWindow = window;
  void window.loadURL(APP_ENTRY_URL);
  return window;
}

async function onReady(): Promise<void> {
  lockDownSession(electronSession.defaultSession);
  const { rendererRoot } = appPaths(__dirname);
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rendererRoot));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(applicationMenuTemplate(app.isPackaged, process.platform) as MenuItemConstructorOptions[]),
  );

  const userData = app.getPath('userData');
  const session = new Session({
    profileDirectory: join(userData, 'profile'),
    dialogs: createElectronDialogs(() => mainWindow),
    onChange: sendSessionChanged,
  });
  const keychain = createSafeStorageKeychain(join(userData, 'keychain', 'vault-passphrase.bin'));
  const services = createCaseServices(session);
  const handlers = createHandlers(session, keychain, { picker: createElectronFilePicker(() => mainWindow), emit: sendEvent, services });
  handleOpenFileRequest = (filePath) => {
    if (!filePath.toLowerCase().endsWith(`.${BUNDLE_FILE_EXTENSION}`)) return;
    focusMainWindow();
    void offerBundleFile(session, services, sendEvent, filePath);
  };
  const dispatch = createDispatcher(handlers, {
    onCall: (name) => {
      if (!PASSIVE_CALLS.has(name)) session.touch();
    },
  });
  ipcMain.handle(IPC_CALL_CHANNEL, (event, name: unknown, payload: unknown) =>
    isTrustedIpcEvent(event) ? dispatch(name, payload) : UNTRUSTED_SENDER_REFUSAL,
  );

  // Away from the desk means locked: the lid closes, the machine sleeps, or the user locks the screen.
  powerMonitor.on('suspend', () => session.lock('idle'));
  powerMonitor.on('lock-screen', () => session.lock('idle'));
  app.on('before-quit', () => session.lock('user'));

  createMainWindow(session);
  const fileToOpen = fileArgumentFrom(process.argv, process.cwd());
  if (fileToOpen) handleOpenFileRequest(fileToOpen);
}

function start(): void {
  const userDataOverride = process.env[USER_DATA_OVERRIDE_VARIABLE];
  if (!app.isPackaged && userDataOverride) app.setPath('userData', resolve(userDataOverride));

  // After setPath: the lock is per user-data directory, so test runs with their own profile do not collide.
  const decision = startupDecision({
    isPackaged: app.isPackaged,
    argv: process.argv,
    acquireSingleInstanceLock: () => app.requestSingleInstanceLock(),
  });
  if (decision.action === 'refuse-debugging') {
    console.error('Hearing Desk does not start with debugging switches.');
    app.exit(1);
    return;
  }
  if (decision.action === 'defer-to-running-instance') {
    app.quit(); // the running instance got a 'second-instance' event with our arguments and comes to the front
    return;
  }

  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...schemePrivileges } }]);
  if (process.platform === 'win32') app.setAppUserModelId('org.hearingdesk.app');

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusMainWindow();
    const fileToOpen = fileArgumentFrom(argv, workingDirectory);
    if (fileToOpen) handleOpenFileRequest(fileToOpen);
  });
  app.on('open-file', (event, filePath) => {
    event.preventDefault();
    const fileToOpen = fileArgumentFrom([process.execPath, filePath], process.cwd());
    if (fileToOpen) handleOpenFileRequest(fileToOpen);
  });
  // Closing the window ends the session on every platform, macOS included: nothing stays unlocked in the dock.
  app.on('window-all-closed', () => app.quit());

  app.whenReady().then(onReady).catch((error: unknown) => {
    console.error('Hearing Desk could not start:', error);
    dialog.showErrorBox('Hearing Desk could not start', 'Something went wrong while starting. Please open Hearing Desk again.');
    app.exit(1);
  });
}

start();
