// Education courses the panels ordered (action plan 3.2: a member found to have engaged in antisemitic conduct, unless
// expelled, completes an education course within 4 weeks), as the central office's ledger holds them: every ingested
// record with a course due date, and the date the office recorded the course completed (ledger_course_completions,
// the same table the quarterly statistics count "overdue" from, electron/services/records/stats.ts).
//
// Recording a completion is checked before anything is written: a malformed date, an unknown case, a case with no
// course ordered, a date before the decision or after today is each refused with its own CourseError. Changing a
// recorded date is allowed; every recording (first or changed) is appended to the vault's audit trail in the same
// transaction as the write, with the date it replaced, so the history of a completion date is never lost.
import type { Database } from 'better-sqlite3';
import { IsoDate } from '../../../shared/domain/common';
import { AppError } from '../../../shared/errors';
import { AuditTrail } from '../audit';
import type { Session } from '../session';
import { SqliteLedgerStore } from './ledger';

export const COURSE_STATUSES = ['completed-on-time', 'completed-late', 'due', 'overdue'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

export type CourseErrorCode =
  | 'course-date-malformed'
  | 'course-date-before-decision'
  | 'course-date-in-future'
  | 'course-case-unknown'
  | 'course-not-ordered';

export class CourseError extends AppError {
  declare readonly code: CourseErrorCode;
  constructor(code: CourseErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'CourseError';
  }
}

/** One ordered course as the office tracks it. */
export interface CourseEntry {
  caseReference: string;
  decidingBody: string;
  decidedOn: string;
  dueOn: string;
  /** As recorded, even when later than the as-of date (the status then ignores it). */
  completedOn: string | null;
  status: CourseStatus;
}

export interface CourseListing {
  asOf: string;
  courses: CourseEntry[];
}

export interface CourseCompletionRecorded {
  course: CourseEntry;
  /** The date this replaced (null: the first recording). */
  previousCompletedOn: string | null;
  /** False when the same date was already recorded: nothing was written or audited. */
  changed: boolean;
}

/**
 * A course's state on `asOf`, judged as the statistics judge it: a course is overdue once its due date has passed
 * (due on the as-of day is not yet overdue), and a completion only counts from the day it happened, so a listing as
 * of an earlier date shows what was true then. Overdue and completed-late together are what stats.ts counts overdue.
 */
export function courseStatus(dueOn: string, completedOn: string | null, asOf: string): CourseStatus {
  if (completedOn !== null && completedOn <= asOf) return completedOn <= dueOn ? 'completed-on-time' : 'completed-late';
  return dueOn < asOf ? 'overdue' : 'due';
}

/** Today in this computer's calendar: what the office means by "today", even in the hour around midnight UTC. */
export function localIsoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function requireDate(value: unknown, what: string): string {
  if (typeof value !== 'string' || !IsoDate.safeParse(value).success) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 20)}"` : 'That';
    throw new CourseError('course-date-malformed', `${shown} is not a date: write the ${what} as YYYY-MM-DD, for example 2026-05-20.`);
  }
  return value;
}

interface CourseRow {
  case_reference: string;
  deciding_body: string;
  decision_date: string;
  course_due: string | null;
  completed_on: string | null;
}

const SELECT_COURSES = `SELECT r.case_reference, r.deciding_body, r.decision_date, r.course_due, c.completed_on
  FROM ledger_records r LEFT JOIN ledger_course_completions c ON c.case_reference = r.case_reference`;

export class EducationCourses {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditTrail,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private today(): string {
    return localIsoDate(this.now());
  }

  private entryOf(row: CourseRow, asOf: string): CourseEntry {
    return {
      caseReference: row.case_reference,
      decidingBody: row.deciding_body,
      decidedOn: row.decision_date,
      dueOn: row.course_due!,
      completedOn: row.completed_on,
      status: courseStatus(row.course_due!, row.completed_on, asOf),
    };
  }

  /** Every course ordered in the ledger, earliest due first, with its status on `asOf` (default today). */
  list(options: { asOf?: string } = {}): CourseListing {
    const asOf = options.asOf === undefined ? this.today() : requireDate(options.asOf, 'as-of date');
    const rows = this.db.prepare(`${SELECT_COURSES} WHERE r.course_due IS NOT NULL ORDER BY r.course_due, r.case_reference`).all() as CourseRow[];
    return { asOf, courses: rows.map((row) => this.entryOf(row, asOf)) };
  }

  /** One case's course (today's status); refuses an unknown case or one with no course ordered. */
  get(caseReference: string): CourseEntry {
    return this.entryOf(this.requireCourse(caseReference), this.today());
  }

  private requireCourse(caseReference: string): CourseRow & { course_due: string } {
    const row = this.db.prepare(`${SELECT_COURSES} WHERE r.case_reference = ?`).get(caseReference) as CourseRow | undefined;
    if (!row) throw new CourseError('course-case-unknown', `No record of case ${caseReference.slice(0, 200)} is in the ledger. Check the reference, or ingest the case’s outcome package first.`);
    if (row.course_due === null) {
      throw new CourseError('course-not-ordered', `The panel did not order an education course in case ${row.case_reference}, so there is no completion to record.`);
    }
    return row as CourseRow & { course_due: string };
  }

  /**
   * Records (or changes) the day the course of `caseReference` was completed. Every check runs before anything is
   * written; the write and its audit entry are one transaction.
   */
  recordCompleted(caseReference: string, completedOn: string): CourseCompletionRecorded {
    const date = requireDate(completedOn, 'completion date');
    const row = this.requireCourse(caseReference);
    if (date < row.decision_date) {
      throw new CourseError(
        'course-date-before-decision',
        `The course in case ${row.case_reference} cannot have been completed on ${date}: the decision ordering it was made on ${row.decision_date}.`,
      );
    }
    const today = this.today();
    if (date > today) throw new CourseError('course-date-in-future', `${date} is in the future (today is ${today}). Record a course once it has been completed.`);
    const previous = row.completed_on;
    if (previous === date) return { course: this.entryOf(row, today), previousCompletedOn: previous, changed: false };
    this.db.transaction(() => {
      new SqliteLedgerStore(this.db).recordCourseCompleted(row.case_reference, date);
      this.audit.append({
        caseId: null,
        action: 'course-completion-recorded',
        object: row.case_reference,
        details: { completedOn: date, previousCompletedOn: previous, dueOn: row.course_due },
      });
    })();
    return { course: this.entryOf({ ...row, completed_on: date }, today), previousCompletedOn: previous, changed: true };
  }
}

/** The education courses of the central-office profile whose vault `session` has unlocked. */
export function educationCourses(session: Session, now?: () => Date): EducationCourses {
  if (session.status().profile?.role !== 'central-office') {
    throw new AppError('not-central-office', 'Only a central-office profile keeps the outcome ledger. Use the central office’s profile.');
  }
  return new EducationCourses(session.requireVault().db, new AuditTrail(session, now), now);
}
