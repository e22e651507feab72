// Every security decision the main process makes about the window, its content and its inputs, as plain
// data and pure functions. main.ts applies exactly these objects; the unit tests read exactly these objects.
// Deliberately free of any `electron` import so it can be tested in plain Node.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_HOST = 'hearing-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export const APP_TITLE = 'Hearing Desk';
/** The renderer's light background, shown before the first paint so the window never flashes white-on-grey. */
export const APP_BACKGROUND_COLOR = '#f6f7f9';

/**
 * Privileges of the app:// scheme. `standard` gives it an origin and relative URLs, `secure` makes it a secure
 * context (as https would be), `supportFetchAPI` lets the renderer fetch its own static files.
 * Not `bypassCSP` (our CSP must apply), not `corsEnabled` or `allowServiceWorkers` (nothing needs them).
 */
export const schemePrivileges = Object.freeze({
  standard: true,
  secure: true,
  supportFetchAPI: true,
  bypassCSP: false,
  corsEnabled: false,
  allowServiceWorkers: false,
  stream: false,
  codeCache: false,
});

/**
 * The page may load its own files and nothing else: no inline script or style, no eval, no plugins, no frames,
 * no forms, no network. Trusted Types are enforced with no policy allowed, so DOM sinks such as innerHTML refuse
 * strings outright (React never needs them).
 * Left out on purpose: `blob:` and `data:` (no feature needs them yet) and 'wasm-unsafe-eval'. The PDF viewer
 * will load pdf.js's worker from 'self' (worker-src 'self' covers it) but under Trusted Types must create the
 * worker through a named policy that only accepts our own URL: add that policy's name to `trusted-types` then.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'"],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'worker-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'require-trusted-types-for': ["'script'"],
  'trusted-types': ["'none'"],
});

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

/** Powerful browser features, every one switched off for the page (and anything it could embed). */
export const DENIED_BROWSER_FEATURES = Object.freeze([
  'accelerometer', 'autoplay', 'bluetooth', 'camera', 'clipboard-read', 'clipboard-write', 'display-capture',
  'encrypted-media', 'fullscreen', 'gamepad', 'geolocation', 'gyroscope', 'hid', 'identity-credentials-get',
  'idle-detection', 'local-fonts', 'magnetometer', 'microphone', 'midi', 'otp-credentials', 'payment',
  'picture-in-picture', 'publickey-credentials-create', 'publickey-credentials-get', 'screen-wake-lock', 'serial',
  'storage-access', 'usb', 'web-share', 'window-management', 'xr-spatial-tracking',
] as const);

/** Sent with every app:// response, errors included (a worker script takes its CSP from its own response). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Permissions-Policy': DENIED_BROWSER_FEATURES.map((feature) => `${feature}=()`).join(', '),
});

/** Electron's security checklist as values; literal types so a weakening edit fails type-checking in main.ts too. */
export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  enableWebSQL: false;
  plugins: false;
  /** Nothing draws with WebGL; turning it off removes a large GPU attack surface. */
  webgl: false;
  /** The dictionary would be downloaded from Google's CDN, and typed case text would be checked against it. */
  spellcheck: false;
  safeDialogs: true;
  /** DevTools would let anyone at the keyboard read the unlocked vault's data out of the page. */
  devTools: boolean;
}

export function webPreferences(preloadPath: string, isPackaged: boolean): HardenedWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    enableWebSQL: false,
    plugins: false,
    webgl: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: !isPackaged,
  };
}

export function windowOptions(preloadPath: string, isPackaged: boolean) {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    // Shown on 'ready-to-show', so the user never sees a half-drawn window.
    show: false,
    title: APP_TITLE,
    backgroundColor: APP_BACKGROUND_COLOR,
    webPreferences: webPreferences(preloadPath, isPackaged),
  };
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Exactly our origin: the app scheme, our host, no port, no credentials. */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Every request the page (or anything in it) makes: only our own files load; no network, no file:, no data:. */
export function requestDecision(url: string): 'allow' | 'block' {
  return isAppUrl(url) ? 'allow' : 'block';
}

/** The app is one page; the only navigation allowed is to that page itself. Links elsewhere go nowhere. */
export function navigationDecision(url: string): 'allow' | 'deny' {
  if (!isAppUrl(url)) return 'deny';
  const { pathname } = new URL(url);
  return pathname === '/' || pathname === '/index.html' ? 'allow' : 'deny';
}

/** A sub-frame may never navigate (the CSP allows no frames at all); the main frame only within the app. */
export function frameNavigationDecision(url: string, isMainFrame: boolean): 'allow' | 'deny' {
  return isMainFrame ? navigationDecision(url) : 'deny';
}

/** No page may open another window, whatever the URL. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, microphone, notifications, clipboard, openExternal…: the app needs none of them. */
export function permissionDecision(_permission: string): false {
  return false;
}

export function permissionCheckDecision(_permission: string, _requestingOrigin?: string): false {
  return false;
}

/** USB, HID, serial and Bluetooth devices: never offered to the page. */
export function devicePermissionDecision(_permission?: string): false {
  return false;
}

/** Screen capture: no source is ever handed out (Electron's callback takes null for "none"). */
export function displayMediaDecision(): null {
  return null;
}

/** Nothing the page links to or generates is ever saved by the browser layer; exports go through main's dialogs. */
export function downloadDecision(_url?: string): 'cancel' {
  return 'cancel';
}

/** <webview> is off in webPreferences as well; this refuses an attach even if that were ever switched back on. */
export function webviewAttachDecision(): 'deny' {
  return 'deny';
}

/** IPC is answered only for frames showing our own origin (a frame that navigated elsewhere gets nothing). */
export function isTrustedSender(frameUrl: string | null | undefined): boolean {
  return isAppUrl(frameUrl);
}

/**
 * The files Hearing Desk opens (the OS passes them as a command-line argument or an open-file event): every file the
 * app writes, by what it carries (a hearing bundle, shared notes, a decision draft, a declaration, a record for
 * signature, a returned signature, an outcome package) and participant cards. A bundle opens in the import dialog;
 * the others are explained (where in the app they belong). build/electron-builder.config.cjs registers exactly
 * these with the OS; test/unit/packaging-config.test.ts holds the lists together with the extensions the app writes.
 */
export const OPEN_FILE_EXTENSIONS = Object.freeze(['hdbundle', 'hdnotes', 'hddecision', 'hddeclaration', 'hdforsignature', 'hdsignature', 'hdoutcome', 'hdcard'] as const);

/**
 * The file a (second) launch asks us to open, or null. Only a non-switch argument naming one of our envelope
 * files counts: a second instance's arguments come from whoever launched it, and a Chromium switch smuggled in
 * there must never be treated as anything but noise.
 */
export function fileArgumentFrom(argv: readonly string[], workingDirectory: string): string | null {
  for (const argument of argv.slice(1)) {
    if (argument.startsWith('-') || argument.includes('\0')) continue;
    const extension = argument.slice(argument.lastIndexOf('.') + 1).toLowerCase();
    if (!(OPEN_FILE_EXTENSIONS as readonly string[]).includes(extension)) continue;
    return resolve(workingDirectory, argument);
  }
  return null;
}

/**
 * A bundle file dropped on the window: Chromium tries to navigate to its file:// URL, which is always denied; if it
 * names one of our envelope files, main offers to open it instead. Anything else dropped is simply refused.
 */
export function droppedFileFrom(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '' || parsed.search || parsed.hash) return null;
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const extension = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (OPEN_FILE_EXTENSIONS as readonly string[]).includes(extension) ? path : null;
}

/**
 * Switches that would open the running app to a debugger (Node's inspector, Chromium's remote debugging,
 * raw V8 flags). Node's are also disabled by a fuse; Chromium's are not, so a packaged build refuses to start
 * with any of them. Chromium accepts "--x", "-x" and, on Windows, "/x".
 */
export function debuggingSwitchesIn(argv: readonly string[]): string[] {
  const pattern = /^(?:--?|\/)(remote-debugging-(?:port|pipe|address|targets)|inspect(?:-brk|-port|-publish-uid)?|js-flags)(?:=|$)/i;
  return argv.slice(1).filter((argument) => pattern.test(argument));
}

export type StartupDecision =
  | { action: 'start' }
  | { action: 'refuse-debugging'; switches: string[] }
  | { action: 'defer-to-running-instance' };

/**
 * Whether this process may become Hearing Desk. A packaged build refuses debugging switches before anything
 * else; then the single-instance lock is taken (exactly once: Electron's lock is per user-data directory, so
 * main sets that directory first). Two instances on one profile would open the same vault twice.
 */
export function startupDecision(options: {
  isPackaged: boolean;
  argv: readonly string[];
  acquireSingleInstanceLock: () => boolean;
}): StartupDecision {
  if (options.isPackaged) {
    const switches = debuggingSwitchesIn(options.argv);
    if (switches.length > 0) return { action: 'refuse-debugging', switches };
  }
  return options.acquireSingleInstanceLock() ? { action: 'start' } : { action: 'defer-to-running-instance' };
}

/**
 * Where the built main process finds its neighbours: scripts/build.mjs writes dist/main/main.cjs (package.json
 * "main") beside dist/main/preload.cjs, and the renderer to dist/renderer.
 */
export function appPaths(mainDirectory: string): { preload: string; rendererRoot: string } {
  return { preload: join(mainDirectory, 'preload.cjs'), rendererRoot: join(mainDirectory, '..', 'renderer') };
}

type MenuRole =
  | 'appMenu' | 'fileMenu' | 'windowMenu' | 'quit' | 'close'
  | 'undo' | 'redo' | 'cut' | 'copy' | 'paste' | 'selectAll'
  | 'resetZoom' | 'zoomIn' | 'zoomOut' | 'togglefullscreen'
  | 'reload' | 'forceReload' | 'toggleDevTools';

/** A subset of Electron's MenuItemConstructorOptions, so the template stays testable without Electron. */
export interface MenuTemplateItem {
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  submenu?: MenuTemplateItem[];
}

/**
 * A minimal menu: the platform's app/file menu, Edit (so keyboard copy and paste work), View zoom. Reload and
 * DevTools exist only in development builds: a reload would drop the page's state mid-hearing and DevTools
 * would expose the unlocked vault's data.
 */
export function applicationMenuTemplate(isPackaged: boolean, platform: NodeJS.Platform): MenuTemplateItem[] {
  const separator: MenuTemplateItem = { type: 'separator' };
  const developmentOnly: MenuTemplateItem[] = isPackaged
    ? []
    : [separator, { role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }];
  return [
    platform === 'darwin' ? { role: 'appMenu' } : { label: 'File', submenu: [{ role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' }, { role: 'redo' }, separator,
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, separator,
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, ...developmentOnly] },
    ...(platform === 'darwin' ? [{ role: 'windowMenu' } as MenuTemplateItem] : []),
  ];
}
