// The renderer's only way to the main process: a typed client over `window.hearingDesk` (the BridgeApi the
// preload exposes). Every result is checked against the shared contract again here, so a screen only ever
// receives data of the declared shape; every failure becomes a UiError with a plain-language message.
import {
  BRIDGE_GLOBAL,
  contract,
  events,
  type BridgeApi,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../shared/contract';

export class UiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UiError';
    this.code = code;
  }
}

const NO_BRIDGE = 'Hearing Desk could not reach its secure core. Close the app and open it again.';

function bridge(): BridgeApi {
  const api = (window as unknown as Record<string, BridgeApi | undefined>)[BRIDGE_GLOBAL];
  if (!api || typeof api.invoke !== 'function') throw new UiError('no-bridge', NO_BRIDGE);
  return api;
}

export async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  let result: Awaited<ReturnType<BridgeApi['invoke']>>;
  try {
    result = await bridge().invoke(name, input);
  } catch (error) {
    if (error instanceof UiError) throw error;
    throw new UiError('bridge-failed', NO_BRIDGE);
  }
  if (!result || typeof result !== 'object') throw new UiError('bridge-failed', NO_BRIDGE);
  if (!result.ok) {
    const code = typeof result.error?.code === 'string' ? result.error.code : 'internal';
    const message = typeof result.error?.message === 'string' && result.error.message ? result.error.message : 'Something went wrong. Nothing was changed; please try again.';
    throw new UiError(code, message);
  }
  const parsed = contract[name].output.safeParse(result.value);
  if (!parsed.success) throw new UiError('invalid-output', 'Hearing Desk received an unexpected answer and did not show it. Please try again.');
  return parsed.data as CallOutput<N>;
}

/** Listens for an event pushed by main; payloads that do not match the contract are ignored. */
export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
  let api: BridgeApi;
  try {
    api = bridge();
  } catch {
    return () => undefined;
  }
  return api.subscribe(name, (payload) => {
    const parsed = events[name].safeParse(payload);
    if (parsed.success) listener(parsed.data as EventPayload<E>);
  });
}

/** Plain words for anything thrown by a call or by the screen itself. */
export function messageOf(error: unknown): string {
  if (error instanceof UiError) return error.message;
  return 'Something went wrong. Nothing was changed; please try again.';
}

export function codeOf(error: unknown): string {
  return error instanceof UiError ? error.code : 'internal';
}
