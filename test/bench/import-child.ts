// Child process of bundle-bench.ts: unlocks the panellist's vault and imports the bundle, reporting the time to
// the first document being readable (verified, read back from the vault, parsed as a PDF), the total import
// time and this process's peak RSS, as one JSON line.
import { PDFDocument } from 'pdf-lib';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { Session } from '../../electron/services/session';

const [profileDirectory, bundlePath] = process.argv.slice(2);
const passphrase = process.env.HD_BENCH_PASSPHRASE ?? '';

const session = new Session({ profileDirectory: profileDirectory!, dialogs: { saveFile: async () => null } });
await session.unlock(passphrase);
const cases = new ReceivedCases(session);
const baselineRssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
let firstDocumentMs = -1;
let firstPending: Promise<void> | null = null;
const start = process.hrtime.bigint();
await cases.import(bundlePath!, {
  trustSealer: false,
  onDocumentReady: (caseId, document) => {
    if (firstPending) return;
    firstPending = (async () => {
      const pdf = await PDFDocument.load(cases.readDocument(caseId, document.id));
      if (pdf.getPageCount() < 1) throw new Error('the first document has no page');
      firstDocumentMs = Number(process.hrtime.bigint() - start) / 1e6;
    })();
  },
});
await firstPending;
const importSeconds = Number(process.hrtime.bigint() - start) / 1e9;
session.lock('user');
const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify({ importSeconds, firstDocumentMs, peakRssMB, baselineRssMB }));
