// The decision workspace end to end, in real Chromium against the real services (see harness.ts). On the demo
// hearing, a chair drafts the decision: it starts with several blocks, which fall one by one as the chair fills
// in the procedure, the findings, the seriousness, the sanction, the orders and the publication summary (the
// check runs live in the page, on every keystroke); a click on a finding focuses its field; a warning is
// acknowledged with a reason typed in place; "Mark as final" stays disabled until nothing blocks, then finalises.
// Then, on a case a clerk sealed to the chair and a panellist, the chair exports drafts, the panellist imports
// them read-only and sees what changed, and sends their own signed declaration, which the chair imports.
// Every state is photographed into test-results/screens/ and checked with axe-core. All names are fictional.
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, ftruncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCriteria } from '../../shared/criteria';
import { addDays } from '../../shared/domain/common';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import { MAX_DECISION_FILE_BYTES } from '../../electron/decision-handlers';
import { planSealedCopies } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { collect } from '../../electron/services/crypto/byte-reader';
import type { Session } from '../../electron/services/session';
import { createPeer, launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const CHAIR = 'Marguerite Ellsworth';
const PANELLIST = 'Desmond Aylward';
const PANEL_REFERENCE = 'NEC-2026-0420';
const today = new Date().toISOString().slice(0, 10);

let browser: Browser;
let chair: Device;
let panellist: Device | null = null;
let clerk: Awaited<ReturnType<typeof createPeer>> | null = null;

async function expectNoSeriousA11yViolations(device: Device, label: string): Promise<void> {
  expect(await device.seriousA11yViolations(), `axe on ${label}`).toEqual([]);
}

/**
 * The window as the user sees it (the findings panel stays beside the draft as it scrolls), or the whole page.
 * `scrollTo` names what should be in view; otherwise the page is shown from the top.
 */
async function photograph(device: Device, name: string, options: { fullPage?: boolean; scrollTo?: Locator } = {}): Promise<void> {
  const dismiss = device.page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  if (options.scrollTo) await options.scrollTo.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  else await device.page.evaluate(() => window.scrollTo(0, 0));
  await device.screenshot(name, { fullPage: options.fullPage ?? false });
}

const findings = (page: Page) => page.getByRole('complementary', { name: 'Findings' });
const group = (page: Page, title: RegExp) => findings(page).getByRole('region', { name: title });
const blockItems = (page: Page) => group(page, /^Must be fixed/).getByRole('listitem');
const warningItems = (page: Page) => group(page, /^Warnings/).getByRole('listitem');

async function blockCount(page: Page): Promise<number> {
  return blockItems(page).count();
}

/** Runs a step and checks the live check now reports fewer blocks than before it. */
async function fixes(page: Page, step: string, work: () => Promise<void>): Promise<number> {
  const before = await blockCount(page);
  await work();
  await expect.poll(() => blockCount(page), { message: `blocks after ${step}`, timeout: 5000 }).toBeLessThan(before);
  return blockCount(page);
}

async function waitForSaved(page: Page): Promise<void> {
  await page.getByRole('group', { name: 'Decision status' }).getByRole('status').filter({ hasText: /^Saved · revision \d+$/ }).waitFor({ timeout: 10_000 });
}

async function openDecisionOf(device: Device, reference: string): Promise<void> {
  const page = device.page;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Cases', exact: true }).click();
  await page.getByRole('button', { name: `Open case ${reference}` }).click();
  await page.getByRole('button', { name: 'Decision', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Decision' }).waitFor();
}

function keyOf(session: Session, participantId: string, role: BundleParticipantKey['role']): BundleParticipantKey {
  const { card, fingerprint } = session.myCard();
  return { participantId, name: card.name, role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

/** A one-document case sealed by a fictional clerk to the chair's and the panellist's real profiles. */
async function sealPanelCase(clerkSession: Session, chairSession: Session, panellistSession: Session): Promise<Uint8Array> {
  const criteria = sampleCriteria();
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Complaint in case ${PANEL_REFERENCE} (fictional)`, { x: 60, y: 760, size: 12, font });
  const pdf = await doc.save();
  const sha = createHash('sha256').update(pdf).digest('hex');
  const recipients = [keyOf(chairSession, 'p-chair', 'chair'), keyOf(panellistSession, 'p-panel', 'panellist')];
  const caseFile: CaseFile = {
    format: 'hearing-desk/case@1',
    reference: PANEL_REFERENCE,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'north-west',
    protectedCharacteristics: ['religion-or-belief'],
    dates: { complaintReceived: addDays(today, -40), hearing: addDays(today, -2) },
    allegations: [{ number: 1, text: 'Posted a message repeating an antisemitic conspiracy theory.', ruleReference: 'Rule Book 2.I.8', conductCategoryId: 'antisemitic-conduct' }],
    participants: recipients.map((r) => ({ id: r.participantId, name: r.name, role: r.role, fingerprint: r.fingerprint })),
    respondent: { pseudonym: 'Member R' },
    complainant: { pseudonym: 'Complainant C' },
    criteria: { id: criteria.id, version: criteria.version },
  };
  const clerkKey = keyOf(clerkSession, 'sealer', 'clerk');
  const seed = await clerkSession.withIdentity((me) => Buffer.from(me.signingSeed));
  try {
    const [copy] = planSealedCopies({
      author: { signingSeed: seed, ageRecipient: clerkKey.ageRecipient, participant: clerkKey },
      bundleId: randomUUID(),
      revision: 1,
      caseFile,
      title: 'Post repeating a conspiracy theory',
      sealedAt: new Date(),
      expiresOn: addDays(today, 60),
      sections: [{ letter: 'A', title: 'Complaint', supplementary: false }],
      pageCount: 2,
      index: pdf,
      documents: [
        {
          entry: { id: 'doc-complaint', section: 'A', title: 'Complaint', date: addDays(today, -40), kind: 'pdf', capture: null, bytes: pdf.length, sha256: sha, sourceSha256: sha, firstPage: 2, pageCount: 1, firstLabel: 'A2', lastLabel: 'A2' },
          restrictedFrom: [],
          open: () => pdf,
        },
      ],
      recipients,
    });
    return await collect(copy!.stream());
  } finally {
    seed.fill(0);
  }
}

async function fillTextarea(scope: Page | Locator, label: string, text: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).fill(text);
}

describe('the decision workspace', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    chair = await openDevice(browser, { name: 'chair' });
    await chair.session.createProfile({ name: CHAIR, role: 'chair', passphrase: PASSPHRASE });
    await chair.open();
  });

  afterEach(() => {
    for (const device of [chair, panellist]) {
      if (!device) continue;
      expect(device.blockedRequests, device.name).toEqual([]);
      expect(device.problems, device.name).toEqual([]);
    }
  });

  afterAll(async () => {
    for (const device of [chair, panellist]) await device?.close();
    clerk?.close();
    await browser?.close();
  });

  it('the chair takes the demo decision from its first blocks to final, with the check following every change', async () => {
    const page = chair.page;
    await page.getByRole('region', { name: 'New to Hearing Desk? Try the demo hearing' }).getByRole('button', { name: 'Open the demo hearing' }).click();
    await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();
    await page.getByRole('button', { name: 'Decision', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Decision' }).waitFor();

    const initialBlocks = await blockCount(page);
    expect(initialBlocks).toBeGreaterThan(5);
    const markFinal = page.getByRole('button', { name: 'Mark as final' });
    expect(await markFinal.isDisabled()).toBe(true);
    expect(await findings(page).innerText()).toMatch(/version .*SAMPLE/s);
    await photograph(chair, 'decision-start');
    await photograph(chair, 'decision-start-full', { fullPage: true });
    await expectNoSeriousA11yViolations(chair, 'the new decision');

    // A click on a finding takes the chair to the field it concerns.
    await blockItems(page).filter({ hasText: /allegation 1/i }).first().getByRole('button').click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[id^="d-"]')?.id ?? '')).toMatch(/^d-allegations-0-/);

    const hearing = hearingOf(chair);
    const people = ['Marguerite Ellsworth', 'Jordan Demo-Panellist (fictional)', 'Robin Demo-Panellist (fictional)', 'Casey Demo-Counsel (fictional)'];

    await fixes(page, 'the procedure', async () => {
      await page.getByLabel('Decision date', { exact: true }).fill(hearing);
      for (const name of people) {
        await page.getByLabel(`Attendance of ${name}`).selectOption({ label: 'Present' });
        await page.getByLabel(`Declaration of ${name}`).selectOption({ label: 'No conflict' });
        await page.getByLabel(`Declared on by ${name}`).fill(today);
        await page.getByLabel(`Training completed by ${name}`).fill(addDays(today, -90));
      }
    });
    await fixes(page, "the lawyer's advice", () => fillTextarea(page, "Summary of the external lawyer's advice", 'Advised on the standard of proof and the indicated ranges for antisemitic conduct.'));
    await photograph(chair, 'decision-procedure-done');

    await fixes(page, 'the findings', async () => {
      for (const number of [1, 2]) {
        await page.getByLabel('Facts found').nth(number - 1).fill(`The panel finds the facts of allegation ${number} as the respondent accepted them.`);
        await page.getByLabel('Evidence relied on').nth(number - 1).fill('B1, C1');
        await page.getByRole('group', { name: `Finding on allegation ${number}` }).getByLabel('Proven', { exact: true }).check();
        await fillTextarea(page, `Reasons for the finding on allegation ${number}`, 'The screenshot is authenticated and the respondent accepts sharing the post.');
      }
    });
    await fixes(page, 'the seriousness', async () => {
      await page.getByLabel('Seriousness band').selectOption({ label: 'Lower' });
      await fillTextarea(page, 'Culpability', 'Shared without reading the linked article in full.');
      await fillTextarea(page, 'Harm', 'Seen by a small audience before it was removed.');
      await page.getByRole('group', { name: 'Aggravating factors' }).getByLabel('Hostility on a protected characteristic').check();
      await page.getByRole('group', { name: 'Mitigating factors' }).getByLabel('Content deleted promptly').check();
    });
    await photograph(chair, 'decision-half-way', { scrollTo: page.getByRole('heading', { name: 'Seriousness' }) });
    await expectNoSeriousA11yViolations(chair, 'the decision half way');

    await fixes(page, 'the sanction', async () => {
      await page.getByLabel('Sanction imposed').selectOption({ label: 'Formal warning' });
      await page.getByLabel('Time on record (months)').fill('12');
      await fillTextarea(page, 'Why “No further action” is not enough', 'Proven antisemitic conduct cannot go without a sanction.');
      await fillTextarea(page, 'Why “Reminder of the party\'s values” is not enough', 'A reminder does not reflect that the post repeated a conspiracy theory.');
      await fillTextarea(page, 'Why “Reminder of conduct” is not enough', 'A reminder does not reflect that the post repeated a conspiracy theory.');
    });
    await fixes(page, 'the education course', async () => {
      await page.getByLabel('Order the education course').check();
      await page.getByLabel('Course to be completed by').fill(addDays(hearing, 28));
    });
    await fixes(page, 'the publication summary', () =>
      fillTextarea(page, 'Anonymised summary', 'The panel found two allegations of sharing and commenting on antisemitic social media content proven and issued a formal warning.'),
    );
    expect(await blockCount(page)).toBe(0);
    await waitForSaved(page);

    // One warning remains: the next rung was not considered. It stands in the way until acknowledged.
    const warning = warningItems(page).filter({ hasText: /Suspension|next/i }).first();
    await warning.waitFor();
    expect(await markFinal.isDisabled()).toBe(true);
    await warning.getByRole('button', { name: 'Acknowledge…' }).click();
    await warning.getByLabel('Reason for acknowledging').fill('An NEC panel cannot suspend, so the next rung is not open to it.');
    await photograph(chair, 'decision-acknowledging', { scrollTo: page.getByRole('heading', { name: 'Sanction', exact: true }) });
    await expectNoSeriousA11yViolations(chair, 'acknowledging a warning');
    await warning.getByRole('button', { name: 'Record acknowledgement' }).click();
    await warning.getByText('Acknowledged:').waitFor();
    await expect.poll(() => markFinal.isDisabled()).toBe(false);
    await photograph(chair, 'decision-ready', { scrollTo: page.getByRole('heading', { name: 'Mark as final' }) });

    await markFinal.click();
    await page.getByText(/This decision was marked final at revision \d+/).waitFor();
    expect(await page.getByLabel('Anonymised summary').isDisabled()).toBe(true);
    await photograph(chair, 'decision-final');
    await photograph(chair, 'decision-final-full', { fullPage: true });
    await expectNoSeriousA11yViolations(chair, 'the final decision');
  });

  it('a panellist imports the chair’s drafts read-only, sees what changed, and sends their declaration to the chair', async () => {
    clerk = await createPeer('Oriel Fenwick', 'clerk');
    panellist = await openDevice(browser, { name: 'panellist' });
    await panellist.session.createProfile({ name: PANELLIST, role: 'panellist', passphrase: PASSPHRASE });
    const sealed = await sealPanelCase(clerk.session, chair.session, panellist.session);
    for (const device of [chair, panellist]) {
      await new ReceivedCases(device.session).import({ name: `${PANEL_REFERENCE}.hdbundle`, bytes: sealed }, { trustSealer: true });
    }
    await panellist.open();

    // The chair's first draft.
    const chairPage = chair.page;
    await openDecisionOf(chair, PANEL_REFERENCE);
    await chairPage.getByLabel('Facts found').fill('The respondent posted the message on a public account.');
    await chairPage.getByRole('group', { name: 'Finding on allegation 1' }).getByLabel('Proven', { exact: true }).check();
    await waitForSaved(chairPage);
    const first = join(chair.exportDirectory, 'draft-1.hddecision');
    chair.queueSavePath(first);
    await chairPage.getByRole('button', { name: 'Export draft…' }).click();
    await chairPage.getByText(/was sealed for 2 people/).waitFor();

    // The panellist reads it: nothing editable, and the changes against nothing held before.
    const page = panellist.page;
    await openDecisionOf(panellist, PANEL_REFERENCE);
    await page.getByText(/No draft from Marguerite Ellsworth has been imported yet/).waitFor();
    panellist.queueOpenPaths([first]);
    await page.getByRole('button', { name: 'Import draft…' }).click();
    const changes = page.getByRole('region', { name: /What changed/ });
    await changes.waitFor();
    expect(await changes.innerText()).toContain('Allegation 1 · Facts found');
    expect(await page.getByLabel('Facts found').isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Mark as final' }).count()).toBe(0);

    // The chair's second draft changes the reasons and adds a sanction; the panellist sees exactly that.
    await chairPage.getByLabel('Reasons for the finding on allegation 1').fill('The screenshot is authenticated and the respondent accepts posting it.');
    await chairPage.getByLabel('Sanction imposed').selectOption({ label: 'Formal warning' });
    await waitForSaved(chairPage);
    const second = join(chair.exportDirectory, 'draft-2.hddecision');
    chair.queueSavePath(second);
    await chairPage.getByRole('button', { name: 'Export draft…' }).click();
    await chairPage.getByText(/was sealed for 2 people/).last().waitFor();

    panellist.queueOpenPaths([second]);
    await page.getByRole('button', { name: 'Import draft…' }).click();
    await changes.getByRole('heading', { name: /What changed: revision \d+ → \d+/ }).waitFor();
    const rows = await changes.locator('tbody tr th').allInnerTexts();
    expect(rows).toContain('Allegation 1 · Reasons');
    expect(rows.some((row) => /Sanction/.test(row))).toBe(true);
    expect(rows).not.toContain('Allegation 1 · Facts found');
    expect(await page.getByLabel('Reasons for the finding on allegation 1').inputValue()).toBe('The screenshot is authenticated and the respondent accepts posting it.');
    await photograph(panellist, 'decision-panellist-diff');
    await photograph(panellist, 'decision-panellist-diff-full', { fullPage: true });
    await expectNoSeriousA11yViolations(panellist, "the panellist's diff");

    // The panellist records their own declaration and training, and sends them, signed, to the chair.
    const mine = page.getByRole('region', { name: 'My declaration & training' });
    await mine.getByLabel('Declared on').fill(today);
    await mine.getByRole('button', { name: 'Record my declaration' }).click();
    await mine.getByText(/Recorded: no conflict/).waitFor();
    await mine.getByLabel('Training completed on').fill(addDays(today, -30));
    await mine.getByRole('button', { name: 'Record my training date' }).click();
    await mine.getByText(/Recorded: completed/).waitFor();
    const declaration = join(panellist.exportDirectory, 'declaration.hddeclaration');
    panellist.queueSavePath(declaration);
    await mine.getByRole('button', { name: 'Send to the chair…' }).click();
    await page.getByText(/Your declaration was sealed for Marguerite Ellsworth/).waitFor();

    chair.queueOpenPaths([declaration]);
    await chairPage.getByRole('button', { name: 'Import a declaration…' }).click();
    await chairPage.getByText(`The records of ${PANELLIST} are now in the draft.`).waitFor();
    expect(await chairPage.getByLabel(`Declaration of ${PANELLIST}`).inputValue()).toBe('none');
    expect(await chairPage.getByLabel(`Training completed by ${PANELLIST}`).inputValue()).toBe(addDays(today, -30));
  });

  it('a damaged or absurdly large draft file is refused in plain words, and the panellist keeps the draft they had', async () => {
    const page = panellist!.page;
    const before = await page.getByRole('group', { name: 'Decision status' }).innerText();
    const good = readFileSync(join(chair.exportDirectory, 'draft-2.hddecision'));

    const truncated = join(panellist!.exportDirectory, 'truncated.hddecision');
    writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 2)));
    panellist!.queueOpenPaths([truncated]);
    await page.getByRole('button', { name: 'Import draft…' }).click();
    const alert = page.getByRole('alert').filter({ hasText: /./ }).first();
    await alert.waitFor();
    const truncatedMessage = await alert.innerText();
    expect(truncatedMessage.length).toBeGreaterThan(10);
    expect(truncatedMessage).not.toMatch(/Something went wrong/);

    // A sparse file one byte over the limit: refused from its size alone, before anything is read.
    const huge = join(panellist!.exportDirectory, 'huge.hddecision');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, MAX_DECISION_FILE_BYTES + 1);
    closeSync(fd);
    panellist!.queueOpenPaths([huge]);
    await page.getByRole('button', { name: 'Import draft…' }).click();
    await page.getByRole('alert').filter({ hasText: 'huge.hddecision is' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'huge.hddecision is' }).innerText()).toMatch(/far larger than any decision draft/);

    // The same file again is not newer than what is held: refused, nothing changes.
    panellist!.queueOpenPaths([join(chair.exportDirectory, 'draft-2.hddecision')]);
    await page.getByRole('button', { name: 'Import draft…' }).click();
    await page.getByRole('alert').filter({ hasText: /already here/ }).waitFor();
    expect(await page.getByRole('group', { name: 'Decision status' }).innerText()).toBe(before);
    await photograph(panellist!, 'decision-import-refused');
    await expectNoSeriousA11yViolations(panellist!, 'a refused import');
  });
});

/** The demo hearing's date, as the chair's own vault holds it (the demo sets it from the day it is installed). */
function hearingOf(device: Device): string {
  const [record] = new ReceivedCases(device.session).list();
  return record!.manifest.case.dates.hearing!;
}
