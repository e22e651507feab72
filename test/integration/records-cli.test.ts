// `hearing-desk records verify|ingest|stats|publish-criteria|export-history` as the central office would script it:
// the built CLI as a child process against a real central-office profile, with packages a real chair sealed.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliInto } from '../helpers/cli-build';
import { sampleCriteria } from '../../shared/criteria';
import { StatsReport, type OutcomeRecord, type SignedOutcomeRecord } from '../../shared/domain/record';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { verifyDecisionHistory } from '../../electron/services/records/history';
import { buildSignedLetter, sealOutcomePackage } from '../../electron/services/records/ledger';
import { signedRecordOf } from '../../electron/services/records/record';
import { signRecord } from '../../electron/services/records/signatures';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { CRITERIA, createPanel, keysOfPanel, recordFor, type Panel } from '../helpers/records';
import { tempDir } from '../helpers/temp';

// The CLI built from the current source with scripts/build.mjs's esbuild options, inside the repository so its native
// modules resolve from node_modules. Built here (about a second) rather than taken from dist/, which another build may
// have left older than the source under test.
const CLI = join(process.cwd(), 'node_modules/.cache/hd-records-cli/hearing-desk.cjs');
let panel: Panel;
let office: Person;
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


async function signAll(record: OutcomeRecord): Promise<SignedOutcomeRecord> {
  let signed = signedRecordOf(record);
  for (const key of ['chair', 'panellistA', 'panellistB', 'lawyer'] as const) signed = await signRecord(panel[key].session, TEST_PASSPHRASE, signed, CRITERIA);
  return signed;
}

const profileOf = (person: Person) => join(person.directory, 'profile');

beforeAll(async () => {
  await buildCliInto(CLI);
  work = tempDir('hd-records-cli-');
  panel = await createPanel();
  office = await createPerson('Central Office (fictional)', 'central-office');
  const keys = keysOfPanel(panel);
  const certificate = issueChairCertificate({ name: 'Rosalind Achterberg', fingerprint: keys.chair.fingerprint, signingKeyBase64: keys.chair.signingKey }, new Date('2026-04-28T09:00:00Z'));
  const officeRecipient = office.session.myCard().card.ageRecipient;
  const cases: [string, Parameters<typeof recordFor>[1]][] = [
    ['ncc-0417.hdoutcome', {}],
    ['nec-0612.hdoutcome', { reference: 'NEC/2026/0612', region: 'wales', complaintType: 'verbal-comment-in-meeting' }],
  ];
  for (const [name, options] of cases) {
    const record = recordFor(keys, options);
    const signed = await signAll(record);
    const { pdf } = await buildSignedLetter(signed, CRITERIA, certificate, { createdAt: new Date('2026-04-28T12:00:00Z') });
    const { bytes } = await sealOutcomePackage(panel.chair.session, { signed, letterPdf: pdf, criteria: CRITERIA, officeRecipient });
    writeFileSync(join(work.path, name), bytes);
  }
  const tampered = new Uint8Array(readFileSync(join(work.path, 'ncc-0417.hdoutcome')));
  tampered[tampered.length - 100]! ^= 0x40;
  writeFileSync(join(work.path, 'tampered.hdoutcome'), tampered);
  writeFileSync(join(work.path, 'criteria.json'), JSON.stringify(sampleCriteria()));
  panel.chair.session.importCard(JSON.stringify(office.session.myCard().card), true);
  office.session.lock('user'); // the CLI opens the office's vault itself
}, 120_000);

afterAll(() => {
  for (const person of [...Object.values(panel ?? {}), office]) person?.cleanup();
  work?.cleanup();
});

describe('hearing-desk records', () => {
  it('refuses records under criteria the office has not published, then accepts them once it has', () => {
    const before = cli(['records', 'verify', '--profile', profileOf(office), 'ncc-0417.hdoutcome']);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('[criteria-not-published]');
    const published = cli(['records', 'publish-criteria', '--profile', profileOf(office), '-o', 'signed-criteria.json', 'criteria.json']);
    expect(published.code, published.stderr).toBe(0);
    expect(published.stdout).toContain(`Published ${CRITERIA.id} version ${CRITERIA.version}`);
    expect(JSON.parse(readFileSync(join(work.path, 'signed-criteria.json'), 'utf8')).format).toBe('hearing-desk/signed-criteria@1');
  });

  it('verifies each file and names what is wrong with a bad one, storing nothing', () => {
    const result = cli(['records', 'verify', '--profile', profileOf(office), 'ncc-0417.hdoutcome', 'tampered.hdoutcome']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^VALID +ncc-0417\.hdoutcome: case NCC\/2026\/0417, 2026Q2, 4 signatures/m);
    expect(result.stdout).toMatch(/^REFUSED +tampered\.hdoutcome: \[package-(tampered|truncated)\]/m);
    expect(result.stderr).toContain('1 of 2 file(s) refused');
    const stats = cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q2', '--format', 'json']);
    expect(StatsReport.parse(JSON.parse(stats.stdout)).total.closed).toBe(0);
  });

  it('ingests, refuses a duplicate, and publishes the quarter in csv, json and markdown', () => {
    const ingest = cli(['records', 'ingest', '--profile', profileOf(office), '--json', 'ncc-0417.hdoutcome', 'nec-0612.hdoutcome']);
    expect(ingest.code, ingest.stderr).toBe(0);
    expect(ingest.stdout.trim().split('\n').map((line) => JSON.parse(line).ok)).toEqual([true, true]);
    const again = cli(['records', 'ingest', '--profile', profileOf(office), 'ncc-0417.hdoutcome']);
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('[record-duplicate]');

    const json = StatsReport.parse(JSON.parse(cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q2', '--format', 'json']).stdout));
    expect(json.total.closed).toBe('<5');
    expect(json.byRegion.map((row) => row.region)).toEqual(['london', 'wales']);
    const exact = StatsReport.parse(JSON.parse(cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q2', '--format', 'json', '--threshold', '1']).stdout));
    expect(exact.total).toMatchObject({ closed: 2, outcomes: { suspension: 2, expulsion: 0 } });
    expect(exact.educationCourses).toEqual({ ordered: 2, overdue: 2 });
    expect(exact.daysToDecision).toEqual({ cases: 2, median: 84, p90: 84 });

    const csv = cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q2', '--format', 'csv', '--threshold', '1']).stdout.split('\r\n');
    expect(csv[0]).toBe('quarter,table,region,complaint_type,deciding_body,measure,value');
    expect(csv).toContain('2026Q2,region-and-complaint-type,wales,verbal-comment-in-meeting,,suspension,1');
    expect(csv).toContain('2026Q2,deciding-body,,,ncc,closed,2');
    const md = cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q2']).stdout;
    expect(md).toContain('# Complaint outcomes, 2026Q2 (2026-04-01 to 2026-06-30)');
    expect(md).toContain('| National Constitutional Committee | <5 |');
    const empty = StatsReport.parse(JSON.parse(cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q3', '--format', 'json']).stdout));
    expect(empty.total.closed).toBe(0);
  });

  it('exports the signed anonymised decision history', () => {
    const result = cli(['records', 'export-history', '--profile', profileOf(office), '-o', 'history.json']);
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(work.path, 'history.json'), 'utf8');
    expect(text).not.toMatch(/NCC\/2026|Achterberg|london/);
    const imported = verifyDecisionHistory(text, panel.chair.session.listContacts());
    expect(imported.signer.role).toBe('central-office');
    expect(imported.outcomes).toHaveLength(4);
    expect(new Set(imported.outcomes.map((outcome) => outcome.sanctionRungId))).toEqual(new Set(['suspension']));
  });

  it('explains usage mistakes', () => {
    const missing = cli(['records', 'stats', '--profile', profileOf(office)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--quarter');
    expect(cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026-Q3']).code).toBe(2);
    expect(cli(['records', 'stats', '--profile', profileOf(office), '--quarter', '2026Q3', '--format', 'xlsx']).code).toBe(2);
    expect(cli(['records', 'verify', '--profile', profileOf(office)]).code).toBe(2);
  });
});
