// The e2e stand-in for electron/preload.ts, bundled by scripts/build.mjs into dist/test/bridge.js and injected
// by the harness before the page's own scripts. It exposes the very object the real preload exposes —
// buildBridgeApi's — with calls going to a Playwright binding (the real dispatcher in Node) instead of IPC.
// Events arrive through `__hdEmit`, which only the harness calls (from page.evaluate), as main's
// webContents.send would.
import { BRIDGE_GLOBAL, type WireResult } from '../../shared/contract';
import { buildBridgeApi } from '../../electron/preload-api';

type Listener = (event: string, payload: unknown) => void;

declare global {
  interface Window {
    __hdInvoke(name: string, payload: unknown): Promise<WireResult<unknown>>;
  }
}

const listeners = new Set<Listener>();

const api = buildBridgeApi(
  (name, payload) => window.__hdInvoke(name, payload),
  (listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
);

// Non-writable and non-configurable, as contextBridge.exposeInMainWorld makes it.
Object.defineProperty(window, BRIDGE_GLOBAL, { value: api, enumerable: true, writable: false, configurable: false });
Object.defineProperty(window, '__hdEmit', {
  value: (event: string, payload: unknown) => {
    for (const listener of [...listeners]) listener(event, payload);
  },
  enumerable: false,
  writable: false,
  configurable: false,
});

// CSP (and Trusted Types) violations are collected by the harness, which fails the test on any it did not expect.
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`[csp-violation] ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'} at ${event.sourceFile}:${event.lineNumber}`);
});
