// The entry of a ledger verify worker thread (see verify-pool.ts). Built by scripts/build.mjs as verify-worker.cjs
// beside dist/main/main.cjs and dist/cli/hearing-desk.cjs; run from sources through tsx.
import { parentPort } from 'node:worker_threads';
import { serveVerifyRequests } from './verify-pool';

if (parentPort) serveVerifyRequests(parentPort);
