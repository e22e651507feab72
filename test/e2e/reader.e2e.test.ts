// The evidence reader end to end, in real Chromium against the real services (see harness.ts): a clerk seals a
// case of real multi-page PDFs to a chair and a panellist; the panellist opens the reader (pdf.js in the page,
// under the app's CSP), searches, jumps to a hit, highlights text across a page break, links it to allegation 1,
// shares it with the panel (audience confirmed), undoes and redoes a page note, hides private notes in presentation
// mode, and exports an annotation pack that the chair imports on their own device and sees. No blob: URL outlives
// the reader; no console error or CSP violation happens anywhere. Then: page thumbnails (click and keyboard), the
// place remembered across leaving and re-opening, an annotation's edit history with a restore, JSON-LD exported by
// the panellist and imported on the chair's device, and an imported highlight whose quote is not on the page shown
// as an orphan with its quote. Every screen is photographed and checked by axe.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../helpers/people';
import { keyOf, sealAndImport } from '../integration/annotations-case';
import type { CaseFile } from '../../shared/domain/case';
import { planSealedCopies } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { collect } from '../../electron/services/crypto/byte-reader';
import { createPeer, launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const PANELLIST = 'Tomasz Reed';
const CHAIR = 'Helena Marsh';
const REFERENCE = 'NEC-2026-0077';
const NOTE = 'The reply is the respondent’s own words';
const PRIVATE_NOTE = 'Ask the clerk about the posting date';
const LARGE_REFERENCE = 'NEC-2026-0099';
const LARGE_PAGES = 2_000;

let browser: Browser;
let panellist: Device;
let chair: Device;
let clerk: Awaited<ReturnType<typeof createPeer>>;
let packPath: string;
let clerkPersonForLater: Person;
let jsonLdPath: string;
const ORPHAN_QUOTE = 'The branch secretary withdrew the motion (fictional).';

/** Counts object URLs made and not revoked, from before the app's first script runs. */
function trackObjectUrls(device: Device) {
  return device.page.addInitScript(() => {
    const live = new Set<string>();
    const create = URL.createObjectURL.bind(URL);
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.createObjectURL = (object: Blob | MediaSource) => {
      const url = create(object);
      live.add(url);
      return url;
    };
    URL.revokeObjectURL = (url: string) => {
      live.delete(url);
      revoke(url);
    };
    Object.defineProperty(window, '__liveObjectUrls', { value: () => [...live] });
  });
}

async function liveObjectUrls(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __liveObjectUrls(): string[] }).__liveObjectUrls());
}

async function deviceFor(name: string, role: 'chair' | 'panellist'): Promise<Device> {
  const device = await openDevice(browser, { name: name.split(' ')[0]! });
  await device.session.createProfile({ name, role, passphrase: PASSPHRASE });
  await trackObjectUrls(device);
  return device;
}

function personOf(device: Device, name: string, role: 'chair' | 'panellist'): Person {
  return { session: device.session, name, role, directory: device.profileDirectory, cleanup: () => undefined };
}

/** A bundle of one generated document of `pages` text pages (section C, labels C1…), sealed to one panellist. */
async function sealLargeBundle(clerkPerson: Person, panellistPerson: Person, pages: number): Promise<void> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Minutes of the branch meeting, page ${i} of ${pages} (fictional).`, { x: 60, y: 760, size: 12, font });
    page.drawText(i === 1500 ? 'The treasurer noted the quinquennial audit.' : 'Routine business was recorded.', { x: 60, y: 730, size: 12, font });
  }
  const bytes = await pdf.save();
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const entry = { id: 'doc-minutes', section: 'C', title: 'Branch minutes', date: '2026-08-01', kind: 'pdf' as const, capture: null, bytes: bytes.length, sha256, sourceSha256: sha256, firstPage: 1, pageCount: pages, firstLabel: 'C1', lastLabel: `C${pages}` };
  const participant = { id: 'p-0', name: panellistPerson.name, role: panellistPerson.role, fingerprint: panellistPerson.session.myCard().fingerprint };
  const caseFile: CaseFile = {
    format: 'hearing-desk/case@1', reference: LARGE_REFERENCE, decidingBody: 'nec-panel', complaintType: 'social-media', region: 'north-west',
    protectedCharacteristics: [], dates: { complaintReceived: '2026-08-01', hearing: '2026-12-01' },
    allegations: [{ number: 1, text: 'Failed to keep proper minutes.', ruleReference: 'Rule 1.1', conductCategoryId: 'antisemitism' }],
    participants: [participant], respondent: { pseudonym: 'R2' }, complainant: { pseudonym: 'C2' }, criteria: { id: 'sample-sanctions-criteria', version: '1.0.0' },
  };
  const [copy] = await clerkPerson.session.withIdentity(async (me) => {
    const planned = planSealedCopies({
      author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient, participant: keyOf(clerkPerson, 'sealer') },
      bundleId: randomUUID(), revision: 1, caseFile, title: `Hearing bundle: ${LARGE_REFERENCE}`,
      sealedAt: new Date('2026-11-20T09:00:00Z'), expiresOn: '2026-12-31',
      sections: [{ letter: 'C', title: 'Minutes', supplementary: false }], pageCount: pages, index: bytes,
      documents: [{ entry, restrictedFrom: [], open: () => bytes }], recipients: [keyOf(panellistPerson, 'p-0')],
    });
    return Promise.all(planned.map(async (c) => ({ bytes: await collect(c.stream()) })));
  });
  await new ReceivedCases(panellistPerson.session).import({ name: 'minutes.hdbundle', bytes: copy!.bytes }, { trustSealer: true });
}

async function expectNoSeriousA11yViolations(device: Device, label: string): Promise<void> {
  expect(await device.seriousA11yViolations(), `axe on ${label}`).toEqual([]);
}

async function openReader(device: Device, documentTitle: string): Promise<void> {
  const { page } = device;
  await device.open();
  await page.getByRole('button', { name: `Open case ${REFERENCE}` }).click();
  await page.getByRole('region', { name: 'Bundle index' }).getByRole('button', { name: documentTitle }).click();
  await page.getByRole('toolbar', { name: 'Reader' }).waitFor();
  await page.locator('.textLayer span').first().waitFor();
}

/** Selects text in the text layers from `from` (on one page) to the end of `to` (possibly on a later page). */
async function selectText(page: Page, from: { page: number; text: string }, to: { page: number; text: string }): Promise<void> {
  await page.evaluate(
    ([start, end]) => {
      const find = (pageNumber: number, text: string) => {
        const spans = [...document.querySelectorAll(`.pdf-page[data-page-number="${pageNumber}"] .textLayer span`)];
        const span = spans.find((s) => s.textContent?.includes(text));
        if (!span?.firstChild) throw new Error(`No text "${text}" on page ${pageNumber}`);
        return { node: span.firstChild, at: span.textContent!.indexOf(text) };
      };
      const a = find(start.page, start.text);
      const b = find(end.page, end.text);
      const range = document.createRange();
      range.setStart(a.node, a.at);
      range.setEnd(b.node, b.at + end.text.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    [from, to] as const,
  );
}

async function waitForSaved(page: Page): Promise<void> {
  const saved = page.getByRole('status').filter({ hasText: /^Saved$/ });
  const refused = page.getByRole('alert');
  await saved.or(refused).first().waitFor();
  if (await refused.count()) throw new Error(`Not saved: ${await refused.first().innerText()}`);
}

beforeAll(async () => {
  browser = await launchChromium();
  clerk = await createPeer('Robin Ashdown', 'clerk');
  panellist = await deviceFor(PANELLIST, 'panellist');
  chair = await deviceFor(CHAIR, 'chair');
  const clerkPerson: Person = { session: clerk.session, name: 'Robin Ashdown', role: 'clerk', directory: clerk.dir, cleanup: () => undefined };
  await sealAndImport(clerkPerson, [personOf(chair, CHAIR, 'chair'), personOf(panellist, PANELLIST, 'panellist')], REFERENCE);
  clerkPersonForLater = clerkPerson;
}, 120_000);

afterEach(() => {
  for (const device of [panellist, chair]) {
    expect(device.blockedRequests, device.name).toEqual([]);
    expect(device.problems, device.name).toEqual([]);
  }
});

afterAll(async () => {
  await panellist?.close();
  await chair?.close();
  clerk?.close();
  await browser?.close();
});

describe('the evidence reader', () => {
  it('opens a document from the bundle index, searches, jumps to a hit and goes to a page by its label', async () => {
    const { page } = panellist;
    await openReader(panellist, 'Witness statement of C1');
    expect(await page.locator('.reader-position').innerText()).toContain('A2');
    // Only pages near the viewport are drawn, each with its canvas and a text layer from the document itself.
    const drawn = await page.locator('.pdf-page').count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThanOrEqual(3);
    expect(await page.locator('.pdf-page[data-page-number="1"] .textLayer').innerText()).toContain('Witness statement of C1');
    await panellist.screenshot('reader');
    await expectNoSeriousA11yViolations(panellist, 'the reader');

    await page.getByRole('searchbox', { name: 'Search the bundle' }).fill('financiers');
    await page.getByRole('button', { name: 'Search', exact: true }).last().click();
    const results = page.getByRole('list', { name: 'Search results' });
    await results.waitFor();
    const items = results.getByRole('listitem');
    expect(await items.count()).toBe(2);
    const texts = await items.allInnerTexts();
    expect(texts.some((t) => t.includes('A2') && t.includes('Witness statement of C1'))).toBe(true);
    expect(texts.some((t) => t.includes('B5') && t.includes('Transcript of the post'))).toBe(true);
    // The hit is marked in the snippet as text (split on the service's markers), never as parsed HTML.
    expect(await results.locator('mark').first().innerText()).toBe('financiers');
    await panellist.screenshot('reader-search-results');
    await expectNoSeriousA11yViolations(panellist, 'search results');

    await items.filter({ hasText: 'Transcript of the post' }).getByRole('button').click();
    await page.getByRole('button', { name: /B5 Transcript of the post/ }).and(page.locator('[aria-current="true"]')).waitFor();
    await page.locator('.mark.search-hit').first().waitFor();
    expect(await page.locator('.reader-position').innerText()).toContain('B5');

    await page.getByLabel('Go to page').fill('A3');
    await page.getByLabel('Go to page').press('Enter');
    await page.locator('.reader-position', { hasText: 'A3' }).waitFor();
    await page.getByLabel('Go to page').fill('Z99');
    await page.getByLabel('Go to page').press('Enter');
    expect(await page.getByRole('alert').innerText()).toContain('There is no page Z99');

    // The shortcuts are listed in a help overlay.
    await page.locator('.reader-scroll').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.innerText()).toContain('Presentation mode');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    // Rotation turns the portrait pages landscape; fit page shows a whole page; W goes back to fit width.
    await page.locator('.reader-scroll').focus();
    const slot = page.locator('.page-slot').first();
    await page.keyboard.press('r');
    await expect.poll(async () => { const b = (await slot.boundingBox())!; return b.width > b.height; }).toBe(true);
    for (let i = 0; i < 3; i++) await page.keyboard.press('r');
    await page.keyboard.press('f');
    const visibleHeight = (await page.locator('.reader-scroll').boundingBox())!.height;
    await expect.poll(async () => (await slot.boundingBox())!.height <= visibleHeight).toBe(true);
    await page.keyboard.press('w');
    await page.getByRole('button', { name: 'Fit width' }).and(page.locator('[aria-pressed="true"]')).waitFor();
  });

  it('highlights text across a page break, links it to allegation 1, shares it after showing who will see it', async () => {
    const { page } = panellist;
    await page.getByLabel('Go to page').fill('A2');
    await page.getByLabel('Go to page').press('Enter');
    await page.locator('.pdf-page[data-page-number="2"] .textLayer span').first().waitFor();
    await selectText(page, { page: 1, text: 'Members replied' }, { page: 2, text: 'offensive.' });
    await page.getByRole('button', { name: 'Highlight', exact: true }).click();
    await waitForSaved(page);

    const [stored] = await listMine(panellist);
    expect(stored).toMatchObject({ kind: 'highlight', start: { page: 1 }, end: { page: 2 } });
    expect(stored!.quote.exact).toBe('Members replied that it was\noffensive.');
    // Drawn on both pages.
    await page.locator('.pdf-page[data-page-number="1"] .mark.vis-private').first().waitFor();
    await page.locator('.pdf-page[data-page-number="2"] .mark.vis-private').first().waitFor();

    const editor = page.getByRole('region', { name: 'Selected annotation' });
    await editor.getByLabel('Note').fill(NOTE);
    await editor.getByRole('button', { name: 'Save note' }).click();
    await waitForSaved(page);
    await editor.getByRole('checkbox', { name: 'Allegation 1' }).check();
    await page.getByRole('list', { name: 'Annotations' }).getByText('Allegation 1').waitFor();

    await page.getByRole('region', { name: 'Selected annotation' }).getByRole('radio', { name: 'Panel' }).click(); // stays unchecked until confirmed
    const confirm = page.getByRole('dialog', { name: 'Share this annotation with the panel?' });
    await confirm.waitFor();
    const audience = await confirm.innerText();
    expect(audience).toContain(CHAIR);
    expect(audience).toContain(PANELLIST);
    expect(audience).not.toContain('Robin Ashdown');
    await panellist.screenshot('reader-visibility-confirm', { fullPage: false });
    await expectNoSeriousA11yViolations(panellist, 'the visibility confirmation');
    await confirm.getByRole('button', { name: 'Share with the panel' }).click();
    await page.locator('.annotation-item.vis-panel').waitFor();

    const [shared] = await listAll(panellist);
    expect(shared).toMatchObject({ visibility: 'panel', content: { note: NOTE, allegations: [1] } });
  });

  it('keeps a private page note, undoes and redoes it, and hides it in presentation mode', async () => {
    const { page } = panellist;
    await page.locator('.reader-scroll').focus();
    await page.keyboard.press('n');
    const dialog = page.getByRole('dialog', { name: /Note on page A\d/ });
    await dialog.getByLabel('Note').fill(PRIVATE_NOTE);
    await dialog.getByRole('button', { name: 'Save note' }).click();
    await waitForSaved(page);
    const list = page.getByRole('list', { name: 'Annotations' });
    await list.getByText(PRIVATE_NOTE).waitFor();

    await page.locator('.reader-scroll').focus();
    await page.keyboard.press('Control+z');
    await list.getByText(PRIVATE_NOTE).waitFor({ state: 'detached' });
    expect((await listAll(panellist)).map((a) => a.visibility)).toEqual(['panel']);
    await page.keyboard.press('Control+Shift+z');
    await list.getByText(PRIVATE_NOTE).waitFor();
    expect((await listAll(panellist)).map((a) => a.visibility).sort()).toEqual(['panel', 'private']);

    await page.getByRole('button', { name: /^Annotations/ }).click();
    await panellist.screenshot('reader-annotations');
    await expectNoSeriousA11yViolations(panellist, 'the annotation panel');

    await page.locator('.reader-scroll').focus();
    await page.keyboard.press('p');
    await page.getByText('Presentation mode: private notes and legal advice are hidden.').waitFor();
    expect(await page.getByText(PRIVATE_NOTE).count()).toBe(0);
    expect(await page.locator('.vis-private').count()).toBe(0);
    await list.getByText(NOTE).waitFor();
    await panellist.screenshot('reader-presentation');
    await expectNoSeriousA11yViolations(panellist, 'presentation mode');
    await page.keyboard.press('p');
    await list.getByText(PRIVATE_NOTE).waitFor();

    // An area highlight: A, then drag a rectangle on the page; it is stored in PDF page coordinates.
    await page.locator('.reader-scroll').focus();
    await page.keyboard.press('a');
    const box = (await page.locator('.pdf-page[data-page-number="1"]').boundingBox())!;
    await page.mouse.move(box.x + 40, box.y + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + 300, box.y + 130, { steps: 5 });
    await page.mouse.up();
    await waitForSaved(page);
    await page.locator('.pdf-page[data-page-number="1"] .mark.area').waitFor();
    const area = (await listMine(panellist)).find((content) => content.kind === 'area') as unknown as { page: number; rect: { x: number; y: number; width: number; height: number } };
    expect(area.page).toBe(1);
    // 260 × 80 CSS pixels at the page's scale, with the origin at the bottom left (A4 is 595 × 842 points).
    expect(area.rect.width).toBeGreaterThan(100);
    expect(area.rect.y + area.rect.height).toBeLessThan(842);
    expect(area.rect.y).toBeGreaterThan(600);
  });

  it('shares a pack from the panellist that the chair imports and sees; closing leaves no blob: URL', async () => {
    const { page } = panellist;
    packPath = join(panellist.exportDirectory, 'tomasz.hdnotes');
    panellist.queueSavePath(packPath);
    await page.getByRole('button', { name: 'Share my annotations…' }).click();
    await page.getByText(`Saved 1 shared annotation for ${CHAIR}.`).waitFor();

    await page.getByRole('button', { name: 'Back to the case' }).click();
    await page.getByRole('region', { name: 'Bundle index' }).waitFor();
    expect(await liveObjectUrls(page)).toEqual([]);

    const chairPage = chair.page;
    await openReader(chair, 'Witness statement of C1');
    await chairPage.getByRole('button', { name: /^Annotations/ }).click();
    chair.queueOpenPaths([packPath]);
    await chairPage.getByRole('button', { name: 'Import a pack…' }).click();
    await chairPage.getByText(`Imported from ${PANELLIST}: 1 new, 0 updated, 0 removed.`).waitFor();
    const item = chairPage.getByRole('list', { name: 'Annotations' }).getByRole('listitem').filter({ hasText: NOTE });
    await item.waitFor();
    expect(await item.innerText()).toContain(PANELLIST);
    expect(await item.innerText()).toContain('Allegation 1');
    expect(await chairPage.getByText(PRIVATE_NOTE).count()).toBe(0);
    await chairPage.locator('.pdf-page[data-page-number="2"] .mark.vis-panel').first().waitFor();
    await chair.screenshot('reader-chair-imported');
    await expectNoSeriousA11yViolations(chair, 'the chair’s reader after import');

    // Importing the same pack again changes nothing, and says so.
    chair.queueOpenPaths([packPath]);
    await chairPage.getByRole('button', { name: 'Import a pack…' }).click();
    await chairPage.getByText(`Nothing new from ${PANELLIST}: you already have these annotations.`).waitFor();
    await chairPage.getByRole('button', { name: 'Back to the case' }).click();
    expect(await liveObjectUrls(chairPage)).toEqual([]);
  });
  it('shows page thumbnails that go to their page by click and by keyboard, and remembers the place after leaving', async () => {
    const { page } = panellist;
    await openReader(panellist, 'Witness statement of C1');
    const thumbs = page.getByRole('navigation', { name: 'Page thumbnails' });
    const a3 = thumbs.getByRole('button', { name: 'Show page A3' });
    await a3.waitFor();
    // Every page of this short document has a thumbnail, each drawn on its own small canvas.
    expect(await thumbs.getByRole('button').count()).toBe(3);
    await expect.poll(() => page.locator('.reader-thumb-canvas.is-drawn').count()).toBe(3);
    await a3.click();
    await page.locator('.reader-position', { hasText: 'A3' }).waitFor();
    expect(await a3.getAttribute('aria-current')).toBe('page');
    await panellist.screenshot('reader-thumbnails');
    await expectNoSeriousA11yViolations(panellist, 'the page thumbnails');

    // Keyboard: one thumbnail is in the tab order; the arrows move between them and Enter goes there.
    expect(await thumbs.locator('button[tabindex="0"]').count()).toBe(1);
    // From the last thumbnail (End), ArrowUp moves up one; Enter goes there. (Started from the list's end rather than
    // right after a click, while the reader may still be settling on the clicked page and moving focus.)
    await a3.focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Show page A4');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Show page A2');
    await page.keyboard.press('Enter');
    await page.locator('.reader-position', { hasText: 'A2' }).waitFor();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Show page A4');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.locator('.reader-position', { hasText: 'A3' }).waitFor();

    // The place (document, page and zoom) is kept by main, so a reload of the window does not lose it either.
    await page.getByRole('button', { name: 'Fit page' }).click();
    const caseId = await caseIdOf(panellist);
    await expect.poll(async () => { const place = await panellist.dispatch('reader.place', { caseId }); return place.ok ? place.value : place.error; }).toMatchObject({ documentId: 'doc-statement', page: 2, zoom: 'fit-page' });
    await page.getByRole('button', { name: 'Back to the case' }).click();
    await openReader(panellist, 'Witness statement of C1');
    await page.locator('.reader-position', { hasText: 'A3' }).waitFor();
    await page.getByRole('button', { name: 'Fit page' }).and(page.locator('[aria-pressed="true"]')).waitFor();
    await page.getByRole('button', { name: 'Fit width' }).click();
  });

  it('lists an annotation’s versions with time and author, and restores an earlier one as a new version', async () => {
    const { page } = panellist;
    await page.getByRole('button', { name: /^Annotations/ }).click();
    await page.getByRole('list', { name: 'Annotations' }).getByRole('button').filter({ hasText: NOTE }).click();
    const editor = page.getByRole('region', { name: 'Selected annotation' });
    await editor.getByRole('button', { name: 'History' }).click();
    const history = page.getByRole('dialog', { name: 'Edit history' });
    const versions = history.getByRole('list', { name: 'Versions' }).getByRole('listitem');
    await versions.first().waitFor();
    // Created, note written, linked to allegation 1, shared with the panel: newest first.
    expect(await versions.count()).toBe(4);
    const texts = await versions.allInnerTexts();
    expect(texts[0]).toContain('Version 4');
    expect(texts[0]).toContain('Current');
    expect(texts[0]).toContain(PANELLIST);
    expect(texts[0]).toContain('Panel');
    expect(texts[2]).toContain(NOTE);
    expect(texts[2]).not.toContain('Allegation 1');
    expect(texts[3]).toContain('No note');
    expect(await history.getByRole('button', { name: 'Restore this version: version 4' }).count()).toBe(0);
    await panellist.screenshot('reader-history');
    await expectNoSeriousA11yViolations(panellist, 'the edit history');

    await history.getByRole('button', { name: 'Restore this version: version 2' }).click();
    await waitForSaved(page);
    const highlight = (await listAll(panellist)).find((a) => a.content.note === NOTE)!;
    // Version 2's content, still shared with the panel (restoring never changes who sees it).
    expect(highlight).toMatchObject({ visibility: 'panel', content: { note: NOTE, allegations: [] } });
    await editor.getByRole('button', { name: 'History' }).click();
    await history.getByRole('list', { name: 'Versions' }).getByText('Version 5').waitFor();
    expect(await history.getByRole('listitem').first().innerText()).toContain('restored');
    // And back, so the rest of the run sees the link to allegation 1 again.
    await history.getByRole('button', { name: 'Restore this version: version 3' }).click();
    await waitForSaved(page);
    expect((await listAll(panellist)).find((a) => a.content.note === NOTE)).toMatchObject({ content: { allegations: [1] } });
  });

  it('exports JSON-LD after a warning that it is readable; the chair imports it, and none of the panellist’s private notes', async () => {
    const { page } = panellist;
    jsonLdPath = join(panellist.exportDirectory, 'tomasz-annotations.jsonld');
    await page.getByRole('button', { name: 'Export JSON-LD…' }).click();
    const warning = page.getByRole('dialog', { name: 'Export the annotations as JSON-LD?' });
    expect(await warning.innerText()).toContain('not encrypted');
    panellist.queueSavePath(jsonLdPath);
    await warning.getByRole('button', { name: 'Choose where to save…' }).click();
    await page.getByText('Exported 3 annotations as JSON-LD.').waitFor();
    const collection = JSON.parse(readFileSync(jsonLdPath, 'utf8')) as { type: string; first: { items: { body?: { value: string }[] }[] } };
    expect(collection.type).toBe('AnnotationCollection');
    expect(collection.first.items).toHaveLength(3);
    await page.getByRole('button', { name: 'Back to the case' }).click();

    const chairPage = chair.page;
    await openReader(chair, 'Witness statement of C1');
    await chairPage.getByRole('button', { name: /^Annotations/ }).click();
    chair.queueOpenPaths([jsonLdPath]);
    await chairPage.getByRole('button', { name: 'Import JSON-LD…' }).click();
    // The shared highlight came in a signed pack before: an unsigned file never overrides it. The panellist's
    // private note is in their own export, but never enters anyone else's vault.
    const imported = chairPage.getByText(/^Imported from JSON-LD: /);
    await imported.waitFor();
    const report = await imported.innerText();
    expect(report).toContain('0 new, 0 updated, 0 unchanged, 1 kept');
    expect(report).toContain("2 of someone else's private notes left out");
    const list = chairPage.getByRole('list', { name: 'Annotations' });
    expect(await list.getByRole('listitem').count()).toBe(1);
    expect(await list.getByText(PRIVATE_NOTE).count()).toBe(0);
    // Importing the same file again adds nothing.
    chair.queueOpenPaths([jsonLdPath]);
    await chairPage.getByRole('button', { name: 'Import JSON-LD…' }).click();
    await chairPage.getByText('Imported from JSON-LD: 0 new, 0 updated, 0 unchanged, 1 kept', { exact: false }).waitFor();
    expect(await list.getByRole('listitem').count()).toBe(1);
  });

  it('shows an imported highlight whose quote is not on the page as an orphan, with its quote, never dropped', async () => {
    const chairPage = chair.page;
    const collection = JSON.parse(readFileSync(jsonLdPath, 'utf8')) as {
      total: number;
      first: { items: { id: string; 'hd:version': number; body?: unknown[]; target: { 'hd:kind': string; selector: { type: string; exact?: string; prefix?: string; suffix?: string }[] } }[] };
    };
    const highlight = collection.first.items.find((item) => item.target['hd:kind'] === 'highlight')!;
    const moved = structuredClone(highlight);
    moved.id = `urn:uuid:${randomUUID()}`;
    moved['hd:version'] = 1;
    moved.body = [{ type: 'TextualBody', purpose: 'commenting', format: 'text/plain', value: 'Check this against the original' }];
    Object.assign(moved.target.selector[0]!, { exact: ORPHAN_QUOTE, prefix: '', suffix: '' });
    const orphanPath = join(chair.exportDirectory, 'orphan.jsonld');
    writeFileSync(orphanPath, JSON.stringify({ ...collection, total: 1, first: { ...collection.first, items: [moved] } }));
    chair.queueOpenPaths([orphanPath]);
    await chairPage.getByRole('button', { name: 'Import JSON-LD…' }).click();
    await chairPage.getByText('Imported from JSON-LD: 1 new, 0 updated, 0 unchanged.').waitFor();
    const orphan = chairPage.getByRole('list', { name: 'Annotations' }).getByRole('listitem').filter({ hasText: 'Not found in the document’s text now' });
    await orphan.waitFor();
    expect(await orphan.innerText()).toContain(ORPHAN_QUOTE);
    expect(await orphan.innerText()).toContain('Check this against the original');
    // Nothing is drawn for it on the page: only the original shared highlight's marks.
    await chair.screenshot('reader-orphan');
    await expectNoSeriousA11yViolations(chair, 'an orphaned annotation');
    await chairPage.getByRole('button', { name: 'Back to the case' }).click();
    expect(await liveObjectUrls(chairPage)).toEqual([]);
  });

  it('keeps a 2,000-page document light: only the pages near the viewport are drawn, wherever the reader goes', async () => {
    await sealLargeBundle(clerkPersonForLater, personOf(panellist, PANELLIST, 'panellist'), LARGE_PAGES);
    const { page } = panellist;
    await panellist.open();
    await page.getByRole('button', { name: `Open case ${LARGE_REFERENCE}` }).click();
    await page.getByRole('region', { name: 'Bundle index' }).getByRole('button', { name: 'Branch minutes' }).click();
    // The first open extracts 2,000 pages' text into the index: the reader says so while it runs.
    await page.getByRole('status').filter({ hasText: 'Preparing search…' }).waitFor();
    await panellist.screenshot('reader-preparing-search');
    await page.locator('.pdf-page[data-page-number="1"] .textLayer span').first().waitFor();
    expect(await page.locator('.pdf-page').count()).toBeLessThanOrEqual(6);
    expect(await page.locator('.reader-position').innerText()).toContain(`page 1 of ${LARGE_PAGES}`);

    await page.getByLabel('Go to page').fill('C1500');
    await page.getByLabel('Go to page').press('Enter');
    await page.locator('.pdf-page[data-page-number="1500"] .textLayer span').first().waitFor();
    expect(await page.locator('.pdf-page').count()).toBeLessThanOrEqual(6);
    expect(await page.locator('.pdf-page[data-page-number="1"]').count()).toBe(0);
    // The thumbnails follow, drawing only the few near the current page.
    const thumbs = page.getByRole('navigation', { name: 'Page thumbnails' });
    await thumbs.getByRole('button', { name: 'Show page C1500' }).and(page.locator('[aria-current="page"]')).waitFor();
    expect(await thumbs.getByRole('button').count()).toBeLessThanOrEqual(16);
    expect(await thumbs.getByRole('button', { name: 'Show page C1', exact: true }).count()).toBe(0);
    await thumbs.getByRole('button', { name: 'Show page C1501' }).click();
    await page.locator('.reader-position', { hasText: 'C1501' }).waitFor();

    // The whole document is searchable (indexed in the vault on first open, not by pdf.js in the page).
    await page.getByRole('searchbox', { name: 'Search the bundle' }).fill('quinquennial');
    await page.getByRole('searchbox', { name: 'Search the bundle' }).press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    await results.getByText('C1500').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Back to the case' }).click();
    expect(await liveObjectUrls(page)).toEqual([]);
  }, 180_000);

  it('reads the demo hearing: a search for a word of the complaint finds it', async () => {
    const { page } = panellist;
    const installed = await panellist.dispatch('demo.install', {});
    expect(installed.ok).toBe(true);
    await panellist.open();
    await page.getByRole('button', { name: /^Open case DEMO-/ }).click();
    await page.getByRole('region', { name: 'Bundle index' }).getByRole('button', { name: 'Complaint from C1' }).click();
    await page.locator('.textLayer span').first().waitFor();
    await page.getByRole('searchbox', { name: 'Search the bundle' }).fill('financiers');
    await page.getByRole('searchbox', { name: 'Search the bundle' }).press('Enter');
    const results = page.getByRole('list', { name: 'Search results' });
    const hit = results.getByRole('button').filter({ hasText: 'Complaint from C1' }).first();
    await hit.waitFor();
    await hit.click();
    await page.locator('.mark.search-hit').first().waitFor();
    await panellist.screenshot('reader-demo-search');
    await expectNoSeriousA11yViolations(panellist, 'the demo hearing in the reader');
  });
});

async function caseIdOf(device: Device): Promise<string> {
  const cases = await device.dispatch('cases.list', {});
  if (!cases.ok) throw new Error(cases.error.message);
  return (cases.value as { id: string; reference: string }[]).find((c) => c.reference === REFERENCE)!.id;
}

async function listAll(device: Device) {
  const listed = await device.dispatch('annotations.list', { caseId: await caseIdOf(device) });
  if (!listed.ok) throw new Error(listed.error.message);
  return (listed.value as { annotation: { visibility: string; content: { note: string | null; allegations: number[] } } }[]).map((item) => item.annotation);
}

async function listMine(device: Device) {
  return (await listAll(device)).map((a) => a.content as unknown as { kind: string; start: { page: number }; end: { page: number }; quote: { exact: string } });
}
