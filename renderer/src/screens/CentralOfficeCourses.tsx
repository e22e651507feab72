// The central office's education courses (action plan 3.2): every course a panel ordered, from the ledger, with its
// due date and status, and a way to record the day each was completed. Overdue is said in words as well as shown in
// colour. A completion is checked by main (not before the decision, not in the future) and changing one is kept in
// the audit trail; after each recording the screen's statistics are refreshed through `onRecorded`.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { CourseStatus, CourseView } from '../../../shared/contract';
import { daysBetween } from '../../../shared/domain/common';
import { call, messageOf } from '../api';
import { Button, ErrorMessage, SelectField, SuccessMessage, TableWrap } from '../components/ui';
import { bodyLabel, formatDay, plural } from '../format';

const STATUS_LABELS: Record<CourseStatus, string> = {
  overdue: 'Overdue',
  due: 'Due',
  'completed-late': 'Completed late',
  'completed-on-time': 'Completed on time',
};

const STATUS_BADGES: Record<CourseStatus, string> = {
  overdue: 'badge badge-expired',
  due: 'badge badge-neutral',
  'completed-late': 'badge badge-unverified',
  'completed-on-time': 'badge badge-verified',
};

type Filter = 'all' | 'open' | 'overdue';
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'all', label: 'All courses' },
  { value: 'open', label: 'Not yet completed' },
  { value: 'overdue', label: 'Overdue only' },
];

function statusDetail(course: CourseView, asOf: string): string | null {
  if (course.status === 'overdue') return `${plural(daysBetween(course.dueOn, asOf), 'day')} past due`;
  if (course.status === 'due') {
    const left = daysBetween(asOf, course.dueOn);
    return left === 0 ? 'Due today' : `${plural(left, 'day')} left`;
  }
  if (course.status === 'completed-late' && course.completedOn) return `${plural(daysBetween(course.dueOn, course.completedOn), 'day')} late`;
  return null;
}

interface CourseRowProps {
  course: CourseView;
  asOf: string;
  busy: boolean;
  /** The id of the section's error message while it is about this row's date, so the field points to it. */
  errorId: string | undefined;
  onRecord: (course: CourseView, date: string) => Promise<void>;
}

function CourseRow({ course, asOf, busy, errorId, onRecord }: CourseRowProps) {
  const [date, setDate] = useState(course.completedOn ?? '');
  const inputId = useId();
  useEffect(() => setDate(course.completedOn ?? ''), [course.completedOn]);
  const detail = statusDetail(course, asOf);
  const completed = course.completedOn !== null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    await onRecord(course, date);
  }

  return (
    <tr className={course.status === 'overdue' ? 'course-overdue' : undefined}>
      <th scope="row" className="nowrap">
        {course.caseReference}
      </th>
      <td>{bodyLabel(course.decidingBody)}</td>
      <td className="nowrap">{formatDay(course.decidedOn, '–', true)}</td>
      <td className="nowrap">{formatDay(course.dueOn, '–', true)}</td>
      <td className="nowrap">{completed ? formatDay(course.completedOn, '–', true) : <span className="muted">Not recorded</span>}</td>
      <td>
        <span className={STATUS_BADGES[course.status]}>
          {course.status === 'overdue' ? (
            <span aria-hidden="true" className="course-status-icon">
              !
            </span>
          ) : null}
          {STATUS_LABELS[course.status]}
        </span>
        {detail ? <span className="cell-sub">{detail}</span> : null}
      </td>
      <td>
        <form className="course-completion" noValidate onSubmit={(event) => void submit(event)}>
          <label htmlFor={inputId} className="visually-hidden">
            Day the course in case {course.caseReference} was completed
          </label>
          <input
            id={inputId}
            className="input course-date"
            type="date"
            value={date}
            min={course.decidedOn}
            max={asOf}
            aria-invalid={errorId ? true : undefined}
            aria-describedby={errorId}
            onChange={(event) => setDate(event.target.value)}
          />
          <Button type="submit" busy={busy} busyLabel="Saving…">
            {completed ? 'Change' : 'Record'}
            <span className="visually-hidden"> completion of case {course.caseReference}</span>
          </Button>
        </form>
      </td>
    </tr>
  );
}

/** `refreshKey`: reloads when the ledger may have changed (packages ingested). */
export function EducationCourses({ refreshKey, onRecorded }: { refreshKey: unknown; onRecorded: () => void }) {
  const [listing, setListing] = useState<{ asOf: string; courses: CourseView[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [saving, setSaving] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string; caseReference: string } | null>(null);
  const errorId = useId();

  const load = useCallback(async () => {
    try {
      setListing(await call('office.courses', {}));
      setLoadError(null);
    } catch (failure) {
      setLoadError(messageOf(failure));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  async function record(course: CourseView, date: string): Promise<void> {
    if (saving) return;
    const caseReference = course.caseReference;
    if (!date) {
      setMessage({ tone: 'error', caseReference, text: `Choose the day the course in case ${caseReference} was completed, then record it.` });
      return;
    }
    setSaving(course.caseReference);
    setMessage(null);
    try {
      const result = await call('office.recordCourseCompleted', { caseReference: course.caseReference, completedOn: date });
      const when = formatDay(result.course.completedOn);
      const how = result.course.status === 'completed-late' ? 'late' : 'on time';
      const text = !result.changed
        ? `The course in case ${course.caseReference} was already recorded as completed on ${when}. Nothing changed.`
        : result.previousCompletedOn
          ? `The course in case ${course.caseReference} is now recorded as completed on ${when} (${how}), instead of ${formatDay(result.previousCompletedOn)}. The change is kept in the audit trail.`
          : `The course in case ${course.caseReference} was recorded as completed on ${when} (${how}).`;
      setMessage({ tone: 'success', caseReference, text });
      await load();
      if (result.changed) onRecorded();
    } catch (failure) {
      setMessage({ tone: 'error', caseReference, text: `Not recorded: ${messageOf(failure)}` });
    } finally {
      setSaving(null);
    }
  }

  const courses = listing?.courses ?? [];
  const shown = courses.filter((course) => filter === 'all' || course.status === 'overdue' || (filter === 'open' && course.status === 'due'));
  const count = (status: CourseStatus) => courses.filter((course) => course.status === status).length;

  return (
    <section className="panel" aria-labelledby="courses-title">
      <div className="panel-header">
        <h2 id="courses-title">Education courses</h2>
        {listing ? (
          <p className="panel-meta">
            Status on {formatDay(listing.asOf)} · {count('overdue')} overdue · {count('due')} due · {count('completed-late') + count('completed-on-time')} completed
          </p>
        ) : null}
      </div>
      <p>
        A member found to have engaged in antisemitic conduct, unless expelled, must complete the education course within 4 weeks of the decision. Record the
        day each course was completed: the statistics count a course as overdue when its due date passed before it was completed.
      </p>
      {loadError ? <ErrorMessage>{loadError}</ErrorMessage> : null}
      {listing && courses.length === 0 ? <p className="muted">No record in the ledger orders an education course yet.</p> : null}
      {courses.length > 0 ? (
        <>
          <div className="stats-controls">
            <SelectField label="Show" value={filter} onChange={(event) => setFilter(event.target.value as Filter)} options={FILTERS} />
          </div>
          {message ? message.tone === 'success' ? <SuccessMessage>{message.text}</SuccessMessage> : <ErrorMessage id={errorId}>{message.text}</ErrorMessage> : null}
          <TableWrap label="Education courses ordered">
            <table className="table courses-table">
              <caption className="visually-hidden">Education courses ordered, with their status on {formatDay(listing?.asOf)}</caption>
              <thead>
                <tr>
                  <th scope="col">Case</th>
                  <th scope="col">Deciding body</th>
                  <th scope="col">Decided</th>
                  <th scope="col">Due</th>
                  <th scope="col">Completed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Record completion</th>
                </tr>
              </thead>
              <tbody>
                {shown.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="muted">
                      {filter === 'overdue' ? 'No course is overdue.' : 'Every course has been completed.'}
                    </td>
                  </tr>
                ) : (
                  shown.map((course) => (
                    <CourseRow
                      key={course.caseReference}
                      course={course}
                      asOf={listing!.asOf}
                      busy={saving === course.caseReference}
                      errorId={message?.tone === 'error' && message.caseReference === course.caseReference ? errorId : undefined}
                      onRecord={record}
                    />
                  ))
                )}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : null}
    </section>
  );
}
