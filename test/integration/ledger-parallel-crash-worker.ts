// A verify worker for ledger-parallel.test.ts that dies the way a crashing thread would (process.exit in a worker ends
// only the thread) when it comes to a chunk holding a file that starts with CRASH_MARKER; otherwise it is the real
// worker. It dies when that chunk's turn comes, after answering the chunks before it, as a crash while checking a file
// would. Test only: the app's worker (verify-worker.ts) has no such hook.
import { parentPort } from 'node:worker_threads';
import { serveVerifyRequests } from '../../electron/services/records/verify-pool';

export const CRASH_MARKER = 'CRASH-THE-VERIFY-WORKER';

if (parentPort) {
  const port = parentPort;
  let received = 0;
  let answered = 0;
  let crashAt: number | null = null;
  const crashIfDue = () => {
    if (crashAt !== null && answered === crashAt) process.exit(70);
  };
  serveVerifyRequests({
    on: (event, listener) =>
      port.on(event, (message: { type: string; files?: { bytes: Uint8Array }[] }) => {
        if (crashAt !== null) return;
        // Chunks are counted per batch (a worker is reused for the next batch).
        if (message.type !== 'check') {
          if (message.type === 'batch') received = answered = 0;
          return listener(message);
        }
        const position = received++;
        if (message.files?.some((file) => Buffer.from(file.bytes.subarray(0, CRASH_MARKER.length)).toString('latin1') === CRASH_MARKER)) {
          crashAt = position;
          return crashIfDue();
        }
        listener(message);
      }),
    postMessage: (message, transfer) => {
      port.postMessage(message, transfer);
      if ((message as { type?: string }).type === 'checked') answered++;
      crashIfDue();
    },
  });
}
