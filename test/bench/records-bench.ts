// Outcome records speed (issue 6). Not a test: figures, no assertions.
//   npx tsx test/bench/records-bench.ts
// 1. The chair's export of a 20-allegation record: four Ed25519 signatures, the decision letter, its PAdES signature and
//    the sealed package (target < 1 s). The passphrase re-check before signing is excluded: it is scrypt, slow on purpose.
// 2. The central office: verify + ingest of 10,000 generated packages into a real SQLCipher ledger (target > 2,000
//    records/s), in batches of 1,000 (one transaction each), then the quarter's statistics over them (target < 200 ms).
//    The generated packages carry a small stand-in letter, so the letter-attachment check (pdf-lib parse) is measured
//    separately per real letter rather than 10,000 times.
//    Reference, measured in the same run on the same packages: the cryptography no implementation may skip (the age
//    layer's X25519, HKDFs and ChaCha20-Poly1305 chunks, SHA-256 of the envelope and of the file, five Ed25519
//    verifications), called back to back with no parsing or storage. Its records/s is the ceiling of one core; the
//    figure per CPU second is printed beside the wall-clock one because the machine is shared.
//    Each batch is ingested twice, into two ledgers: verified on this thread, and verified by the worker pool
//    (verify-pool.ts; one worker per core, at most 8) with the store step on this thread. CPU seconds are the whole
//    process's, workers included. The pool runs the built dist/main/verify-worker.cjs when there is one (npm run bench
//    builds first), else the TypeScript entry through tsx, whose start-up is then part of the pooled figure.
//   Only the ledger part: node --import tsx -e "import('./test/bench/records-bench.ts').then((m) => m.benchLedger()).then(console.log)"
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkDecision } from '../../shared/checker';
import { addDays } from '../../shared/domain/common';
import type { OutcomeRecord, RecordSignature } from '../../shared/domain/record';
import { criteriaDigest } from '../../electron/services/criteria';
import { chachaOpen, chachaSeal } from '../../electron/services/crypto/age-stream';
import { ed25519Verify } from '../../electron/services/crypto/ed25519';
import { sealEnvelopeBytes } from '../../electron/services/crypto/envelope';
import { generateX25519Secret, x25519PublicFromSecret, x25519SharedSecret } from '../../electron/services/crypto/x25519';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { buildSignedLetter, CentralOfficeLedger, encodeOutcomePackage, letterAttachment, SqliteLedgerStore, type LedgerParallelism } from '../../electron/services/records/ledger';
import type { VerifyWorkerEntry } from '../../electron/services/records/verify-pool';
import { buildOutcomeRecord, purposeForRole, recordPayloadBytes, signedRecordOf } from '../../electron/services/records/record';
import { recordSigningMessage, signPayload } from '../../electron/services/records/signatures';
import { openDatabase } from '../../electron/services/vault/vault';
import { baselineHistory, largeDecision } from '../fixtures/checker/baseline';
import { AUDIT_HEAD, CRITERIA, MANIFEST_HASH, PANEL, packageContent, recordFor, sealPackage, signSynthetic, syntheticPanel, type SyntheticPanel } from '../helpers/records';
import { tempDir } from '../helpers/temp';

const RECORDS = Number(process.env.RECORDS_BENCH_COUNT ?? 10_000);
const BATCH = 1_000;
const EXPORT_RUNS = 10;
const ms = (value: number): number => Math.round(value * 10) / 10;

const LONG_REASONS =
  'The panel read the complaint, the response and the screenshots in section B, and heard the respondent. The screenshots carry the capture details the clerk recorded, ' +
  'and nothing in the response casts doubt on their authenticity. Applying the civil standard, the panel asked whether it was more likely than not that the conduct occurred as alleged.';

function twentyAllegationRecord(panel: SyntheticPanel): OutcomeRecord {
  const { caseFile, draft } = largeDecision(20);
  caseFile.participants.forEach((participant, index) => (participant.fingerprint = panel[PANEL[index]!.key].fingerprint));
  draft.allegations.forEach((allegation) => (allegation.reasons = `${LONG_REASONS}\n\n${LONG_REASONS}`));
  const result = checkDecision(CRITERIA, caseFile, draft, { history: baselineHistory() });
  // Acknowledge whatever the larger decision warns about, as a panel would with reasons.
  draft.acknowledgements = result.findings.filter((f) => f.severity === 'warn').map((f) => ({ ruleId: f.ruleId, fieldKey: f.fieldKey, reason: 'Considered by the panel.' }));
  const checked = checkDecision(CRITERIA, caseFile, draft, { history: baselineHistory() });
  return buildOutcomeRecord(caseFile, MANIFEST_HASH, CRITERIA, draft, checked, AUDIT_HEAD, null, Object.values(panel));
}

async function benchExport(): Promise<Record<string, number>> {
  const panel = syntheticPanel();
  const office = syntheticPanel().chair;
  const record = twentyAllegationRecord(panel);
  const certificate = issueChairCertificate({ name: 'Rosalind Achterberg', fingerprint: panel.chair.fingerprint, signingKeyBase64: panel.chair.signingKey }, new Date());
  const totals: number[] = [];
  const parts = { sign: [] as number[], letter: [] as number[], seal: [] as number[] };
  let letterBytes = 0;
  let pages = 0;
  let attachmentCheck = 0;
  for (let run = 0; run < EXPORT_RUNS + 2; run++) {
    const start = performance.now();
    const payload = recordPayloadBytes(record);
    const signatures: RecordSignature[] = [];
    for (const member of PANEL) {
      const purpose = purposeForRole(CRITERIA, member.role);
      if (purpose) signatures.push(signPayload(panel[member.key].signingSeed, { fingerprint: panel[member.key].fingerprint, role: member.role }, purpose, payload, new Date()));
    }
    const signed = signedRecordOf(record, signatures);
    const signedAt = performance.now();
    const letter = await buildSignedLetter(signed, CRITERIA, certificate, { createdAt: new Date() });
    const letterAt = performance.now();
    await sealEnvelopeBytes({
      type: 'hearing-desk/outcome@1',
      payload: encodeOutcomePackage(packageContent(signed, record, letter.pdf)),
      author: { signingSeed: panel.chair.signingSeed, ageRecipient: panel.chair.ageRecipient },
      recipients: [office.ageRecipient],
    });
    const end = performance.now();
    if (run < 2) continue;
    parts.sign.push(signedAt - start);
    parts.letter.push(letterAt - signedAt);
    parts.seal.push(end - letterAt);
    totals.push(end - start);
    letterBytes = letter.pdf.length;
    pages = letter.pageCount;
    const checkStart = performance.now();
    await letterAttachment(letter.pdf);
    attachmentCheck = performance.now() - checkStart;
  }
  const p50 = (list: number[]) => [...list].sort((a, b) => a - b)[list.length >> 1]!;
  return {
    'export: letter pages': pages,
    'export: letter KB': Math.round(letterBytes / 1024),
    'export: 4 signatures p50 ms': ms(p50(parts.sign)),
    'export: letter + PAdES p50 ms': ms(p50(parts.letter)),
    'export: package seal p50 ms': ms(p50(parts.seal)),
    'export: total p50 ms': ms(p50(totals)),
    'export: total max ms': ms(Math.max(...totals)),
    'office: letter attachment check ms per letter': ms(attachmentCheck),
  };
}

/** The chair's signing key, which the envelope would have given: read from the record inside (benchmark only). */
function authorOf(payload: Uint8Array): string {
  const content = JSON.parse(Buffer.from(payload).toString('utf8')) as { signed: { payload: string } };
  const record = JSON.parse(Buffer.from(content.signed.payload, 'base64').toString('utf8')) as OutcomeRecord;
  return record.participants.find((p) => p.role === 'chair')!.signingKey;
}

export /** The record inside a package payload (benchmark only: the checks proper are the ledger's). */
function signedOf(payload: Uint8Array): { signed: { payloadType: string; payload: string; signatures: RecordSignature[] }; record: OutcomeRecord } {
  const end = Buffer.from(payload).lastIndexOf(0x7d) + 1;
  const content = JSON.parse(Buffer.from(payload).toString('utf8', 0, end)) as { signed: { payloadType: string; payload: string; signatures: RecordSignature[] } };
  return { signed: content.signed, record: JSON.parse(Buffer.from(content.signed.payload, 'base64').toString('utf8')) as OutcomeRecord };
}

/**
 * The unavoidable cryptography of verifying one package, in ms: the age layer (X25519, three HKDFs, a 64 KiB and a
 * final ChaCha20-Poly1305 chunk), SHA-256 over the envelope and over the file, and every Ed25519 signature (the
 * record's, over their real messages, and the envelope's). Same primitives as the app, equal-size inputs.
 */
function cryptoFloorMs(files: readonly Uint8Array[], payloads: readonly Uint8Array[]): number {
  const secret = generateX25519Secret();
  const share = x25519PublicFromSecret(generateX25519Secret());
  const key = randomBytes(32);
  const nonce = Buffer.alloc(12);
  const chunk = chachaSeal(new Uint8Array(64 * 1024), nonce, key);
  const inputs = payloads.map((payload) => {
    const { signed, record } = signedOf(payload);
    const body = Buffer.from(signed.payload, 'base64');
    return signed.signatures.map((signature) => ({
      key: Buffer.from(record.participants.find((p) => p.fingerprint === signature.keyid)!.signingKey, 'base64'),
      message: recordSigningMessage(signed.payloadType, signature.purpose, signature.signedAt, body),
      sig: Buffer.from(signature.sig, 'base64'),
    }));
  });
  const envelopeMessage = new Uint8Array(100);
  const start = performance.now();
  let valid = 0;
  files.forEach((file, index) => {
    const shared = x25519SharedSecret(secret, share)!;
    for (const label of ['age-encryption.org/v1/X25519', 'header', 'payload']) hkdfSync('sha256', shared, share, label, 32);
    const plaintext = new Uint8Array(64 * 1024);
    chachaOpen(plaintext, chunk, nonce, key);
    chachaOpen(plaintext.subarray(0, 400), chunk.subarray(0, 416), nonce, key);
    createHash('sha256').update(file.subarray(0, 64 * 1024)).digest();
    createHash('sha256').update(file).digest();
    for (const input of inputs[index]!) if (ed25519Verify(input.key, input.message, input.sig)) valid++;
    ed25519Verify(inputs[index]![0]!.key, envelopeMessage, inputs[index]![0]!.sig);
  });
  const elapsed = performance.now() - start;
  if (valid !== inputs.flat().length) throw new Error('the crypto floor reference verified a bad signature set');
  return elapsed;
}

/** The verify worker for the pooled run: the build when there is one, else the sources through tsx. */
function benchWorkerEntry(): { entry: VerifyWorkerEntry; label: string } {
  const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
  const built = join(root, 'dist', 'main', 'verify-worker.cjs');
  if (existsSync(built)) return { entry: { script: built, execArgv: [] }, label: 'dist/main/verify-worker.cjs (built)' };
  return { entry: { script: join(root, 'electron', 'services', 'records', 'verify-worker.ts'), execArgv: ['--import', 'tsx'] }, label: 'verify-worker.ts through tsx' };
}

export async function benchLedger(): Promise<Record<string, number | string>> {
  const dir = tempDir('hd-records-bench-');
  const db = openDatabase(join(dir.path, 'ledger.db'), randomBytes(32));
  const dbWithoutEnvelopes = openDatabase(join(dir.path, 'ledger-b.db'), randomBytes(32));
  const dbPooled = openDatabase(join(dir.path, 'ledger-pooled.db'), randomBytes(32));
  const worker = benchWorkerEntry();
  const ledgerOn = (database: typeof db, parallelism: LedgerParallelism) => {
    const store = new SqliteLedgerStore(database);
    store.addPublishedCriteria({ criteria: CRITERIA, digest: criteriaDigest(CRITERIA), signedJson: `{"criteria":${JSON.stringify(CRITERIA)}}`, publishedAt: new Date().toISOString() });
    return new CentralOfficeLedger(store, undefined, parallelism);
  };
  try {
    const ledger = ledgerOn(db, { maxWorkers: 1 });
    const ledgerB = ledgerOn(dbWithoutEnvelopes, { maxWorkers: 1 });
    const pooled = ledgerOn(dbPooled, { workerEntry: worker.entry });
    let pooledMs = 0;
    let pooledCpuMs = 0;
    let pooledAccepted = 0;
    let payloadMs = 0;
    const office = syntheticPanel().chair;
    const panels = Array.from({ length: 20 }, () => syntheticPanel());
    const templates = panels.map((panel) => recordFor(panel));
    const letter = new TextEncoder().encode('%PDF-1.7 stand-in letter for the ledger benchmark');
    const regions = ['london', 'wales', 'scotland', 'north-west', 'yorkshire'];
    const types = ['social-media', 'verbal-comment-in-meeting', 'written-communication', 'conduct-at-event', 'other'] as const;
    const categories = ['not-proven-or-no-further-action', 'advice-or-training', 'formal-warning', 'suspension', 'expulsion'];
    let generateMs = 0;
    let ingestMs = 0;
    let ingestCpuMs = 0;
    let floorMs = 0;
    let floorRecords = 0;
    let accepted = 0;
    let packageBytes = 0;
    for (let offset = 0; offset < RECORDS; offset += BATCH) {
      const generateStart = performance.now();
      const files: { name: string; bytes: Uint8Array }[] = [];
      const payloads: Uint8Array[] = [];
      for (let i = offset; i < Math.min(RECORDS, offset + BATCH); i++) {
        const panel = panels[i % panels.length]!;
        const record = structuredClone(templates[i % panels.length]!);
        record.caseReference = `BENCH/2026/${String(i).padStart(5, '0')}`;
        record.region = regions[i % regions.length]!;
        record.complaintType = types[(i >> 3) % types.length]!;
        record.outcomeCategory = categories[(i >> 5) % categories.length]!;
        record.dates.decision = addDays('2026-07-01', i % 90);
        record.orders.educationCourse = i % 3 === 0 ? { dueDate: addDays(record.dates.decision, 28) } : null;
        const signed = signSynthetic(panel, record);
        const content = packageContent(signed, record, letter);
        payloads.push(encodeOutcomePackage(content));
        files.push({ name: record.caseReference, bytes: await sealPackage(content, panel.chair, [office.ageRecipient]) });
        packageBytes += files[files.length - 1]!.bytes.length;
      }
      generateMs += performance.now() - generateStart;
      const authors = payloads.map(authorOf);
      const payloadStart = performance.now();
      const verified = payloads.map((payload, index) => ledgerB.verifyPackagePayload(payload, authors[index]!, 'bench'));
      ledgerB.store.insert(verified.map((v) => ({ recordId: v.recordId, caseReference: v.record.caseReference, signedJson: JSON.stringify(v.signed), letterPdf: v.letterPdf, summary: v.summary, quarter: v.quarter, criteriaId: v.record.criteria.id, criteriaVersion: v.record.criteria.version, packageSha256: 'bench', ingestedAt: new Date().toISOString() })));
      payloadMs += performance.now() - payloadStart;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      const outcomes = await ledger.ingest(files, office.ageIdentity, { checkLetterAttachment: false });
      ingestMs += performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      ingestCpuMs += (cpu.user + cpu.system) / 1000;
      // The reference on a fifth of each batch: enough samples, without doubling the run.
      const sample = Math.ceil(files.length / 5);
      floorMs += cryptoFloorMs(files.slice(0, sample).map((file) => file.bytes), payloads.slice(0, sample));
      floorRecords += sample;
      const pooledCpuStart = process.cpuUsage();
      const pooledStart = performance.now();
      const pooledOutcomes = await pooled.ingest(files, office.ageIdentity, { checkLetterAttachment: false });
      pooledMs += performance.now() - pooledStart;
      const pooledCpu = process.cpuUsage(pooledCpuStart);
      pooledCpuMs += (pooledCpu.user + pooledCpu.system) / 1000;
      accepted += outcomes.filter((o) => o.ok).length;
      pooledAccepted += pooledOutcomes.filter((o) => o.ok).length;
      const refused = [...outcomes, ...pooledOutcomes].find((o) => !o.ok);
      if (refused && !refused.ok) throw new Error(`benchmark package refused: ${refused.code}: ${refused.message}`);
    }
    const statsRuns: number[] = [];
    for (let run = 0; run < 7; run++) {
      const start = performance.now();
      ledger.stats({ quarter: '2026Q3' });
      statsRuns.push(performance.now() - start);
    }
    statsRuns.sort((a, b) => a - b);
    return {
      'office: packages': RECORDS,
      'office: accepted': accepted,
      'office: mean package KB': Math.round(packageBytes / RECORDS / 1024),
      'office: generate s (not timed below)': ms(generateMs / 1000),
      'office: verify + ingest s': ms(ingestMs / 1000),
      'office: verify + ingest records/s': Math.round((RECORDS / ingestMs) * 1000),
      'office: verify + ingest records per CPU second': Math.round((RECORDS / ingestCpuMs) * 1000),
      'office: pooled: worker threads per batch': pooled.verifyWorkersFor(BATCH),
      'office: pooled: worker script': worker.label,
      'office: pooled: accepted': pooledAccepted,
      'office: pooled verify + ingest s': ms(pooledMs / 1000),
      'office: pooled verify + ingest records/s': Math.round((RECORDS / pooledMs) * 1000),
      'office: pooled verify + ingest records per CPU second': Math.round((RECORDS / pooledCpuMs) * 1000),
      'office: reference, unavoidable crypto alone records/s': Math.round((floorRecords / floorMs) * 1000),
      'office: stats over the ledger p50 ms': ms(statsRuns[3]!),
      'office: checks + insert without the envelope layer records/s': Math.round((RECORDS / payloadMs) * 1000),
    };
  } finally {
    dbPooled.close();
    dbWithoutEnvelopes.close();
    db.close();
    dir.cleanup();
  }
}

export async function runRecordsBench(): Promise<{ name: string; figures: Record<string, string | number>; notes: string[] }> {
  const loadBefore = loadavg()[0]!;
  const exportFigures = await benchExport();
  const ledgerFigures = await benchLedger();
  const figures: Record<string, string | number> = { ...exportFigures, ...ledgerFigures, 'machine: cores': cpus().length, 'machine: 1-min load before / after': `${loadBefore.toFixed(1)} / ${loadavg()[0]!.toFixed(1)}` };
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const ratio = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  return {
    name: 'outcome records: chair export of a 20-allegation record; central office verify + ingest + stats',
    figures,
    notes: [
      `sign + letter + PAdES + seal p50 ${figures['export: total p50 ms']} ms: target < 1,000 ms, ${verdict(Number(figures['export: total p50 ms']) < 1_000)}`,
      `verify + ingest ${figures['office: verify + ingest records/s']} records/s on one core; pooled (${figures['office: pooled: worker threads per batch']} workers) ${figures['office: pooled verify + ingest records/s']} records/s: target > 2,000, ${verdict(Number(figures['office: pooled verify + ingest records/s']) > 2_000)}`,
      `pooled ÷ in-thread: ${ratio(figures['office: pooled verify + ingest records/s'], figures['office: verify + ingest records/s'])} wall-clock, ${ratio(figures['office: pooled verify + ingest records per CPU second'], figures['office: verify + ingest records per CPU second'])} per CPU second`,
      `verify + ingest ÷ the unavoidable crypto alone (${figures['office: reference, unavoidable crypto alone records/s']} records/s on one core): ${ratio(figures['office: verify + ingest records/s'], figures['office: reference, unavoidable crypto alone records/s'])}`,
      `stats over ${RECORDS} records ${figures['office: stats over the ledger p50 ms']} ms: target < 200 ms, ${verdict(Number(figures['office: stats over the ledger p50 ms']) < 200)}`,
      'the passphrase re-check before signing (scrypt) and the per-letter attachment check are not in these totals; the latter is listed on its own',
    ],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runRecordsBench().then(
    (result) => {
      console.log(result.name);
      for (const [key, value] of Object.entries(result.figures)) console.log(`  ${key}: ${value}`);
      for (const note of result.notes) console.log(`  ${note}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
