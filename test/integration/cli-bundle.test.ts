// `hearing-desk bundle seal|open` end to end as a clerk and recipients would script it: the built CLI as a child
// process, real profiles, real evidence files; the reference `age` decrypts the sealed file with an exported identity.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { writeEvidence } from '../fixtures/evidence/make-evidence';
import { createPerson, introduce, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { tempDir } from '../helpers/temp';

const CLI = join(process.cwd(), 'dist/cli/hearing-desk.cjs');
let clerk: Person;
let chair: Person;
let lawyer: Person;
let work: ReturnType<typeof tempDir>;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: work.path,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work.path, HEARING_DESK_PASSPHRASE: TEST_PASSPHRASE },
    encoding: 'utf8',
    input: '',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const profileOf = (person: Person) => join(person.directory, 'profile');

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`node scripts/build.mjs\` first (npm test does).`);
  [clerk, chair, lawyer] = await Promise.all([createPerson('Morgan Ellery', 'clerk'), createPerson('Avery Lindqvist', 'chair'), createPerson('Sam Whitcombe', 'external-lawyer')]);
  introduce([clerk, chair, lawyer]);
  const [chairFingerprint, lawyerFingerprint] = [chair, lawyer].map((person) => person.session.myCard().fingerprint);
  for (const person of [clerk, chair, lawyer]) person.session.lock('user'); // the CLI opens the vaults itself
  work = tempDir('hd-cli-bundle-');
  const files = await writeEvidence(work.path);
  const case_ = {
    reference: 'NCC-2026-0099',
    title: 'Comments at a branch meeting',
    decidingBody: 'ncc',
    complaintType: 'verbal-comment-in-meeting',
    region: 'wales',
    complaintReceived: '2026-05-06',
    hearingDate: '2026-12-10',
    allegations: [{ text: 'Made a discriminatory remark at the branch meeting of 4 May 2026.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'other-discriminatory-conduct' }],
    participants: [
      { fingerprint: chairFingerprint, role: 'chair' },
      { fingerprint: lawyerFingerprint, role: 'external-lawyer' },
    ],
    sections: [
      { letter: 'A', title: 'Complaint', documents: [{ path: 'witness-statement.txt', title: 'Statement of W1', date: '2026-05-05' }] },
      {
        letter: 'B',
        title: 'Evidence',
        documents: [
          { path: 'minutes.pdf', title: 'Minutes of the meeting' },
          { path: 'screenshot.png', title: 'Screenshot', capture: { sourceUrl: 'https://social.example.invalid/p/1', capturedAt: '2026-05-05T08:00:00Z', capturedBy: 'W2' } },
          { path: 'email.eml', title: 'E-mail from W2', closedTo: ['external-lawyer'] },
        ],
      },
    ],
  };
  writeFileSync(join(work.path, 'case.json'), JSON.stringify(case_));
  void files;
});

afterAll(() => {
  for (const person of [clerk, chair, lawyer]) person?.cleanup();
  work?.cleanup();
});

describe('hearing-desk bundle seal | open', () => {
  it('seals one copy for the panel and one without the closed document for the lawyer', () => {
    const sealed = cli(['bundle', 'seal', '--profile', profileOf(clerk), '-o', 'case.hdbundle', 'case.json']);
    expect(sealed.code, sealed.stderr).toBe(0);
    expect(sealed.stdout).toContain(join(work.path, 'case.hdbundle'));
    expect(sealed.stdout).toContain(join(work.path, 'case-external-lawyer.hdbundle'));
    const inspect = cli(['bundle', 'inspect', '--json', 'case.hdbundle']);
    expect(JSON.parse(inspect.stdout)).toMatchObject({ x25519Recipients: 2, scrypt: null });
  });

  it('the chair previews and imports; the lawyer’s copy lacks the closed document', async () => {
    const dry = cli(['bundle', 'open', '--profile', profileOf(chair), '--dry-run', 'case.hdbundle']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('NCC-2026-0099');
    expect(dry.stdout).toContain('Morgan Ellery');
    expect(dry.stdout).toContain('verified contact');
    expect(dry.stdout).toMatch(/Documents: 4, \d+ pages/);
    const opened = cli(['bundle', 'open', '--profile', profileOf(chair), 'case.hdbundle']);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toContain('Imported into your vault');
    const lawyerOpen = cli(['bundle', 'open', '--profile', profileOf(lawyer), 'case-external-lawyer.hdbundle']);
    expect(lawyerOpen.code, lawyerOpen.stderr).toBe(0);
    expect(lawyerOpen.stdout).toMatch(/Documents: 3,/);
    expect(lawyerOpen.stdout).not.toContain('E-mail from W2');
    // And the vaults agree.
    await chair.session.unlock(TEST_PASSPHRASE);
    expect(new ReceivedCases(chair.session).list().map((c) => c.reference)).toEqual(['NCC-2026-0099']);
    chair.session.lock('user');
  });

  it('an auditor decrypts the sealed file with the reference age and an exported identity', () => {
    const exported = cli(['profile', 'export-identity', '--profile', profileOf(chair), '-o', 'chair-key.txt']);
    expect(exported.code, exported.stderr).toBe(0);
    const plaintext = execFileSync('age', ['-d', '-i', join(work.path, 'chair-key.txt'), join(work.path, 'case.hdbundle')], { maxBuffer: 64 << 20 });
    expect(plaintext.subarray(0, 24).toString()).toBe('hearing-desk/envelope@1\n');
    expect(plaintext.toString('latin1')).toContain('"payloadType":"hearing-desk/bundle@1"');
  });

  it('a truncated bundle fails with a plain message and imports nothing', async () => {
    const bytes = readFileSync(join(work.path, 'case.hdbundle'));
    writeFileSync(join(work.path, 'cut.hdbundle'), bytes.subarray(0, bytes.length - 70_000));
    const result = cli(['bundle', 'open', '--profile', profileOf(lawyer), 'cut.hdbundle']);
    expect(result.code).toBe(1);
    expect(result.stderr.length).toBeGreaterThan(10);
    expect(result.stderr).not.toMatch(/at .*\.(ts|js|cjs):\d+/); // no stack trace
    await lawyer.session.unlock(TEST_PASSPHRASE);
    expect(new ReceivedCases(lawyer.session).list()).toHaveLength(1);
    lawyer.session.lock('user');
  });

  it('a case file naming someone not in the address book is refused before anything is sealed', () => {
    const spec = JSON.parse(readFileSync(join(work.path, 'case.json'), 'utf8'));
    spec.participants[0].fingerprint = 'AAAA-BBBB-CCCC-DDDD-EEEE';
    writeFileSync(join(work.path, 'bad-case.json'), JSON.stringify(spec));
    const result = cli(['bundle', 'seal', '--profile', profileOf(clerk), '-o', 'bad.hdbundle', 'bad-case.json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('AAAA-BBBB-CCCC-DDDD-EEEE');
    expect(existsSync(join(work.path, 'bad.hdbundle'))).toBe(false);
  });
});
