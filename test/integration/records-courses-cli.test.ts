// `hearing-desk records courses` and `records course-completed` as the central office would script them: the CLI built
// from the current source, run as a child process against a real central-office profile whose ledger holds genuine
// packages a real panel signed and sealed (ingested through the ledger's full verification).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliInto } from '../helpers/cli-build';
import { StatsReport } from '../../shared/domain/record';
import { localIsoDate } from '../../electron/services/records/courses';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { createPanel, type Panel } from '../helpers/records';
import { ingestAsOffice, publishCriteriaAsOffice, sealCoursePackages } from '../helpers/course-packages';
import { tempDir } from '../helpers/temp';

// Built here from the source under test (as records-cli.test.ts does), into its own file so the two can run at once.
const CLI = join(process.cwd(), 'node_modules/.cache/hd-courses-cli/hearing-desk.cjs');
const ON_TIME = 'NCC/2026/0417'; // decided 2026-04-27, due 2026-05-22
const EARLY_DUE = 'NCC/2026/0418'; // due 2026-05-01
const NO_COURSE = 'NEC/2026/0612';

let panel: Panel;
let office: Person;
let work: ReturnType<typeof tempDir>;

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args, '--profile', join(office.directory, 'profile')], {
    cwd: work.path,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work.path, HEARING_DESK_PASSPHRASE: TEST_PASSPHRASE },
    encoding: 'utf8',
    input: '',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ListedCourse {
  caseReference: string;
  decidingBody: string;
  decidedOn: string;
  dueOn: string;
  completedOn: string | null;
  status: string;
}

function listJson(...extra: string[]): { format: string; asOf: string; courses: ListedCourse[] } {
  const result = cli(['records', 'courses', '--format', 'json', ...extra]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

function overdueInQ2(): unknown {
  const result = cli(['records', 'stats', '--quarter', '2026Q2', '--threshold', '1', '--as-of', '2026-06-15', '--format', 'json']);
  expect(result.code, result.stderr).toBe(0);
  return StatsReport.parse(JSON.parse(result.stdout)).educationCourses;
}


beforeAll(async () => {
  await buildCliInto(CLI);
  work = tempDir('hd-courses-cli-');
  panel = await createPanel();
  office = await createPerson('Central Office (fictional)', 'central-office');
  await publishCriteriaAsOffice(office.session);
  const packages = await sealCoursePackages(panel, office.session.myCard().card.ageRecipient, [
    { reference: ON_TIME, courseDue: '2026-05-22' },
    { reference: EARLY_DUE, courseDue: '2026-05-01' },
    { reference: NO_COURSE, courseDue: null, decidingBody: 'nec-panel' },
  ]);
  await ingestAsOffice(office.session, packages);
  office.session.lock('user'); // the CLI opens the office's vault itself
}, 180_000);

afterAll(() => {
  for (const person of [...Object.values(panel ?? {}), office]) person?.cleanup();
  work?.cleanup();
});

describe('hearing-desk records courses', () => {
  it('lists the courses ordered as JSON, earliest due first, judged today by default', () => {
    const listing = listJson();
    expect(listing.format).toBe('hearing-desk/education-courses@1');
    expect(listing.asOf).toBe(localIsoDate(new Date()));
    expect(listing.courses).toEqual([
      { caseReference: EARLY_DUE, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-01', completedOn: null, status: 'overdue' },
      { caseReference: ON_TIME, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-22', completedOn: null, status: 'overdue' },
    ]);
  });

  it('prints a table with OVERDUE in words, and a summary, as of a chosen date', () => {
    const result = cli(['records', 'courses', '--as-of', '2026-05-22']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^Case +Deciding body +Decided +Due +Completed +Status$/);
    expect(lines[1]).toMatch(/^NCC\/2026\/0418 +National Constitutional Committee +2026-04-27 +2026-05-01 +– +OVERDUE$/);
    expect(lines[2]).toMatch(/^NCC\/2026\/0417 +National Constitutional Committee +2026-04-27 +2026-05-22 +– +due$/);
    expect(result.stdout).toContain('2 course(s) ordered, as of 2026-05-22: 1 overdue, 1 due, 0 completed late, 0 completed on time.');
    expect(result.stdout).not.toContain(NO_COURSE);
  });

  it('writes CSV', () => {
    const result = cli(['records', 'courses', '--format', 'csv', '--as-of', '2026-05-10']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\r\n')).toEqual([
      'case_reference,deciding_body,decided_on,due_on,completed_on,status',
      `${EARLY_DUE},ncc,2026-04-27,2026-05-01,,overdue`,
      `${ON_TIME},ncc,2026-04-27,2026-05-22,,due`,
      '',
    ]);
  });

  it('records a completion; the listing and the quarter’s overdue count both follow', () => {
    expect(overdueInQ2()).toEqual({ ordered: 2, overdue: 2 });
    const result = cli(['records', 'course-completed', ON_TIME, '--on', '2026-05-20']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Recorded: the education course in case ${ON_TIME} was completed on 2026-05-20 (due 2026-05-22: completed on time).\n`);
    expect(listJson().courses.find((c) => c.caseReference === ON_TIME)).toMatchObject({ completedOn: '2026-05-20', status: 'completed-on-time' });
    expect(overdueInQ2()).toEqual({ ordered: 2, overdue: 1 });
    const csv = cli(['records', 'courses', '--format', 'csv', '-o', 'courses.csv']);
    expect(csv.code, csv.stderr).toBe(0);
    expect(readFileSync(join(work.path, 'courses.csv'), 'utf8')).toContain(`${ON_TIME},ncc,2026-04-27,2026-05-22,2026-05-20,completed-on-time`);
  });

  it('corrects a recorded date, and says so when the date was already recorded', () => {
    const changed = cli(['records', 'course-completed', ON_TIME, '--on', '2026-05-24']);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stdout).toContain(`Changed: the education course in case ${ON_TIME} was completed on 2026-05-24, not 2026-05-20 (due 2026-05-22: completed late).`);
    const again = cli(['records', 'course-completed', ON_TIME, '--on', '2026-05-24']);
    expect(again.stdout).toContain('Already recorded');
    expect(listJson().courses.find((c) => c.caseReference === ON_TIME)?.status).toBe('completed-late');
  });

  it('refuses an unknown case, a case with no course, a date before the decision or in the future, changing nothing', () => {
    const before = listJson('--as-of', '2026-06-15');
    const inTwoDays = localIsoDate(new Date(Date.now() + 2 * 86_400_000));
    const refusals: [string[], string][] = [
      [['NCC/2099/9999', '--on', '2026-05-20'], 'No record of case NCC/2099/9999 is in the ledger'],
      [[NO_COURSE, '--on', '2026-05-20'], `The panel did not order an education course in case ${NO_COURSE}`],
      [[EARLY_DUE, '--on', '2026-04-20'], 'the decision ordering it was made on 2026-04-27'],
      [[EARLY_DUE, '--on', inTwoDays], `${inTwoDays} is in the future`],
    ];
    for (const [args, message] of refusals) {
      const result = cli(['records', 'course-completed', ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(listJson('--as-of', '2026-06-15')).toEqual(before);
  });

  it('explains usage mistakes', () => {
    const missing = cli(['records', 'course-completed', ON_TIME]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--on');
    const malformed = cli(['records', 'course-completed', ON_TIME, '--on', '20/05/2026']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--on must be a date (YYYY-MM-DD), not "20/05/2026"');
    expect(cli(['records', 'course-completed', '--on', '2026-05-20']).code).toBe(2);
    expect(cli(['records', 'courses', '--format', 'xlsx']).code).toBe(2);
    expect(cli(['records', 'courses', '--as-of', '2026-02-30']).code).toBe(2);
    const help = cli(['records', 'courses', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('[--as-of DATE] [--format table|json|csv]');
    expect(cli(['records', '--help']).stdout).toMatch(/course-completed/);
  });
});
