// A newcomer's first minutes, in real Chromium against the real services: a fresh profile is offered the demo
// hearing, which is sealed to it by the fictional demo clerk, verified and imported; its bundle index lists the
// generated evidence with page labels. Then a bundle file dropped on the window (as main reports it) opens the
// same dialog as the picker, and a dropped file that is not a bundle is reported in plain words.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REFERENCE, sealDemoHearing } from '../../electron/services/demo-hearing';
import { launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
let browser: Browser;
let device: Device;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  device = await openDevice(browser, { name: 'newcomer' });
  page = device.page;
});

afterEach(() => {
  expect(device.blockedRequests).toEqual([]);
  expect(device.problems).toEqual([]);
});

afterAll(async () => {
  await device?.close();
  await browser?.close();
});

describe('the demo hearing and dropped bundle files', () => {
  it('a new profile opens the demo hearing: sealed, verified, imported, with its bundle index', async () => {
    await device.open();
    await page.getByLabel('Your name').fill('Jo Newcombe');
    await page.getByLabel('Your role').selectOption({ label: 'Panellist' });
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();
    const offer = page.getByRole('region', { name: 'New to Hearing Desk? Try the demo hearing' });
    await offer.waitFor();
    await device.screenshot('demo-offer');
    expect(await device.seriousA11yViolations()).toEqual([]);

    await offer.getByRole('button', { name: 'Open the demo hearing' }).click();
    await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();
    const index = page.getByRole('region', { name: 'Bundle index' });
    await index.waitFor();
    const text = await index.innerText();
    for (const title of ['Complaint from C1', 'Screenshot of the shared post', 'E-mail from C1 to the branch secretary', 'Written response of R1', 'Notice of hearing']) {
      expect(text).toContain(title);
    }
    expect(text).toMatch(/A2/);
    expect(await page.getByText('Demo Clerk (fictional)').count()).toBeGreaterThan(0);
    // The demo clerk who sealed it, and the demo central office that signed the sample criteria it names.
    expect(device.session.listContacts().map((contact) => contact.name)).toEqual(['Demo Central Office (fictional)', 'Demo Clerk (fictional)']);
    await device.screenshot('demo-case-view');
    expect(await device.seriousA11yViolations()).toEqual([]);
  });

  it('a bundle file dropped on the window opens the same dialog; a dropped non-bundle is explained', async () => {
    // A second copy of the demo, sealed afresh (a new bundle id), stands in for a file the clerk sent.
    const path = join(device.exportDirectory, 'dropped.hdbundle');
    writeFileSync(path, await sealDemoHearing(device.session));
    await device.offerFile(path);
    const dialog = page.getByRole('dialog', { name: 'Open a hearing bundle' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(DEMO_REFERENCE);
    await device.screenshot('dropped-bundle-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    const junk = join(device.exportDirectory, 'minutes.hdbundle');
    writeFileSync(junk, 'These are meeting minutes, not a sealed bundle.');
    await device.offerFile(junk);
    const alert = page.getByRole('alert').filter({ hasText: 'minutes.hdbundle' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('could not be opened');

    // Another of the app's files, double-clicked in the file manager: told where in the app it belongs.
    const signature = join(device.exportDirectory, 'signature-from-a-panellist.hdsignature');
    writeFileSync(signature, 'age-encryption.org/v1\n');
    await device.offerFile(signature);
    const explained = page.getByRole('alert').filter({ hasText: 'signature-from-a-panellist.hdsignature' });
    await explained.waitFor();
    expect(await explained.innerText()).toContain('Add returned signatures…');
    await device.screenshot('dropped-signature-explained', { fullPage: false });
    expect(await device.seriousA11yViolations()).toEqual([]);
  });
});
