// The built-in demo hearing: sealed by a fictional clerk to a fresh profile and imported through the same
// verified path as any bundle, so a newcomer sees a real bundle at once. Judged by Debian's pdftotext and qpdf.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { DEMO_CLERK_NAME, DEMO_REFERENCE, installDemoHearing } from '../../electron/services/demo-hearing';
import { createPerson, type Person } from '../helpers/people';
import { filesContaining } from '../helpers/temp';

let panellist: Person;
let cases: ReceivedCases;

beforeAll(async () => {
  panellist = await createPerson('Robin Testwell', 'panellist');
  cases = new ReceivedCases(panellist.session);
});
afterAll(() => panellist?.cleanup());

describe('the demo hearing', () => {
  it('is sealed to the new profile, verified and imported with a paginated, indexed bundle', async () => {
    const caseId = await installDemoHearing(panellist.session, cases, new Date('2026-11-23T10:00:00Z'));
    const record = cases.get(caseId);
    expect(record.reference).toBe(DEMO_REFERENCE);
    const manifest = record.manifest;
    expect(manifest.sealedBy.name).toBe(DEMO_CLERK_NAME);
    expect(manifest.documents.map((d) => d.section)).toEqual(['A', 'B', 'B', 'C', 'D']);
    expect(manifest.case.participants.find((p) => p.name === 'Robin Testwell')?.role).toBe('panellist');
    // Every other person in it is marked fictional.
    for (const person of manifest.case.participants.filter((p) => p.name !== 'Robin Testwell')) expect(person.name).toMatch(/\(fictional\)$/);
    // The demo clerk was added to the address book as the sealer (trusted by the app on the user's behalf).
    expect(panellist.session.listContacts().map((c) => c.name)).toContain(DEMO_CLERK_NAME);

    const dir = panellist.directory;
    const index = join(dir, 'index-check.pdf');
    writeFileSync(index, cases.readIndex(caseId));
    expect(execFileSync('qpdf', ['--check', index], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
    const indexText = execFileSync('pdftotext', ['-layout', index, '-'], { encoding: 'utf8' });
    for (const doc of manifest.documents) {
      expect(indexText).toContain(doc.title.slice(0, 24));
      expect(indexText).toContain(doc.firstLabel);
    }
    // Each document's pages carry their bundle labels.
    const screenshot = manifest.documents.find((d) => d.id === 'doc-screenshot')!;
    const file = join(dir, 'doc-check.pdf');
    writeFileSync(file, cases.readDocument(caseId, screenshot.id));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(screenshot.firstLabel);
    expect(text).toContain('social.example.invalid');
    // The demo evidence never lands in the profile directory as plaintext.
    expect(filesContaining(join(dir, 'profile'), 'hidden financiers')).toEqual([]);
  });
});
