// Every main screen (a chair's, on the demo hearing, and the central office's, with outcomes in its ledger), under
// the settings people rely on: 200% zoom (half the viewport), the OS's high-contrast mode (forced colours), reduced
// motion and the dark theme. Each screen: axe finds nothing serious or critical, nothing
// scrolls sideways, and the page keeps a visible focus indicator when tabbed to. Real Chromium, real services.
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestAsOffice, publishCriteriaAsOffice, sealCoursePackages } from '../helpers/course-packages';
import { createPanel, type Panel } from '../helpers/records';
import { launchChromium, openDevice, VIEWPORT, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
let browser: Browser;
/** The chair's device (the demo hearing) and the central office's (a ledger with outcomes): each sweeps its screens. */
let chairDevice: Device;
let officeDevice: Device;
let panel: Panel;
/** The device being swept, and its page: the screens' open() steps act on these. */
let device: Device;
let page: Page;

type Screen = { name: string; open(): Promise<void> };

async function nav(section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

const SCREENS: Screen[] = [
  { name: 'cases', open: () => nav('Cases') },
  {
    name: 'case-view',
    open: async () => {
      await nav('Cases');
      await page.getByRole('button', { name: /^Open case DEMO-2026-001/ }).click();
      await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();
    },
  },
  {
    name: 'reader',
    open: async () => {
      await page.getByRole('region', { name: 'Bundle index' }).getByRole('button', { name: 'Complaint from C1' }).click();
      await page.getByRole('button', { name: 'Back to the case' }).waitFor();
      await page.locator('canvas').first().waitFor();
    },
  },
  {
    name: 'decision',
    open: async () => {
      await page.getByRole('button', { name: 'Back to the case' }).click();
      await page.getByRole('button', { name: 'Decision', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Decision' }).waitFor();
    },
  },
  {
    name: 'outcome',
    open: async () => {
      await page.getByRole('button', { name: 'Back to the case' }).click();
      await page.getByRole('button', { name: 'Outcome and signatures' }).click();
      await page.getByRole('heading', { level: 1, name: 'Outcome and signatures' }).waitFor();
    },
  },
  {
    name: 'audit-log',
    open: async () => {
      await page.getByRole('button', { name: 'Case DEMO-2026-001' }).click();
      await page.getByRole('button', { name: 'Audit log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      await page.getByText('The chain is intact.').waitFor();
    },
  },
  { name: 'prepare-bundles', open: () => nav('Prepare bundles') },
  {
    name: 'case-builder',
    open: async () => {
      await page.getByRole('button', { name: 'New practice case' }).click();
      await page.getByRole('heading', { level: 1, name: /^PRACTICE-/ }).waitFor();
      await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    },
  },
  { name: 'address-book', open: () => nav('Address book') },
  { name: 'settings', open: () => nav('Settings') },
];

const OFFICE_SCREENS: Screen[] = [
  {
    name: 'central-office',
    open: async () => {
      await nav('Central office');
      await page.getByRole('table', { name: 'All cases' }).waitFor();
      await page.getByRole('table', { name: /Education courses ordered/ }).waitFor();
    },
  },
];

async function sweep(label: string): Promise<void> {
  for (const [target, screens] of [
    [chairDevice, SCREENS],
    [officeDevice, OFFICE_SCREENS],
  ] as const) {
    device = target;
    page = target.page;
    await sweepScreens(label, screens);
  }
}

/** Emulates the same media on every device. */
async function emulate(media: Parameters<Page['emulateMedia']>[0]): Promise<void> {
  for (const target of [chairDevice, officeDevice]) await target.page.emulateMedia(media);
}

async function resize(size: { width: number; height: number }): Promise<void> {
  for (const target of [chairDevice, officeDevice]) await target.page.setViewportSize(size);
}

async function sweepScreens(label: string, screens: readonly Screen[]): Promise<void> {
  for (const screen of screens) {
    await screen.open();
    await page.evaluate(() => window.scrollTo(0, 0));
    await device.screenshot(`sweep-${screen.name}-${label.replace(/[^a-z0-9]+/gi, '-')}`, { fullPage: false });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${screen.name} (${label}) scrolls sideways`).toBeLessThanOrEqual(1);
    expect(await device.seriousA11yViolations(), `axe on ${screen.name} (${label})`).toEqual([]);
    // Tab to the first control of the main content: it must show a focus indicator (outline or box-shadow).
    await page.locator('#main-content').focus();
    await page.keyboard.press('Tab');
    const indicated = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null;
      if (!element || element === document.body) return false;
      const style = getComputedStyle(element);
      return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || (style.boxShadow !== 'none' && style.boxShadow !== '');
    });
    expect(indicated, `${screen.name} (${label}): focused control has no visible focus indicator`).toBe(true);
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  // The central office, with outcomes in its ledger (some courses overdue), so its tables are on screen.
  officeDevice = await openDevice(browser, { name: 'a11y-sweep-office' });
  await officeDevice.session.createProfile({ name: 'Central Office (fictional)', role: 'central-office', passphrase: PASSPHRASE });
  panel = await createPanel();
  await publishCriteriaAsOffice(officeDevice.session);
  await ingestAsOffice(
    officeDevice.session,
    await sealCoursePackages(panel, officeDevice.session.myCard().card.ageRecipient, [
      { reference: 'NCC/2026/0501', courseDue: '2026-05-22' },
      { reference: 'NCC/2026/0502', courseDue: '2026-05-25' },
      { reference: 'NCC/2026/0503', courseDue: null },
    ]),
  );
  await officeDevice.open();

  chairDevice = await openDevice(browser, { name: 'a11y-sweep' });
  device = chairDevice;
  page = device.page;
  await device.open();
  await page.getByLabel('Your name').fill('Sasha Brightwell');
  await page.getByLabel('Your role').selectOption({ label: 'Chair' });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create profile' }).click();
  await page.getByRole('region', { name: 'New to Hearing Desk? Try the demo hearing' }).getByRole('button', { name: 'Open the demo hearing' }).click();
  await page.getByRole('heading', { level: 1, name: /Demo hearing/ }).waitFor();
});

afterEach(async () => {
  for (const target of [chairDevice, officeDevice]) {
    expect(target.blockedRequests, target.name).toEqual([]);
    expect(target.problems, target.name).toEqual([]);
  }
  await resize(VIEWPORT);
  await emulate({ colorScheme: 'light', forcedColors: 'none', reducedMotion: 'reduce' });
  device = chairDevice;
  page = chairDevice.page;
});

afterAll(async () => {
  await chairDevice?.close();
  await officeDevice?.close();
  for (const person of Object.values(panel ?? {})) person.cleanup();
  await browser?.close();
});

describe('every main screen, as people with different needs use it', () => {
  it('at 200% zoom', async () => {
    await resize({ width: VIEWPORT.width / 2, height: VIEWPORT.height / 2 });
    await sweep('200% zoom');
    device = chairDevice;
    page = chairDevice.page;
    await nav('Cases');
    await device.screenshot('sweep-cases-zoom-200', { fullPage: false });
  });

  it('in high-contrast (forced colours) mode', async () => {
    await emulate({ forcedColors: 'active' });
    await sweep('forced colours');
    device = chairDevice;
    page = chairDevice.page;
    await device.screenshot('sweep-settings-forced-colours', { fullPage: false });
  });

  it('in the dark theme, with reduced motion', async () => {
    await emulate({ colorScheme: 'dark', reducedMotion: 'reduce' });
    await sweep('dark');
    device = chairDevice;
    page = chairDevice.page;
    const animated = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('*')].filter((element) => {
        const style = getComputedStyle(element);
        return parseFloat(style.animationDuration) > 0.01 || parseFloat(style.transitionDuration) > 0.01;
      }).length,
    );
    expect(animated, 'elements still animating with reduced motion requested').toBe(0);
    await device.screenshot('sweep-settings-dark', { fullPage: false });
  });
});
