// The demo hearing, end to end, by a whole panel, in real Chromium against the real services (see harness.ts).
// A fictional clerk turns the demo hearing into a practice case in the case builder, names the panel from the
// address book, adds instructions for them and seals it. The chair, both panellists and the external lawyer each
// open it on their own device; the lawyer records advice on the evidence, the chair a private note, and the chair
// finalises the decision. The chair makes and signs the record and sends it for signature; both panellists and the
// lawyer open it, see what they sign and return signature files; the chair adds them, makes the PAdES-signed letter
// (pdfsig and qpdf judge it) and exports the package to the central office, whose profile ingests it and shows the
// quarter's statistics. Then no plaintext at rest: every profile, every export directory (ciphertext only, except
// the letter the chair chose to save), and everything new under the OS temp directories (Chromium's profile and
// cache included) are searched for the markers planted in the evidence, the notes, the advice and the reasons.
// All names are fictional.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sampleCriteria } from '../../shared/criteria';
import type { DecisionDraft } from '../../shared/domain/decision';
import type { ParticipantRole } from '../../shared/domain/profile';
import { serializeCard } from '../../electron/services/identities';
import { centralOfficeLedger } from '../../electron/services/records/ledger';
import { completedDemoDecision } from '../helpers/demo-decision';
import { marker, scan, tempEntries } from '../helpers/plaintext-scan';
import { launchChromium, openDevice, SCREENS_DIR, type Device } from './harness';

const PASSPHRASE = 'orchard lantern copper meadow';
const today = new Date().toISOString().slice(0, 10);

const PEOPLE = {
  clerk: { name: 'Tamsin Okonkwo-Reyes', role: 'clerk', label: 'Clerk' },
  chair: { name: 'Idris Vanterpool', role: 'chair', label: 'Chair' },
  panellistA: { name: 'Marguerite Ashdown', role: 'panellist', label: 'Panellist' },
  panellistB: { name: 'Caspian Threlkeld', role: 'panellist', label: 'Panellist' },
  lawyer: { name: 'Ottoline Brackwater', role: 'external-lawyer', label: 'External lawyer' },
  office: { name: 'Central Office (fictional)', role: 'central-office', label: 'Central office' },
} as const satisfies Record<string, { name: string; role: ParticipantRole; label: string }>;
type Who = keyof typeof PEOPLE;
const PANEL: Who[] = ['chair', 'panellistA', 'panellistB', 'lawyer'];

/** Fresh per run: planted in what the people write, looked for everywhere on disk at the end. */
const MARKERS = {
  instructions: marker('INSTRUCTIONS'),
  privateNote: marker('PRIVATENOTE'),
  advice: marker('ADVICE'),
  reasons: marker('REASONS'),
};

let tempBefore: Set<string>;
let browser: Browser;
const devices = {} as Record<Who, Device>;
/** What the clerk types as their own input (plaintext the user holds anyway); deleted before the scan. */
let inputs: string;
let bundlePath: string;
let reference: string;
let letterPath: string;
let packagePath: string;

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${command} is needed to judge the letter (.ci/run installs it): ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function call<T>(device: Device, name: string, payload: unknown): Promise<T> {
  const result = await device.dispatch(name as never, payload as never);
  if (!result.ok) throw new Error(`${device.name}: ${name}: ${result.error.message}`);
  return result.value as T;
}

async function photograph(device: Device, name: string, options: { fullPage?: boolean; scrollTo?: Locator } = {}): Promise<void> {
  const dismiss = device.page.getByRole('button', { name: 'Dismiss notification' });
  while ((await dismiss.count()) > 0) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  if (options.scrollTo) await options.scrollTo.evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 88));
  else await device.page.evaluate(() => window.scrollTo(0, 0));
  await device.screenshot(name, { fullPage: options.fullPage ?? false });
}

async function expectNoSeriousA11yViolations(device: Device, label: string): Promise<void> {
  expect(await device.seriousA11yViolations(), `axe on ${label}`).toEqual([]);
}

async function goTo(device: Device, section: string): Promise<void> {
  await device.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: section, exact: true }).click();
}

async function openOutcome(device: Device): Promise<void> {
  const page = device.page;
  await goTo(device, 'Cases');
  await page.getByRole('button', { name: `Open case ${reference}` }).click();
  await page.getByRole('button', { name: 'Outcome and signatures' }).click();
  await page.getByRole('heading', { level: 1, name: 'Outcome and signatures' }).waitFor();
}

async function onlyCaseId(device: Device): Promise<string> {
  const cases = await call<{ id: string; reference: string }[]>(device, 'cases.list', {});
  expect(cases.map((c) => c.reference)).toEqual([reference]);
  return cases[0]!.id;
}

/** Everything the chair enters once the panel has heard the practice case today, with the markers planted. */
function completed(draft: DecisionDraft, participants: string[]): DecisionDraft {
  return completedDemoDecision(draft, participants, { decidedOn: today, declaredOn: today, reasonsSuffix: MARKERS.reasons, adviceSuffix: MARKERS.advice });
}

describe('the demo hearing as a practice case, by a whole panel', () => {
  beforeAll(async () => {
    // Before Chromium starts, so its profile and cache directories count as created during the test.
    tempBefore = tempEntries();
    browser = await launchChromium();
    inputs = mkdtempSync(join(tmpdir(), 'hd-practice-inputs-'));
    for (const who of Object.keys(PEOPLE) as Who[]) {
      devices[who] = await openDevice(browser, { name: `practice-${who}` });
      await devices[who].session.createProfile({ name: PEOPLE[who].name, role: PEOPLE[who].role, passphrase: PASSPHRASE });
    }
    // The clerk holds the panel's cards and the chair the office's, each compared aloud (the address book screens
    // are covered by the foundation test); the office publishes the criteria the case names.
    for (const who of PANEL) devices.clerk.session.importCard(serializeCard(devices[who].session.myCard().card), true);
    devices.chair.session.importCard(serializeCard(devices.office.session.myCard().card), true);
    await devices.office.session.withIdentity((identity) =>
      centralOfficeLedger(devices.office.session).publishCriteria(JSON.stringify(sampleCriteria()), { name: identity.name, signingKey: identity.signingKey, seed: identity.signingSeed }),
    );
    await Promise.all(Object.values(devices).map((device) => device.open()));
  }, 120_000);

  afterEach(() => {
    for (const device of Object.values(devices)) {
      expect(device.blockedRequests, device.name).toEqual([]);
      expect(device.problems, device.name).toEqual([]);
    }
  });

  afterAll(async () => {
    for (const device of Object.values(devices)) await device?.close();
    if (inputs) rmSync(inputs, { recursive: true, force: true });
    await browser?.close();
  });

  it('the clerk makes a practice case from the demo hearing, names the panel, adds instructions and seals it', async () => {
    const clerk = devices.clerk;
    const page = clerk.page;
    await goTo(clerk, 'Prepare bundles');
    await page.getByRole('heading', { name: 'No cases in preparation' }).waitFor();
    await photograph(clerk, 'practice-prepare-bundles');
    await expectNoSeriousA11yViolations(clerk, 'prepare bundles, with the practice case offered');
    await page.getByRole('button', { name: 'New practice case' }).click();
    const heading = page.getByRole('heading', { level: 1, name: /^PRACTICE-\d{8}-[0-9A-F]{4} · Practice hearing/ });
    await heading.waitFor();
    reference = (await heading.innerText()).split(' · ')[0]!;
    // The demo hearing's allegations and evidence are there already.
    expect(await page.getByLabel('Allegation 2: conduct category').inputValue()).toBe('antisemitic-conduct');
    for (const title of ['Complaint from C1', 'Screenshot of the shared post', 'E-mail from C1 to the branch secretary', 'Written response of R1', 'Notice of hearing']) {
      await page.getByRole('listitem', { name: title }).waitFor();
    }
    // The practice hearing sits today.
    await page.getByLabel('Hearing date').fill(today);

    for (const who of PANEL) {
      const { name, label } = PEOPLE[who];
      await page.getByLabel('Person', { exact: true }).selectOption({ label: `${name} (${label})` });
      await page.getByRole('button', { name: 'Add participant' }).click();
      await page.getByLabel(`Role of ${name}`).waitFor();
    }
    const instructions = join(inputs, 'instructions-for-the-panel.txt');
    writeFileSync(instructions, `Instructions for the practice panel (fictional)\nRead sections A to C before the hearing. ${MARKERS.instructions}\n`);
    clerk.queueOpenPaths([instructions]);
    await page.getByRole('button', { name: 'Add evidence to section D…' }).click();
    await page.getByRole('listitem', { name: 'Instructions-for-the-panel' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    const sealPanel = page.getByRole('region', { name: 'Seal the bundle' });
    await sealPanel.getByText('Ready to seal.').waitFor();
    await photograph(clerk, 'practice-builder', { fullPage: true });
    await expectNoSeriousA11yViolations(clerk, 'the practice case in the builder');

    bundlePath = join(clerk.exportDirectory, `${reference}.hdbundle`);
    clerk.queueSavePath(bundlePath);
    await page.getByRole('button', { name: 'Seal bundle…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Bundle sealed' });
    await dialog.waitFor({ timeout: 60_000 });
    const files = dialog.getByRole('list', { name: 'Sealed files' }).getByRole('listitem');
    expect(await files.count()).toBe(1);
    const sealedFor = await files.first().innerText();
    for (const who of PANEL) expect(sealedFor).toContain(PEOPLE[who].name);
    expect(sealedFor).toContain('6 documents');
    await dialog.getByRole('button', { name: 'Done' }).click();
    expect(readFileSync(bundlePath).subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1');
  }, 120_000);

  it('the chair, both panellists and the lawyer each open it on their own device', async () => {
    for (const who of PANEL) {
      const device = devices[who];
      device.queueOpenPaths([bundlePath]);
      await goTo(device, 'Cases');
      await device.page.getByRole('button', { name: 'Open a bundle…' }).first().click();
      const dialog = device.page.getByRole('dialog', { name: 'Open a hearing bundle' });
      await dialog.waitFor();
      await dialog.getByText(PEOPLE.clerk.name).first().waitFor();
      await dialog.getByLabel('I compared this fingerprint with the clerk').check();
      await dialog.getByRole('button', { name: 'Import into my vault' }).click();
      await device.page.getByRole('heading', { level: 1, name: /Practice hearing/ }).waitFor({ timeout: 30_000 });
      expect(await device.page.getByRole('region', { name: 'Bundle index' }).innerText()).toContain('Instructions-for-the-panel');
    }
    await photograph(devices.lawyer, 'practice-lawyer-case');
    await expectNoSeriousA11yViolations(devices.lawyer, 'the practice case on the lawyer’s device');
  }, 120_000);

  it('the lawyer records advice, the chair a private note, and the chair finalises the decision', async () => {
    for (const [who, visibility, note] of [
      ['lawyer', 'legal-advice', `Advice: the screenshot's capture details make it reliable. ${MARKERS.advice}`],
      ['chair', 'private', `My note: compare B1 with the response. ${MARKERS.privateNote}`],
    ] as const) {
      const device = devices[who];
      const caseId = await onlyCaseId(device);
      await call(device, 'reader.open', { caseId });
      const detail = await call<{ documents: { id: string; sha256: string; title: string }[] }>(device, 'cases.get', { id: caseId });
      const screenshot = detail.documents.find((d) => d.title === 'Screenshot of the shared post')!;
      await call(device, 'annotations.create', {
        caseId,
        visibility,
        content: { kind: 'page-note', documentId: screenshot.id, documentSha256: screenshot.sha256, page: 1, note, tags: [], allegations: [1] },
      });
    }

    const chair = devices.chair;
    const caseId = await onlyCaseId(chair);
    const opened = await call<{ draft: DecisionDraft; revision: number; check: { findings: { ruleId: string; fieldKey: string }[] } }>(chair, 'decision.open', { caseId });
    const participants = opened.check.findings.filter((f) => f.ruleId === 'conflict-declarations').map((f) => f.fieldKey.replace('declaration#', ''));
    expect(participants).toHaveLength(4);
    let view = await call<{ revision: number; blockers: { ruleId: string; fieldKey: string; severity: string; message: string }[] }>(chair, 'decision.save', {
      caseId,
      draft: completed(opened.draft, participants),
      baseRevision: opened.revision,
    });
    for (const blocker of view.blockers) {
      expect(blocker.severity, blocker.message).toBe('warn');
      view = await call(chair, 'decision.acknowledge', { caseId, ruleId: blocker.ruleId, fieldKey: blocker.fieldKey, reason: 'An NEC panel cannot suspend, so the next rung is not open to it.' });
    }
    const final = await call<{ status: string }>(chair, 'decision.finalise', { caseId, baseRevision: view.revision });
    expect(final.status).toBe('final');
  }, 60_000);

  it('the chair signs and sends the record; both panellists and the lawyer sign on their own devices; the chair exports', async () => {
    const chair = devices.chair;
    const page = chair.page;
    await openOutcome(chair);
    await page.getByRole('button', { name: 'Make the outcome record' }).click();
    const signatures = page.getByRole('table', { name: 'Who must sign the record, and who has' });
    await signatures.waitFor();
    expect(await signatures.getByText('Missing').count()).toBe(4);
    await page.getByRole('button', { name: 'Sign the record…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Sign the outcome record' });
    await dialog.getByLabel('Your passphrase').fill(PASSPHRASE);
    await dialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await signatures.getByText('Missing').count()).toBe(3);

    const forSignature = join(chair.exportDirectory, `${reference}-record.hdforsignature`);
    chair.queueSavePath(forSignature);
    await page.getByRole('button', { name: 'Send for signature…' }).click();
    await page.getByRole('status').filter({ hasText: /Version 1 of the record was sealed to/ }).waitFor();

    // Each of the others on their own device: open it, see what they sign, sign with their passphrase, save.
    const returned: string[] = [];
    for (const who of ['panellistA', 'panellistB', 'lawyer'] as const) {
      const device = devices[who];
      const member = device.page;
      await openOutcome(device);
      device.queueOpenPaths([forSignature]);
      await member.getByRole('button', { name: 'Open the record for signature…' }).click();
      const whatYouSign = member.getByRole('region', { name: 'What you sign' });
      await whatYouSign.waitFor();
      expect(await whatYouSign.innerText()).toContain(`Signed so far: ${PEOPLE.chair.name} (chair)`);
      if (who === 'panellistB') {
        await photograph(device, 'practice-signing-what-is-signed', { scrollTo: whatYouSign });
        await expectNoSeriousA11yViolations(device, 'what the second panellist signs');
      }
      await member.getByRole('button', { name: 'Sign and save my signature…' }).click();
      const signDialog = member.getByRole('dialog', { name: 'Sign the outcome record' });
      await signDialog.getByLabel('Your passphrase').fill(PASSPHRASE);
      const signaturePath = join(device.exportDirectory, `signature-${who}.hdsignature`);
      device.queueSavePath(signaturePath);
      await signDialog.getByRole('button', { name: 'Sign and save…' }).click();
      await member.getByRole('status').filter({ hasText: /Your signature was saved to/ }).waitFor();
      returned.push(signaturePath);
    }
    await photograph(devices.lawyer, 'practice-lawyer-signed');

    chair.queueOpenPaths(returned);
    await page.getByRole('button', { name: 'Add returned signatures…' }).click();
    const results = page.getByRole('list', { name: 'Returned signatures' });
    await results.waitFor();
    const items = await results.getByRole('listitem').allInnerTexts();
    expect(items).toHaveLength(3);
    expect(items.every((text) => text.startsWith('Accepted')), items.join('\n')).toBe(true);
    expect(await signatures.getByText('Missing').count()).toBe(0);
    await photograph(chair, 'practice-signatures-complete');

    await page.getByRole('button', { name: 'Make the decision letter' }).click();
    const letterPanel = page.getByRole('region', { name: 'Decision letter' });
    await letterPanel.getByText(/The letter is ready: \d+ pages?/).waitFor();
    letterPath = join(chair.exportDirectory, `${reference}-decision-letter.pdf`);
    chair.queueSavePath(letterPath);
    await letterPanel.getByRole('button', { name: 'Save the PDF…' }).click();
    await letterPanel.getByText(/The letter was saved to/).waitFor();
    const pdfsig = run('pdfsig', [letterPath]);
    expect(pdfsig.stdout).toContain('Signature is Valid');
    expect(pdfsig.stdout).toContain(PEOPLE.chair.name);
    const qpdf = run('qpdf', ['--check', letterPath]);
    expect(qpdf.status, qpdf.stdout + qpdf.stderr).toBe(0);
    const rendered = run('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', letterPath, join(SCREENS_DIR, 'practice-letter-first-page')]);
    expect(rendered.status, rendered.stderr).toBe(0);
    const letterText = run('pdftotext', [letterPath, '-']).stdout;
    expect(letterText).toContain(reference);
    expect(letterText).toContain(MARKERS.reasons); // the reasons really flowed through to what the chair exported

    // The letter certificate lives in the vault. Damaged there (behind the app's back), it is refused, and replaced
    // only when the chair asks; the replacement is logged and the remade letter verifies with the new certificate.
    const db = chair.session.requireVault().db;
    const guard = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'chair_certificates_change_only_by_superseding'").get() as { sql: string };
    db.exec('DROP TRIGGER chair_certificates_change_only_by_superseding');
    db.prepare('UPDATE chair_certificates SET private_key_pkcs8 = ? WHERE superseded_at IS NULL').run(Buffer.from('damaged'));
    db.exec(guard.sql);
    await letterPanel.getByRole('button', { name: 'Remake the letter' }).click();
    await letterPanel.getByText(/private key does not belong to it/).waitFor();
    const replace = letterPanel.getByRole('button', { name: 'Replace the damaged certificate' });
    await photograph(chair, 'practice-letter-certificate-damaged', { scrollTo: letterPanel });
    await expectNoSeriousA11yViolations(chair, 'a damaged letter certificate');
    await replace.click();
    await letterPanel.getByText(/A new certificate \(serial [0-9A-F]+\) was issued/).waitFor();
    await letterPanel.getByRole('button', { name: 'Remake the letter' }).click();
    await letterPanel.getByText(/The letter is ready/).waitFor();
    chair.queueSavePath(letterPath);
    await letterPanel.getByRole('button', { name: 'Save the PDF…' }).click();
    await letterPanel.getByText(/The letter was saved to/).waitFor();
    expect(run('pdfsig', [letterPath]).stdout).toContain('Signature is Valid');
    expect(db.prepare("SELECT count(*) AS n FROM audit_entries WHERE action = 'letter-certificate-replaced'").get()).toEqual({ n: 1 });

    const packagePanel = page.getByRole('region', { name: 'Send to the central office' });
    packagePath = join(chair.exportDirectory, `${reference}-outcome.hdoutcome`);
    chair.queueSavePath(packagePath);
    await packagePanel.getByRole('button', { name: 'Export the outcome package…' }).click();
    await packagePanel.getByText(/The outcome package for Central Office \(fictional\) was saved to/).waitFor();
    expect(existsSync(packagePath)).toBe(true);
  }, 240_000);

  it('the central office ingests the package and shows the quarter’s statistics', async () => {
    const office = devices.office;
    const page = office.page;
    await goTo(office, 'Central office');
    await page.getByRole('heading', { level: 1, name: 'Central office' }).waitFor();
    office.queueOpenPaths([packagePath]);
    await page.getByRole('button', { name: 'Ingest outcome packages…' }).click();
    const ingestResults = page.getByRole('list', { name: 'Ingest results' });
    await ingestResults.waitFor();
    const [result] = await ingestResults.getByRole('listitem').allInnerTexts();
    expect(await page.getByText('1 package accepted, 0 packages refused.').count(), result).toBe(1);
    expect(result).toMatch(new RegExp(`^Accepted[\\s\\S]*Case ${reference}, decided in \\d{4}Q[1-4], 4 signatures verified`));
    const stats = page.getByRole('region', { name: 'Statistics' });
    const quarter = `${today.slice(0, 4)}Q${Math.ceil(Number(today.slice(5, 7)) / 3)}`;
    expect(await stats.getByLabel('Quarter').inputValue()).toBe(quarter);
    await stats.getByRole('table', { name: 'All cases' }).waitFor();
    expect(await stats.getByRole('table', { name: 'By deciding body' }).innerText()).toMatch(/NEC/);
    await photograph(office, 'practice-office-statistics', { scrollTo: stats });
    await expectNoSeriousA11yViolations(office, 'the office’s statistics');
  }, 60_000);

  it('leaves no marker anywhere on disk but in the letter the chair chose to save', async () => {
    for (const device of Object.values(devices)) device.session.lock('user');
    rmSync(inputs, { recursive: true, force: true });
    const created = [...tempEntries()].filter((entry) => !tempBefore.has(entry));
    const roots = [...new Set([...Object.values(devices).map((d) => d.profileDirectory), ...created])];
    const result = scan(roots, Object.values(MARKERS));
    console.info(`practice-hearing plaintext scan: ${result.files} files, ${(result.bytes / 1024 / 1024).toFixed(1)} MB under ${result.roots.length} roots`);
    // The scan covered every device's exports (sealed files: ciphertext) and Chromium's own directories.
    for (const device of Object.values(devices)) expect(roots.some((root) => device.exportDirectory.startsWith(root))).toBe(true);
    expect(roots.some((root) => /playwright|chromium/i.test(root))).toBe(true);
    // The letter is plaintext the chair chose to export; nothing else may hold a marker.
    expect(result.hits.filter((hit) => !hit.startsWith(`${letterPath}:`))).toEqual([]);
  }, 120_000);
});
