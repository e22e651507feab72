// Audit trail speed in a real SQLCipher vault: appending 10,000 entries (each its own commit, as each user action
// is) and verifying the whole chain, against two floors measured in the same run: the same number of bare
// one-row commits, and hashing the same entries in memory. Not a test: figures, no assertions.
//   npx tsx test/bench/audit-bench.ts
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { AuditTrail } from '../../electron/services/audit';
import { canonicalize } from '../../shared/canonical-json';
import { AUDIT_ACTIONS, type AuditEntry } from '../../shared/domain/audit';
import { createPerson } from '../helpers/people';

const ENTRIES = 10_000;
const VERIFY_RUNS = 5;

const ms = (value: number): number => Math.round(value * 10) / 10;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function runAuditBench(): Promise<{ name: string; figures: Record<string, string | number> }> {
  const person = await createPerson('Bench Marlowe', 'chair');
  try {
    const trail = new AuditTrail(person.session);
    const db = person.session.requireVault().db;
    const input = (i: number) => ({
      caseId: `case-${i % 12}`,
      action: AUDIT_ACTIONS[i % AUDIT_ACTIONS.length]!,
      object: `document-${i}`,
      details: { page: i % 400, rule: `rule-${i % 20}` },
    });

    const appendStart = performance.now();
    for (let i = 0; i < ENTRIES; i++) trail.append(input(i));
    const appendMs = performance.now() - appendStart;

    const verifyTimes: number[] = [];
    let count = 0;
    for (let run = 0; run < VERIFY_RUNS; run++) {
      const start = performance.now();
      const report = trail.verify();
      verifyTimes.push(performance.now() - start);
      if (!report.ok) throw new Error(`the benchmark chain does not verify: ${report.message}`);
      count = report.count;
    }

    // Floor for append: one bare row per commit in the same vault (same encryption, same fsync per commit).
    db.exec('CREATE TABLE bench_floor (n INTEGER, text TEXT)');
    const insert = db.prepare('INSERT INTO bench_floor (n, text) VALUES (?, ?)');
    const commitOne = db.transaction((i: number) => insert.run(i, `document-${i}`));
    const floorStart = performance.now();
    for (let i = 0; i < ENTRIES; i++) commitOne(i);
    const floorMs = performance.now() - floorStart;

    // Appends inside one caller transaction (e.g. an import recording many documents) share one commit.
    const batchedStart = performance.now();
    db.transaction(() => {
      for (let i = 0; i < ENTRIES; i++) trail.append(input(i));
    })();
    const batchedMs = performance.now() - batchedStart;

    // Floor for verify: the same canonical JSON + SHA-256 over entries already in memory.
    const all: AuditEntry[] = [];
    for (let before: number | undefined; ; ) {
      const page = trail.entries({ limit: 1_000, before: before ?? ENTRIES + 1 });
      if (page.length === 0) break;
      all.push(...page);
      before = page.at(-1)!.counter;
    }
    const hashTimes: number[] = [];
    for (let run = 0; run < VERIFY_RUNS; run++) {
      const start = performance.now();
      for (const entry of all) {
        const { hash: _hash, ...rest } = entry;
        createHash('sha256').update(canonicalize(rest)).digest('hex');
      }
      hashTimes.push(performance.now() - start);
    }

    const pageTimes: number[] = [];
    for (let run = 0; run < 50; run++) {
      const start = performance.now();
      trail.entries({ caseId: `case-${run % 12}`, limit: 100 });
      pageTimes.push(performance.now() - start);
    }

    return {
      name: `audit trail (${ENTRIES.toLocaleString('en-GB')} entries, SQLCipher vault)`,
      figures: {
        'append, one commit each: total ms': ms(appendMs),
        'append, one commit each: per s': Math.round(ENTRIES / (appendMs / 1000)),
        'floor: bare row commits per s': Math.round(ENTRIES / (floorMs / 1000)),
        'append, one transaction: per s': Math.round(ENTRIES / (batchedMs / 1000)),
        [`verify ${count.toLocaleString('en-GB')} entries: median ms`]: ms(median(verifyTimes)),
        'verify: entries per s': Math.round(count / (median(verifyTimes) / 1000)),
        [`floor: hash ${all.length.toLocaleString('en-GB')} in memory ms`]: ms(median(hashTimes)),
        'one case, newest 100: median ms': ms(median(pageTimes)),
      },
    };
  } finally {
    person.cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { name, figures } = await runAuditBench();
  console.log(name);
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(38)} ${value}`);
}
