// Evidence relied on, linked to annotations: on the demo hearing, a note the chair linked to allegation 1 in the
// reader appears under that allegation in the decision workspace and can be cited; the citation is saved in the
// draft (as "annotation:<id>", beside any page labels typed), and un-citing removes it. Real Chromium, real services.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/contract';
import type { DecisionView } from '../../shared/domain/decision-draft-file';
import { launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
let browser: Browser;
let chair: Device;
let page: Page;

async function invoke<T>(name: string, payload: unknown): Promise<T> {
  const result = await chair.dispatch(name, payload);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  browser = await launchChromium();
  chair = await openDevice(browser, { name: 'evidence-chair' });
  page = chair.page;
});

afterEach(() => {
  expect(chair.blockedRequests).toEqual([]);
  expect(chair.problems).toEqual([]);
});

afterAll(async () => {
  await chair?.close();
  await browser?.close();
});

describe('evidence relied on', () => {
  it('an annotation linked to allegation 1 is cited from the decision workspace and saved in the draft', async () => {
    await chair.open();
    await page.getByLabel('Your name').fill('Avery Quintrell');
    await page.getByLabel('Your role').selectOption({ label: 'Chair' });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByRole('region', { name: 'New to Hearing Desk? Try the demo hearing' }).getByRole('button', { name: 'Open the demo hearing' }).click();
    await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();

    // A page note on the screenshot, linked to allegation 1 (as the reader would create it).
    const [summary] = await invoke<{ id: string }[]>('cases.list', {});
    const detail = await invoke<CaseDetail>('cases.get', { id: summary!.id });
    const screenshot = detail.documents.find((doc) => doc.id === 'doc-screenshot')!;
    const note = 'The post is visible with its timestamp; compare with the e-mail at B4.';
    await invoke('annotations.create', {
      caseId: summary!.id,
      visibility: 'private',
      content: { kind: 'page-note', documentId: screenshot.id, documentSha256: screenshot.sha256, page: 1, note, tags: [], allegations: [1] },
    });

    await page.getByRole('button', { name: 'Decision', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Decision' }).waitFor();
    const linked = page.getByRole('region', { name: 'Annotations linked to allegation 1' });
    await linked.waitFor();
    expect(await linked.innerText()).toContain(note);
    expect(await linked.innerText()).toContain(screenshot.firstLabel);
    // Allegation 2 has none, and says how to link one.
    await page.getByText('No annotation is linked to allegation 2 yet').waitFor();

    await page.getByLabel('Evidence relied on').first().fill('B3, B4');
    const cite = linked.getByRole('button', { name: /^Cite as evidence for allegation 1/ });
    await cite.click();
    await linked.getByRole('button', { name: /^Cited as evidence for allegation 1/ }).waitFor();
    await page.getByRole('group', { name: 'Decision status' }).getByRole('status').filter({ hasText: /^Saved · revision \d+$/ }).waitFor({ timeout: 10_000 });
    const saved = await invoke<DecisionView>('decision.open', { caseId: summary!.id });
    const refs = saved.draft.allegations.find((entry) => entry.number === 1)!.evidenceRefs;
    expect(refs).toEqual(expect.arrayContaining(['B3', 'B4']));
    expect(refs.filter((ref) => ref.startsWith('annotation:'))).toHaveLength(1);
    await linked.scrollIntoViewIfNeeded();
    await chair.screenshot('decision-evidence-cited', { fullPage: false });
    expect(await chair.seriousA11yViolations()).toEqual([]);

    // Un-citing removes the citation and keeps the typed page labels.
    await linked.getByRole('button', { name: /^Cited as evidence for allegation 1/ }).click();
    await linked.getByRole('button', { name: /^Cite as evidence for allegation 1/ }).waitFor();
    await page.waitForTimeout(1500); // past the save debounce
    await page.getByRole('group', { name: 'Decision status' }).getByRole('status').filter({ hasText: /^Saved · revision \d+$/ }).waitFor({ timeout: 10_000 });
    const after = await invoke<DecisionView>('decision.open', { caseId: summary!.id });
    expect(after.draft.allegations.find((entry) => entry.number === 1)!.evidenceRefs).toEqual(['B3', 'B4']);
  });
});
