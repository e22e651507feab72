// `npm run bench`: every speed and memory figure the issues ask for, each printed beside its target and, where
// the issue names one, beside a reference implementation measured in the same run. Figures, not assertions:
// a slow shared machine prints a slow figure, it does not fail a build.
//   npm run bench                 (100 MB and 1 GB bundles)
//   BENCH_QUICK=1 npm run bench   (100 MB only)
import { benchAge } from './age-bench';
import { benchBundle } from './bundle-bench';
import { runAuditBench } from './audit-bench';
import { runCheckerBench } from './checker-bench';
import { runLetterBench } from './letter-bench';
import { runRecordsBench } from './records-bench';
import { runSearchBench } from './search-bench';

const MB = 1_000_000;
const quick = process.env.BENCH_QUICK === '1';
const sizes = quick ? [100 * MB] : [100 * MB, 1000 * MB];

type Figures = Record<string, number | string>;

function print(title: string, figures: Figures, notes: string[] = []): void {
  console.log(`\n## ${title}`);
  const width = Math.max(...Object.keys(figures).map((key) => key.length));
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(width)}  ${value}`);
  for (const note of notes) console.log(`  → ${note}`);
}

function ratio(a: unknown, b: unknown): string {
  return typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(1)}×` : 'n/a';
}

function verdict(ok: boolean): string {
  return ok ? 'meets target' : 'MISSES target';
}

async function main(): Promise<void> {
  console.log(`Hearing Desk benchmarks — node ${process.version}, ${new Date().toISOString()}`);
  for (const size of sizes) {
    const age = await benchAge(size);
    print(`age layer (the app's crypto path, no OpenSSL-only ciphers), ${size / MB} MB`, age, [
      `open (decrypt) throughput ${age.ours_decrypt_discard_MBps} MB/s: target ≥ 200 MB/s, ${verdict(Number(age.ours_decrypt_discard_MBps) >= 200)}`,
      `ours ÷ typage: decrypt ${ratio(age.ours_decrypt_discard_MBps, age.typage_decrypt_MBps)} (target ≥ 5×), encrypt ${ratio(age.ours_encrypt_MBps, age.typage_encrypt_MBps)}`,
      `ours ÷ Go age: decrypt ${ratio(age.ours_decrypt_MBps, age.go_age_decrypt_MBps)}, encrypt ${ratio(age.ours_encrypt_MBps, age.go_age_encrypt_MBps)}`,
    ]);
    const bundle = await benchBundle(size);
    print(`hearing bundle seal, open and import into the vault, ${size / MB} MB`, bundle, [
      `peak RSS of open+import ${bundle.import_peak_rss_MB} MB: target < 250 MB, ${verdict(Number(bundle.import_peak_rss_MB) < 250)}`,
      `first document readable after ${bundle.first_document_readable_ms} ms: target < 1,000 ms, ${verdict(Number(bundle.first_document_readable_ms) < 1000)}`,
      `open (decrypt + verify every hash and signature) ÷ age layer decrypt: ${ratio(bundle.open_verify_MBps, age.ours_decrypt_discard_MBps)}`,
    ]);
  }
  const checker = await runCheckerBench();
  print(checker.name, checker.figures, ['target: a live check of a 20-allegation decision well under 5 ms']);
  const audit = await runAuditBench();
  print(audit.name, audit.figures, ['the audit chain is verified when a case opens and before signing or export']);
  const letter = await runLetterBench();
  print(letter.name, letter.figures, ['target: sign + build letter + PAdES + seal for a 20-allegation record < 1 s']);
  const search = await runSearchBench();
  print(search.name, search.figures, search.notes);
  const records = await runRecordsBench();
  print(records.name, records.figures, records.notes ?? []);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
