// Education courses at the central office: the listing of courses ordered (from genuine packages a real panel signed
// and sealed, ingested through the ledger's full verification into a real SQLCipher vault), their status on a date,
// recording a completion (each refusal by its own code, changing nothing), changing a recorded date (audited in the
// vault's hash chain with the date it replaced), agreement with the quarterly statistics' "overdue", and the same
// through the contract's dispatcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../electron/services/audit';
import { createHandlers } from '../../electron/handlers';
import { createDispatcher } from '../../electron/ipc';
import { courseStatus, educationCourses, localIsoDate, type EducationCourses } from '../../electron/services/records/courses';
import { centralOfficeLedger } from '../../electron/services/records/ledger';
import { createPerson, type Person } from '../helpers/people';
import { createPanel, type Panel } from '../helpers/records';
import { ingestAsOffice, publishCriteriaAsOffice, sealCoursePackages } from '../helpers/course-packages';

// The baseline case was decided on 2026-04-27; its course is due on 2026-05-22.
const ON_TIME = 'NCC/2026/0417';
const EARLY_DUE = 'NCC/2026/0418'; // due 2026-05-01
const NO_COURSE = 'NEC/2026/0612'; // nothing proven, no course
const NEVER_DONE = 'NCC/2026/0419'; // due 2026-05-25, never completed
const TODAY = new Date('2026-06-15T12:00:00Z');

let panel: Panel;
let office: Person;
let courses: EducationCourses;

function completionsTable(): unknown[] {
  return office.session.requireVault().db.prepare('SELECT case_reference, completed_on FROM ledger_course_completions ORDER BY case_reference').all();
}

function courseAudit() {
  return new AuditTrail(office.session)
    .entries({ limit: 1000 })
    .filter((entry) => entry.action === 'course-completion-recorded')
    .reverse();
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return String((error as { code?: unknown }).code ?? `untyped: ${String(error)}`);
  }
  return 'no error';
}

beforeAll(async () => {
  panel = await createPanel();
  office = await createPerson('Central Office (fictional)', 'central-office');
  await publishCriteriaAsOffice(office.session);
  const packages = await sealCoursePackages(panel, office.session.myCard().card.ageRecipient, [
    { reference: ON_TIME, courseDue: '2026-05-22' },
    { reference: EARLY_DUE, courseDue: '2026-05-01' },
    { reference: NO_COURSE, courseDue: null, decidingBody: 'nec-panel' },
    { reference: NEVER_DONE, courseDue: '2026-05-25' },
  ]);
  await ingestAsOffice(office.session, packages);
  courses = educationCourses(office.session, () => TODAY);
}, 180_000);

afterAll(() => {
  for (const person of [...Object.values(panel ?? {}), office]) person?.cleanup();
});

describe('courseStatus', () => {
  it('is due until the due date has passed, then overdue; a completion counts from its own day', () => {
    expect(courseStatus('2026-05-22', null, '2026-05-22')).toBe('due');
    expect(courseStatus('2026-05-22', null, '2026-05-23')).toBe('overdue');
    expect(courseStatus('2026-05-22', '2026-05-22', '2026-06-01')).toBe('completed-on-time');
    expect(courseStatus('2026-05-22', '2026-05-23', '2026-06-01')).toBe('completed-late');
    expect(courseStatus('2026-05-22', '2026-05-30', '2026-05-25')).toBe('overdue');
    expect(courseStatus('2026-05-22', '2026-05-20', '2026-05-10')).toBe('due');
  });
});

describe('education courses from the ledger', () => {
  it('lists every course ordered, earliest due first, with deciding body and dates; a case without a course is left out', () => {
    const listing = courses.list();
    expect(listing.asOf).toBe('2026-06-15');
    expect(listing.courses).toEqual([
      { caseReference: EARLY_DUE, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-01', completedOn: null, status: 'overdue' },
      { caseReference: ON_TIME, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-22', completedOn: null, status: 'overdue' },
      { caseReference: NEVER_DONE, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-25', completedOn: null, status: 'overdue' },
    ]);
    expect(centralOfficeLedger(office.session).store.count()).toBe(4);
    expect(courses.list({ asOf: '2026-05-22' }).courses.map((c) => c.status)).toEqual(['overdue', 'due', 'due']);
  });

  it('records a completion on time: the listing and the quarter’s overdue count both change, and the trail records it', () => {
    const ledger = centralOfficeLedger(office.session);
    const overdueBefore = ledger.stats({ quarter: '2026Q2', threshold: 1, asOf: '2026-06-15' }).educationCourses;
    expect(overdueBefore).toEqual({ ordered: 3, overdue: 3 });

    const recorded = courses.recordCompleted(ON_TIME, '2026-05-20');
    expect(recorded).toEqual({
      course: { caseReference: ON_TIME, decidingBody: 'ncc', decidedOn: '2026-04-27', dueOn: '2026-05-22', completedOn: '2026-05-20', status: 'completed-on-time' },
      previousCompletedOn: null,
      changed: true,
    });
    expect(courses.get(ON_TIME).status).toBe('completed-on-time');
    expect(ledger.stats({ quarter: '2026Q2', threshold: 1, asOf: '2026-06-15' }).educationCourses).toEqual({ ordered: 3, overdue: 2 });
    // As of a day before the completion it was still only due.
    expect(courses.list({ asOf: '2026-05-19' }).courses.find((c) => c.caseReference === ON_TIME)?.status).toBe('due');

    const [entry] = courseAudit();
    expect(entry).toMatchObject({ caseId: null, object: ON_TIME, details: { completedOn: '2026-05-20', previousCompletedOn: null, dueOn: '2026-05-22' } });
    expect(new AuditTrail(office.session).verify().ok).toBe(true);
  });

  it('records a late completion as late, and the statistics still count it overdue (as the action plan publishes)', () => {
    const recorded = courses.recordCompleted(EARLY_DUE, '2026-05-04');
    expect(recorded.course.status).toBe('completed-late');
    const listing = courses.list();
    const ledger = centralOfficeLedger(office.session);
    const report = ledger.stats({ quarter: '2026Q2', threshold: 1, asOf: listing.asOf });
    const lateOrOverdue = listing.courses.filter((course) => course.status === 'overdue' || course.status === 'completed-late').length;
    expect(report.educationCourses).toEqual({ ordered: 3, overdue: 2 });
    expect(lateOrOverdue).toBe(2);
  });

  it.each([
    ['a malformed date', ON_TIME, '20/05/2026', 'course-date-malformed'],
    ['an impossible date', ON_TIME, '2026-02-30', 'course-date-malformed'],
    ['an empty date', ON_TIME, '', 'course-date-malformed'],
    ['a date with a time', ON_TIME, '2026-05-20T10:00:00Z', 'course-date-malformed'],
    ['an unknown case', 'NCC/2099/9999', '2026-05-20', 'course-case-unknown'],
    ['a case with no course ordered', NO_COURSE, '2026-05-20', 'course-not-ordered'],
    ['a date before the decision', NEVER_DONE, '2026-04-26', 'course-date-before-decision'],
    ['a date in the future', NEVER_DONE, '2026-06-16', 'course-date-in-future'],
    ['changing a date to one in the future', ON_TIME, '2027-01-01', 'course-date-in-future'],
  ])('refuses %s by its own code and changes nothing', (_what, reference, date, code) => {
    const table = completionsTable();
    const head = new AuditTrail(office.session).head();
    expect(codeOf(() => courses.recordCompleted(reference, date))).toBe(code);
    expect(completionsTable()).toEqual(table);
    expect(new AuditTrail(office.session).head()).toEqual(head);
  });

  it('says what is wrong in plain words', () => {
    expect(() => courses.recordCompleted(NEVER_DONE, '2026-04-26')).toThrow('the decision ordering it was made on 2026-04-27');
    expect(() => courses.recordCompleted(NEVER_DONE, '2026-06-16')).toThrow('2026-06-16 is in the future (today is 2026-06-15)');
    expect(() => courses.recordCompleted(NO_COURSE, '2026-05-20')).toThrow(`did not order an education course in case ${NO_COURSE}`);
    expect(codeOf(() => courses.list({ asOf: 'yesterday' }))).toBe('course-date-malformed');
  });

  it('accepts the day of the decision and today', () => {
    expect(courses.recordCompleted(NEVER_DONE, '2026-04-27').course.status).toBe('completed-on-time');
    expect(courses.recordCompleted(NEVER_DONE, localIsoDate(TODAY)).course.status).toBe('completed-late');
  });

  it('changes a recorded date, keeping each earlier date in the audit trail; the same date again writes nothing', () => {
    const changed = courses.recordCompleted(ON_TIME, '2026-05-27');
    expect(changed).toMatchObject({ previousCompletedOn: '2026-05-20', changed: true, course: { completedOn: '2026-05-27', status: 'completed-late' } });
    const head = new AuditTrail(office.session).head();
    expect(courses.recordCompleted(ON_TIME, '2026-05-27')).toMatchObject({ previousCompletedOn: '2026-05-27', changed: false });
    expect(new AuditTrail(office.session).head()).toEqual(head);

    const history = courseAudit()
      .filter((entry) => entry.object === ON_TIME)
      .map((entry) => [entry.details.previousCompletedOn, entry.details.completedOn]);
    expect(history).toEqual([
      [null, '2026-05-20'],
      ['2026-05-20', '2026-05-27'],
    ]);
    expect(new AuditTrail(office.session).verify().ok).toBe(true);
  });

  it('is kept by the central office only', async () => {
    expect(codeOf(() => educationCourses(panel.chair.session))).toBe('not-central-office');
  });
});

describe('through the contract', () => {
  it('lists and records through the dispatcher, and a refusal reaches the page with its code and words', async () => {
    const dispatch = createDispatcher(createHandlers(office.session), { logError: () => undefined });
    const listed = await dispatch('office.courses', { asOf: '2026-06-15' });
    expect(listed).toMatchObject({ ok: true, value: { asOf: '2026-06-15', courses: [{ caseReference: EARLY_DUE }, { caseReference: ON_TIME }, { caseReference: NEVER_DONE }] } });
    const refused = await dispatch('office.recordCourseCompleted', { caseReference: NO_COURSE, completedOn: '2026-05-20' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'course-not-ordered', message: expect.stringContaining('did not order an education course') } });
    const malformed = await dispatch('office.recordCourseCompleted', { caseReference: ON_TIME, completedOn: 'next tuesday' });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'course-date-malformed' } });
    const recorded = await dispatch('office.recordCourseCompleted', { caseReference: EARLY_DUE, completedOn: '2026-05-01' });
    expect(recorded).toMatchObject({ ok: true, value: { previousCompletedOn: '2026-05-04', changed: true, course: { status: 'completed-on-time' } } });
    const chairDispatch = createDispatcher(createHandlers(panel.chair.session), { logError: () => undefined });
    expect(await chairDispatch('office.courses', {})).toMatchObject({ ok: false, error: { code: 'not-central-office' } });
  });
});
