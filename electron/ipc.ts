// The only door from the renderer into the services. Validates every payload against the shared contract
// before a handler runs, and every result before it leaves, so malformed requests never reach a service
// and nothing undeclared (key material included) can cross back by accident.
// Deliberately free of any `electron` import: main wires it to ipcMain, the e2e harness to Playwright.
import type { z } from 'zod';
import { contract, type CallName, type CallOutput, type Contract, type WireResult } from '../shared/contract';
import { AppError, isAppError } from '../shared/errors';
import { describeSystemError } from '../shared/system-errors';

export type Handlers = {
  [N in CallName]: (input: z.output<Contract[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N>;
};

export type Dispatch = (name: unknown, payload: unknown) => Promise<WireResult<unknown>>;

export interface DispatcherOptions {
  /** Told of every call (after input validation) — used for the idle-lock timer. */
  onCall?: (name: CallName) => void;
  /** Where unexpected failures are reported. Receives the error only, never payloads or results. */
  logError?: (name: string, error: unknown) => void;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export function createDispatcher(handlers: Handlers, options: DispatcherOptions = {}): Dispatch {
  const logError = options.logError ?? ((name, error) => console.error(`[ipc] ${name} failed:`, error));
  return async (name, payload) => {
    if (typeof name !== 'string' || !Object.hasOwn(contract, name)) {
      return { ok: false, error: { code: 'unknown-call', message: `There is no operation called "${String(name)}".` } };
    }
    const callName = name as CallName;
    const spec = contract[callName];
    const input = spec.input.safeParse(payload);
    if (!input.success) {
      return {
        ok: false,
        error: { code: 'invalid-input', message: `The request "${callName}" was not valid: ${describeIssues(input.error)}` },
      };
    }
    options.onCall?.(callName);
    let result: unknown;
    try {
      const handler = handlers[callName] as (input: unknown) => unknown;
      result = await handler(input.data);
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: { code: error.code, message: error.message } };
      // A full disk or a read-only folder is the user's to put right: say which, and what to do.
      const system = describeSystemError(error);
      if (system) return { ok: false, error: system };
      logError(callName, error);
      return {
        ok: false,
        error: { code: 'internal', message: 'Something went wrong inside Hearing Desk. Nothing was changed; please try again.' },
      };
    }
    const output = spec.output.safeParse(result);
    if (!output.success) {
      // Never log the result itself: it is exactly what we refused to let through.
      logError(callName, new AppError('invalid-output', `result refused by the contract: ${describeIssues(output.error)}`));
      return {
        ok: false,
        error: { code: 'invalid-output', message: 'Hearing Desk refused to pass on an unexpected result. Nothing was shown.' },
      };
    }
    return { ok: true, value: output.data };
  };
}
