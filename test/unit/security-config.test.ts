// The Electron security baseline, checked on the very objects and decision functions electron/main.ts applies
// (security-config.ts and app-protocol.ts import nothing from Electron). The last block reads main.ts's syntax
// tree to prove each of them is really wired in: a decision that is tested but never called protects nothing.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_TYPES, resolveAppRequest } from '../../electron/app-protocol';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  applicationMenuTemplate,
  appPaths,
  CONTENT_SECURITY_POLICY,
  debuggingSwitchesIn,
  devicePermissionDecision,
  displayMediaDecision,
  downloadDecision,
  fileArgumentFrom,
  frameNavigationDecision,
  isTrustedSender,
  navigationDecision,
  droppedFileFrom,
  OPEN_FILE_EXTENSIONS,
  permissionCheckDecision,
  permissionDecision,
  requestDecision,
  schemePrivileges,
  SECURITY_HEADERS,
  startupDecision,
  webPreferences,
  webviewAttachDecision,
  windowOpenDecision,
  windowOptions,
  type MenuTemplateItem,
} from '../../electron/security-config';
import { tempDir } from '../helpers/temp';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PRELOAD = '/opt/Hearing Desk/resources/app.asar/dist/main/preload.cjs';

/** Every URL shape a page, a link in a document or an attacker could hand to the browser layer. */
const FOREIGN_URLS = [
  'https://example.org/',
  'http://127.0.0.1:8080/steal',
  'http://localhost/',
  'ws://127.0.0.1:9229/',
  'wss://example.org/socket',
  'ftp://example.org/file',
  'file:///etc/passwd',
  'file:///C:/Windows/win.ini',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://hearing-desk/8d3c2a7e-0000-4000-8000-000000000000',
  'javascript:alert(1)',
  'about:blank',
  'chrome://gpu',
  'devtools://devtools/bundled/inspector.html',
  'app://evil/index.html',
  'app://hearing-desk.evil.example/index.html',
  'app://user:secret@hearing-desk/index.html',
  'app://hearing-desk:8080/index.html',
  'APP://other/index.html',
  'hearing-desk://index.html',
  'not a url',
  '',
];

function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(directives.has(name.toLowerCase()), `directive ${name} appears twice`).toBe(false);
    directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function menuRoles(items: MenuTemplateItem[]): string[] {
  return items.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);
}

describe('window webPreferences (the object main.ts passes to BrowserWindow)', () => {
  const packaged = windowOptions(PRELOAD, true).webPreferences;
  const development = windowOptions(PRELOAD, false).webPreferences;

  it('turns context isolation on', () => {
    expect(packaged.contextIsolation).toBe(true);
    expect(development.contextIsolation).toBe(true);
  });

  it('sandboxes the renderer', () => {
    expect(packaged.sandbox).toBe(true);
    expect(development.sandbox).toBe(true);
  });

  it('gives Node to no page, worker or sub-frame', () => {
    for (const preferences of [packaged, development]) {
      expect(preferences.nodeIntegration).toBe(false);
      expect(preferences.nodeIntegrationInWorker).toBe(false);
      expect(preferences.nodeIntegrationInSubFrames).toBe(false);
    }
  });

  it('disables <webview>, keeps web security, and switches off the features the app does not use', () => {
    expect(packaged).toMatchObject({
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      plugins: false,
      webgl: false,
      spellcheck: false,
      safeDialogs: true,
    });
    // Nothing else may sneak in (a stray `nodeIntegration: true` added later would be caught above, an
    // unknown key here).
    expect(Object.keys(packaged).sort()).toEqual(Object.keys(webPreferences(PRELOAD, true)).sort());
  });

  it('loads the preload the caller names and nothing else', () => {
    expect(packaged.preload).toBe(PRELOAD);
  });

  it('keeps the window hidden until ready-to-show', () => {
    expect(windowOptions(PRELOAD, true).show).toBe(false);
  });
});

describe('DevTools and debugging', () => {
  it('turns DevTools off in packaged builds and leaves them on in development', () => {
    expect(webPreferences(PRELOAD, true).devTools).toBe(false);
    expect(webPreferences(PRELOAD, false).devTools).toBe(true);
  });

  it('has no reload or DevTools menu item in packaged builds, on any platform', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const roles = menuRoles(applicationMenuTemplate(true, platform));
      expect(roles).not.toContain('toggleDevTools');
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forceReload');
      expect(roles).toContain('copy'); // the Edit menu stays: keyboard copy and paste need it
      expect(menuRoles(applicationMenuTemplate(false, platform))).toContain('toggleDevTools');
    }
  });

  it('recognises every spelling of the debugging switches and nothing else', () => {
    const argv = [
      '/opt/hearing-desk/hearing-desk',
      '--inspect', '--inspect=9229', '--inspect-brk=0', '--inspect-port=1', '-inspect', '/inspect', '--INSPECT',
      '--remote-debugging-port=9222', '--remote-debugging-pipe', '--js-flags=--allow-natives-syntax',
      '--inspector', '--no-sandbox', 'bundle.hdbundle', '--remote-debugging',
    ];
    expect(debuggingSwitchesIn(argv)).toEqual(argv.slice(1, 11));
    // argv[0] is the executable itself, whatever it is called.
    expect(debuggingSwitchesIn(['--inspect'])).toEqual([]);
  });
});

describe('single-instance lock and startup', () => {
  const argv = ['/opt/hearing-desk/hearing-desk'];

  it('takes the single-instance lock exactly once and starts when it gets it', () => {
    let attempts = 0;
    const decision = startupDecision({ isPackaged: true, argv, acquireSingleInstanceLock: () => (attempts++, true) });
    expect(decision).toEqual({ action: 'start' });
    expect(attempts).toBe(1);
  });

  it('defers to the running instance when the lock is held', () => {
    expect(startupDecision({ isPackaged: true, argv, acquireSingleInstanceLock: () => false })).toEqual({
      action: 'defer-to-running-instance',
    });
    expect(startupDecision({ isPackaged: false, argv, acquireSingleInstanceLock: () => false }).action).toBe(
      'defer-to-running-instance',
    );
  });

  it('refuses a packaged start with debugging switches before touching the lock', () => {
    let attempts = 0;
    const decision = startupDecision({
      isPackaged: true,
      argv: [...argv, '--remote-debugging-port=9222'],
      acquireSingleInstanceLock: () => (attempts++, true),
    });
    expect(decision).toEqual({ action: 'refuse-debugging', switches: ['--remote-debugging-port=9222'] });
    expect(attempts).toBe(0);
  });

  it('lets a development start carry debugging switches (Playwright drives Electron through them)', () => {
    expect(
      startupDecision({ isPackaged: false, argv: [...argv, '--inspect=0', '--remote-debugging-port=0'], acquireSingleInstanceLock: () => true }),
    ).toEqual({ action: 'start' });
  });

  it('takes only our envelope files from a launch command line, never a switch', () => {
    expect(fileArgumentFrom(['/app', '--no-sandbox', 'case.HDBUNDLE'], '/home/sam')).toBe('/home/sam/case.HDBUNDLE');
    expect(fileArgumentFrom(['/app', '--open=/tmp/x.hdbundle', '/tmp/notes.txt'], '/')).toBeNull();
    expect(fileArgumentFrom(['/tmp/evil.hdbundle'], '/')).toBeNull(); // argv[0] is the executable
    expect(fileArgumentFrom(['/app', 'a\0b.hdcard'], '/')).toBeNull();
    for (const extension of OPEN_FILE_EXTENSIONS) {
      expect(fileArgumentFrom(['/app', `/tmp/x.${extension}`], '/')).toBe(`/tmp/x.${extension}`);
    }
  });
});

describe('Content Security Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);
  const FETCH_DIRECTIVES = ['script-src', 'style-src', 'img-src', 'font-src', 'connect-src', 'worker-src', 'object-src'];
  const REMOTE_OR_UNSAFE = /^(\*|https?:|wss?:|ftp:|file:|data:|blob:|filesystem:|mediastream:|'unsafe-|'wasm-unsafe-eval'|'strict-dynamic'|'nonce-|'sha(256|384|512)-)/i;

  it('denies by default', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });

  it('allows scripts from the app itself only: no inline script, no eval, no nonce or hash escape hatches', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|wasm-unsafe-eval/);
    expect(csp.has('script-src-elem')).toBe(false);
    expect(csp.has('script-src-attr')).toBe(false);
  });

  it('allows no inline style either', () => {
    expect(csp.get('style-src')).toEqual(["'self'"]);
  });

  it('names no remote origin, scheme source or wildcard in any directive', () => {
    for (const [directive, sources] of csp) {
      for (const source of sources) {
        expect(REMOTE_OR_UNSAFE.test(source), `${directive} ${source}`).toBe(false);
        expect(source.includes('.') || source.includes('://'), `${directive} ${source} looks like a host`).toBe(false);
      }
    }
  });

  it('restricts every fetch directive it sets to the app itself (or nothing)', () => {
    for (const directive of FETCH_DIRECTIVES) {
      const sources = csp.get(directive) ?? csp.get('default-src')!;
      expect(sources.every((source) => source === "'self'" || source === "'none'"), directive).toBe(true);
    }
    expect(csp.get('object-src')).toEqual(["'none'"]);
  });

  it('forbids plugins, <base> rewriting, form submission and framing', () => {
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('enforces Trusted Types with no policy, so string-to-DOM sinks refuse everything', () => {
    expect(csp.get('require-trusted-types-for')).toEqual(["'script'"]);
    expect(csp.get('trusted-types')).toEqual(["'none'"]);
  });

  it('is sent with every app:// response, together with the other hardening headers', () => {
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Referrer-Policy': 'no-referrer',
    });
    for (const feature of ['camera', 'microphone', 'geolocation', 'usb', 'clipboard-read']) {
      expect(SECURITY_HEADERS['Permissions-Policy']).toContain(`${feature}=()`);
    }
  });
});

describe('the app:// scheme', () => {
  it('is privileged as a standard, secure origin that does not bypass the CSP', () => {
    expect(schemePrivileges).toMatchObject({ standard: true, secure: true, bypassCSP: false, corsEnabled: false, allowServiceWorkers: false });
  });

  it('is where the window loads from', () => {
    expect(APP_ENTRY_URL).toBe('app://hearing-desk/index.html');
    expect(APP_ENTRY_URL.startsWith(`${APP_ORIGIN}/`)).toBe(true);
    expect(isTrustedSender(APP_ENTRY_URL)).toBe(true);
  });
});

describe('app:// protocol handler: serves dist/renderer and nothing outside it', () => {
  let base: ReturnType<typeof tempDir>;
  let rendererRoot: string;

  const get = (url: string) => resolveAppRequest({ method: 'GET', url }, rendererRoot);

  beforeAll(() => {
    // <tmp>/dist/renderer is the root; secrets sit beside and above it, and a symlink inside points out.
    base = tempDir('hd-app-protocol-');
    rendererRoot = join(base.path, 'dist', 'renderer');
    mkdirSync(join(rendererRoot, 'assets'), { recursive: true });
    writeFileSync(join(rendererRoot, 'index.html'), '<!doctype html><title>Hearing Desk</title>');
    writeFileSync(join(rendererRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(rendererRoot, 'assets', 'notes'), 'no extension');
    writeFileSync(join(base.path, 'secret.txt'), 'vault passphrase');
    writeFileSync(join(base.path, 'dist', 'secret.txt'), 'vault passphrase');
    mkdirSync(join(base.path, 'dist', 'renderer-evil'));
    writeFileSync(join(base.path, 'dist', 'renderer-evil', 'x.js'), 'evil');
    symlinkSync(join(base.path, 'secret.txt'), join(rendererRoot, 'assets', 'linked.txt'));
    symlinkSync(base.path, join(rendererRoot, 'up'));
  });

  afterAll(() => base.cleanup());

  it('serves index.html for / and files inside the root, with the security headers', () => {
    for (const url of ['app://hearing-desk/', 'app://hearing-desk/index.html']) {
      const response = get(url);
      expect(response.status).toBe(200);
      expect(response.filePath).toBe(join(rendererRoot, 'index.html'));
      expect(response.headers['Content-Type']).toBe(CONTENT_TYPES['.html']);
      expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    const script = get('app://hearing-desk/assets/index-abc123.js?v=1#x');
    expect(script).toMatchObject({ status: 200, filePath: join(rendererRoot, 'assets', 'index-abc123.js') });
    expect(script.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it.each([
    'app://hearing-desk/../../etc/passwd',
    'app://hearing-desk/../secret.txt',
    'app://hearing-desk/assets/../../secret.txt',
    'app://hearing-desk/%2e%2e/%2e%2e/etc/passwd',
    'app://hearing-desk/%2E%2E/secret.txt',
    'app://hearing-desk/.%2e/secret.txt',
    'app://hearing-desk/%2e./secret.txt',
    'app://hearing-desk/assets/%2e%2e/%2e%2e/secret.txt',
    'app://hearing-desk/..%2fsecret.txt',
    'app://hearing-desk/%2e%2e%2fsecret.txt',
    'app://hearing-desk/..%5csecret.txt',
    'app://hearing-desk/..\\secret.txt',
    'app://hearing-desk/assets%2f..%2f..%2fsecret.txt',
    'app://hearing-desk/./index.html',
    'app://hearing-desk//etc/passwd',
    'app://hearing-desk/%2fetc%2fpasswd',
    'app://hearing-desk/C:%5cWindows%5cwin.ini',
    'app://hearing-desk/index.html%00.js',
    'app://hearing-desk/%E0%A4%A',
  ])('refuses the traversal attempt %s', (url) => {
    const response = get(url);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.filePath).toBeUndefined();
    // Errors carry the CSP too (a worker script takes its CSP from its own response).
    expect(response.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('does not follow symlinks out of the root', () => {
    expect(get('app://hearing-desk/assets/linked.txt').status).toBe(404);
    expect(get('app://hearing-desk/up/secret.txt').status).toBe(404);
  });

  it('does not treat a sibling directory that shares the root as a prefix as inside it', () => {
    expect(get('app://hearing-desk/../renderer-evil/x.js').filePath).toBeUndefined();
  });

  it('serves only known file types, only existing regular files, only GET, only our host', () => {
    expect(get('app://hearing-desk/assets/notes').status).toBe(404);
    expect(get('app://hearing-desk/assets').status).toBe(404);
    expect(get('app://hearing-desk/missing.js').status).toBe(404);
    expect(get('app://other-host/index.html').status).toBe(404);
    expect(get('app://user:pw@hearing-desk/index.html').status).toBe(404);
    expect(get('https://hearing-desk/index.html').status).toBe(404);
    expect(get('not a url').status).toBe(400);
    const post = resolveAppRequest({ method: 'POST', url: 'app://hearing-desk/index.html' }, rendererRoot);
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET');
  });

  it('main resolves the renderer root to dist/renderer and the preload to dist/main/preload.cjs', () => {
    const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(packageJson.main).toBe('dist/main/main.cjs');
    const mainDirectory = dirname(join(ROOT, packageJson.main));
    expect(appPaths(mainDirectory)).toEqual({
      preload: join(ROOT, 'dist', 'main', 'preload.cjs'),
      rendererRoot: join(ROOT, 'dist', 'renderer'),
    });
    // And scripts/build.mjs writes exactly those files.
    const buildScript = readFileSync(join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    expect(buildScript).toContain("outfile: 'dist/main/main.cjs'");
    expect(buildScript).toContain("outfile: 'dist/main/preload.cjs'");
    expect(readFileSync(join(ROOT, 'vite.config.ts'), 'utf8')).toMatch(/outDir:\s*['"][^'"]*dist\/renderer['"]/);
  });
});

describe('navigation, new windows, permissions and requests', () => {
  it('allows navigation only to the app page itself', () => {
    expect(navigationDecision('app://hearing-desk/index.html')).toBe('allow');
    expect(navigationDecision('app://hearing-desk/')).toBe('allow');
    expect(navigationDecision('app://hearing-desk/assets/index-abc123.js')).toBe('deny');
    for (const url of FOREIGN_URLS) expect(navigationDecision(url), url).toBe('deny');
  });

  it('denies every sub-frame navigation, even to the app', () => {
    expect(frameNavigationDecision(APP_ENTRY_URL, false)).toBe('deny');
    expect(frameNavigationDecision(APP_ENTRY_URL, true)).toBe('allow');
    expect(frameNavigationDecision('https://example.org/', true)).toBe('deny');
  });

  it('denies window.open for any URL', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('denies every permission request and check', () => {
    const permissions = [
      'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection',
      'media', 'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal',
      'speaker-selection', 'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem',
      'hid', 'serial', 'usb',
    ];
    for (const permission of permissions) {
      expect(permissionDecision(permission), permission).toBe(false);
      expect(permissionCheckDecision(permission, APP_ORIGIN), permission).toBe(false);
    }
    expect(devicePermissionDecision('usb')).toBe(false);
    expect(displayMediaDecision()).toBeNull();
  });

  it('cancels downloads and <webview> attaches', () => {
    expect(downloadDecision('app://hearing-desk/index.html')).toBe('cancel');
    expect(webviewAttachDecision()).toBe('deny');
  });

  it('blocks every request that is not for the app origin', () => {
    for (const url of FOREIGN_URLS) expect(requestDecision(url), url).toBe('block');
    expect(requestDecision('app://hearing-desk/assets/index-abc123.js')).toBe('allow');
    expect(requestDecision(APP_ENTRY_URL)).toBe('allow');
  });

  it('answers IPC only for frames showing the app origin', () => {
    expect(isTrustedSender(APP_ENTRY_URL)).toBe(true);
    for (const url of FOREIGN_URLS) expect(isTrustedSender(url), url).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('main.ts applies these decisions', () => {
  const source = ts.createSourceFile('main.ts', readFileSync(join(ROOT, 'electron', 'main.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
  const calls: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node)) calls.push(node.expression.getText(source));
    ts.forEachChild(node, visit);
  };
  visit(source);

  it('calls each hardening function and Electron hook it relies on', () => {
    for (const name of [
      'windowOptions', 'appPaths', 'startupDecision', 'app.requestSingleInstanceLock', 'app.enableSandbox',
      'protocol.registerSchemesAsPrivileged', 'protocol.handle', 'resolveAppRequest',
      'ses.setPermissionRequestHandler', 'permissionDecision', 'ses.setPermissionCheckHandler', 'permissionCheckDecision',
      'ses.setDevicePermissionHandler', 'devicePermissionDecision', 'ses.setDisplayMediaRequestHandler', 'displayMediaDecision',
      'ses.webRequest.onBeforeRequest', 'requestDecision', 'downloadDecision',
      'navigationDecision', 'frameNavigationDecision', 'webviewAttachDecision',
      'contents.setWindowOpenHandler', 'windowOpenDecision', 'isTrustedSender', 'applicationMenuTemplate',
    ]) {
      expect(calls, name).toContain(name);
    }
  });

  it('builds its window only from windowOptions and loads only the app entry URL', () => {
    const windows: string[] = [];
    const findWindows = (node: ts.Node) => {
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'BrowserWindow') windows.push(node.getText(source));
      ts.forEachChild(node, findWindows);
    };
    findWindows(source);
    expect(windows).toEqual(['new BrowserWindow(windowOptions(appPaths(__dirname).preload, app.isPackaged))']);
    expect(source.getFullText()).toContain('window.loadURL(APP_ENTRY_URL)');
    expect(calls.filter((call) => call.endsWith('.loadURL') || call.endsWith('.loadFile'))).toEqual(['window.loadURL']);
  });

  it('never weakens the hardening anywhere in the file', () => {
    const text = source.getFullText();
    expect(text).not.toMatch(/nodeIntegration\s*:\s*true|contextIsolation\s*:\s*false|sandbox\s*:\s*false|webSecurity\s*:\s*false/);
    expect(text).not.toMatch(/openDevTools|bypassCSP\s*:\s*true|shell\.openExternal/);
  });
});

describe('files dropped on the window', () => {
  it('a dropped envelope file is offered for opening; anything else dropped is only refused', () => {
    expect(droppedFileFrom('file:///home/clerk/Bundles/NEC-2026-0042.hdbundle')).toBe('/home/clerk/Bundles/NEC-2026-0042.hdbundle');
    expect(droppedFileFrom('file:///home/clerk/Bundles/My%20Case.HDBUNDLE')).toBe('/home/clerk/Bundles/My Case.HDBUNDLE');
    for (const url of [
      'file:///etc/passwd',
      'file:///home/clerk/evidence.pdf',
      'file://server/share/x.hdbundle',
      'file:///home/clerk/x.hdbundle?download=1',
      'https://example.invalid/x.hdbundle',
      'app://hearing-desk/x.hdbundle',
      'not a url',
    ]) {
      expect(droppedFileFrom(url), url).toBeNull();
      expect(navigationDecision(url), url).toBe('deny');
    }
  });
});
