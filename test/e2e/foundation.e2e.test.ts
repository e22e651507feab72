// The foundation, end to end: first run, home, sharing one's card, locking and unlocking, the address book
// (import by file, by pasted text, verify, remove), settings (idle lock, passphrase change) and the idle lock
// arriving from main — in real Chromium against the real services (see harness.ts). Every screen is checked
// with axe-core and photographed into test-results/screens/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCard, serializeCard } from '../../electron/services/identities';
import { assessPassphrase } from '../../shared/passphrase-strength';
import { createPeer, launchChromium, openDevice, VIEWPORT, type Device } from './harness';

const NAME = 'Alex Morgan';
const FIRST_PASSPHRASE = 'orchard lantern copper meadow';
const SECOND_PASSPHRASE = 'velvet quarry ninety harbour';
const WEAK_PASSPHRASE = 'password123';

let browser: Browser;
let device: Device;
let page: Page;
let peers: Awaited<ReturnType<typeof createPeer>>[] = [];

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

async function waitForFocus(locator: Locator): Promise<void> {
  await locator.waitFor();
  await page.waitForFunction((element) => element === document.activeElement, await locator.elementHandle(), { timeout: 5000 });
}

/** The one role=alert whose text matches, once it appears. */
async function alertWith(text: string | RegExp, scope: Page | Locator = page): Promise<Locator> {
  const alert = scope.getByRole('alert').filter({ hasText: text });
  await alert.waitFor();
  return alert;
}

async function expectNoSeriousA11yViolations(label: string): Promise<void> {
  const violations = await device.seriousA11yViolations();
  expect(violations, `axe on ${label}`).toEqual([]);
}

async function goTo(section: 'Cases' | 'Address book' | 'Settings'): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section }).click();
  await waitForFocus(page.getByRole('heading', { level: 1, name: section }));
}

async function unlockWith(passphrase: string): Promise<void> {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

describe('foundation: profile, lock, address book, settings', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    device = await openDevice(browser, { name: 'alex' });
    page = device.page;
  });

  afterEach(() => {
    // Nothing may have tried to reach the network, and no CSP / Trusted Types violation or error may have occurred.
    expect(device.blockedRequests).toEqual([]);
    expect(device.problems).toEqual([]);
  });

  afterAll(async () => {
    for (const peer of peers) peer.close();
    peers = [];
    await device?.close();
    await browser?.close();
  });

  it('first run explains the profile, shows passphrase strength live and refuses a weak passphrase with advice', async () => {
    await device.open();
    const name = page.getByLabel('Your name');
    await waitForFocus(name);
    await page.getByRole('heading', { level: 1, name: 'Set up Hearing Desk' }).waitFor();
    await page.getByText('cannot be recovered').waitFor();
    await page.getByText('nothing is sent anywhere').waitFor();
    expect(await page.locator('header').count()).toBeGreaterThan(0);
    expect(await page.locator('main').count()).toBe(1);
    await device.screenshot('first-run');
    await expectNoSeriousA11yViolations('first run');

    await name.fill(NAME);
    await page.getByLabel('Your role').selectOption({ label: 'Panellist' });
    const passphrase = page.getByLabel('Passphrase', { exact: true });
    await passphrase.fill(WEAK_PASSPHRASE);
    const weak = assessPassphrase(WEAK_PASSPHRASE);
    expect(weak.acceptable).toBe(false);
    // The meter's words are the accessible part: in a polite live region, described by the field.
    const meter = page.locator('.strength-text');
    await meter.filter({ hasText: `Strength: ${weak.label}.` }).waitFor();
    expect(await meter.getAttribute('aria-live')).toBe('polite');
    expect(await passphrase.getAttribute('aria-describedby')).toContain(await meter.getAttribute('id'));
    await page.getByLabel('Confirm passphrase').fill(WEAK_PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();

    const alert = await alertWith('too weak');
    expect(await alert.innerText()).toContain(weak.advice);
    await waitForFocus(passphrase);
    expect(await passphrase.getAttribute('aria-invalid')).toBe('true');
    expect(device.session.status().state).toBe('no-profile');
    await device.screenshot('first-run-weak-passphrase');

    await passphrase.fill(FIRST_PASSPHRASE);
    const strong = assessPassphrase(FIRST_PASSPHRASE);
    await meter.filter({ hasText: `Strength: ${strong.label}.` }).waitFor();
    await device.screenshot('first-run-strength-meter');
    await expectNoSeriousA11yViolations('first run with errors');
  });

  it('refuses mismatched confirmation, then creates the profile and opens an empty case list', async () => {
    await page.getByLabel('Confirm passphrase').fill(`${FIRST_PASSPHRASE}x`);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await alertWith('do not match');
    expect(device.session.status().state).toBe('no-profile');

    await page.getByLabel('Confirm passphrase').fill(FIRST_PASSPHRASE);
    await page.getByRole('button', { name: 'Create profile' }).click();
    await waitForFocus(page.getByRole('heading', { level: 1, name: 'Cases' }));

    const status = device.session.status();
    expect(status.state).toBe('unlocked');
    expect(status.profile).toMatchObject({ name: NAME, role: 'panellist' });
    const header = page.getByRole('banner');
    expect(await header.innerText()).toContain(NAME);
    expect(await header.innerText()).toContain('Panellist');
    // The header shows the fingerprint main reports for this profile (the hyphens are part of the text).
    expect(await header.locator('.fingerprint').innerText()).toBe(status.profile!.fingerprint);
    await page.getByRole('heading', { name: 'No cases yet' }).waitFor();
    await page.getByText('sealed bundle file from the hearing clerk').waitFor();
    expect(device.calls).toContain('cases.list');
    await device.screenshot('home-empty');
    await expectNoSeriousA11yViolations('home (empty cases)');
  });

  it('keyboard: the skip link is first and moves focus to the main content', async () => {
    // Move Chromium's sequential-focus starting point to the top of the document (a plain blur() keeps it
    // at the last focused element), as a fresh page load would.
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await isFocused(skip)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'main-content');
  });

  it('shares the participant card: the export writes a valid card file with this profile’s keys', async () => {
    const share = page.getByRole('button', { name: 'Share your participant card' });
    await share.click();
    const dialog = page.getByRole('dialog', { name: 'Share your participant card' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    const fingerprint = device.session.status().profile!.fingerprint;
    expect(await dialog.locator('.fingerprint').innerText()).toBe(fingerprint);
    await waitForFocus(dialog.getByRole('button', { name: 'Export my card…' }));

    // Focus stays inside the dialog.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true);
    }

    await dialog.getByRole('button', { name: 'Export my card…' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved to' }).waitFor();
    expect(device.saved).toHaveLength(1);
    const saved = device.saved[0]!;
    expect(saved.suggestedName).toBe('alex-morgan.hdcard');
    expect(await dialog.innerText()).toContain(saved.path);
    const card = parseCard(readFileSync(saved.path, 'utf8'));
    expect(card).toMatchObject({ name: NAME, role: 'panellist' });
    expect(card).toEqual(device.session.myCard().card);
    await page.locator('.toasts').getByText('Your participant card was saved.').waitFor();

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await waitForFocus(share);
  });

  it('locks, says why, refuses a wrong passphrase in an alert, and unlocks with a visible busy state', async () => {
    await page.getByRole('button', { name: 'Lock' }).click();
    const field = page.getByLabel('Passphrase', { exact: true });
    await waitForFocus(field);
    await page.getByText('You locked Hearing Desk.').waitFor();
    expect(device.session.status()).toMatchObject({ state: 'locked', lockedReason: 'user' });
    // Nothing from the open profile stays on screen.
    expect(await page.locator('body').innerText()).not.toContain(NAME);
    expect(await page.getByRole('button', { name: 'Unlock with system keychain' }).count()).toBe(0);

    await unlockWith('orchard lantern copper meadows');
    const alert = await alertWith('That passphrase is not correct');
    expect(await alert.innerText()).toContain('Nothing was changed');
    expect(device.session.status().state).toBe('locked');
    await waitForFocus(field);
    await device.screenshot('unlock-wrong-passphrase');
    await expectNoSeriousA11yViolations('unlock with error');

    device.slowDown('vault.unlock', 700, { delayWork: true });
    await field.fill(FIRST_PASSPHRASE);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    const busy = page.getByRole('button', { name: 'Unlocking…' });
    await busy.waitFor();
    expect(await busy.getAttribute('aria-disabled')).toBe('true');
    await waitForFocus(page.getByRole('heading', { level: 1, name: 'Cases' }));
    device.slowDown('vault.unlock', 0);
    expect(device.session.status().state).toBe('unlocked');
    expect(device.calls.filter((call) => call === 'vault.unlock')).toHaveLength(2);
  });

  it('address book: imports a card from a file, shows the fingerprint main computes, adds it verified', async () => {
    const sam = await createPeer('Sam Whitfield', 'external-lawyer');
    peers.push(sam);
    const samCard = sam.session.myCard();
    const cardPath = join(device.exportDirectory, 'sam-whitfield.hdcard');
    writeFileSync(cardPath, serializeCard(samCard.card));

    await goTo('Address book');
    await page.getByText('No contacts yet').waitFor();
    // Your own card, with your fingerprint.
    const own = page.getByRole('region', { name: 'Your card' });
    expect(await own.locator('.fingerprint').innerText()).toBe(device.session.status().profile!.fingerprint);

    await page.locator('input[type=file]').setInputFiles(cardPath);
    const dialog = page.getByRole('dialog', { name: 'Check this card before adding it' });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('Sam Whitfield');
    expect(await dialog.innerText()).toContain('External lawyer');
    expect(await dialog.locator('.fingerprint').innerText()).toBe(samCard.fingerprint);
    const checkbox = dialog.getByLabel('I compared this fingerprint with its owner');
    expect(await checkbox.isChecked()).toBe(false);
    await device.screenshot('address-book-import-preview');
    await expectNoSeriousA11yViolations('import preview dialog');

    await checkbox.check();
    await dialog.getByRole('button', { name: 'Add to address book' }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Sam Whitfield' }) });
    await row.waitFor();
    expect(await row.locator('.badge').innerText()).toContain('Verified');
    expect(await row.locator('.fingerprint').innerText()).toBe(samCard.fingerprint);
    const stored = device.session.listContacts();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name: 'Sam Whitfield', role: 'external-lawyer', fingerprint: samCard.fingerprint });
    expect(stored[0]!.verifiedAt).not.toBeNull();
    // Focus went back to the import button (the file picker opened the dialog, not a focused element).
    await waitForFocus(page.getByRole('button', { name: 'Import card…' }));
  });

  it('address book: refuses a file that is not a card and your own card, each in plain words', async () => {
    const junk = join(device.exportDirectory, 'notes.hdcard');
    writeFileSync(junk, 'Hearing notes — not a card');
    await page.locator('input[type=file]').setInputFiles(junk);
    const importRegion = page.getByRole('region', { name: 'Add someone’s card' });
    await alertWith('This is not a participant card', importRegion);

    await page.locator('input[type=file]').setInputFiles(device.saved[0]!.path);
    const dialog = page.getByRole('dialog', { name: 'Check this card before adding it' });
    await alertWith('This is your own card', dialog);
    expect(await dialog.getByRole('button', { name: 'Add to address book' }).count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(device.session.listContacts()).toHaveLength(1);
  });

  it('address book: imports pasted text unverified, verifies it later, and removes a contact after confirmation', async () => {
    const priya = await createPeer('Priya Okafor', 'chair');
    peers.push(priya);
    const priyaCard = priya.session.myCard();

    await page.getByRole('button', { name: 'Paste card text instead' }).click();
    const textarea = page.getByLabel('Card text');
    await waitForFocus(textarea);
    await textarea.fill(serializeCard(priyaCard.card));
    await page.getByRole('button', { name: 'Check card' }).click();
    const dialog = page.getByRole('dialog', { name: 'Check this card before adding it' });
    expect(await (await dialog.locator('.fingerprint').elementHandle())!.innerText()).toBe(priyaCard.fingerprint);
    await dialog.getByRole('button', { name: 'Add to address book' }).click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Priya Okafor' }) });
    await row.locator('.badge', { hasText: 'Not verified' }).waitFor();
    expect(device.session.listContacts().find((contact) => contact.name === 'Priya Okafor')?.verifiedAt).toBeNull();

    // Verify needs the box ticked.
    await row.getByRole('button', { name: 'Verify Priya Okafor…' }).click();
    const verify = page.getByRole('dialog', { name: 'Verify Priya Okafor' });
    await verify.waitFor();
    expect(await verify.locator('.fingerprint').innerText()).toBe(priyaCard.fingerprint);
    await verify.getByRole('button', { name: 'Mark as verified' }).click();
    await alertWith('Tick the box', verify);
    await verify.getByLabel('I compared this fingerprint with its owner').check();
    await verify.getByRole('button', { name: 'Mark as verified' }).click();
    await verify.waitFor({ state: 'detached' });
    await row.locator('.badge', { hasText: 'Verified' }).waitFor();
    expect(device.session.listContacts().find((contact) => contact.name === 'Priya Okafor')?.verifiedAt).not.toBeNull();
    await device.screenshot('address-book-with-contacts');
    await expectNoSeriousA11yViolations('address book with contacts');

    // Remove asks first; Cancel keeps the contact.
    await row.getByRole('button', { name: 'Remove Priya Okafor…' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Priya Okafor?' });
    await waitForFocus(confirm.getByRole('button', { name: 'Cancel' }));
    await device.screenshot('address-book-remove-confirm');
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(device.session.listContacts()).toHaveLength(2);
    await row.getByRole('button', { name: 'Remove Priya Okafor…' }).click();
    await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
    await confirm.waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect(device.session.listContacts().map((contact) => contact.name)).toEqual(['Sam Whitfield']);
  });

  it('settings: saves the idle-lock minutes and refuses values outside 1–240', async () => {
    await goTo('Settings');
    const minutes = page.getByLabel('Lock after inactivity');
    await page.waitForFunction(() => {
      const input = document.querySelector<HTMLInputElement>('input[type=number]');
      return input !== null && !input.disabled && input.value === '10';
    });
    await minutes.fill('0');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await alertWith('from 1 to 240');
    expect(device.session.getSettings().idleLockMinutes).toBe(10);

    await minutes.fill('15');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'lock after 15 minutes' }).waitFor();
    expect(device.session.getSettings().idleLockMinutes).toBe(15);
    // The keychain is unavailable outside the desktop app, and the screen says so.
    await page.getByText('The OS keychain is only available in the desktop app.').waitFor();
    await device.screenshot('settings');
    await expectNoSeriousA11yViolations('settings');
  });

  it('settings: changes the passphrase — wrong current and weak new are refused — and the new one unlocks', async () => {
    const form = page.getByRole('region', { name: 'Change passphrase' });
    await form.getByLabel('Current passphrase').fill('not my passphrase at all');
    await form.getByLabel('New passphrase', { exact: true }).fill(SECOND_PASSPHRASE);
    await form.getByLabel('Confirm new passphrase').fill(SECOND_PASSPHRASE);
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    await alertWith('not your current passphrase', form);

    await form.getByLabel('Current passphrase').fill(FIRST_PASSPHRASE);
    await form.getByLabel('New passphrase', { exact: true }).fill('short one');
    await form.getByLabel('Confirm new passphrase').fill('short one');
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    const weak = await alertWith('too weak', form);
    expect(await weak.innerText()).toContain(assessPassphrase('short one').advice);

    await form.getByLabel('New passphrase', { exact: true }).fill(SECOND_PASSPHRASE);
    await form.getByLabel('Confirm new passphrase').fill(SECOND_PASSPHRASE);
    await form.getByRole('button', { name: 'Change passphrase' }).click();
    await form.getByRole('status').filter({ hasText: 'Your passphrase has been changed' }).waitFor();
    expect(await form.getByLabel('Current passphrase').inputValue()).toBe('');
    await device.screenshot('settings-passphrase-changed');

    await page.getByRole('button', { name: 'Lock' }).click();
    await waitForFocus(page.getByLabel('Passphrase', { exact: true }));
    await unlockWith(FIRST_PASSPHRASE);
    await alertWith('That passphrase is not correct');
    await unlockWith(SECOND_PASSPHRASE);
    await waitForFocus(page.getByRole('heading', { level: 1, name: 'Cases' }));
    expect(device.session.status().state).toBe('unlocked');
  });

  it('an idle lock from main returns to the unlock screen at once, says why, and forgets what was open', async () => {
    await goTo('Address book');
    await page.getByRole('heading', { name: 'Sam Whitfield' }).waitFor();

    device.session.lock('idle');
    await waitForFocus(page.getByLabel('Passphrase', { exact: true }));
    await page.getByText('locked itself after a period of inactivity').waitFor();
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('Sam Whitfield');
    expect(text).not.toContain(NAME);
    await device.screenshot('unlock-locked-by-idle');
    await expectNoSeriousA11yViolations('unlock after idle lock');

    await unlockWith(SECOND_PASSPHRASE);
    // Back to the case list, not to the address book that was open.
    await waitForFocus(page.getByRole('heading', { level: 1, name: 'Cases' }));
  });

  it('reports activity to main, throttled to one touch per 30 seconds', async () => {
    const before = device.calls.filter((call) => call === 'session.touch').length;
    expect(before).toBeGreaterThanOrEqual(1);
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Shift');
      await page.mouse.click(600, 500);
    }
    await page.waitForTimeout(200);
    const after = device.calls.filter((call) => call === 'session.touch').length;
    // The test has run for well under a minute since the last unlock: at most one more touch.
    expect(after - before).toBeLessThanOrEqual(1);
  });

  it('reflows at 200% zoom: the sidebar becomes a bar and nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: VIEWPORT.width / 2, height: VIEWPORT.height / 2 });
    await goTo('Address book');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const nav = await page.getByRole('navigation', { name: 'Main' }).boundingBox();
    const main = await page.getByRole('main').boundingBox();
    expect(nav && main && nav.y + nav.height <= main.y + 1).toBe(true);
    await device.screenshot('address-book-zoom-200');
    await page.setViewportSize(VIEWPORT);
  });

  it('dark mode: home and unlock', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await goTo('Cases');
    await device.screenshot('home-empty-dark');
    await expectNoSeriousA11yViolations('home in dark mode');
    await goTo('Address book');
    await device.screenshot('address-book-dark');
    await page.getByRole('button', { name: 'Lock' }).click();
    await waitForFocus(page.getByLabel('Passphrase', { exact: true }));
    await unlockWith('wrong passphrase entirely');
    await alertWith('That passphrase is not correct');
    await device.screenshot('unlock-wrong-passphrase-dark');
    await expectNoSeriousA11yViolations('unlock in dark mode');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
