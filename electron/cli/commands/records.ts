// `hearing-desk records …`: the central office's side of outcome records on the command line, over the same ledger
// the app uses (electron/services/records/ledger.ts). The ledger lives in the central-office profile's own encrypted
// vault (vault.db in the profile directory given by --profile, HEARING_DESK_PROFILE or the app's default), so these
// commands need that profile's passphrase (HEARING_DESK_PASSPHRASE or a prompt).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { DECIDING_BODY_LABELS } from '../../../shared/domain/case';
import { IsoDate } from '../../../shared/domain/common';
import { Quarter, StatsFormat } from '../../../shared/domain/record';
import { AppError } from '../../../shared/errors';
import { defineCommand, type CommandContext } from '../framework';
import { writeText } from '../io';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile, type ProfileIdentity } from '../profile';
import type { CentralOfficeLedger, FileOutcome } from '../../services/records/ledger';
import type { CourseListing, CourseStatus, EducationCourses } from '../../services/records/courses';

const JSON_FLAG = { name: 'json', takesValue: false, description: 'print one JSON result per file instead of text' } as const;
const MAX_FILES = 100_000;

async function readFiles(context: CommandContext): Promise<{ name: string; bytes: Uint8Array }[]> {
  return Promise.all(
    context.positionals.map(async (path) => {
      try {
        return { name: path, bytes: new Uint8Array(await readFile(resolve(path))) };
      } catch (error) {
        throw new AppError('input-unreadable', `Cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
      }
    }),
  );
}

function report(context: CommandContext, outcomes: readonly FileOutcome[], verb: string): void {
  for (const outcome of outcomes) {
    if (context.has('json')) {
      context.io.stdout.write(`${JSON.stringify(outcome)}\n`);
    } else if (outcome.ok) {
      context.io.stdout.write(`${verb.padEnd(8)} ${outcome.name}: case ${outcome.caseReference}, ${outcome.quarter}, ${outcome.signatures} signatures, record ${outcome.recordId.slice(0, 16)}\n`);
    } else {
      context.io.stdout.write(`REFUSED  ${outcome.name}: [${outcome.code}] ${outcome.message}\n`);
    }
  }
  const refused = outcomes.filter((outcome) => !outcome.ok).length;
  if (refused > 0) throw new AppError('records-refused', `${refused} of ${outcomes.length} file(s) refused; nothing from them was stored.`);
}

async function withLedger<T>(context: CommandContext, use: (ledger: CentralOfficeLedger, identity: ProfileIdentity) => Promise<T>): Promise<T> {
  return withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ session, identity }) => {
    const { centralOfficeLedger } = await import('../../services/records/ledger');
    return use(centralOfficeLedger(session), identity);
  });
}

export const recordsVerify = defineCommand({
  words: ['records', 'verify'],
  summary: 'Check outcome packages sent to the central office, without storing anything',
  usage: '[--profile DIR] [--json] FILE…',
  flags: [PROFILE_FLAG, JSON_FLAG],
  positionals: { min: 1, max: MAX_FILES, name: 'FILE' },
  details: `Opens each package with the central office's key and checks: that it is addressed to this office and complete;
that the chair named in the record sealed it; every signature against the participants the record names; that the
criteria's required signatures are all there; that the criteria are a version this office published; the letter's and
the record's hashes; that the summary is the record's and anonymous; and that the record is not already in the ledger.
Exits 1 if any file is refused, with its reason.`,
  async run(context) {
    const files = await readFiles(context);
    const outcomes = await withLedger(context, (ledger, identity) => ledger.verify(files, identity.ageIdentity));
    report(context, outcomes, 'VALID');
  },
});

export const recordsIngest = defineCommand({
  words: ['records', 'ingest'],
  summary: 'Verify outcome packages and keep the valid ones in the central office ledger',
  usage: '[--profile DIR] [--json] FILE…',
  flags: [PROFILE_FLAG, JSON_FLAG],
  positionals: { min: 1, max: MAX_FILES, name: 'FILE' },
  details: `Runs every check of 'records verify' on each file and stores the accepted records together; a refused file
changes nothing. The ledger is kept in the central-office profile's encrypted vault. Exits 1 if any file is refused.`,
  async run(context) {
    const files = await readFiles(context);
    const outcomes = await withLedger(context, (ledger, identity) => ledger.ingest(files, identity.ageIdentity));
    report(context, outcomes, 'INGESTED');
  },
});

export const recordsStats = defineCommand({
  words: ['records', 'stats'],
  summary: 'Quarterly outcome statistics as the action plan publishes them',
  usage: '[--profile DIR] --quarter 2026Q3 [--format csv|json|md] [--threshold N] [--as-of DATE] [-o OUTPUT]',
  flags: [
    PROFILE_FLAG,
    { name: 'quarter', takesValue: true, valueName: 'QUARTER', description: 'the quarter, e.g. 2026Q3 (by decision date)' },
    { name: 'format', takesValue: true, valueName: 'FORMAT', description: 'csv, json or md (default md)' },
    { name: 'threshold', takesValue: true, valueName: 'N', description: 'counts from 1 to N-1 are shown as "<N" (default 5)' },
    { name: 'as-of', takesValue: true, valueName: 'DATE', description: 'judge education courses overdue on this date (default: today, or the quarter’s last day if earlier)' },
    { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file instead of standard output' },
  ],
  positionals: { min: 0, max: 0, name: 'argument' },
  details: `Per region and type of complaint, by region and by deciding body: cases closed, split into not proven or no
further action, advice or training, formal warning, suspension and expulsion; median and 90th-percentile days from
complaint to decision; education courses ordered and overdue. Small counts are suppressed.`,
  async run(context) {
    const quarter = context.value('quarter') ?? context.usageError('Say which quarter with --quarter (e.g. 2026Q3).');
    if (!Quarter.safeParse(quarter).success) context.usageError(`"${quarter}" is not a quarter: write it like 2026Q3.`);
    const format = context.value('format') ?? 'md';
    const parsedFormat = StatsFormat.safeParse(format);
    if (!parsedFormat.success) context.usageError(`--format must be csv, json or md, not "${format}".`);
    const thresholdText = context.value('threshold');
    const threshold = thresholdText === undefined ? undefined : Number(thresholdText);
    if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1 || threshold > 1000)) context.usageError('--threshold must be a whole number from 1 to 1000.');
    const asOf = context.value('as-of');
    if (asOf !== undefined && !IsoDate.safeParse(asOf).success) context.usageError(`--as-of must be a date (YYYY-MM-DD), not "${asOf}".`);
    const { formatStats, quarterBounds } = await import('../../services/records/stats');
    // A quarter still running is judged as of today, not its (future) last day.
    const today = new Date().toISOString().slice(0, 10);
    const effectiveAsOf = asOf ?? [today, quarterBounds(quarter).to].sort()[0]!;
    const text = await withLedger(context, async (ledger) =>
      formatStats(ledger.stats({ quarter, asOf: effectiveAsOf, ...(threshold !== undefined ? { threshold } : {}) }), parsedFormat.data!),
    );
    await writeText(context.io, context.value('output'), text, 0o644);
  },
});

export const recordsPublishCriteria = defineCommand({
  words: ['records', 'publish-criteria'],
  summary: 'Record a criteria version this office publishes (signing it when unsigned)',
  usage: '[--profile DIR] [-o SIGNED] CRITERIA.json',
  flags: [PROFILE_FLAG, { name: 'output', short: 'o', takesValue: true, valueName: 'SIGNED', description: 'write the signed criteria file here' }],
  positionals: { min: 1, max: 1, name: 'CRITERIA.json' },
  details: `Records published are the only ones the ledger accepts records under. An unsigned criteria document is signed
with this office's key; a signed file must carry this office's signature. A version already published with different
text is refused.`,
  async run(context) {
    const path = context.positionals[0]!;
    const input = await readFile(resolve(path)).catch((error: Error) => {
      throw new AppError('input-unreadable', `Cannot read ${path}: ${error.message.split('\n')[0]}`);
    });
    const published = await withLedger(context, async (ledger, identity) =>
      ledger.publishCriteria(new Uint8Array(input), { name: identity.name, signingKey: identity.signingPublic.toString('base64'), seed: identity.signingSeed }),
    );
    if (context.value('output')) await writeText(context.io, context.value('output'), published.signedJson, 0o644);
    context.io.stdout.write(`Published ${published.id} version ${published.version} (${published.digest.slice(0, 16)}) from ${basename(path)}\n`);
  },
});

export const recordsExportHistory = defineCommand({
  words: ['records', 'export-history'],
  summary: 'Write the anonymised decision history (category, band, sanction), signed, for panels to import',
  usage: '[--profile DIR] [-o OUTPUT]',
  flags: [PROFILE_FLAG, { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file instead of standard output' }],
  positionals: { min: 0, max: 0, name: 'argument' },
  async run(context) {
    const { serializeDecisionHistory } = await import('../../services/records/history');
    const text = await withLedger(context, async (ledger, identity) => serializeDecisionHistory(ledger.exportHistory(identity.signingSeed, new Date().toISOString().slice(0, 10))));
    await writeText(context.io, context.value('output'), text, 0o644);
  },
});

const COURSE_FORMATS = ['table', 'json', 'csv'] as const;
type CourseFormat = (typeof COURSE_FORMATS)[number];

/** The words a person reads; OVERDUE in capitals so it stands out without colour. */
const COURSE_STATUS_WORDS: Record<CourseStatus, string> = {
  'completed-on-time': 'completed on time',
  'completed-late': 'completed late',
  due: 'due',
  overdue: 'OVERDUE',
};

function formatCourses(listing: CourseListing, format: CourseFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ format: 'hearing-desk/education-courses@1', ...listing }, null, 2)}\n`;
    case 'csv': {
      // References, bodies, dates and statuses never hold a comma or quote (their schemas say so): no quoting needed.
      const lines = [['case_reference', 'deciding_body', 'decided_on', 'due_on', 'completed_on', 'status']];
      for (const c of listing.courses) lines.push([c.caseReference, c.decidingBody, c.decidedOn, c.dueOn, c.completedOn ?? '', c.status]);
      return `${lines.map((line) => line.join(',')).join('\r\n')}\r\n`;
    }
    case 'table': {
      const rows = [
        ['Case', 'Deciding body', 'Decided', 'Due', 'Completed', 'Status'],
        ...listing.courses.map((c) => [c.caseReference, (DECIDING_BODY_LABELS as Record<string, string>)[c.decidingBody] ?? c.decidingBody, c.decidedOn, c.dueOn, c.completedOn ?? '–', COURSE_STATUS_WORDS[c.status]]),
      ];
      const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
      const table = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
      const count = (status: string) => listing.courses.filter((c) => c.status === status).length;
      const summary =
        listing.courses.length === 0
          ? `No education courses were ordered in the records in the ledger (as of ${listing.asOf}).`
          : `${listing.courses.length} course(s) ordered, as of ${listing.asOf}: ${count('overdue')} overdue, ${count('due')} due, ${count('completed-late')} completed late, ${count('completed-on-time')} completed on time.`;
      return listing.courses.length === 0 ? `${summary}\n` : `${table}\n\n${summary}\n`;
    }
  }
}

async function withCourses<T>(context: CommandContext, use: (courses: EducationCourses) => T): Promise<T> {
  return withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ session }) => {
    const { educationCourses } = await import('../../services/records/courses');
    return use(educationCourses(session));
  });
}

export const recordsCourses = defineCommand({
  words: ['records', 'courses'],
  summary: 'Education courses the panels ordered: due dates, completions, and which are overdue',
  usage: '[--profile DIR] [--as-of DATE] [--format table|json|csv] [-o OUTPUT]',
  flags: [
    PROFILE_FLAG,
    { name: 'as-of', takesValue: true, valueName: 'DATE', description: 'judge each course on this date (default today)' },
    { name: 'format', takesValue: true, valueName: 'FORMAT', description: 'table, json or csv (default table)' },
    { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file instead of standard output' },
  ],
  positionals: { min: 0, max: 0, name: 'argument' },
  details: `Every record in the ledger that orders an education course, earliest due first: the case, the deciding body,
the decision date, the due date, the completion date recorded with 'records course-completed', and its status on the
as-of date: completed on time, completed late, due, or OVERDUE (its due date has passed and it was not completed by
then). Courses overdue or completed late are what 'records stats' counts as overdue.`,
  async run(context) {
    const format = context.value('format') ?? 'table';
    if (!(COURSE_FORMATS as readonly string[]).includes(format)) context.usageError(`--format must be table, json or csv, not "${format}".`);
    const asOf = context.value('as-of');
    if (asOf !== undefined && !IsoDate.safeParse(asOf).success) context.usageError(`--as-of must be a date (YYYY-MM-DD), not "${asOf}".`);
    const text = await withCourses(context, (courses) => formatCourses(courses.list(asOf === undefined ? {} : { asOf }), format as CourseFormat));
    await writeText(context.io, context.value('output'), text, 0o644);
  },
});

export const recordsCourseCompleted = defineCommand({
  words: ['records', 'course-completed'],
  summary: 'Record the day a case’s education course was completed (or correct it)',
  usage: '[--profile DIR] --on DATE REFERENCE',
  flags: [PROFILE_FLAG, { name: 'on', takesValue: true, valueName: 'DATE', description: 'the day the course was completed (YYYY-MM-DD)' }],
  positionals: { min: 1, max: 1, name: 'REFERENCE' },
  details: `REFERENCE is the case reference as in 'records courses' (e.g. NCC/2026/0417). Refused, changing nothing: a
case not in the ledger, a case whose panel ordered no course, a date before the decision, and a date after today. A
date already recorded can be corrected by recording the right one; each recording is kept in the audit trail with
the date it replaced.`,
  async run(context) {
    const reference = context.positionals[0]!;
    const on = context.value('on') ?? context.usageError('Say when the course was completed with --on (e.g. --on 2026-05-20).');
    if (!IsoDate.safeParse(on).success) context.usageError(`--on must be a date (YYYY-MM-DD), not "${on}".`);
    const recorded = await withCourses(context, (courses) => courses.recordCompleted(reference, on));
    const { course, previousCompletedOn } = recorded;
    const status = `due ${course.dueOn}: ${COURSE_STATUS_WORDS[course.status].toLowerCase()}`;
    const line = !recorded.changed
      ? `Already recorded: the education course in case ${course.caseReference} was completed on ${course.completedOn} (${status}). Nothing changed.`
      : previousCompletedOn === null
        ? `Recorded: the education course in case ${course.caseReference} was completed on ${course.completedOn} (${status}).`
        : `Changed: the education course in case ${course.caseReference} was completed on ${course.completedOn}, not ${previousCompletedOn} (${status}).`;
    context.io.stdout.write(`${line}\n`);
  },
});

export const recordsCommands = [recordsVerify, recordsIngest, recordsStats, recordsCourses, recordsCourseCompleted, recordsPublishCriteria, recordsExportHistory];
