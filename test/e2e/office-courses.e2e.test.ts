// The central office's education courses end to end, in real Chromium against the real services (see harness.ts). A
// real panel (five fictional people, each with their own vault) signs three records and the chair seals each package to
// the office, which ingests them through the ledger's full verification (set up through the services: the ingest UI
// has its own test in records.e2e.test.ts). Then, through the UI: the courses table says which are overdue in words,
// a completion date in the future is refused in plain words, completions are recorded from the keyboard and by
// pointer, a recorded date is changed, and the quarter's statistics follow each change. Photographed and checked with
// axe-core. All names are fictional.
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../electron/services/audit';
import { educationCourses, localIsoDate } from '../../electron/services/records/courses';
import type { Person } from '../helpers/people';
import { createPanel, type Panel } from '../helpers/records';
import { ingestAsOffice, publishCriteriaAsOffice, sealCoursePackages } from '../helpers/course-packages';
import { launchChromium, openDevice, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const ON_TIME = 'NCC/2026/0417'; // decided 2026-04-27, course due 2026-05-22
const EARLY_DUE = 'NCC/2026/0418'; // course due 2026-05-01
const NO_COURSE = 'NEC/2026/0612'; // nothing proven: no course

let browser: Browser;
let office: Device;
let panel: Panel;

async function photograph(device: Device, name: string, scrollTo?: Locator): Promise<string> {
  const dismiss = device.page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  // Just below the sticky top bar.
  if (scrollTo) await scrollTo.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 88));
  else await device.page.evaluate(() => window.scrollTo(0, 0));
  return device.screenshot(name, { fullPage: false });
}

describe('education courses at the central office', () => {
  beforeAll(async () => {
    browser = await launchChromium();
    office = await openDevice(browser, { name: 'office-courses' });
    await office.session.createProfile({ name: 'Central Office (fictional)', role: 'central-office', passphrase: PASSPHRASE });
    panel = await createPanel();
    await publishCriteriaAsOffice(office.session);
    const packages = await sealCoursePackages(panel, office.session.myCard().card.ageRecipient, [
      { reference: ON_TIME, courseDue: '2026-05-22' },
      { reference: EARLY_DUE, courseDue: '2026-05-01' },
      { reference: NO_COURSE, courseDue: null, decidingBody: 'nec-panel' },
    ]);
    await ingestAsOffice(office.session, packages);
    await office.open();
  }, 180_000);

  afterEach(() => {
    if (!office) return;
    expect(office.blockedRequests).toEqual([]);
    expect(office.problems).toEqual([]);
  });

  afterAll(async () => {
    await office?.close();
    for (const person of Object.values(panel ?? {}) as Person[]) person.cleanup();
    await browser?.close();
  });

  it('shows the courses with overdue ones in words, refuses a future date, records completions and the statistics follow', async () => {
    const page = office.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Central office' }).click();
    await page.getByRole('heading', { level: 1, name: 'Central office' }).waitFor();

    const section = page.getByRole('region', { name: 'Education courses' });
    const table = section.getByRole('table', { name: /Education courses ordered, with their status on/ });
    await table.waitFor();
    const headers = await table.getByRole('columnheader').allInnerTexts();
    expect(headers).toEqual(['Case', 'Deciding body', 'Decided', 'Due', 'Completed', 'Status', 'Record completion']);
    const rowOf = (reference: string) => table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: reference, exact: true }) });
    // Earliest due first; the case whose panel ordered no course is not listed.
    expect(await table.getByRole('rowheader').allInnerTexts()).toEqual([EARLY_DUE, ON_TIME]);
    expect(await rowOf(EARLY_DUE).innerText()).toMatch(/1 May 2026[\s\S]*Not recorded[\s\S]*Overdue[\s\S]*days past due/);
    expect(await rowOf(ON_TIME).innerText()).toMatch(/22 May 2026[\s\S]*Overdue/);
    expect(await section.getByText('2 overdue', { exact: false }).count()).toBe(1);

    // The quarter's statistics: both courses overdue at the end of 2026Q2 (2 is published as "<5").
    const stats = page.getByRole('region', { name: 'Statistics' });
    const courseFigures = stats.getByRole('table', { name: 'Education courses', exact: true });
    const overdueFigure = courseFigures.locator('tbody td').nth(1);
    await expect.poll(() => overdueFigure.innerText()).toBe('<5');

    // All seven columns fit the window: the row's own controls are never scrolled out of sight.
    const overflow = () => table.locator('xpath=..').evaluate((frame) => frame.scrollWidth - frame.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await photograph(office, 'office-courses-overdue', section);
    expect(await office.seriousA11yViolations()).toEqual([]);

    // A date in the future, typed and submitted from the keyboard, is refused in plain words and changes nothing.
    const earlyDate = section.getByLabel(`Day the course in case ${EARLY_DUE} was completed`);
    const future = localIsoDate(new Date(Date.now() + 3 * 86_400_000));
    await earlyDate.focus();
    await earlyDate.fill(future);
    await earlyDate.press('Enter');
    const alert = section.getByRole('alert');
    await alert.getByText(/^Not recorded: \d{4}-\d{2}-\d{2} is in the future \(today is \d{4}-\d{2}-\d{2}\)\. Record a course once it has been completed\.$/).waitFor();
    expect(await rowOf(EARLY_DUE).innerText()).toContain('Not recorded');
    expect(await earlyDate.getAttribute('aria-invalid')).toBe('true'); // and described by the message
    expect(await earlyDate.getAttribute('aria-describedby')).toBe(await alert.getAttribute('id'));
    expect(educationCourses(office.session).get(EARLY_DUE).completedOn).toBeNull();
    await photograph(office, 'office-courses-refused', section);
    expect(await office.seriousA11yViolations()).toEqual([]);

    // The right date, then Tab to the row's button and Enter: recorded on time.
    await earlyDate.fill('2026-04-30');
    const earlyButton = rowOf(EARLY_DUE).getByRole('button', { name: `Record completion of case ${EARLY_DUE}` });
    const focused = () => earlyButton.evaluate((button) => button === document.activeElement);
    // The date input's day, month and year are each a stop of their own.
    for (let presses = 0; presses < 4 && !(await focused()); presses += 1) await page.keyboard.press('Tab');
    expect(await focused()).toBe(true);
    await page.keyboard.press('Enter');
    await section.getByRole('status').getByText(`The course in case ${EARLY_DUE} was recorded as completed on 30 April 2026 (on time).`).waitFor();
    await expect.poll(() => rowOf(EARLY_DUE).innerText()).toMatch(/30 Apr 2026[\s\S]*Completed on time/);
    expect(await rowOf(EARLY_DUE).getByRole('button').innerText()).toMatch(/^Change/);
    // One of two still overdue: still published as "<5".
    await expect.poll(() => overdueFigure.innerText()).toBe('<5');

    // The second by pointer: none overdue now, and the statistics say 0.
    await section.getByLabel(`Day the course in case ${ON_TIME} was completed`).fill('2026-05-20');
    await rowOf(ON_TIME).getByRole('button', { name: `Record completion of case ${ON_TIME}` }).click();
    await section.getByRole('status').getByText(`The course in case ${ON_TIME} was recorded as completed on 20 May 2026 (on time).`).waitFor();
    await expect.poll(() => overdueFigure.innerText()).toBe('0');
    expect(await section.getByText('0 overdue', { exact: false }).count()).toBe(1);
    expect(await overflow()).toBeLessThanOrEqual(0); // the widest statuses are shown now
    await photograph(office, 'office-courses-recorded', section);
    await photograph(office, 'office-courses-statistics', courseFigures);
    expect(await office.seriousA11yViolations()).toEqual([]);

    // Changing a recorded date: allowed, said plainly, kept in the audit trail; late again counts as overdue.
    await section.getByLabel(`Day the course in case ${ON_TIME} was completed`).fill('2026-05-26');
    await rowOf(ON_TIME).getByRole('button', { name: `Change completion of case ${ON_TIME}` }).click();
    await section
      .getByRole('status')
      .getByText(`The course in case ${ON_TIME} is now recorded as completed on 26 May 2026 (late), instead of 20 May 2026. The change is kept in the audit trail.`)
      .waitFor();
    await expect.poll(() => rowOf(ON_TIME).innerText()).toMatch(/Completed late[\s\S]*4 days late/);
    await expect.poll(() => overdueFigure.innerText()).toBe('<5');

    // What the services hold agrees with the screen.
    expect(educationCourses(office.session).list().courses.map((course) => [course.caseReference, course.completedOn, course.status])).toEqual([
      [EARLY_DUE, '2026-04-30', 'completed-on-time'],
      [ON_TIME, '2026-05-26', 'completed-late'],
    ]);
    const audited = new AuditTrail(office.session)
      .entries({ limit: 100 })
      .filter((entry) => entry.action === 'course-completion-recorded')
      .map((entry) => [entry.object, entry.details.previousCompletedOn, entry.details.completedOn]);
    expect(audited).toEqual([
      [ON_TIME, '2026-05-20', '2026-05-26'],
      [ON_TIME, null, '2026-05-20'],
      [EARLY_DUE, null, '2026-04-30'],
    ]);

    // "Overdue only" filters the table; the filter is an ordinary labelled select.
    await section.getByLabel('Show').selectOption('overdue');
    await table.getByText('No course is overdue.').waitFor();
    await photograph(office, 'office-courses-filtered', section);
    expect(await office.seriousA11yViolations()).toEqual([]);
    await section.getByLabel('Show').selectOption('all');
  }, 180_000);
});
