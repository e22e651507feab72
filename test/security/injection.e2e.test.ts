// Hostile text in real Chromium (test/e2e/harness.ts: the real renderer over the real services, the app's own
// CSP with Trusted Types). A clerk seals a case whose title, participant names, allegation, rule reference,
// pseudonyms, section title, document title and evidence text carry script and HTML injection payloads; the
// panellist opens it through the UI. Every payload shows as the literal text it is, no element is injected, no
// script runs (each payload would set window.__pwned), and no request leaves. Then the page itself tries: an
// injected inline script is refused by the CSP (the violation is observed), and navigating or opening a window
// to an outside URL loads nothing from it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/common';
import { CaseDrafts } from '../../electron/services/bundles/case-drafts';
import { serializeCard } from '../../electron/services/identities';
import { createPeer, launchChromium, openDevice, ORIGIN, type Device } from '../e2e/harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const OUTSIDE = 'https://attacker.example.invalid';
const RLO = '\u202E';
const PDF = '\u202C';

/** Each would set window.__pwned (or fetch from OUTSIDE) if it were ever treated as markup or script. */
const PAYLOADS = {
  title: `Hearing <script>window.__pwned='title'</script> <img src=${OUTSIDE}/t.png onerror="window.__pwned='title-img'">`,
  chairName: `"><svg onload="window.__pwned='chair'"> Avery Quill`,
  panellistName: `Jo <img src=x onerror=window.__pwned='me'> ${RLO}exe.txt${PDF} Reed`,
  allegation: `<a href="javascript:window.__pwned='link'">read more</a> <iframe srcdoc="<script>parent.__pwned='frame'</script>"></iframe> ${RLO}fdp.exe${PDF} {{constructor.constructor('window.__pwned=1')()}}`,
  ruleReference: `javascript:window.__pwned='rule' <b>Rule 2.I.8</b>`,
  respondent: `<b onmouseover="window.__pwned='r'">R1</b>`,
  section: `<style>*{display:none}</style>Evidence`,
  documentTitle: `"><img src=${OUTSIDE}/d.png onerror=window.__pwned='doc'> Minutes ${RLO}gpj.exe${PDF}`,
  evidence: [
    `<script>window.__pwned='evidence'</script>`,
    `<img src=${OUTSIDE}/e.png onerror="window.__pwned='evidence-img'">`,
    `"><svg/onload=window.__pwned='evidence-svg'>`,
    `<a href="javascript:window.__pwned='evidence-link'">click</a>`,
    `Invoice ${RLO}fdp.exe${PDF} from the branch`,
  ].join('\n'),
} as const;

let browser: Browser;
let panellist: Device;
let page: Page;
let clerk: Awaited<ReturnType<typeof createPeer>>;
let chair: Awaited<ReturnType<typeof createPeer>>;
let work: string;
let bundlePath: string;

async function pwned(target: Page): Promise<unknown> {
  return target.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
}

/** Elements no text of ours may ever become. The app itself renders none of them. */
async function injectedElements(target: Page): Promise<string[]> {
  return target.evaluate(() =>
    [...document.querySelectorAll('#root script, #root iframe, #root object, #root embed, #root style, #root [onerror], #root [onload], #root [onmouseover], #root [srcdoc], #root a[href^="javascript:" i], #root img[src*="attacker"]')].map(
      (element) => element.outerHTML.slice(0, 120),
    ),
  );
}

async function expectInert(target: Page, where: string): Promise<void> {
  expect(await injectedElements(target), where).toEqual([]);
  expect(await pwned(target), where).toBeNull();
  expect(panellist.blockedRequests, where).toEqual([]);
  expect(panellist.problems, where).toEqual([]);
}

beforeAll(async () => {
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'hd-injection-'));
  clerk = await createPeer('Robin Ashdown', 'clerk');
  chair = await createPeer(PAYLOADS.chairName, 'chair');
  panellist = await openDevice(browser, { name: 'panellist' });
  page = panellist.page;
  await panellist.session.createProfile({ name: PAYLOADS.panellistName, role: 'panellist', passphrase: PASSPHRASE });

  // The clerk's case, built through the clerk's real services (as the case builder does) and sealed.
  const contactOf = (card: string) => clerk.session.importCard(card, true).id;
  const chairId = contactOf(serializeCard(chair.session.myCard().card));
  const panellistId = contactOf(serializeCard(panellist.session.myCard().card));
  const evidencePath = join(work, 'branch-minutes.txt');
  writeFileSync(evidencePath, PAYLOADS.evidence);
  const drafts = new CaseDrafts(clerk.session);
  const today = new Date().toISOString().slice(0, 10);
  const draft = drafts.create({
    reference: 'NEC-2026-0666',
    title: PAYLOADS.title,
    complaintType: 'social-media',
    hearingDate: addDays(today, 21),
    allegations: [{ text: PAYLOADS.allegation, ruleReference: PAYLOADS.ruleReference, conductCategoryId: 'other-discriminatory-conduct' }],
    participants: [{ contactId: chairId, role: 'chair' }, { contactId: panellistId, role: 'panellist' }],
    respondentPseudonym: PAYLOADS.respondent,
    sections: [{ letter: 'A', title: 'Complaint' }, { letter: 'B', title: PAYLOADS.section }],
  });
  const withDocument = await drafts.addDocument(draft.id, evidencePath, 'B');
  drafts.updateDocument(draft.id, withDocument.documents[0]!.id, { title: PAYLOADS.documentTitle });
  expect(drafts.problems(draft.id)).toEqual([]);
  bundlePath = join(work, 'hostile.hdbundle');
  await drafts.seal(draft.id, bundlePath);

  await panellist.open();
  await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
}, 120_000);

afterAll(async () => {
  await panellist?.close();
  clerk?.close();
  chair?.close();
  if (work) rmSync(work, { recursive: true, force: true });
  await browser?.close();
});

describe('script and HTML injection render as inert text', () => {
  it('the open-bundle dialog and the case view show every payload literally, and nothing runs', async () => {
    // The user's own (hostile) name in the app's header.
    expect(await page.locator('#root').innerText()).toContain(PAYLOADS.panellistName);
    await expectInert(page, 'cases list');

    panellist.queueOpenPaths([bundlePath]);
    await page.getByRole('button', { name: 'Open a bundle…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Open a hearing bundle' });
    await dialog.waitFor();
    const preview = await dialog.innerText();
    for (const text of [PAYLOADS.title, PAYLOADS.chairName, PAYLOADS.panellistName, PAYLOADS.documentTitle]) expect(preview).toContain(text);
    await expectInert(page, 'open-bundle dialog');

    await dialog.getByLabel('I compared this fingerprint with the clerk').check();
    await dialog.getByRole('button', { name: 'Import into my vault' }).click();
    const heading = page.getByRole('heading', { level: 1 });
    await page.waitForFunction((title) => document.querySelector('h1')?.textContent === title, PAYLOADS.title, { timeout: 30_000 });
    expect(await heading.innerText()).toBe(PAYLOADS.title);

    const view = await page.getByRole('main').innerText();
    for (const text of [PAYLOADS.allegation, PAYLOADS.ruleReference, PAYLOADS.chairName, PAYLOADS.panellistName, PAYLOADS.respondent, PAYLOADS.section, PAYLOADS.documentTitle]) {
      expect(view).toContain(text);
    }
    // Hovering and clicking the hostile text does nothing either.
    await page.getByText('read more', { exact: false }).first().click();
    await page.getByText(PAYLOADS.respondent).first().hover();
    await expectInert(page, 'case view');
    // The evidence text reached the recipient intact (its pages are PDF, drawn as text, never as markup).
    const cases = await panellist.dispatch('cases.list', {});
    expect(cases).toMatchObject({ ok: true, value: [{ reference: 'NEC-2026-0666' }] });
  });

  it('in the reader, hostile evidence text, a hostile search and a hostile annotation note stay inert text', async () => {
    const listed = (await panellist.dispatch('cases.list', {})) as { ok: true; value: { id: string }[] };
    const caseId = listed.value[0]!.id;
    const detail = (await panellist.dispatch('cases.get', { id: caseId })) as { ok: true; value: { documents: { id: string; sha256: string; title: string }[] } };
    const doc = detail.value.documents[0]!;
    const note = `<img src=${OUTSIDE}/n.png onerror="window.__pwned='note'"> <script>window.__pwned='note-script'</script>`;
    const created = await panellist.dispatch('annotations.create', {
      caseId,
      visibility: 'private',
      content: { kind: 'page-note', documentId: doc.id, documentSha256: doc.sha256, page: 1, note, tags: ['<b>tag</b>'], allegations: [1] },
    });
    expect(created.ok).toBe(true);
    await page.getByRole('region', { name: 'Bundle index' }).getByRole('button', { name: doc.title }).first().click();
    await page.getByRole('button', { name: 'Back to the case' }).waitFor();
    await page.locator('canvas').first().waitFor();
    // The evidence page's text layer carries the payload as text.
    await page.waitForFunction(() => (document.querySelector('.textLayer')?.textContent ?? '').includes('__pwned'), undefined, { timeout: 30_000 });
    // A search for markup finds the text and shows its snippet as text.
    const side = page.getByRole('complementary', { name: 'Search and annotations' });
    await side.getByRole('button', { name: 'Search', exact: true }).first().click();
    await page.getByLabel('Search the bundle').fill('pwned');
    await page.getByLabel('Search the bundle').press('Enter');
    await side.locator('mark, .reader-hit, li').first().waitFor();
    // The note shows literally in the annotations panel.
    await page.getByRole('button', { name: /^Annotations/ }).click();
    await page.getByText('window.__pwned=\'note\'', { exact: false }).first().waitFor();
    await expectInert(page, 'reader');
    await page.getByRole('button', { name: 'Back to the case' }).click();
  });

  it('an inline script injected into the page is refused by the CSP, and the violation is reported', async () => {
    // Declared expected: Chromium logs the refusal as a console error, which the harness would otherwise record.
    panellist.allowProblem(/Content Security Policy|Trusted Type|TrustedScript|TrustedHTML/i);
    await page.evaluate('window.__importScript = (url) => import(url)');
    const result = await page.evaluate(async () => {
      const violations: { directive: string; blocked: string; disposition: string }[] = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, disposition: event.disposition }),
      );
      const errors: string[] = [];
      // 1: the usual way, assigning script text (a Trusted Types sink).
      const first = document.createElement('script');
      try {
        first.textContent = "window.__pwned = 'inline-1'";
      } catch (error) {
        errors.push(String(error));
      }
      // 2: text appended as a node (no sink on the way in): refused when the script would run.
      const second = document.createElement('script');
      second.appendChild(document.createTextNode("window.__pwned = 'inline-2'"));
      // 3: an inline event handler.
      const button = document.createElement('button');
      try {
        button.setAttribute('onclick', "window.__pwned = 'handler'");
      } catch (error) {
        errors.push(String(error));
      }
      document.body.append(first, second, button);
      button.click();
      // 4: eval, from the page's own task (code evaluated by the test driver itself is exempt from the CSP's
      // eval rule in Chromium, so it is run from a timer, as page code would be).
      setTimeout(() => {
        try {
          (0, eval)("window.__pwned = 'eval'");
        } catch (error) {
          errors.push(String(error));
        }
      }, 0);
      // 5: script from a data: or blob: URL (no Trusted Types sink on this path: script-src 'self' alone refuses
      // it). Run through window.__importScript, defined above as page code, so the test's bundler leaves import() be.
      const load = (window as unknown as { __importScript(url: string): Promise<unknown> }).__importScript;
      const blob = URL.createObjectURL(new Blob(["window.__pwned = 'blob'"], { type: 'text/javascript' }));
      for (const url of ["data:text/javascript,window.__pwned='data'", blob]) {
        await load(url).catch((error: unknown) => errors.push(String(error)));
      }
      await new Promise((done) => setTimeout(done, 200));
      first.remove();
      second.remove();
      button.remove();
      return { violations, errors, pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null };
    });
    expect(result.pwned).toBeNull();
    for (const violation of result.violations) {
      expect(violation.disposition).toBe('enforce');
      expect(['script-src-elem', 'script-src-attr', 'script-src', 'require-trusted-types-for']).toContain(violation.directive);
    }
    // Script text and the handler attribute are refused by Trusted Types (checked first under our policy) …
    expect(result.violations.filter((v) => v.directive === 'require-trusted-types-for').length).toBeGreaterThanOrEqual(3);
    // … and script from anywhere but the app itself by script-src 'self'.
    expect(result.violations.filter((v) => v.directive === 'script-src-elem').map((v) => v.blocked).sort()).toEqual(['blob', 'data']);
    expect(result.errors.join('\n')).toMatch(/requires 'TrustedScript' assignment/);
    expect(result.errors.join('\n')).toMatch(/EvalError: .*'unsafe-eval' is not an allowed source/);
    expect(panellist.blockedRequests).toEqual([]);
  });

  it('the page cannot reach an outside URL by navigating or opening a window', async () => {
    const pagesBefore = panellist.context.pages().length;
    const popup = panellist.context.waitForEvent('page', { timeout: 5000 }).catch(() => null);
    await page.evaluate((url) => {
      window.open(`${url}/popup`, '_blank');
    }, OUTSIDE);
    const opened = await popup;
    if (opened) {
      // Without Electron's setWindowOpenHandler (unit-tested: windowOpenDecision denies every window) Chromium may
      // create the window, but what it shows is Chromium's own "blocked" page: nothing from outside loaded.
      await opened.waitForLoadState('domcontentloaded').catch(() => undefined);
      expect(opened.url()).toMatch(/^(chrome-error:|about:blank)/);
      await opened.close();
    }
    expect(panellist.context.pages().length).toBe(pagesBefore);

    await page.evaluate((url) => {
      location.href = `${url}/steal`;
    }, OUTSIDE);
    await page.waitForTimeout(500);
    expect(page.url()).not.toMatch(/^https:\/\/attacker/);
    expect(page.url().startsWith(ORIGIN) || page.url().startsWith('chrome-error://')).toBe(true);
    // Every attempt was stopped before leaving the machine, and nothing else was asked for.
    expect(panellist.blockedRequests.every((url) => new URL(url).origin === OUTSIDE), panellist.blockedRequests.join(', ')).toBe(true);
    expect(panellist.blockedRequests).toContain(`${OUTSIDE}/steal`);
    panellist.blockedRequests.length = 0;

    // The app comes back as it was: still unlocked, the case still there, still inert.
    await panellist.open();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    expect(await page.locator('#root').innerText()).toContain('NEC-2026-0666');
    expect(await pwned(page)).toBeNull();
    expect(panellist.blockedRequests).toEqual([]);
  });
});
