// No plaintext at rest. A real session in Chromium over the real services: a profile is created in the UI, a
// bundle whose case title, allegation and evidence carry marker strings is imported through the UI, a case draft
// with a marked title and marked evidence is built in the case builder, and the app is locked. Then the profile
// directory, everything created under the OS temp directory during the test (Chromium's own profile directory
// included) are searched for every marker as UTF-8, UTF-16LE and base64: zero hits. Then an import is killed
// (SIGKILL) half-way and the search runs again, and once more after the next unlock has cleaned up.
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import { addDays } from '../../shared/domain/common';
import { planSealedCopies, type SealDocumentSource } from '../../electron/services/bundles/bundle-file';
import { CaseDrafts } from '../../electron/services/bundles/case-drafts';
import { collect } from '../../electron/services/crypto/byte-reader';
import { serializeCard } from '../../electron/services/identities';
import { createPeer, launchChromium, openDevice, type Device } from '../e2e/harness';
import { marker, scan, tempEntries, type ScanResult } from '../helpers/plaintext-scan';

const PASSPHRASE = 'orchard lantern copper meadow';
const IMPORT_CHILD = resolve(import.meta.dirname, '..', 'integration', 'crash', 'import-child.ts');
const MARKERS = {
  caseTitle: marker('TITLE'),
  allegation: marker('ALLEGATION'),
  evidence: marker('EVIDENCE'),
  draftTitle: marker('DRAFTTITLE'),
  draftEvidence: marker('DRAFTEVIDENCE'),
  note: marker('NOTE'),
  declaration: marker('DECLARATION'),
  crashTitle: marker('CRASHTITLE'),
  crashEvidence: marker('CRASHEVIDENCE'),
};

let tempBefore: Set<string>;
let browser: Browser;
let device: Device;
let page: Page;
let clerk: Awaited<ReturnType<typeof createPeer>>;
/** Files the test itself writes in plaintext as the user's own inputs; deleted before any scan. */
let inputs: string;
/** Sealed files (ciphertext) waiting to be opened. */
let sealedDir: string;
let crashBundle: string;

/** What the search covers: the profile, and everything new in the temp directories (this test's and Chromium's). */
function scanRoots(): string[] {
  const created = [...tempEntries()].filter((entry) => !tempBefore.has(entry));
  return [...new Set([device.profileDirectory, ...created])];
}

function expectNoPlaintext(label: string): ScanResult {
  rmSync(inputs, { recursive: true, force: true });
  const result = scan(scanRoots(), Object.values(MARKERS));
  console.info(`plaintext-at-rest (${label}): ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MB under ${result.roots.length} roots, ${result.hits.length} hits`);
  expect(result.hits, label).toEqual([]);
  return result;
}

function keyOf(card: ReturnType<Device['session']['myCard']>, participantId: string, role: BundleParticipantKey['role']): BundleParticipantKey {
  return { participantId, name: card.card.name, role, ageRecipient: card.card.ageRecipient, signingKey: card.card.signingKey, fingerprint: card.fingerprint };
}

/** A bundle of eight 2 MB documents, so an import can be killed between them. Built as the clerk's app would seal it. */
async function sealCrashBundle(): Promise<string> {
  const me = clerk.session.myCard();
  const documents: SealDocumentSource[] = Array.from({ length: 8 }, (_, index) => {
    const bytes = Buffer.alloc(2_000_000, 0x20);
    for (let at = 0; at < bytes.length - 200; at += 65_536) bytes.write(`%PDF-1.7 page text: ${MARKERS.crashEvidence} `, at);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return {
      entry: { id: `doc-${index}`, section: 'B', title: `Exhibit ${index}`, date: null, kind: 'pdf', capture: null, bytes: bytes.length, sha256, sourceSha256: sha256, firstPage: index + 2, pageCount: 1, firstLabel: `B${index + 2}`, lastLabel: `B${index + 2}` },
      restrictedFrom: [],
      open: () => bytes,
    };
  });
  const bytes = await clerk.session.withIdentity(async (identity) => {
    const [copy] = planSealedCopies({
      author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient, participant: keyOf(me, 'sealer', 'clerk') },
      bundleId: randomUUID(),
      revision: 1,
      caseFile: {
        format: 'hearing-desk/case@1', reference: 'NEC-2026-0999', decidingBody: 'nec-panel', complaintType: 'other', region: null, protectedCharacteristics: [],
        dates: { complaintReceived: null, hearing: null },
        allegations: [{ number: 1, text: `Crash allegation ${MARKERS.crashEvidence}`, ruleReference: 'Rule 2.I.8', conductCategoryId: 'bullying' }],
        participants: [], respondent: { pseudonym: 'R1' }, complainant: { pseudonym: 'C1' }, criteria: { id: 'sample-sanctions-criteria', version: '1.0.0' },
      },
      title: `Crash ${MARKERS.crashTitle}`,
      sealedAt: new Date(),
      expiresOn: '2099-12-31',
      sections: [{ letter: 'B', title: 'Evidence', supplementary: false }],
      pageCount: 9,
      index: Buffer.from('%PDF-1.7 index'),
      documents,
      recipients: [keyOf(device.session.myCard(), 'p1', 'chair')],
    });
    return collect(copy!.stream());
  });
  const path = join(sealedDir, 'crash.hdbundle');
  writeFileSync(path, bytes);
  return path;
}

/** Imports in a child process and kills it (SIGKILL) as soon as the first document has been stored. */
function importAndKill(bundlePath: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', IMPORT_CHILD, device.profileDirectory, bundlePath], {
      env: { ...process.env, HD_TEST_PASSPHRASE: PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      if (output.includes('ready ')) child.kill('SIGKILL');
    });
    child.on('error', fail);
    child.on('close', () => done(output));
  });
}

beforeAll(async () => {
  // Before Chromium starts, so its profile directory counts as created during the test.
  tempBefore = tempEntries();
  browser = await launchChromium();
  inputs = mkdtempSync(join(tmpdir(), 'hd-plaintext-inputs-'));
  sealedDir = mkdtempSync(join(tmpdir(), 'hd-plaintext-sealed-'));
  clerk = await createPeer('Morgan Ellery', 'clerk');
  device = await openDevice(browser, { name: 'plaintext' });
  page = device.page;
}, 120_000);

afterAll(async () => {
  await device?.close();
  clerk?.close();
  for (const dir of [inputs, sealedDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  await browser?.close();
});

describe('no plaintext at rest', () => {
  it('the search finds a marker in each form it looks for (so zero hits means something)', () => {
    const probe = mkdtempSync(join(tmpdir(), 'hd-plaintext-probe-'));
    try {
      const text = marker('PROBE');
      writeFileSync(join(probe, 'utf8.bin'), Buffer.concat([randomBytes(100), Buffer.from(text)]));
      writeFileSync(join(probe, 'utf16.bin'), Buffer.concat([randomBytes(33), Buffer.from(text, 'utf16le')]));
      for (const shift of [0, 1, 2]) writeFileSync(join(probe, `base64-${shift}.txt`), Buffer.concat([randomBytes(30 + shift), Buffer.from(text)]).toString('base64'));
      const { hits } = scan([probe], [text]);
      expect(hits.map((hit) => hit.slice(probe.length + 1).split(':')[0]).sort()).toEqual(['base64-0.txt', 'base64-1.txt', 'base64-2.txt', 'utf16.bin', 'utf8.bin']);
    } finally {
      rmSync(probe, { recursive: true, force: true });
    }
  });

  it('after a profile, an imported bundle, a case draft and a lock, no marker is anywhere on disk', async () => {
    // A profile, created in the UI.
    await device.open();
    await page.getByLabel('Your name').fill('Sasha Whitlow');
    await page.getByLabel('Your role').selectOption({ label: 'Clerk' });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();

    // Another clerk seals a marked case to this user (as chair), from marked evidence.
    const chairContact = clerk.session.importCard(serializeCard(device.session.myCard().card), true);
    const evidencePath = join(inputs, 'complaint.txt');
    writeFileSync(evidencePath, `Complaint (fictional)\n${MARKERS.evidence}\nThe rest of the complaint.\n`);
    const drafts = new CaseDrafts(clerk.session);
    const draft = drafts.create({
      reference: 'NEC-2026-0888',
      title: `Case ${MARKERS.caseTitle}`,
      hearingDate: addDays(new Date().toISOString().slice(0, 10), 21),
      allegations: [{ text: `Allegation ${MARKERS.allegation}`, ruleReference: 'Rule 2.I.8', conductCategoryId: 'other-discriminatory-conduct' }],
      participants: [{ contactId: chairContact.id, role: 'chair' }],
    });
    await drafts.addDocument(draft.id, evidencePath, 'A');
    const bundlePath = join(sealedDir, 'marked.hdbundle');
    await drafts.seal(draft.id, bundlePath);
    crashBundle = await sealCrashBundle();

    // Imported through the UI: the plaintext passes through the renderer.
    device.queueOpenPaths([bundlePath]);
    await page.getByRole('button', { name: 'Open a bundle…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Open a hearing bundle' });
    await dialog.waitFor();
    await dialog.getByLabel('I compared this fingerprint with the clerk').check();
    await dialog.getByRole('button', { name: 'Import into my vault' }).click();
    await page.getByRole('heading', { level: 1, name: `Case ${MARKERS.caseTitle}` }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('main').innerText()).toContain(MARKERS.allegation);

    // Read and work on it: the evidence text indexed for search (FTS5, inside the vault), a search for the marker,
    // a private note, and this participant's conflict declaration.
    const call = async <T,>(name: string, payload: unknown): Promise<T> => {
      const result = await device.dispatch(name, payload);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      return result.value as T;
    };
    const [imported] = await call<{ id: string }[]>('cases.list', {});
    const caseId = imported!.id;
    await call('reader.open', { caseId });
    const found = await call<{ pages: unknown[] }>('search.query', { caseId, query: MARKERS.evidence });
    expect(found.pages.length).toBeGreaterThan(0);
    const detail = await call<{ documents: { id: string; sha256: string }[] }>('cases.get', { id: caseId });
    const doc = detail.documents[0]!;
    await call('annotations.create', {
      caseId,
      visibility: 'private',
      content: { kind: 'page-note', documentId: doc.id, documentSha256: doc.sha256, page: 1, note: `Note ${MARKERS.note}`, tags: [], allegations: [1] },
    });
    const today = new Date().toISOString().slice(0, 10);
    await call('decision.recordMyDeclaration', { caseId, declaration: { conflict: true, details: `Declared ${MARKERS.declaration}`, recused: true, declaredOn: today } });

    // A case draft of this user's own, with marked evidence, in the case builder (autosaved).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Prepare bundles', exact: true }).click();
    await page.getByRole('button', { name: 'New case' }).click();
    await page.getByRole('heading', { level: 1, name: 'New case' }).waitFor();
    await page.getByLabel('Title', { exact: true }).fill(`Draft ${MARKERS.draftTitle}`);
    const draftEvidence = join(inputs, 'draft-notes.txt');
    writeFileSync(draftEvidence, `Notes of the clerk (fictional)\n${MARKERS.draftEvidence}\n`);
    device.queueOpenPaths([draftEvidence]);
    await page.getByRole('button', { name: 'Add evidence to section A…' }).click();
    await page.getByRole('listitem', { name: 'Draft-notes' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    const stored = await device.dispatch('drafts.list', {});
    expect(JSON.stringify(stored)).toContain(MARKERS.draftTitle);

    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByLabel('Passphrase', { exact: true }).waitFor();
    expect(device.session.status().state).toBe('locked');

    const result = expectNoPlaintext('after the session');
    // The search really covered the vault and Chromium's own profile directory.
    expect(result.roots).toContain(device.profileDirectory);
    expect(result.roots.some((root) => /playwright|chromium/i.test(root))).toBe(true);
    expect(device.blockedRequests).toEqual([]);
    expect(device.problems).toEqual([]);
  });

  it('after an import killed half-way, and after the next unlock cleans up, still none', async () => {
    const output = await importAndKill(crashBundle);
    expect(output).toContain('started');
    expect(output).toContain('ready ');
    expect(output).not.toContain('imported');
    expectNoPlaintext('after SIGKILL mid-import');

    await device.session.unlock(PASSPHRASE);
    const cases = (await device.dispatch('cases.list', {})) as { ok: true; value: { reference: string }[] };
    expect(cases.value.map((c) => c.reference)).toEqual(['NEC-2026-0888']); // the killed import left nothing visible
    device.session.lock('user');
    expectNoPlaintext('after recovery at the next unlock');
  }, 60_000);
});
