import { BundlePdfError } from './errors';

/**
 * Building a large bundle is seconds of synchronous pdf-lib work. Callers await this between units of work:
 * it gives the event loop a turn once the time budget is spent (so the app stays responsive and progress
 * reaches the UI) and turns an aborted signal into a typed error.
 */
export type Yielder = () => Promise<void>;

export function createYielder(signal?: AbortSignal, budgetMs = 15): Yielder {
  let lastYield = performance.now();
  return async () => {
    throwIfAborted(signal);
    if (performance.now() - lastYield < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    lastYield = performance.now();
    throwIfAborted(signal);
  };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BundlePdfError('aborted', 'Building the bundle was cancelled.');
}
