// Case bundles end to end, in real Chromium against the real services (see harness.ts): a clerk builds a case
// in the case builder (allegations, participants from the address book, real evidence files added through the
// native picker), seals it; the panellist and the external lawyer each open their own copy through the UI —
// the clerk's fingerprint shown before import, real progress, the bundle index matching the signed manifest,
// and a document closed to the lawyer absent from the lawyer's copy. A truncated file is refused in plain words
// and changes nothing. Every screen is checked with axe-core and photographed into test-results/screens/.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BundleManifest } from '../../shared/domain/bundle';
import type { CaseDraft } from '../../shared/domain/draft';
import { addDays } from '../../shared/domain/common';
import { serializeCard } from '../../electron/services/identities';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { writeEvidenceFiles, type EvidenceFiles } from '../fixtures/evidence/builders';
import { createPeer, launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const CLERK = 'Robin Ashdown';
const CHAIR = 'Helena Marsh';
const PANELLIST = 'Tomasz Reed';
const LAWYER = 'Imogen Castell';
const REFERENCE = 'NEC-2026-0117';
const TITLE = 'Remarks at the Riverside branch meeting';

const today = new Date().toISOString().slice(0, 10);
const HEARING = addDays(today, 21);
const RECEIVED = addDays(today, -60);

let browser: Browser;
let clerk: Device;
let panellist: Device;
let lawyer: Device;
let chair: Awaited<ReturnType<typeof createPeer>>;
let evidenceDir: string;
let evidence: EvidenceFiles;
/** The sealed files, as the seal result listed them. */
let panelFile: string;
let lawyerFile: string;

async function waitForFocus(page: Page, locator: Locator): Promise<void> {
  await locator.waitFor();
  await page.waitForFunction((element) => element === document.activeElement, await locator.elementHandle(), { timeout: 5000 });
}

async function expectNoSeriousA11yViolations(device: Device, label: string): Promise<void> {
  expect(await device.seriousA11yViolations(), `axe on ${label}`).toEqual([]);
}

/** A whole page from the top (the header is sticky), or just the window when a modal dialog is the subject. */
async function photograph(device: Device, name: string, subject: 'page' | 'dialog' = 'page'): Promise<void> {
  if (subject === 'page') {
    // Toasts float over whatever is under them; the page itself is the subject here.
    const dismiss = device.page.getByRole('button', { name: 'Dismiss notification' });
    // One at a time: each click removes a toast (and they also leave on their own after a few seconds).
    while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
    await device.page.evaluate(() => window.scrollTo(0, 0));
  }
  await device.screenshot(name, { fullPage: subject === 'page' });
}

async function goTo(device: Device, section: 'Cases' | 'Prepare bundles' | 'Address book'): Promise<void> {
  await device.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
  await waitForFocus(device.page, device.page.getByRole('heading', { level: 1, name: section }));
}

async function deviceWithProfile(name: string, role: 'clerk' | 'panellist' | 'external-lawyer'): Promise<Device> {
  const device = await openDevice(browser, { name: name.split(' ')[0]! });
  await device.session.createProfile({ name, role, passphrase: PASSPHRASE });
  await device.open();
  await waitForFocus(device.page, device.page.getByRole('heading', { level: 1, name: 'Cases' }));
  return device;
}

function labelRange(doc: { firstLabel: string; lastLabel: string }): string {
  return doc.firstLabel === doc.lastLabel ? doc.firstLabel : `${doc.firstLabel}–${doc.lastLabel}`;
}

/** The manifest inside a sealed file, as the recipient's own services read it (independently of the screen). */
async function manifestOf(device: Device, path: string): Promise<BundleManifest> {
  return (await new ReceivedCases(device.session).preview(path)).manifest;
}

/** The bundle index on the case view, row by row: [page labels, title]. */
async function indexRows(page: Page): Promise<[string, string][]> {
  const rows = page.getByRole('region', { name: 'Bundle index' }).locator('tbody tr');
  return rows.evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent ?? '', tr.children[1]!.textContent ?? ''] as [string, string]));
}

async function openBundleThroughUi(device: Device, path: string): Promise<Locator> {
  device.queueOpenPaths([path]);
  await device.page.getByRole('button', { name: 'Open a bundle…' }).first().click();
  const dialog = device.page.getByRole('dialog', { name: 'Open a hearing bundle' });
  await dialog.waitFor();
  return dialog;
}

describe('case bundles: build, seal, open, import', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    evidenceDir = mkdtempSync(join(tmpdir(), 'hd-e2e-evidence-'));
    evidence = await writeEvidenceFiles(evidenceDir);
    chair = await createPeer(CHAIR, 'chair');
    clerk = await deviceWithProfile(CLERK, 'clerk');
    panellist = await deviceWithProfile(PANELLIST, 'panellist');
    lawyer = await deviceWithProfile(LAWYER, 'external-lawyer');
    // The clerk holds everyone's card, each compared aloud (the address book screens are covered by the foundation test).
    for (const session of [chair.session, panellist.session, lawyer.session]) clerk.session.importCard(serializeCard(session.myCard().card), true);
  });

  afterEach(() => {
    for (const device of [clerk, panellist, lawyer]) {
      expect(device.blockedRequests, device.name).toEqual([]);
      expect(device.problems, device.name).toEqual([]);
    }
  });

  afterAll(async () => {
    for (const device of [clerk, panellist, lawyer]) await device?.close();
    chair?.close();
    if (evidenceDir) rmSync(evidenceDir, { recursive: true, force: true });
    await browser?.close();
  });

  it('the clerk creates a case in the builder: details, two allegations, participants and evidence from the picker', async () => {
    const page = clerk.page;
    await goTo(clerk, 'Prepare bundles');
    await page.getByRole('heading', { name: 'No cases in preparation' }).waitFor();
    await page.getByRole('button', { name: 'New case' }).click();
    await waitForFocus(page, page.getByRole('heading', { level: 1, name: 'New case' }));

    await page.getByLabel('Case reference').fill(REFERENCE.toLowerCase());
    expect(await page.getByLabel('Case reference').inputValue()).toBe(REFERENCE);
    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page.getByLabel('Deciding body').selectOption({ label: 'NEC disputes panel' });
    await page.getByLabel('Complaint type').selectOption({ label: 'Verbal comment in a meeting' });
    await page.getByLabel('Region').fill('london');
    await page.getByRole('checkbox', { name: 'Religion or belief' }).check();
    await page.getByLabel('Complaint received').fill(RECEIVED);
    await page.getByLabel('Hearing date').fill(HEARING);
    // The expiry hint names the default the service will use: hearing + 30 days.
    await page.getByText(`30 days after the hearing`).first().waitFor();

    // Problems are listed next to the Seal button, which stays unavailable while any remain.
    const sealPanel = page.getByRole('region', { name: 'Seal the bundle' });
    await sealPanel.getByText('Name the chair of the panel.').waitFor();
    expect(await sealPanel.getByRole('button', { name: 'Seal bundle…' }).getAttribute('aria-disabled')).toBe('true');

    // Two allegations; the conduct categories come from the criteria in force, marked as a SAMPLE.
    await page.getByText('SAMPLE criteria').waitFor();
    const allegations = [
      { text: 'Made a remark at the branch meeting on 14 July demeaning members of a religious group.', rule: 'Rule 2.I.8', category: 'other-discriminatory-conduct' },
      { text: 'Shared a social media post repeating the remark after the meeting.', rule: 'Code of Conduct, para 3', category: 'sharing-discriminatory-content' },
    ];
    for (const [index, allegation] of allegations.entries()) {
      await page.getByRole('button', { name: 'Add an allegation' }).click();
      const n = index + 1;
      await page.getByLabel(`Allegation ${n}: what is alleged`).fill(allegation.text);
      await page.getByLabel(`Allegation ${n}: rule or code paragraph`).fill(allegation.rule);
      await page.getByLabel(`Allegation ${n}: conduct category`).selectOption(allegation.category);
    }

    // Participants from the address book; the role follows the card and can be changed.
    for (const [name, role] of [[CHAIR, 'Chair'], [PANELLIST, 'Panellist'], [LAWYER, 'External lawyer']] as const) {
      await page.getByLabel('Person', { exact: true }).selectOption({ label: `${name} (${role})` });
      expect(await page.getByLabel('Role on this case').locator('option:checked').innerText()).toBe(role);
      await page.getByRole('button', { name: 'Add participant' }).click();
      await page.getByLabel(`Role of ${name}`).waitFor();
    }

    // Evidence through the native picker (queued answers): the e-mail in A, the rest in B.
    clerk.queueOpenPaths([evidence.complaintEml]);
    await page.getByRole('button', { name: 'Add evidence to section A…' }).click();
    const email = page.getByRole('listitem', { name: 'Complaint-email' });
    await email.waitFor();
    await email.getByLabel('Document title').fill('Complaint e-mail from C1');
    await email.getByLabel('Dated').fill(RECEIVED);
    await page.getByRole('listitem', { name: 'Complaint e-mail from C1' }).waitFor();

    clerk.queueOpenPaths([evidence.minutesPdf, evidence.screenshotPng, evidence.witnessStatementTxt]);
    await page.getByRole('button', { name: 'Add evidence to section B…' }).click();
    const added = page.getByRole('listitem', { name: 'Social-media-post' });
    await added.getByLabel('Document title').fill('Screenshot of the social media post');
    await added.getByLabel('Document title').press('Tab');
    const screenshot = page.getByRole('listitem', { name: 'Screenshot of the social media post' });
    await screenshot.waitFor();
    await screenshot.getByLabel('Source URL').fill('https://social.example.invalid/posts/4417');
    await screenshot.getByLabel('Source URL').press('Tab');
    await screenshot.getByLabel('Captured at').fill('2026-07-15T21:04');
    await screenshot.getByLabel('Captured at').press('Tab');
    await screenshot.getByLabel('Captured by').fill('Complainant C1');
    await screenshot.getByLabel('Captured by').press('Tab');
    const witness = page.getByRole('listitem', { name: 'Witness-statement' });
    await witness.getByRole('checkbox', { name: 'External lawyer' }).check();
    await witness.getByLabel('Document title').fill('Witness statement of W1');
    await witness.getByLabel('Document title').press('Tab');
    await page.getByRole('listitem', { name: 'Witness statement of W1' }).getByRole('checkbox', { name: 'External lawyer', checked: true }).waitFor();
    expect(clerk.pickerRequests).toEqual(['Add evidence', 'Add evidence']);

    // Reordering within a section; the first of a section cannot move up.
    const order = () => page.locator('li.document').evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')));
    await page.getByRole('button', { name: 'Move “Screenshot of the social media post” up' }).click();
    await expect.poll(order).toEqual(['Complaint e-mail from C1', 'Screenshot of the social media post', 'Branch-meeting-minutes', 'Witness statement of W1']);
    expect(await page.getByRole('button', { name: 'Move “Screenshot of the social media post” up' }).getAttribute('aria-disabled')).toBe('true');
    await page.getByRole('button', { name: 'Move “Screenshot of the social media post” down' }).click();
    await expect.poll(order).toEqual(['Complaint e-mail from C1', 'Branch-meeting-minutes', 'Screenshot of the social media post', 'Witness statement of W1']);

    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    await sealPanel.getByText('Ready to seal.').waitFor();
    expect(await sealPanel.getByRole('button', { name: 'Seal bundle…' }).getAttribute('aria-disabled')).toBeNull();

    // What the vault holds now is what the screen shows.
    const list = await clerk.dispatch('drafts.list', {});
    expect(list.ok).toBe(true);
    const draftId = (list as { ok: true; value: { id: string }[] }).value[0]!.id;
    const view = await clerk.dispatch('drafts.get', { id: draftId });
    const draft = (view as { ok: true; value: { draft: CaseDraft; problems: string[] } }).value;
    expect(draft.problems).toEqual([]);
    expect(draft.draft.fields).toMatchObject({
      reference: REFERENCE,
      title: TITLE,
      decidingBody: 'nec-panel',
      complaintType: 'verbal-comment-in-meeting',
      region: 'london',
      protectedCharacteristics: ['religion-or-belief'],
      complaintReceived: RECEIVED,
      hearingDate: HEARING,
      expiresOn: null,
    });
    expect(draft.draft.fields.allegations.map((a) => a.ruleReference)).toEqual(['Rule 2.I.8', 'Code of Conduct, para 3']);
    expect(draft.draft.fields.participants.map((p) => p.role)).toEqual(['chair', 'panellist', 'external-lawyer']);
    expect(draft.draft.documents.map((d) => [d.section, d.kind, d.title])).toEqual([
      ['A', 'eml', 'Complaint e-mail from C1'],
      ['B', 'pdf', 'Branch-meeting-minutes'],
      ['B', 'image', 'Screenshot of the social media post'],
      ['B', 'text', 'Witness statement of W1'],
    ]);
    expect(draft.draft.documents[2]!.capture).toEqual({
      sourceUrl: 'https://social.example.invalid/posts/4417',
      capturedAt: new Date('2026-07-15T21:04:00+01:00').toISOString(),
      capturedBy: 'Complainant C1',
    });
    expect(draft.draft.documents[3]!.restrictedFrom).toEqual(['external-lawyer']);

    await photograph(clerk, 'bundles-case-builder');
    await expectNoSeriousA11yViolations(clerk, 'case builder (filled)');
  });

  it('the clerk seals: progress, then the files written and who each is for', async () => {
    const page = clerk.page;
    const target = join(clerk.exportDirectory, `${REFERENCE}.hdbundle`);
    clerk.queueSavePath(target);
    await page.getByRole('button', { name: 'Seal bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bundle sealed' });
    await dialog.waitFor({ timeout: 60_000 });
    expect(clerk.pickerRequests.at(-1)).toBe('Save the sealed bundle');

    const files = dialog.getByRole('list', { name: 'Sealed files' }).getByRole('listitem');
    expect(await files.count()).toBe(2);
    const entries = await files.evaluateAll((items) => items.map((item) => ({ path: item.querySelector('.path')?.textContent ?? '', text: item.textContent ?? '' })));
    const forLawyer = entries.find((entry) => entry.text.includes(LAWYER))!;
    const forPanel = entries.find((entry) => entry.text.includes(PANELLIST))!;
    expect(forPanel.text).toContain(CHAIR);
    expect(forPanel.text).not.toContain(LAWYER);
    expect(forPanel.text).toContain('4 documents');
    expect(forLawyer.text).toContain('3 documents');
    expect(forPanel.path).toBe(target);
    for (const entry of entries) {
      expect(existsSync(entry.path)).toBe(true);
      // Sealed: an age file, nothing of the evidence readable.
      const bytes = readFileSync(entry.path);
      expect(bytes.subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
      expect(bytes.includes(Buffer.from('Riverside'))).toBe(false);
    }
    panelFile = forPanel.path;
    lawyerFile = forLawyer.path;

    await photograph(clerk, 'bundles-seal-result', 'dialog');
    await expectNoSeriousA11yViolations(clerk, 'seal result');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitForFocus(page, page.getByRole('button', { name: 'Seal bundle…' }));
    await page.getByText('Revision 1 is sealed. Sealing again makes revision 2').waitFor();

    await page.getByRole('button', { name: 'All cases in preparation' }).click();
    await waitForFocus(page, page.getByRole('heading', { level: 1, name: 'Prepare bundles' }));
    const row = page.getByRole('row').filter({ hasText: REFERENCE });
    expect(await row.innerText()).toContain('4 documents');
    expect(await row.innerText()).toContain('Revision 1');
    await photograph(clerk, 'bundles-drafts-list');
    await expectNoSeriousA11yViolations(clerk, 'cases in preparation');
  });

  it('the panellist opens the bundle: the clerk’s fingerprint first, then import with progress, then the case view', async () => {
    const page = panellist.page;
    const dialog = await openBundleThroughUi(panellist, panelFile);
    const clerkFingerprint = clerk.session.status().profile!.fingerprint;
    expect(await dialog.locator('.fingerprint').first().innerText()).toBe(clerkFingerprint);
    await dialog.getByText('Not in your address book').waitFor();
    const text = await dialog.innerText();
    for (const expected of [REFERENCE, TITLE, CLERK, CHAIR, PANELLIST, 'NEC disputes panel', 'Complaint e-mail from C1', 'Witness statement of W1']) {
      expect(text).toContain(expected);
    }
    const manifest = await manifestOf(panellist, panelFile);
    expect(text).toContain(`${manifest.pageCount} pages in all`);
    for (const doc of manifest.documents) expect(text).toContain(labelRange(doc));

    await photograph(panellist, 'bundles-open-dialog', 'dialog');
    await expectNoSeriousA11yViolations(panellist, 'open-bundle dialog');

    // Importing an unknown sealer's bundle needs the fingerprint compared first.
    await dialog.getByRole('button', { name: 'Import into my vault' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Tick the box' }).waitFor();
    expect(panellist.calls).not.toContain('bundles.import');
    await dialog.getByLabel('I compared this fingerprint with the clerk').check();
    await expectNoSeriousA11yViolations(panellist, 'open-bundle dialog (fingerprint compared)');

    // Held back after the import itself has finished, so the bar can be seen full.
    panellist.slowDown('bundles.import', 1500);
    await dialog.getByRole('button', { name: 'Import into my vault' }).click();
    const bar = dialog.getByRole('progressbar', { name: 'Importing the bundle' });
    await bar.waitFor();
    await page.waitForFunction(() => document.querySelector('[role=dialog] progress')?.getAttribute('aria-valuenow') === '100');
    expect(await dialog.getByRole('button', { name: 'Cancel import' }).count()).toBe(1);
    await photograph(panellist, 'bundles-import-progress', 'dialog');
    await expectNoSeriousA11yViolations(panellist, 'import progress');
    panellist.slowDown('bundles.import', 0);

    await waitForFocus(page, page.getByRole('heading', { level: 1, name: TITLE }));
    await dialog.waitFor({ state: 'detached' });
    // The index on screen is the signed manifest's, label for label.
    expect(await indexRows(page)).toEqual(manifest.documents.map((doc) => [labelRange(doc), doc.title]));
    expect(manifest.documents.map((doc) => doc.pageCount)).toEqual([manifest.documents[0]!.pageCount, 3, 1, manifest.documents[3]!.pageCount]);
    const view = page.getByRole('main');
    for (const expected of ['Rule 2.I.8', 'Code of Conduct, para 3', CHAIR, LAWYER, 'Religion or belief', 'Respondent R1']) {
      expect(await view.innerText()).toContain(expected);
    }
    expect(await view.locator('.sealed-by .fingerprint').innerText()).toBe(clerkFingerprint);
    // Trusting the sealer added the clerk as a verified contact.
    expect(panellist.session.listContacts()).toMatchObject([{ name: CLERK, fingerprint: clerkFingerprint }]);
    expect(panellist.session.listContacts()[0]!.verifiedAt).not.toBeNull();
    await photograph(panellist, 'bundles-case-view');
    await expectNoSeriousA11yViolations(panellist, 'case view');

    await page.getByRole('button', { name: 'All cases' }).click();
    await waitForFocus(page, page.getByRole('heading', { level: 1, name: 'Cases' }));
    const row = page.getByRole('row').filter({ hasText: REFERENCE });
    expect(await row.innerText()).toContain('Panellist');
    expect(await row.innerText()).toContain(CLERK);
    expect(await row.innerText()).toContain('4 documents');
    await photograph(panellist, 'bundles-cases-list');
    await expectNoSeriousA11yViolations(panellist, 'cases list');
  });

  it('the lawyer’s copy lacks the document closed to lawyers, in the dialog and in the vault', async () => {
    const page = lawyer.page;
    const dialog = await openBundleThroughUi(lawyer, lawyerFile);
    expect(await dialog.innerText()).not.toContain('Witness statement of W1');
    await dialog.getByLabel('I compared this fingerprint with the clerk').check();
    await dialog.getByRole('button', { name: 'Import into my vault' }).click();
    await waitForFocus(page, page.getByRole('heading', { level: 1, name: TITLE }));
    const rows = await indexRows(page);
    expect(rows.map(([, title]) => title)).toEqual(['Complaint e-mail from C1', 'Branch-meeting-minutes', 'Screenshot of the social media post']);
    expect(rows).toEqual((await manifestOf(lawyer, lawyerFile)).documents.map((doc) => [labelRange(doc), doc.title]));
    expect(await page.getByRole('main').innerText()).toContain('External lawyer');

    // Wiping says what goes, then leaves only the record.
    await page.getByRole('button', { name: 'Wipe this case…' }).click();
    const confirm = page.getByRole('dialog', { name: `Wipe case ${REFERENCE}?` });
    await waitForFocus(page, confirm.getByRole('button', { name: 'Cancel' }));
    expect(await confirm.innerText()).toContain('3 documents');
    expect(await confirm.innerText()).toContain('permanently destroys');
    await expectNoSeriousA11yViolations(lawyer, 'wipe confirmation');
    await confirm.getByRole('button', { name: 'Wipe case' }).click();
    await waitForFocus(page, page.getByRole('heading', { level: 1, name: 'Cases' }));
    await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
    const listed = await lawyer.dispatch('cases.list', {});
    expect(listed).toEqual({ ok: true, value: [] });
  });

  it('a bundle already in the vault is explained, with nothing to import', async () => {
    const dialog = await openBundleThroughUi(panellist, panelFile);
    await dialog.getByText('is already in your vault').waitFor();
    expect(await dialog.getByRole('button', { name: 'Import into my vault' }).count()).toBe(0);
    // Keyboard: Escape closes the dialog and focus returns to the button that opened it.
    await panellist.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await waitForFocus(panellist.page, panellist.page.getByRole('button', { name: 'Open a bundle…' }));
    expect(await panellist.dispatch('cases.list', {})).toMatchObject({ ok: true, value: [{ reference: REFERENCE }] });
  });

  it('a truncated bundle is refused in plain words and the case list is unchanged', async () => {
    const page = panellist.page;
    const before = await panellist.dispatch('cases.list', {});
    const truncated = join(panellist.exportDirectory, 'truncated.hdbundle');
    const bytes = readFileSync(panelFile);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    panellist.queueOpenPaths([truncated]);
    await page.getByRole('button', { name: 'Open a bundle…' }).click();
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    const message = await alert.first().innerText();
    expect(message).toMatch(/truncat|incomplete|cut short|damaged/i);
    expect(message).not.toMatch(/Error:|at .*\.ts|undefined|\{/);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await panellist.dispatch('cases.list', {})).toEqual(before);
    expect(await page.getByRole('row').filter({ hasText: REFERENCE }).count()).toBe(1);
    await photograph(panellist, 'bundles-open-truncated');
    await expectNoSeriousA11yViolations(panellist, 'truncated bundle error');
  });

  it('after its expiry date a case can only be wiped, and the wipe says so', async () => {
    const page = panellist.page;
    const [summary] = ((await panellist.dispatch('cases.list', {})) as { ok: true; value: { expiresOn: string }[] }).value;
    panellist.setCaseClock(new Date(`${addDays(summary!.expiresOn, 1)}T09:00:00Z`));
    await goTo(panellist, 'Prepare bundles');
    await goTo(panellist, 'Cases');
    const row = page.getByRole('row').filter({ hasText: REFERENCE });
    await row.getByText('Expired').waitFor();
    expect(await row.getByRole('button', { name: `Open case ${REFERENCE}` }).count()).toBe(0);
    await photograph(panellist, 'bundles-cases-list-expired');
    await expectNoSeriousA11yViolations(panellist, 'cases list with an expired case');

    await row.getByRole('button', { name: `Wipe case ${REFERENCE}…` }).click();
    const confirm = page.getByRole('dialog', { name: `Wipe case ${REFERENCE}?` });
    await waitForFocus(page, confirm.getByRole('button', { name: 'Cancel' }));
    expect(await confirm.innerText()).toContain('This bundle has expired');
    await confirm.getByRole('button', { name: 'Wipe case' }).click();
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
    expect(await panellist.dispatch('cases.list', {})).toEqual({ ok: true, value: [] });
    panellist.setCaseClock(null);
  });
});
