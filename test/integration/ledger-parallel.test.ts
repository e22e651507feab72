// The central office's ingest with the verify step in worker threads: a batch big enough for the pool, mixing good
// packages (real PAdES letters) with tampered, truncated, wrong-recipient, duplicate and otherwise refused ones, gives
// the same answer file by file as the in-thread path, and leaves the same ledger. A worker that dies mid-batch loses
// and half-stores nothing. Real crypto, real letters, real SQLCipher; synthetic key sets (no vaults) keep it quick.
import { createHash, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { criteriaDigest } from '../../electron/services/criteria';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { buildSignedLetter, CentralOfficeLedger, SqliteLedgerStore, type IngestFile, type LedgerParallelism } from '../../electron/services/records/ledger';
import { deserializeError, serializeError } from '../../electron/services/records/package-verify';
import { RecordError } from '../../electron/services/records/record';
import { defaultVerifyWorkerEntry, idleVerifyWorkerCount, MIN_POOLED_FILES, serveVerifyRequests } from '../../electron/services/records/verify-pool';
import { openDatabase } from '../../electron/services/vault/vault';
import { AppError } from '../../shared/errors';
import { CRITERIA, packageContent, recordFor, sealPackage, signSynthetic, syntheticPanel, type SyntheticPanel } from '../helpers/records';
import { tempDir } from '../helpers/temp';
import { CRASH_MARKER } from './ledger-parallel-crash-worker';

const NOW = new Date('2026-05-04T09:30:00Z');
const CRASH_WORKER = { script: resolve(import.meta.dirname, 'ledger-parallel-crash-worker.ts'), execArgv: ['--import', 'tsx'] };

let work: ReturnType<typeof tempDir>;
const databases: Database[] = [];
let office: SyntheticPanel['chair'];
let stranger: SyntheticPanel['chair'];
let batch: IngestFile[];
/** Already in every ledger before the batch: its second copy must be refused as a duplicate. */
let kept: IngestFile;

/** A fresh ledger with the criteria published and one record kept; in-thread unless told otherwise. */
function ledgerWith(parallelism: LedgerParallelism): { ledger: CentralOfficeLedger; db: Database } {
  const db = openDatabase(join(work.path, `ledger-${databases.length}.db`), randomBytes(32)) as unknown as Database;
  databases.push(db);
  const store = new SqliteLedgerStore(db);
  store.addPublishedCriteria({ criteria: CRITERIA, digest: criteriaDigest(CRITERIA), signedJson: `{"criteria":${JSON.stringify(CRITERIA)}}`, publishedAt: NOW.toISOString() });
  return { ledger: new CentralOfficeLedger(store, () => NOW, parallelism), db };
}

async function readyLedger(parallelism: LedgerParallelism): Promise<{ ledger: CentralOfficeLedger; db: Database }> {
  const made = ledgerWith(parallelism);
  const [outcome] = await made.ledger.ingest([kept], office.ageIdentity);
  expect(outcome).toMatchObject({ ok: true });
  return made;
}

/** Every row of the ledger's tables, letters as hashes. */
function ledgerContents(db: Database): unknown {
  return {
    records: db.prepare('SELECT * FROM ledger_records ORDER BY record_id').all(),
    files: (db.prepare('SELECT record_id, signed_json, letter_pdf FROM ledger_record_files ORDER BY record_id').all() as { record_id: string; signed_json: string; letter_pdf: Buffer }[]).map(
      (row) => ({ ...row, letter_pdf: createHash('sha256').update(row.letter_pdf).digest('hex') }),
    ),
  };
}

const digestOf = (files: readonly IngestFile[]) => files.map((file) => createHash('sha256').update(file.bytes).digest('hex'));

beforeAll(async () => {
  work = tempDir('hd-ledger-parallel-');
  office = syntheticPanel().chair;
  stranger = syntheticPanel().chair;
  const panels = Array.from({ length: 4 }, () => syntheticPanel());
  const certificates = panels.map((panel) =>
    issueChairCertificate({ name: 'Rosalind Achterberg', fingerprint: panel.chair.fingerprint, signingKeyBase64: panel.chair.signingKey }, new Date('2026-04-28T09:00:00Z')),
  );
  const made = async (index: number, reference: string) => {
    const panel = panels[index % panels.length]!;
    const record = recordFor(panel, { reference, region: ['london', 'wales', 'scotland'][index % 3]! });
    const signed = signSynthetic(panel, record);
    const { pdf } = await buildSignedLetter(signed, CRITERIA, certificates[index % panels.length]!, { createdAt: new Date('2026-04-28T12:00:00Z') });
    return { panel, record, signed, pdf, content: packageContent(signed, record, pdf) };
  };
  const goods = await Promise.all(Array.from({ length: 60 }, (_, index) => made(index, `NCC/2026/${String(100 + index).padStart(4, '0')}`)));
  const seal = (content: unknown, panel: SyntheticPanel, to = office.ageRecipient) => sealPackage(content, panel.chair, [to]);

  const keptCase = await made(1, 'NCC/2026/0900');
  kept = { name: 'kept.hdoutcome', bytes: await seal(keptCase.content, keptCase.panel) };

  const files: IngestFile[] = [];
  for (const [index, good] of goods.entries()) files.push({ name: `good-${index}.hdoutcome`, bytes: await seal(good.content, good.panel) });
  const [a, b, c, d, e, f] = goods;
  const flipped = Uint8Array.from(files[3]!.bytes);
  flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
  const unpublished = recordFor(a!.panel, { reference: 'NCC/2026/0950', criteria: { ...CRITERIA, version: '2026.9-unpublished' } });
  const sameCaseOtherRecord = recordFor(b!.panel, { reference: b!.record.caseReference, region: 'north-west' });
  const sameCaseOtherSigned = signSynthetic(b!.panel, sameCaseOtherRecord);
  const sameCaseOtherLetter = await buildSignedLetter(sameCaseOtherSigned, CRITERIA, certificates[1]!, { createdAt: new Date('2026-04-28T12:00:00Z') });
  const bad: [string, Uint8Array][] = [
    ['tampered', flipped],
    ['truncated', files[5]!.bytes.subarray(0, files[5]!.bytes.length - 700)],
    ['truncated-first-chunk', files[6]!.bytes.subarray(0, 30_000)],
    ['wrong-recipient', await seal(c!.content, c!.panel, stranger.ageRecipient)],
    ['duplicate-in-batch', files[7]!.bytes],
    ['same-case-other-record', await seal(packageContent(sameCaseOtherSigned, sameCaseOtherRecord, sameCaseOtherLetter.pdf), b!.panel)],
    ['kept-already', kept.bytes],
    ['kept-already-other-letter', await seal({ ...keptCase.content, letterPdf: d!.content.letterPdf, letterSha256: d!.content.letterSha256 }, keptCase.panel)],
    ['letter-of-another-record', await seal({ ...e!.content, letterPdf: f!.content.letterPdf, letterSha256: f!.content.letterSha256 }, e!.panel)],
    ['letter-hash-wrong', await seal({ ...e!.content, letterSha256: '0'.repeat(64) }, e!.panel)],
    ['criteria-unpublished', await seal(packageContent(signSynthetic(a!.panel, unpublished, { ...CRITERIA, version: '2026.9-unpublished' }), unpublished, a!.pdf), a!.panel)],
    ['signature-missing', await seal({ ...c!.content, signed: { ...c!.signed, signatures: c!.signed.signatures.slice(0, 2) } }, c!.panel)],
    ['summary-not-the-records', await seal({ ...d!.content, summary: { ...d!.content.summary, region: 'wales' } }, d!.panel)],
    ['sealed-by-a-panellist', await sealPackage(f!.content, f!.panel.panellistA, [office.ageRecipient])],
    ['not-json', await seal('{"format": "hearing-desk/outcome-package@1", ', f!.panel)],
    ['not-sealed', new TextEncoder().encode('hello, central office')],
  ];
  // Spread through the batch, so refusals land in different chunks and workers.
  batch = [...files];
  bad.forEach(([name, bytes], index) => batch.splice(2 + index * 4, 0, { name: `${name}.hdoutcome`, bytes }));
}, 240_000);

afterAll(() => {
  for (const db of databases) db.close();
  work?.cleanup();
});

describe('the verify step in worker threads', () => {
  it('is used for this batch: two workers, from the TypeScript sources', () => {
    expect(batch.length).toBeGreaterThanOrEqual(MIN_POOLED_FILES);
    expect(defaultVerifyWorkerEntry()).toEqual({ script: expect.stringMatching(/electron\/services\/records\/verify-worker\.ts$/), execArgv: ['--import', 'tsx'] });
    expect(ledgerWith({ workers: 2 }).ledger.verifyWorkersFor(batch.length)).toBe(2);
    expect(ledgerWith({}).ledger.verifyWorkersFor(MIN_POOLED_FILES - 1)).toBe(1);
    expect(ledgerWith({ maxWorkers: 1 }).ledger.verifyWorkersFor(batch.length)).toBe(1);
  });

  it('ingests a mixed batch exactly as the in-thread path does, file by file, and leaves the same ledger', async () => {
    const inThread = await readyLedger({ maxWorkers: 1 });
    const pooled = await readyLedger({ workers: 2 });
    const before = digestOf(batch);
    const expected = await inThread.ledger.ingest(batch, office.ageIdentity);
    const outcomes = await pooled.ledger.ingest(batch, office.ageIdentity);
    expect(outcomes).toEqual(expected);
    expect(digestOf(batch)).toEqual(before); // the caller's buffers are copied, not handed over

    const codes = Object.fromEntries(outcomes.filter((o) => !o.name.startsWith('good-')).map((o) => [o.name.replace('.hdoutcome', ''), o.ok ? 'accepted' : o.code]));
    expect(codes).toEqual({
      tampered: 'package-tampered',
      truncated: 'package-truncated',
      'truncated-first-chunk': 'package-truncated',
      'wrong-recipient': 'package-not-for-this-office',
      'duplicate-in-batch': 'record-duplicate',
      'same-case-other-record': 'record-duplicate',
      'kept-already': 'record-duplicate',
      'kept-already-other-letter': 'record-duplicate',
      'letter-of-another-record': 'letter-record-mismatch',
      'letter-hash-wrong': 'letter-hash-mismatch',
      'criteria-unpublished': 'criteria-not-published',
      'signature-missing': 'signature-missing',
      'summary-not-the-records': 'summary-mismatch',
      'sealed-by-a-panellist': 'package-author-not-chair',
      'not-json': 'package-malformed',
      'not-sealed': 'package-malformed',
    });
    // The tampered and truncated goods were the originals' bytes changed: the originals themselves went in.
    expect(outcomes.filter((o) => o.name.startsWith('good-')).every((o) => o.ok)).toBe(true);
    expect(outcomes.find((o) => o.name === 'duplicate-in-batch.hdoutcome')).toMatchObject({ message: expect.stringMatching(/appears twice in this batch/) });
    expect(outcomes.find((o) => o.name === 'kept-already-other-letter.hdoutcome')).toMatchObject({ message: expect.stringMatching(/already in the ledger/) });

    expect(pooled.ledger.store.count()).toBe(61);
    expect(ledgerContents(pooled.db)).toEqual(ledgerContents(inThread.db));
  }, 240_000);

  it('verifies (without storing) exactly as the in-thread path does', async () => {
    const inThread = await readyLedger({ maxWorkers: 1 });
    const pooled = await readyLedger({ workers: 2 });
    const before = ledgerContents(pooled.db);
    const outcomes = await pooled.ledger.verify(batch, office.ageIdentity, { checkLetterAttachment: false });
    expect(outcomes).toEqual(await inThread.ledger.verify(batch, office.ageIdentity, { checkLetterAttachment: false }));
    // Without the letter check, the letter of another record passes; verify alone never sees in-batch duplicates.
    expect(outcomes.find((o) => o.name === 'letter-of-another-record.hdoutcome')).toMatchObject({ ok: true });
    expect(outcomes.find((o) => o.name === 'duplicate-in-batch.hdoutcome')).toMatchObject({ ok: true });
    expect(ledgerContents(pooled.db)).toEqual(before);
  }, 240_000);

  it('refuses every file with the envelope’s own error when the identity is not a key, as the in-thread path does', async () => {
    const inThread = ledgerWith({ maxWorkers: 1 });
    const pooled = ledgerWith({ workers: 2 });
    const files = batch.slice(0, MIN_POOLED_FILES);
    const outcomes = await pooled.ledger.ingest(files, 'AGE-SECRET-KEY-1NOTAKEY');
    expect(outcomes).toEqual(await inThread.ledger.ingest(files, 'AGE-SECRET-KEY-1NOTAKEY'));
    expect(outcomes.every((o) => !o.ok)).toBe(true);
    expect(pooled.ledger.store.count()).toBe(0);
  }, 120_000);
});

describe('a worker that dies', () => {
  it('mid-batch: the file it died on is refused as verify-worker-failed, every other file is answered as in-thread, and the ledger is consistent', async () => {
    const inThread = await readyLedger({ maxWorkers: 1 });
    const pooled = await readyLedger({ workers: 2, workerEntry: CRASH_WORKER });
    const crashing: IngestFile = { name: 'crash.hdoutcome', bytes: new TextEncoder().encode(`${CRASH_MARKER} and then some`) };
    // Mid-batch, and sharing a chunk of four with good files: those are checked again, alone, and accepted.
    const files = [...batch.slice(0, 41), crashing, ...batch.slice(41)];
    const expected = await inThread.ledger.ingest(files, office.ageIdentity);
    const outcomes = await pooled.ledger.ingest(files, office.ageIdentity);
    const crashAt = files.indexOf(crashing);
    expect(expected[crashAt]).toMatchObject({ ok: false, code: 'package-malformed' });
    expect(outcomes[crashAt]).toEqual({
      name: 'crash.hdoutcome',
      ok: false,
      code: 'verify-worker-failed',
      message: 'This package could not be checked: the verification thread stopped while checking it (exit code 70). Nothing from it was stored.',
    });
    expect(outcomes.filter((_, index) => index !== crashAt)).toEqual(expected.filter((_, index) => index !== crashAt));
    expect(ledgerContents(pooled.db)).toEqual(ledgerContents(inThread.db));
  }, 240_000);

  it('before it can start: every file is refused as verify-worker-failed and the ledger is unchanged', async () => {
    const { ledger, db } = await readyLedger({ workers: 2, workerEntry: { script: join(work.path, 'no-such-worker.cjs'), execArgv: [] } });
    const before = ledgerContents(db);
    const outcomes = await ledger.ingest(batch, office.ageIdentity);
    expect(outcomes).toHaveLength(batch.length);
    outcomes.forEach((outcome, index) => expect(outcome).toMatchObject({ name: batch[index]!.name, ok: false, code: 'verify-worker-failed', message: expect.stringMatching(/Cannot find module/) }));
    expect(ledgerContents(db)).toEqual(before);
  }, 120_000);
});

describe('what crosses the thread boundary', () => {
  it('rebuilds typed errors: class, code, message and details', () => {
    const original = new RecordError('criteria-not-published', 'Decided under criteria this office never published.', { criteria: { id: 'ncc', version: '9' } });
    const rebuilt = deserializeError(serializeError(original));
    expect(rebuilt).toBeInstanceOf(RecordError);
    expect(rebuilt).toMatchObject({ name: 'RecordError', code: 'criteria-not-published', message: original.message, details: original.details });
    const other = Object.assign(new AppError('letter-unreadable', 'No letter.'), { name: 'DecisionLetterError' });
    expect(deserializeError(serializeError(other))).toMatchObject({ name: 'DecisionLetterError', code: 'letter-unreadable', message: 'No letter.' });
    expect(deserializeError(serializeError(other))).toBeInstanceOf(AppError);
    // Anything else is a bug, and stays one: not an AppError, so the ledger rethrows it and stores nothing.
    const bug = deserializeError(serializeError(new TypeError('x is undefined')));
    expect(bug).not.toBeInstanceOf(AppError);
    expect(bug.message).toMatch(/TypeError: x is undefined/);
  });

  it('the worker zeroes the secret it is handed once it holds the identity, and refuses chunks outside a batch', async () => {
    const secret = Uint8Array.from(randomBytes(32));
    const messages: unknown[] = [];
    let deliver: (message: unknown) => void = () => undefined;
    serveVerifyRequests({ on: (_event, listener) => (deliver = listener), postMessage: (message) => messages.push(message) });
    deliver({ type: 'batch', secret, criteria: [], options: {} });
    await expect.poll(() => messages).toEqual([{ type: 'ready' }]);
    expect([...secret].every((byte) => byte === 0)).toBe(true);
    // After the batch's end the identity is gone: a stray chunk gets no answer.
    deliver({ type: 'end' });
    deliver({ type: 'check', files: [{ index: 0, bytes: new Uint8Array(8) }] });
    await new Promise((settle) => setTimeout(settle, 50));
    expect(messages).toEqual([{ type: 'ready' }]);
  });

  it('keeps its workers warm for the next batch, holding no secret, with the same results', async () => {
    const ingestPooled = async () => (await readyLedger({ workers: 2 })).ledger.ingest(batch, office.ageIdentity);
    const first = await ingestPooled();
    expect(idleVerifyWorkerCount()).toBeGreaterThanOrEqual(2);
    const idleBefore = idleVerifyWorkerCount();
    const second = await ingestPooled();
    // The second batch took the idle workers and gave them back: no new threads were left behind.
    expect(idleVerifyWorkerCount()).toBe(idleBefore);
    expect(second).toEqual(first);
  }, 240_000);
});
