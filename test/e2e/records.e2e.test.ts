// Signed outcome records end to end, in real Chromium against the real services (see harness.ts). A fictional clerk
// seals the NCC case of test/integration/records.test.ts to the chair, two panellists and the external lawyer; the
// chair's decision is finalised through the Decisions service. Then, through the UI: the chair makes the record,
// signs it (the passphrase asked again), sends it for signature; panellist A opens it on their own device, sees what
// they sign and returns a signature file; panellist B and the lawyer sign the same envelope through their Sessions;
// the chair adds the returned signatures (a duplicate refused), makes the PAdES-signed letter (pdfsig and qpdf judge
// it), exports the package to the central office, and reads the case's audit log. The central office ingests the
// package (a copy and a truncated file refused with their reasons) and shows and exports the quarter's statistics.
// Every state is photographed into test-results/screens/ and checked with axe-core. All names are fictional.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { Browser, Locator } from 'playwright-core';
import { filesContaining } from '../helpers/temp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCriteria } from '../../shared/criteria';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { Decisions } from '../../electron/services/decisions';
import { centralOfficeLedger } from '../../electron/services/records/ledger';
import { openForSignature, signForSignature } from '../../electron/services/records/signatures';
import type { Session } from '../../electron/services/session';
import { draftFor, PANEL, type PanelKey } from '../helpers/records';
import { sealBaselineCase } from '../helpers/signed-outcome';
import { createPeer, launchChromium, openDevice, SCREENS_DIR, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const REFERENCE = 'NCC/2026/0417';
const today = new Date().toISOString().slice(0, 10);
const CRITERIA = sampleCriteria();

let browser: Browser;
let chair: Device;
let panellist: Device;
let office: Device;
let panellistB: Awaited<ReturnType<typeof createPeer>>;
let lawyer: Awaited<ReturnType<typeof createPeer>>;
let clerk: Awaited<ReturnType<typeof createPeer>>;
let packagePath: string;
let forSignature: string;

const nameOf = (key: PanelKey) => PANEL.find((member) => member.key === key)!.name;

const REASONS_MARKER = 'OUTCOME-REASONS-MARKER-4412';

/** The chair's decision, made final through the service: the decision workspace's own test drives that UI. */
function finaliseDecision(session: Session): void {
  const [held] = new ReceivedCases(session).list();
  const decisions = new Decisions(session);
  // A marker in the reasons: it travels into the signed record and the letter, and must never sit unencrypted on disk
  // outside the files the chair explicitly exports.
  const draft = draftFor(held!.manifest.case, (d) => {
    d.allegations[0]!.reasons = `${d.allegations[0]!.reasons} ${REASONS_MARKER}`;
  });
  let view = decisions.save(held!.id, draft, 0);
  for (const blocker of view.blockers) {
    expect(blocker.severity, blocker.message).toBe('warn');
    view = decisions.acknowledge(held!.id, blocker.ruleId, blocker.fieldKey, 'No earlier outcomes are held on this laptop; the indicated range was followed.');
  }
  expect(decisions.finalise(held!.id, view.revision).status).toBe('final');
}

async function expectNoSeriousA11yViolations(device: Device, label: string): Promise<void> {
  expect(await device.seriousA11yViolations(), `axe on ${label}`).toEqual([]);
}

async function photograph(device: Device, name: string, options: { fullPage?: boolean; scrollTo?: Locator } = {}): Promise<void> {
  const dismiss = device.page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  // Just below the sticky top bar.
  if (options.scrollTo) await options.scrollTo.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 88));
  else await device.page.evaluate(() => window.scrollTo(0, 0));
  await device.screenshot(name, { fullPage: options.fullPage ?? false });
}

async function openOutcome(device: Device): Promise<void> {
  const page = device.page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Cases', exact: true }).click();
  await page.getByRole('button', { name: `Open case ${REFERENCE}` }).click();
  await page.getByRole('button', { name: 'Outcome and signatures' }).click();
  await page.getByRole('heading', { level: 1, name: 'Outcome and signatures' }).waitFor();
}

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} is needed to judge the letter (.ci/run installs it): ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('signed outcome records', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    [chair, panellist, office] = await Promise.all([openDevice(browser, { name: 'chair' }), openDevice(browser, { name: 'panellist' }), openDevice(browser, { name: 'office' })]);
    await chair.session.createProfile({ name: nameOf('chair'), role: 'chair', passphrase: PASSPHRASE });
    await panellist.session.createProfile({ name: nameOf('panellistA'), role: 'panellist', passphrase: PASSPHRASE });
    await office.session.createProfile({ name: 'Central Office (fictional)', role: 'central-office', passphrase: PASSPHRASE });
    panellistB = await createPeer(nameOf('panellistB'), 'panellist', PASSPHRASE);
    lawyer = await createPeer(nameOf('lawyer'), 'external-lawyer', PASSPHRASE);
    clerk = await createPeer(nameOf('clerk'), 'clerk', PASSPHRASE);

    // The chair has the central office's card; the office publishes the criteria panels decide under.
    chair.session.importCard(JSON.stringify(office.session.myCard().card), true);
    await office.session.withIdentity((identity) =>
      centralOfficeLedger(office.session).publishCriteria(JSON.stringify(CRITERIA), { name: identity.name, signingKey: identity.signingKey, seed: identity.signingSeed }),
    );

    const sealed = await sealBaselineCase({ clerk: clerk.session, chair: chair.session, panellistA: panellist.session, panellistB: panellistB.session, lawyer: lawyer.session }, 'Antisemitic posts on social media');
    for (const device of [chair, panellist]) await new ReceivedCases(device.session).import({ name: 'ncc-2026-0417.hdbundle', bytes: sealed }, { trustSealer: true });
    finaliseDecision(chair.session);
    await Promise.all([chair.open(), panellist.open(), office.open()]);
  }, 120_000);

  afterEach(() => {
    for (const device of [chair, panellist, office]) {
      if (!device) continue;
      expect(device.blockedRequests, device.name).toEqual([]);
      expect(device.problems, device.name).toEqual([]);
    }
  });

  afterAll(async () => {
    for (const device of [chair, panellist, office]) await device?.close();
    for (const peer of [panellistB, lawyer, clerk]) peer?.close();
    await browser?.close();
  });

  it('the chair makes and signs the record; the panel signs through exchanged envelopes; the letter and package follow', async () => {
    const page = chair.page;
    await openOutcome(chair);
    await page.getByRole('button', { name: 'Make the outcome record' }).click();
    const signatures = page.getByRole('table', { name: 'Who must sign the record, and who has' });
    await signatures.waitFor();
    expect(await signatures.getByRole('row').count()).toBe(5); // header + chair, two panellists, lawyer
    expect(await signatures.getByText('Missing').count()).toBe(4);
    await expect.poll(() => page.getByRole('region', { name: 'Findings' }).innerText()).toMatch(/Proven/);

    // Signing asks for the passphrase again; a wrong one signs nothing.
    await page.getByRole('button', { name: 'Sign the record…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign the outcome record' });
    await dialog.getByLabel('Your passphrase').fill('not my passphrase at all');
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await dialog.getByText('That passphrase is not right. Nothing was signed.').waitFor();
    await photograph(chair, 'records-chair-sign-dialog');
    await expectNoSeriousA11yViolations(chair, 'the chair’s sign dialog');
    await dialog.getByLabel('Your passphrase').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await signatures.getByText(/^✓ Signed/).first().waitFor();
    expect(await signatures.getByText('Missing').count()).toBe(3);

    // For signature: one sealed file for the whole panel.
    forSignature = join(chair.exportDirectory, 'ncc-2026-0417-record.hdforsignature');
    chair.queueSavePath(forSignature);
    await page.getByRole('button', { name: 'Send for signature…' }).click();
    await page.getByRole('status').filter({ hasText: /Version 1 of the record was sealed to/ }).waitFor();
    expect(existsSync(forSignature)).toBe(true);
    await photograph(chair, 'records-chair-record');
    await expectNoSeriousA11yViolations(chair, 'the chair’s record');

    // Panellist A, on their own device: opens it, sees exactly what they sign, signs with their passphrase.
    const member = panellist.page;
    await openOutcome(panellist);
    panellist.queueOpenPaths([forSignature]);
    await member.getByRole('button', { name: 'Open the record for signature…' }).click();
    const whatYouSign = member.getByRole('region', { name: 'What you sign' });
    await whatYouSign.waitFor();
    expect(await whatYouSign.innerText()).toContain('Signed so far: Rosalind Achterberg (chair)');
    expect(await whatYouSign.innerText()).toContain('first version of the record you have been shown');
    expect(await whatYouSign.getByRole('region', { name: 'Findings' }).getByRole('listitem').count()).toBe(3);
    await photograph(panellist, 'records-signing-what-is-signed', { scrollTo: whatYouSign });
    await photograph(panellist, 'records-signing-what-is-signed-full', { fullPage: true });
    await expectNoSeriousA11yViolations(panellist, 'what the panellist signs');
    await member.getByRole('button', { name: 'Sign and save my signature…' }).click();
    const memberDialog = member.getByRole('dialog', { name: 'Sign the outcome record' });
    await memberDialog.getByLabel('Your passphrase').fill(PASSPHRASE);
    await photograph(panellist, 'records-signing-passphrase');
    await expectNoSeriousA11yViolations(panellist, 'the panellist’s sign dialog');
    const signatureA = join(panellist.exportDirectory, 'signature-wrenfield.hdsignature');
    panellist.queueSavePath(signatureA);
    await memberDialog.getByRole('button', { name: 'Sign and save…' }).click();
    await member.getByRole('status').filter({ hasText: /Your signature was saved to/ }).waitFor();
    expect(existsSync(signatureA)).toBe(true);

    // Panellist B and the lawyer sign the same envelope on their own laptops (through the services, to keep this short).
    const envelope = new Uint8Array(readFileSync(forSignature));
    const returned: string[] = [signatureA];
    for (const [peer, file] of [[panellistB, 'signature-ossington.hdsignature'], [lawyer, 'signature-delacroix-hale.hdsignature']] as const) {
      const view = await openForSignature(peer.session, envelope, CRITERIA);
      const path = join(peer.dir, file);
      writeFileSync(path, await signForSignature(peer.session, PASSPHRASE, view, CRITERIA));
      returned.push(path);
    }

    // The chair adds all three at once; the same file twice is refused as a duplicate.
    chair.queueOpenPaths([...returned, signatureA]);
    await page.getByRole('button', { name: 'Add returned signatures…' }).click();
    const results = page.getByRole('list', { name: 'Returned signatures' });
    await results.waitFor();
    const items = await results.getByRole('listitem').allInnerTexts();
    expect(items.slice(0, 3).every((text) => text.startsWith('Accepted'))).toBe(true);
    expect(items[3]).toMatch(/Refused[\s\S]*already signed[\s\S]*signature-duplicate/);
    await page.getByText('Complete', { exact: false }).first().waitFor();
    expect(await signatures.getByText('Missing').count()).toBe(0);
    await photograph(chair, 'records-signatures-complete');
    await expectNoSeriousA11yViolations(chair, 'the complete signatures');

    // The letter: made, saved, judged by pdfsig and qpdf, and looked at.
    await page.getByRole('button', { name: 'Make the decision letter' }).click();
    const letterPanel = page.getByRole('region', { name: 'Decision letter' });
    await letterPanel.getByText(/The letter is ready: \d+ pages?/).waitFor();
    const pages = Number((await letterPanel.getByRole('definition').first().innerText()).trim());
    expect(pages).toBeGreaterThanOrEqual(2);
    const letterPath = join(chair.exportDirectory, 'decision-letter.pdf');
    chair.queueSavePath(letterPath);
    await letterPanel.getByRole('button', { name: 'Save the PDF…' }).click();
    await letterPanel.getByText(/The letter was saved to/).waitFor();
    const pdfsig = run('pdfsig', [letterPath]);
    expect(pdfsig.stdout).toContain('Signature is Valid');
    expect(pdfsig.stdout).toContain('ETSI.CAdES.detached');
    const qpdf = run('qpdf', ['--check', letterPath]);
    expect(qpdf.status, qpdf.stdout + qpdf.stderr).toBe(0);
    expect(qpdf.stdout).toContain('No syntax or stream encoding errors found');
    const pageCount = (await PDFDocument.load(readFileSync(letterPath), { updateMetadata: false })).getPageCount();
    expect(pageCount).toBe(pages);
    const rendered = run('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', letterPath, join(SCREENS_DIR, 'records-letter-page')]);
    expect(rendered.status, rendered.stderr).toBe(0);
    const firstPage = ['records-letter-page-1.png', 'records-letter-page-01.png'].map((name) => join(SCREENS_DIR, name)).find(existsSync)!;
    renameSync(firstPage, join(SCREENS_DIR, 'records-letter-first-page.png'));
    const text = run('pdftotext', ['-f', '1', '-l', '1', letterPath, '-']).stdout;
    expect(text).toContain(REFERENCE);

    // The package, sealed to the central office chosen from the address book.
    const packagePanel = page.getByRole('region', { name: 'Send to the central office' });
    expect(await packagePanel.getByLabel('Central office').inputValue()).not.toBe('');
    packagePath = join(chair.exportDirectory, 'ncc-2026-0417-outcome.hdoutcome');
    chair.queueSavePath(packagePath);
    await packagePanel.getByRole('button', { name: 'Export the outcome package…' }).click();
    await packagePanel.getByText(/The outcome package for Central Office \(fictional\) was saved to/).waitFor();
    expect(existsSync(packagePath)).toBe(true);
    await photograph(chair, 'records-letter-and-package', { scrollTo: letterPanel });
    await expectNoSeriousA11yViolations(chair, 'the letter and package');

    // The case's audit log: every signature and the export, with the chain verified.
    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page.getByText('The chain is intact.').waitFor();
    const log = page.getByRole('table', { name: /Audit log of case/ });
    const actions = await log.locator('tbody tr td:nth-child(4)').allInnerTexts();
    // Newest first: once the package has left, the retention rule destroyed the private notes.
    expect(actions[0]).toBe('Private notes destroyed');
    expect(actions[1]).toBe('Record exported');
    expect(actions.filter((action) => action === 'Signature added')).toHaveLength(4);
    expect(actions).toContain('Decision finalised');
    await photograph(chair, 'records-audit-log');
    await expectNoSeriousA11yViolations(chair, 'the audit log');

    // No plaintext at rest after decide, sign and export: the reasons (in the record, the letter and the package)
    // appear nowhere in the chair's profile; only the letter the chair chose to save outside the vault holds them.
    expect(run('pdftotext', [letterPath, '-']).stdout).toContain(REASONS_MARKER); // it really flowed through
    expect(filesContaining(chair.profileDirectory, REASONS_MARKER)).toEqual([]);
  }, 240_000);

  it('a broken audit chain is reported at its entry and blocks signing', async () => {
    const member = panellist.page;
    // Someone edits an entry in the vault behind the app's back.
    const db = panellist.session.requireVault().db;
    const { counter } = db.prepare("SELECT counter FROM audit_entries WHERE action = 'signature-added'").get() as { counter: number };
    db.prepare('UPDATE audit_entries SET object = ? WHERE counter = ?').run('something else', counter);
    await member.getByRole('button', { name: `Case ${REFERENCE}` }).click();
    await member.getByRole('button', { name: 'Audit log' }).click();
    await member.getByText(`The chain is broken at entry ${counter}.`).waitFor();
    await photograph(panellist, 'records-audit-log-broken');
    await expectNoSeriousA11yViolations(panellist, 'a broken audit log');
    await member.getByRole('button', { name: `Case ${REFERENCE}` }).click();
    await member.getByRole('button', { name: 'Outcome and signatures' }).click();
    await member.getByText(`The audit trail is broken at entry ${counter}.`).waitFor();
    panellist.queueOpenPaths([forSignature]);
    await member.getByRole('button', { name: 'Open the record for signature…' }).click();
    const shown = member.getByRole('region', { name: 'What you sign' });
    await shown.waitFor();
    expect(await member.getByRole('button', { name: 'Sign and save my signature…' }).isDisabled()).toBe(true);
    // And main refuses it whatever the page does.
    const payloadSha256 = (await shown.locator('.panel-meta .hash').innerText()).trim();
    const caseId = new ReceivedCases(panellist.session).list()[0]!.id;
    const refused = await panellist.dispatch('records.signForSignature', { caseId, payloadSha256, passphrase: PASSPHRASE });
    expect(refused).toMatchObject({ ok: false, error: { code: 'audit-chain-broken' } });
  }, 60_000);

  it('the central office ingests the package, refuses a copy and a truncated file, and shows the quarter’s statistics', async () => {
    const page = office.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Central office' }).click();
    await page.getByRole('heading', { level: 1, name: 'Central office' }).waitFor();
    const bytes = readFileSync(packagePath);
    const copy = join(office.exportDirectory, 'copy-of-outcome.hdoutcome');
    const truncated = join(office.exportDirectory, 'cut-short.hdoutcome');
    writeFileSync(copy, bytes);
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 900));
    office.queueOpenPaths([packagePath, copy, truncated]);
    await page.getByRole('button', { name: 'Ingest outcome packages…' }).click();
    await page.getByText('1 package accepted, 2 packages refused.').waitFor();
    const results = await page.getByRole('list', { name: 'Ingest results' }).getByRole('listitem').allInnerTexts();
    expect(results[0]).toMatch(/^Accepted[\s\S]*Case NCC\/2026\/0417, decided in 2026Q2, 4 signatures verified/);
    expect(results[1]).toMatch(/Refused[\s\S]*record-duplicate/);
    expect(results[2]).toMatch(/Refused[\s\S]*package-truncated/);
    expect(centralOfficeLedger(office.session).store.count()).toBe(1);
    await photograph(office, 'records-office-ingest');
    await expectNoSeriousA11yViolations(office, 'the ingest results');

    const stats = page.getByRole('region', { name: 'Statistics' });
    expect(await stats.getByLabel('Quarter').inputValue()).toBe('2026Q2');
    const total = stats.getByRole('table', { name: 'All cases' });
    await total.waitFor();
    const totalRow = await total.getByRole('row', { name: /All cases/ }).innerText();
    expect(totalRow).toContain('<5');
    expect(await stats.getByRole('table', { name: 'By deciding body' }).innerText()).toMatch(/National Constitutional Committee|NCC/);
    await photograph(office, 'records-office-statistics', { scrollTo: stats });
    await photograph(office, 'records-office-statistics-full', { fullPage: true });
    await expectNoSeriousA11yViolations(office, 'the statistics');

    const csvPath = join(office.exportDirectory, 'stats.csv');
    office.queueSavePath(csvPath);
    await stats.getByRole('button', { name: 'Export CSV…' }).click();
    await stats.getByText(/The statistics for 2026Q2 were saved to/).waitFor();
    const csv = readFileSync(csvPath, 'utf8');
    expect(csv.split('\r\n')[0]).toBe('quarter,table,region,complaint_type,deciding_body,measure,value');
    expect(csv).toContain('2026Q2,total,,,,closed,<5');
    expect(csv).not.toContain(REFERENCE);
  }, 120_000);
});
