// Quarterly statistics exactly as the action plan publishes them (2.4, 2.7, 4.1): per quarter and region, by complaint
// type, cases closed split into not proven or no further action / advice or training / formal warning / suspension /
// expulsion; by deciding body; median and 90th-percentile days from complaint to decision; education courses ordered
// and overdue. Small counts are suppressed so nobody can be identified: a count above zero and below the threshold is
// published as "<threshold"; where a row or column would then give a suppressed cell away by subtraction from its total
// (within a table, or across tables that add up to each other), further cells are withheld too. Pure computation
// over rows the ledger hands over: no I/O.
import { COMPLAINT_TYPES, DECIDING_BODIES, DECIDING_BODY_LABELS } from '../../../shared/domain/case';
import { daysBetween, IsoDate } from '../../../shared/domain/common';
import { PUBLISHED_OUTCOME_CATEGORIES, Quarter, type OutcomeCounts, type PublishedCount, type StatsFormat, type StatsReport } from '../../../shared/domain/record';
import { RecordError } from './record';

export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** One closed case as the statistics need it (the ledger's indexed columns). */
export interface StatsRow {
  region: string | null;
  complaintType: string | null;
  decidingBody: string;
  outcomeCategory: string;
  complaintReceived: string | null;
  decision: string;
  courseDue: string | null;
  courseCompletedOn: string | null;
}

export interface StatsOptions {
  quarter: string;
  /** Counts above zero and below this are suppressed (default 5). */
  threshold?: number;
  /** The date courses are judged overdue on (default: the end of the quarter). */
  asOf?: string;
}

const CATEGORY_LABELS: Record<string, string> = {
  'not-proven-or-no-further-action': 'Not proven or no further action',
  'advice-or-training': 'Further advice or training',
  'formal-warning': 'Formal warning',
  suspension: 'Suspension',
  expulsion: 'Expulsion',
};

const COMPLAINT_TYPE_LABELS: Record<string, string> = {
  'social-media': 'Social media',
  'verbal-comment-in-meeting': 'Verbal comment in a meeting',
  'written-communication': 'Written communication',
  'conduct-at-event': 'Conduct at an event',
  other: 'Other',
  unknown: 'Not recorded',
};

const UNKNOWN = 'unknown';

/** "2026Q3" to its first and last day. */
export function quarterBounds(quarter: string): { from: string; to: string } {
  if (!Quarter.safeParse(quarter).success) throw new RecordError('stats-input-invalid', `"${quarter.slice(0, 20)}" is not a quarter (write it like 2026Q3).`);
  const year = Number(quarter.slice(0, 4));
  const q = Number(quarter.slice(5));
  const firstMonth = (q - 1) * 3 + 1;
  const lastDay = new Date(Date.UTC(year, firstMonth + 2, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${year}-${pad(firstMonth)}-01`, to: `${year}-${pad(firstMonth + 2)}-${pad(lastDay)}` };
}

/** The quarter a date falls in ("2026-08-14" → "2026Q3"). */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function median(sorted: readonly number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function suppress(count: number, threshold: number): PublishedCount {
  return count > 0 && count < threshold ? `<${threshold}` : count;
}

/** One published count and the true count behind it (kept only while the report is computed). */
interface CountCell {
  raw: number;
  published: PublishedCount;
}

interface CountRow {
  closed: CountCell;
  outcomes: Map<string, CountCell>;
}

function countRow(rows: readonly StatsRow[], categories: readonly string[], threshold: number): CountRow {
  const raw = new Map(categories.map((id) => [id, 0]));
  for (const row of rows) raw.set(row.outcomeCategory, (raw.get(row.outcomeCategory) ?? 0) + 1);
  const cell = (count: number): CountCell => ({ raw: count, published: suppress(count, threshold) });
  return { closed: cell(rows.length), outcomes: new Map([...raw].map(([id, count]) => [id, cell(count)])) };
}

function published(row: CountRow): OutcomeCounts {
  return { closed: row.closed.published, outcomes: Object.fromEntries([...row.outcomes].map(([id, cell]) => [id, cell.published])) };
}

/** Cells that add up to a total: if the total is published, the members' sum is known. */
interface SumGroup {
  total: CountCell;
  members: CountCell[];
}

/**
 * Complementary suppression. A lone suppressed cell in a group whose total is published could be recovered by
 * subtraction, so the group's next smallest published non-zero cell is withheld too ("*": it may be at or above the
 * threshold, so "<threshold" could be untrue). Where no such cell exists (the rest are zeros, which happens once a
 * cell at or above the threshold was withheld for another group), the total itself is withheld. Withholding a cell
 * can leave another group with a lone suppressed cell, so this repeats until no group gives one away; it ends because
 * cells are only ever withheld, never published again.
 */
function protectAgainstSubtraction(groups: readonly SumGroup[]): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const group of groups) {
      if (typeof group.total.published !== 'number') continue;
      if (group.members.filter((cell) => typeof cell.published === 'string').length !== 1) continue;
      const next = group.members.filter((cell) => typeof cell.published === 'number' && cell.raw > 0).sort((a, b) => a.raw - b.raw)[0];
      (next ?? group.total).published = '*';
      changed = true;
    }
  }
}

/** Every way the published tables add up: each row to its cases closed, each table's column to the total's, each region's detail rows to the region's row. */
function sumGroups(total: CountRow, tables: readonly (readonly CountRow[])[], regions: readonly { region: CountRow; detail: readonly CountRow[] }[], categories: readonly string[]): SumGroup[] {
  const columns = (row: CountRow) => [row.closed, ...categories.map((id) => row.outcomes.get(id)!)];
  const groups: SumGroup[] = [];
  for (const row of [total, ...tables.flat()]) groups.push({ total: row.closed, members: categories.map((id) => row.outcomes.get(id)!) });
  const columnGroups = (sum: CountRow, parts: readonly CountRow[]) => {
    const totals = columns(sum);
    const partColumns = parts.map(columns);
    totals.forEach((cell, index) => groups.push({ total: cell, members: partColumns.map((cells) => cells[index]!) }));
  };
  for (const table of tables) columnGroups(total, table);
  for (const { region, detail } of regions) columnGroups(region, detail);
  return groups;
}

/** The quarter's statistics from its closed cases (rows outside the quarter are ignored). */
export function computeStats(rows: readonly StatsRow[], options: StatsOptions): StatsReport {
  const { from, to } = quarterBounds(options.quarter);
  const threshold = options.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 1_000) throw new RecordError('stats-input-invalid', 'The suppression threshold must be a whole number from 1 to 1,000.');
  const asOf = options.asOf ?? to;
  if (!IsoDate.safeParse(asOf).success) throw new RecordError('stats-input-invalid', `"${String(asOf).slice(0, 20)}" is not a date (YYYY-MM-DD).`);
  const inQuarter = rows.filter((row) => row.decision >= from && row.decision <= to);
  const extra = [...new Set(inQuarter.map((row) => row.outcomeCategory))].filter((id) => !(PUBLISHED_OUTCOME_CATEGORIES as readonly string[]).includes(id)).sort();
  const categories = [...PUBLISHED_OUTCOME_CATEGORIES, ...extra];

  const groupBy = <K extends string>(list: readonly StatsRow[], key: (row: StatsRow) => K) => {
    const groups = new Map<K, StatsRow[]>();
    for (const row of list) {
      const k = key(row);
      let group = groups.get(k);
      if (!group) groups.set(k, (group = []));
      group.push(row);
    }
    return groups;
  };
  const typeOrder = (type: string) => {
    const index = (COMPLAINT_TYPES as readonly string[]).indexOf(type);
    return index === -1 ? COMPLAINT_TYPES.length : index;
  };
  const detail = [...groupBy(inQuarter, (row) => `${row.region ?? UNKNOWN}\u0000${row.complaintType ?? UNKNOWN}`)]
    .map(([key, group]) => {
      const [region, complaintType] = key.split('\u0000') as [string, string];
      return { region, complaintType, counts: countRow(group, categories, threshold) };
    })
    .sort((a, b) => a.region.localeCompare(b.region) || typeOrder(a.complaintType) - typeOrder(b.complaintType));
  const regions = [...groupBy(inQuarter, (row) => row.region ?? UNKNOWN)]
    .map(([region, group]) => ({ region, counts: countRow(group, categories, threshold) }))
    .sort((a, b) => a.region.localeCompare(b.region));
  const bodies = [...DECIDING_BODIES, ...[...new Set(inQuarter.map((row) => row.decidingBody))].filter((b) => !(DECIDING_BODIES as readonly string[]).includes(b))];
  const bodyGroups = groupBy(inQuarter, (row) => row.decidingBody);
  const byBody = bodies.map((decidingBody) => ({ decidingBody, counts: countRow(bodyGroups.get(decidingBody) ?? [], categories, threshold) }));
  const total = countRow(inQuarter, categories, threshold);
  protectAgainstSubtraction(
    sumGroups(
      total,
      [detail.map((row) => row.counts), regions.map((row) => row.counts), byBody.map((row) => row.counts)],
      regions.map((row) => ({ region: row.counts, detail: detail.filter((d) => d.region === row.region).map((d) => d.counts) })),
      categories,
    ),
  );
  const byRegionAndComplaintType = detail.map(({ region, complaintType, counts }) => ({ region, complaintType, ...published(counts) }));
  const byRegion = regions.map(({ region, counts }) => ({ region, ...published(counts) }));
  const byDecidingBody = byBody.map(({ decidingBody, counts }) => ({ decidingBody, ...published(counts) }));

  const days = inQuarter
    .filter((row) => row.complaintReceived !== null)
    .map((row) => daysBetween(row.complaintReceived!, row.decision))
    .sort((a, b) => a - b);
  const timed = days.length >= threshold;
  const ordered = inQuarter.filter((row) => row.courseDue !== null);
  const overdue = ordered.filter((row) => row.courseDue! < asOf && (row.courseCompletedOn === null || row.courseCompletedOn > row.courseDue!));

  return {
    format: 'hearing-desk/outcome-stats@1',
    quarter: options.quarter,
    threshold,
    asOf,
    outcomeCategories: categories.map((id) => ({ id, label: CATEGORY_LABELS[id] ?? id })),
    byRegionAndComplaintType,
    byRegion,
    byDecidingBody,
    total: published(total),
    daysToDecision: { cases: suppress(days.length, threshold), median: timed ? median(days) : null, p90: timed ? percentile(days, 90) : null },
    educationCourses: { ordered: suppress(ordered.length, threshold), overdue: suppress(overdue.length, threshold) },
  };
}

// --- output --------------------------------------------------------------------------------------------------------

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function bodyLabel(id: string): string {
  return (DECIDING_BODY_LABELS as Record<string, string>)[id] ?? id;
}

/** Long ("tidy") CSV: one published figure per line, so every spreadsheet reads it the same way. */
function toCsv(report: StatsReport): string {
  const lines = [['quarter', 'table', 'region', 'complaint_type', 'deciding_body', 'measure', 'value']];
  const push = (table: string, region: string, type: string, body: string, measure: string, value: PublishedCount | number | null) =>
    lines.push([report.quarter, table, region, type, body, measure, value === null ? '' : String(value)]);
  const counts = (table: string, region: string, type: string, body: string, counts: OutcomeCounts) => {
    push(table, region, type, body, 'closed', counts.closed);
    for (const category of report.outcomeCategories) push(table, region, type, body, category.id, counts.outcomes[category.id] ?? 0);
  };
  for (const row of report.byRegionAndComplaintType) counts('region-and-complaint-type', row.region, row.complaintType, '', row);
  for (const row of report.byRegion) counts('region', row.region, '', '', row);
  for (const row of report.byDecidingBody) counts('deciding-body', '', '', row.decidingBody, row);
  counts('total', '', '', '', report.total);
  push('days-to-decision', '', '', '', 'cases', report.daysToDecision.cases);
  push('days-to-decision', '', '', '', 'median', report.daysToDecision.median);
  push('days-to-decision', '', '', '', 'p90', report.daysToDecision.p90);
  push('education-courses', '', '', '', 'ordered', report.educationCourses.ordered);
  push('education-courses', '', '', '', 'overdue', report.educationCourses.overdue);
  return `${lines.map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function mdCell(value: PublishedCount | number | string | null): string {
  return value === null ? '–' : String(value).replace(/\|/g, '\\|');
}

function toMarkdown(report: StatsReport): string {
  const heads = report.outcomeCategories.map((c) => c.label);
  const table = (first: string[], rows: { cells: string[]; counts: OutcomeCounts }[]) => {
    const header = [...first, 'Cases closed', ...heads];
    const out = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i < first.length ? ' --- ' : ' ---: ')).join('|')}|`];
    for (const row of rows) {
      out.push(`| ${[...row.cells.map(mdCell), mdCell(row.counts.closed), ...report.outcomeCategories.map((c) => mdCell(row.counts.outcomes[c.id] ?? 0))].join(' | ')} |`);
    }
    return out.join('\n');
  };
  const { from, to } = quarterBounds(report.quarter);
  return [
    `# Complaint outcomes, ${report.quarter} (${from} to ${to})`,
    '',
    `Cases closed in the quarter. Counts from 1 to ${report.threshold - 1} are shown as "<${report.threshold}" so that nobody can be identified; "*" marks a count withheld so that another cannot be worked out by subtraction.`,
    '',
    '## By region and type of complaint',
    '',
    table(['Region', 'Type of complaint'], report.byRegionAndComplaintType.map((row) => ({ cells: [row.region, COMPLAINT_TYPE_LABELS[row.complaintType] ?? row.complaintType], counts: row }))),
    '',
    '## By region',
    '',
    table(['Region'], report.byRegion.map((row) => ({ cells: [row.region], counts: row }))),
    '',
    '## By deciding body',
    '',
    table(['Deciding body'], report.byDecidingBody.map((row) => ({ cells: [bodyLabel(row.decidingBody)], counts: row }))),
    '',
    '## All cases',
    '',
    table(['All'], [{ cells: ['All cases'], counts: report.total }]),
    '',
    '## Time from complaint to decision',
    '',
    '| Cases with both dates | Median days | 90th percentile days |',
    '| ---: | ---: | ---: |',
    `| ${mdCell(report.daysToDecision.cases)} | ${mdCell(report.daysToDecision.median)} | ${mdCell(report.daysToDecision.p90)} |`,
    '',
    '## Education courses',
    '',
    `| Ordered | Overdue on ${report.asOf} |`,
    '| ---: | ---: |',
    `| ${mdCell(report.educationCourses.ordered)} | ${mdCell(report.educationCourses.overdue)} |`,
    '',
  ].join('\n');
}

export function formatStats(report: StatsReport, format: StatsFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return toCsv(report);
    case 'md':
      return toMarkdown(report);
  }
}
