// Decision letter speed: building the PDF of a 20-allegation outcome record and adding the chair's PAdES
// signature is part of "sign + build letter + PAdES + seal" (target under 1 s for the whole chain).
// Not a test: figures, no assertions.
//   npx tsx test/bench/letter-bench.ts
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { buildDecisionLetter } from '../../electron/services/records/letter';
import { signPdfPades } from '../../electron/services/records/pades';
import { CRITERIA, longRecord, signaturesFor } from '../fixtures/records/letter-record';

const ALLEGATIONS = 20;
const RUNS = 15;
const WARMUP = 3;
const TARGET_MS = 1_000;

const ms = (value: number): number => Math.round(value * 10) / 10;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runLetterBench(): Promise<{ name: string; figures: Record<string, string | number> }> {
  const record = longRecord(ALLEGATIONS);
  const signatures = signaturesFor(record);
  const chair = record.participants.find((person) => person.role === 'chair')!;
  const now = new Date();
  const certificateStart = performance.now();
  const certificate = issueChairCertificate({ name: chair.name, fingerprint: chair.fingerprint, signingKeyBase64: Buffer.alloc(32, 1).toString('base64') }, now);
  const certificateMs = performance.now() - certificateStart;

  const build: number[] = [];
  const sign: number[] = [];
  const total: number[] = [];
  let pages = 0;
  let bytes = 0;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const start = performance.now();
    const letter = await buildDecisionLetter(record, { criteria: CRITERIA, signatures, createdAt: now });
    const built = performance.now();
    const signed = await signPdfPades(letter.pdf, { ...certificate, reason: 'Decision of the panel', name: chair.name, location: 'Hearing Desk', signingTime: now });
    const end = performance.now();
    if (run < WARMUP) continue;
    build.push(built - start);
    sign.push(end - built);
    total.push(end - start);
    pages = letter.pageCount;
    bytes = signed.length;
  }
  for (const list of [build, sign, total]) list.sort((a, b) => a - b);
  return {
    name: `decision letter (${ALLEGATIONS} allegations with long reasons, ${pages} pages) + PAdES signature`,
    figures: {
      runs: RUNS,
      'signed PDF KB': Math.round(bytes / 1024),
      'issue certificate ms': ms(certificateMs),
      'build p50 ms': ms(percentile(build, 50)),
      'sign p50 ms': ms(percentile(sign, 50)),
      'build+sign p50 ms': ms(percentile(total, 50)),
      'build+sign p95 ms': ms(percentile(total, 95)),
      'build+sign max ms': ms(total[total.length - 1]!),
      'target ms (whole chain)': TARGET_MS,
      'p95 within target': percentile(total, 95) < TARGET_MS ? 'yes' : 'NO',
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { name, figures } = await runLetterBench();
  console.log(name);
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(24)} ${value}`);
}
