// Builds the one object the preload exposes: the contract's call names, a typed invoke, and event
// subscription — nothing else. Free of `electron` imports so the e2e harness can build the very same
// object in Chromium over a Playwright binding.
import { CALL_NAMES, EVENT_NAMES, type BridgeApi, type WireResult } from '../shared/contract';

export type RawInvoke = (name: string, payload: unknown) => Promise<WireResult<unknown>>;
export type RawSubscribe = (listener: (event: string, payload: unknown) => void) => () => void;

export function buildBridgeApi(rawInvoke: RawInvoke, rawSubscribe: RawSubscribe): BridgeApi {
  const callNames = new Set<string>(CALL_NAMES);
  const eventNames = new Set<string>(EVENT_NAMES);
  const api: BridgeApi = {
    invoke(name, payload) {
      // Refuse here too: the renderer cannot even ask for a channel the contract does not declare.
      if (typeof name !== 'string' || !callNames.has(name)) {
        return Promise.resolve({ ok: false, error: { code: 'unknown-call', message: `There is no operation called "${String(name)}".` } });
      }
      return rawInvoke(name, payload);
    },
    subscribe(event, listener) {
      if (!eventNames.has(event) || typeof listener !== 'function') return () => undefined;
      return rawSubscribe((name, payload) => {
        if (name === event) listener(payload);
      });
    },
  };
  return Object.freeze(api);
}
