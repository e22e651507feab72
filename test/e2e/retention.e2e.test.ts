// Retention and the reader's place, in real Chromium against the real services: a legal hold set from the case
// view keeps private notes through a wipe; without one, a wipe destroys them (recorded in the audit trail). The
// reader's place in a case is kept in the vault, so it survives a lock and unlock.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/contract';
import { AuditTrail } from '../../electron/services/audit';
import { launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
let browser: Browser;
let device: Device;
let page: Page;

async function invoke<T>(name: string, payload: unknown): Promise<T> {
  const result = await device.dispatch(name, payload);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Installs the demo hearing through the UI and adds one private page note to it; returns the case id and bundle id. */
async function demoWithPrivateNote(): Promise<{ caseId: string; bundleId: string }> {
  await page.getByRole('region', { name: 'New to Hearing Desk? Try the demo hearing' }).getByRole('button', { name: 'Open the demo hearing' }).click();
  await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();
  const [summary] = await invoke<{ id: string }[]>('cases.list', {});
  const detail = await invoke<CaseDetail>('cases.get', { id: summary!.id });
  const doc = detail.documents[0]!;
  await invoke('annotations.create', {
    caseId: summary!.id,
    visibility: 'private',
    content: { kind: 'page-note', documentId: doc.id, documentSha256: doc.sha256, page: 1, note: 'My own reminder, for nobody else', tags: [], allegations: [] },
  });
  const row = device.session.requireVault().db.prepare('SELECT bundle_id FROM cases WHERE id = ?').get(summary!.id) as { bundle_id: string };
  return { caseId: summary!.id, bundleId: row.bundle_id };
}

function privateNotesOf(bundleId: string): number {
  return (device.session.requireVault().db.prepare("SELECT count(*) AS n FROM annotations WHERE bundle_id = ? AND visibility = 'private'").get(bundleId) as { n: number }).n;
}

async function wipeFromCaseView(): Promise<void> {
  await page.getByRole('button', { name: 'Wipe this case…' }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: 'Wipe' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: /^Wipe/ }).last().click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
}

beforeAll(async () => {
  browser = await launchChromium();
  device = await openDevice(browser, { name: 'retention' });
  page = device.page;
  await device.open();
  await page.getByLabel('Your name').fill('Rowan Keswick');
  await page.getByLabel('Your role').selectOption({ label: 'Panellist' });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
});

afterEach(() => {
  expect(device.blockedRequests).toEqual([]);
  expect(device.problems).toEqual([]);
});

afterAll(async () => {
  await device?.close();
  await browser?.close();
});

describe('retention of private notes, and the reader’s place', () => {
  it('keeps the reader’s place in the vault across a lock and unlock', async () => {
    const { caseId } = await demoWithPrivateNote();
    const detail = await invoke<CaseDetail>('cases.get', { id: caseId });
    const doc = detail.documents.find((d) => d.pageCount >= 1)!;
    await invoke('reader.savePlace', { caseId, documentId: doc.id, page: 1, zoom: 'fit-page' });
    device.session.lock('user');
    await device.session.unlock(PASSPHRASE);
    expect(await invoke('reader.place', { caseId })).toEqual({ documentId: doc.id, page: 1, zoom: 'fit-page' });
  });

  it('a legal hold set in the case view keeps private notes through a wipe', async () => {
    // The lock and unlock above took the window back to the case list.
    await page.getByRole('button', { name: /^Open case DEMO-2026-001/ }).click();
    const { caseId } = { caseId: ((await invoke<{ id: string }[]>('cases.list', {}))[0]!).id };
    const bundleId = (device.session.requireVault().db.prepare('SELECT bundle_id FROM cases WHERE id = ?').get(caseId) as { bundle_id: string }).bundle_id;
    const panel = page.getByRole('region', { name: 'Private notes and legal hold' });
    await panel.getByRole('button', { name: 'Set a legal hold…' }).click();
    await panel.getByRole('button', { name: 'Set legal hold' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Say why' }).waitFor();
    await panel.getByLabel('Reason for the legal hold').fill('Appeal window open until the end of the month');
    await panel.getByRole('button', { name: 'Set legal hold' }).click();
    await panel.getByText('Legal hold is set.').waitFor();
    await panel.scrollIntoViewIfNeeded();
    await device.screenshot('case-legal-hold', { fullPage: false });
    expect(await device.seriousA11yViolations()).toEqual([]);

    expect(privateNotesOf(bundleId)).toBe(1);
    await wipeFromCaseView();
    expect(privateNotesOf(bundleId)).toBe(1); // kept: the hold outlives the wipe
  });

  it('without a legal hold, wiping the case destroys its private notes and records it', async () => {
    const { caseId, bundleId } = await demoWithPrivateNote();
    expect(privateNotesOf(bundleId)).toBe(1);
    await wipeFromCaseView();
    expect(privateNotesOf(bundleId)).toBe(0);
    const destroyed = new AuditTrail(device.session).entries({ caseId }).find((entry) => entry.action === 'notes-destroyed');
    expect(destroyed?.details).toMatchObject({ annotations: 1, reason: 'case-wiped' });
  });
});
