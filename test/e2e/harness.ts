// End-to-end harness: the real renderer (dist/renderer) in real Chromium, talking to the real main-process
// services — a real Session with real SQLCipher and real keys behind the real dispatcher — through the very
// bridge object the preload exposes (buildBridgeApi), carried over a Playwright binding instead of IPC.
// Only Electron itself is absent: the page is served from https://hearing-desk.test with the app's own
// security headers (CSP with Trusted Types included), and every other request is blocked and recorded.
//
// The harness builds nothing: run `node scripts/build.mjs` first (the test command does).
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { CallName, EventName, EventPayload } from '../../shared/contract';
import type { ParticipantRole } from '../../shared/domain/profile';
import { createCaseServices, offerBundleFile } from '../../electron/bundle-handlers';
import { createHandlers, PASSIVE_CALLS } from '../../electron/handlers';
import { createDispatcher, type Dispatch } from '../../electron/ipc';
import { SECURITY_HEADERS } from '../../electron/security-config';
import type { FileDialogs, FilePicker } from '../../electron/services/ports';
import { Session } from '../../electron/services/session';

export const ORIGIN = 'https://hearing-desk.test';
export const ENTRY_URL = `${ORIGIN}/index.html`;
export const VIEWPORT = { width: 1280, height: 820 } as const;

const ROOT = resolve(import.meta.dirname, '..', '..');
const RENDERER_DIR = join(ROOT, 'dist', 'renderer');
const BRIDGE_SCRIPT = join(ROOT, 'dist', 'test', 'bridge.js');
export const SCREENS_DIR = join(ROOT, 'test-results', 'screens');

/**
 * scrypt at N = 2^14 instead of the app's 2^17. Every unlock, passphrase change and profile creation in these
 * tests runs the real KDF and the real key wrapping, just 8× cheaper, so a flow with a dozen of them stays
 * within seconds on a shared two-core machine. The default cost is covered by test/integration/vault.test.ts.
 */
export const E2E_SCRYPT = { logN: 14, r: 8, p: 1 } as const;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export function assertBuilt(): void {
  const missing = [join(RENDERER_DIR, 'index.html'), BRIDGE_SCRIPT].filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new Error(`The e2e tests need a build, and these are missing: ${missing.join(', ')}. Run \`node scripts/build.mjs\` first.`);
  }
}

export async function launchChromium(): Promise<Browser> {
  assertBuilt();
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A Session of someone else (no browser): used to make the cards other people would send. */
export async function createPeer(name: string, role: ParticipantRole, passphrase = 'quiet harbour lamp wicker') {
  const dir = mkdtempSync(join(tmpdir(), 'hd-e2e-peer-'));
  const session = new Session({ profileDirectory: join(dir, 'profile'), scrypt: E2E_SCRYPT, dialogs: { saveFile: async () => null } });
  await session.createProfile({ name, role, passphrase });
  return {
    session,
    dir,
    close() {
      session.lock('user');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface SavedFile {
  path: string;
  suggestedName: string;
  title: string;
}

export interface Device {
  readonly name: string;
  readonly session: Session;
  readonly dispatch: Dispatch;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly profileDirectory: string;
  /** Where the fake save dialog writes: one directory per device. */
  readonly exportDirectory: string;
  /** Every file the save dialog wrote, in order. */
  readonly saved: SavedFile[];
  /**
   * Answers the next native open picker (bundles.choose, drafts.addDocuments) with these paths. Answers are
   * used in order, one per picker; a picker with nothing queued is cancelled (it returns no paths).
   */
  queueOpenPaths(paths: string[]): void;
  /** Answers the next native save picker (drafts.seal) with this path (null: the user cancelled). */
  queueSavePath(path: string | null): void;
  /** What each picker was asked, in order (titles only), so a test can check which one opened. */
  readonly pickerRequests: string[];
  /** Names of the calls the page made (never their payloads). */
  readonly calls: CallName[];
  /** Requests to anything but the app's own origin: all of them were aborted. */
  readonly blockedRequests: string[];
  /** Console errors, page errors and CSP violations not declared as expected. */
  readonly problems: string[];
  /**
   * Makes one call answer no sooner than `ms` after it was made, so busy and progress states can be seen. By default
   * the work runs at once and only the answer waits; with `delayWork` the work itself starts late, as it would with
   * the app's full scrypt cost (an unlock takes about half a second there), events included.
   */
  slowDown(name: CallName, ms: number, options?: { delayWork?: boolean }): void;
  /**
   * Sets the date the case services see (expiry checks), as if the computer's clock said so; null goes back to
   * the real clock. Only the services' notion of today changes: crypto, the vault and the page are untouched.
   */
  setCaseClock(date: Date | null): void;
  /** As main does when a bundle file is dropped on the window or opened from the file manager. */
  offerFile(path: string): Promise<void>;
  /** Declares console errors matching the pattern as expected for the rest of the test. */
  allowProblem(pattern: RegExp): void;
  /** Loads the app (again), as the window does at start. */
  open(): Promise<void>;
  /** The whole page by default; `fullPage: false` photographs the window as it is (for a modal dialog). */
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<string>;
  /** axe-core on the page as it is now; returns the serious and critical violations, described. */
  seriousA11yViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface DeviceOptions {
  name: string;
  colorScheme?: 'light' | 'dark';
}

function serveFromRenderer(pathname: string): { status: number; body: Buffer; contentType: string } {
  const relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  const target = normalize(join(RENDERER_DIR, relative));
  if (!target.startsWith(RENDERER_DIR + sep) || !existsSync(target)) {
    return { status: 404, body: Buffer.from('Not found'), contentType: 'text/plain; charset=utf-8' };
  }
  return { status: 200, body: readFileSync(target), contentType: MIME[extname(target)] ?? 'application/octet-stream' };
}

export async function openDevice(browser: Browser, options: DeviceOptions): Promise<Device> {
  assertBuilt();
  const root = mkdtempSync(join(tmpdir(), `hd-e2e-${options.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`));
  const profileDirectory = join(root, 'profile');
  const exportDirectory = join(root, 'exports');
  mkdirSync(exportDirectory, { recursive: true });

  const saved: SavedFile[] = [];
  const calls: CallName[] = [];
  const blockedRequests: string[] = [];
  const problems: string[] = [];
  const allowed: RegExp[] = [];
  let page: Page | null = null;

  const dialogs: FileDialogs = {
    async saveFile({ suggestedName, title, bytes }) {
      const path = join(exportDirectory, suggestedName);
      writeFileSync(path, bytes);
      saved.push({ path, suggestedName, title });
      return path;
    },
  };

  const openAnswers: string[][] = [];
  const saveAnswers: (string | null)[] = [];
  const pickerRequests: string[] = [];
  const picker: FilePicker = {
    async chooseOpenPaths({ title }) {
      pickerRequests.push(title);
      return openAnswers.shift() ?? [];
    },
    async chooseSavePath({ title }) {
      pickerRequests.push(title);
      return saveAnswers.length > 0 ? saveAnswers.shift()! : null;
    },
  };

  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    // As main's webContents.send: fire and forget; a page that is gone simply does not hear it.
    page
      ?.evaluate(([name, data]) => (window as unknown as { __hdEmit(e: string, p: unknown): void }).__hdEmit(name, data), [event, payload] as const)
      .catch(() => undefined);
  };

  const session = new Session({ profileDirectory, dialogs, scrypt: E2E_SCRYPT, onChange: (state) => emit('session.changed', state) });
  let caseClock: Date | null = null;
  const services = createCaseServices(session, () => caseClock ?? new Date());
  const realDispatch = createDispatcher(createHandlers(session, null, { picker, emit, services }), {
    onCall: (name) => {
      calls.push(name);
      if (!PASSIVE_CALLS.has(name)) session.touch();
    },
  });
  const latency = new Map<string, number>();
  const delayWork = new Set<string>();
  const dispatch: Dispatch = async (name, payload) => {
    const ms = typeof name === 'string' ? latency.get(name) : undefined;
    if (!ms) return realDispatch(name, payload);
    if (delayWork.has(name as string)) {
      // The work itself waits, as a slow KDF would: its events (session.changed after an unlock) come late too, so
      // the busy state stays on screen the whole time instead of until an event races ahead of the answer.
      await new Promise((done) => setTimeout(done, ms));
      return realDispatch(name, payload);
    }
    const [result] = await Promise.all([realDispatch(name, payload), new Promise((done) => setTimeout(done, ms))]);
    return result;
  };

  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    serviceWorkers: 'block',
  });
  page = await context.newPage();
  const thePage = page;

  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) {
      blockedRequests.push(route.request().url());
      await route.abort('blockedbyclient');
      return;
    }
    const file = serveFromRenderer(url.pathname);
    await route.fulfill({ status: file.status, body: file.body, headers: { ...SECURITY_HEADERS, 'Content-Type': file.contentType } });
  });
  await thePage.exposeBinding('__hdInvoke', (_source, name: unknown, payload: unknown) => dispatch(name, payload));
  await thePage.addInitScript({ path: BRIDGE_SCRIPT });

  const record = (text: string) => {
    if (!allowed.some((pattern) => pattern.test(text))) problems.push(text);
  };
  thePage.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning' && /Content.Security.Policy|Trusted Type/i.test(message.text())) {
      record(`console.${message.type()}: ${message.text()}`);
    }
  });
  thePage.on('pageerror', (error) => record(`page error: ${error.message}`));

  return {
    name: options.name,
    session,
    dispatch,
    page: thePage,
    context,
    profileDirectory,
    exportDirectory,
    saved,
    queueOpenPaths(paths) {
      openAnswers.push([...paths]);
    },
    queueSavePath(path) {
      saveAnswers.push(path);
    },
    pickerRequests,
    calls,
    blockedRequests,
    problems,
    slowDown(name, ms, options = {}) {
      latency.set(name, ms);
      if (options.delayWork) delayWork.add(name);
      else delayWork.delete(name);
    },
    offerFile(path) {
      return offerBundleFile(session, services, emit, path);
    },
    setCaseClock(date) {
      caseClock = date;
    },
    allowProblem(pattern) {
      allowed.push(pattern);
    },
    async open() {
      await thePage.goto(ENTRY_URL);
      await thePage.locator('#root > *').first().waitFor();
    },
    async screenshot(name, options = {}) {
      mkdirSync(SCREENS_DIR, { recursive: true });
      const path = join(SCREENS_DIR, `${name}.png`);
      // Let the last frame settle (toasts and dialogs draw without motion: reducedMotion is 'reduce').
      await thePage.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await thePage.screenshot({ path, fullPage: options.fullPage ?? true, animations: 'disabled', caret: 'hide' });
      return path;
    },
    async seriousA11yViolations() {
      const results = await new AxeBuilder({ page: thePage }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']).analyze();
      return results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    },
    async close() {
      session.lock('user');
      await context.close().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

