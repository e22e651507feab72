// The quarterly statistics (suppression, percentiles, overdue courses, the three output formats) and the anonymisation
// check, on rows and records whose answers can be worked out by hand.
import { describe, expect, it } from 'vitest';
import { StatsReport } from '../../shared/domain/record';
import { findIdentifyingText, requireAnonymised } from '../../electron/services/records/anonymise';
import { computeStats, formatStats, percentile, quarterBounds, quarterOf, type StatsRow } from '../../electron/services/records/stats';
import { recordFor, syntheticPanel } from '../helpers/records';

function row(change: Partial<StatsRow> = {}): StatsRow {
  return {
    region: 'london',
    complaintType: 'social-media',
    decidingBody: 'ncc',
    outcomeCategory: 'suspension',
    complaintReceived: '2026-06-01',
    decision: '2026-08-10',
    courseDue: null,
    courseCompletedOn: null,
    ...change,
  };
}

const many = (count: number, change: Partial<StatsRow> = {}) => Array.from({ length: count }, () => row(change));

describe('quarters', () => {
  it('maps dates to quarters and back', () => {
    expect(quarterBounds('2026Q3')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(quarterBounds('2028Q1')).toEqual({ from: '2028-01-01', to: '2028-03-31' });
    expect(quarterOf('2026-12-31')).toBe('2026Q4');
    expect(() => quarterBounds('2026Q5')).toThrow(expect.objectContaining({ code: 'stats-input-invalid' }));
  });
});

describe('computeStats', () => {
  it('splits closed cases by outcome, region and type, deciding body; only the quarter counts', () => {
    const rows = [
      ...many(6, { outcomeCategory: 'formal-warning' }),
      ...many(7, { outcomeCategory: 'expulsion', decidingBody: 'nec-panel' }),
      ...many(5, { region: 'wales', complaintType: 'verbal-comment-in-meeting', outcomeCategory: 'not-proven-or-no-further-action' }),
      ...many(9, { decision: '2026-10-01' }), // next quarter
    ];
    const report = StatsReport.parse(computeStats(rows, { quarter: '2026Q3' }));
    expect(report.total).toEqual({
      closed: 18,
      outcomes: { 'not-proven-or-no-further-action': 5, 'advice-or-training': 0, 'formal-warning': 6, suspension: 0, expulsion: 7 },
    });
    expect(report.byRegionAndComplaintType.map((r) => [r.region, r.complaintType, r.closed])).toEqual([
      ['london', 'social-media', 13],
      ['wales', 'verbal-comment-in-meeting', 5],
    ]);
    expect(report.byDecidingBody.find((r) => r.decidingBody === 'nec-panel')).toMatchObject({ closed: 7, outcomes: { expulsion: 7 } });
    expect(report.byDecidingBody.find((r) => r.decidingBody === 'independent-panel')).toMatchObject({ closed: 0 });
  });

  it('shows small counts as "<5" and withholds a second cell when one could be worked out from the total', () => {
    const rows = [...many(3, { outcomeCategory: 'expulsion' }), ...many(6, { outcomeCategory: 'formal-warning' }), ...many(8, { outcomeCategory: 'suspension' })];
    const report = computeStats(rows, { quarter: '2026Q3' });
    expect(report.total.closed).toBe(17);
    expect(report.total.outcomes).toMatchObject({ expulsion: '<5', 'formal-warning': '*', suspension: 8, 'advice-or-training': 0 });
    const small = computeStats(many(2), { quarter: '2026Q3' });
    expect(small.total).toMatchObject({ closed: '<5', outcomes: { suspension: '<5' } });
    expect(small.daysToDecision).toEqual({ cases: '<5', median: null, p90: null });
    const threshold10 = computeStats(many(7), { quarter: '2026Q3', threshold: 10 });
    expect(threshold10.total.closed).toBe('<10');
  });

  it('gives the median and 90th percentile of days from complaint to decision', () => {
    const received = ['2026-07-01', '2026-06-01', '2026-05-01', '2026-04-01', '2026-03-01', null];
    const rows = received.map((date) => row({ complaintReceived: date, decision: '2026-07-31' }));
    const report = computeStats(rows, { quarter: '2026Q3' });
    // 30, 60, 91, 121, 152 days
    expect(report.daysToDecision).toEqual({ cases: 5, median: 91, p90: 152 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });

  it('counts education courses ordered and those overdue on the given date', () => {
    const rows = [
      ...many(3, { courseDue: '2026-08-30' }),
      ...many(2, { courseDue: '2026-08-30', courseCompletedOn: '2026-08-20' }),
      ...many(2, { courseDue: '2026-09-20' }),
    ];
    const report = computeStats(rows, { quarter: '2026Q3', asOf: '2026-09-01', threshold: 1 });
    expect(report.educationCourses).toEqual({ ordered: 7, overdue: 3 });
    expect(computeStats(rows, { quarter: '2026Q3', threshold: 1 }).educationCourses.overdue).toBe(5);
  });

  it('writes csv, json and markdown carrying the same figures', () => {
    const report = computeStats([...many(6), ...many(5, { region: 'scotland', outcomeCategory: 'advice-or-training' })], { quarter: '2026Q3' });
    const csv = formatStats(report, 'csv').split('\r\n');
    expect(csv).toContain('2026Q3,region,scotland,,,advice-or-training,5');
    expect(csv).toContain('2026Q3,days-to-decision,,,,median,70');
    expect(StatsReport.parse(JSON.parse(formatStats(report, 'json')))).toEqual(report);
    const md = formatStats(report, 'md');
    expect(md).toContain('| scotland | 5 | 0 | 5 | 0 | 0 | 0 |');
    expect(md).toContain('| Region | Cases closed | Not proven or no further action | Further advice or training | Formal warning | Suspension | Expulsion |');
  });

  it('refuses an impossible threshold or date', () => {
    expect(() => computeStats([], { quarter: '2026Q3', threshold: 0 })).toThrow(expect.objectContaining({ code: 'stats-input-invalid' }));
    expect(() => computeStats([], { quarter: '2026Q3', asOf: '2026-02-30' })).toThrow(expect.objectContaining({ code: 'stats-input-invalid' }));
  });
});

describe('the anonymisation check', () => {
  const record = recordFor(syntheticPanel());

  it('passes the baseline summary', () => {
    expect(findIdentifyingText(record, record.publicationSummary)).toEqual([]);
  });

  it.each([
    ['a participant’s surname, any case, with accents folded', 'The panel noted OSSINGTON’s view.', 'Ossington'],
    ['part of a hyphenated name', 'Advice was given by Ms Delacroix.', 'Delacroix'],
    ['the respondent’s pseudonym', 'Member R was suspended.', 'Member R'],
    ['the complainant’s pseudonym', 'complainant c gave evidence', 'Complainant C'],
    ['the case reference', 'In ncc/2026/0417 the panel found…', 'NCC/2026/0417'],
  ])('refuses %s, quoting it', (_what, text, term) => {
    let message = '';
    try {
      requireAnonymised(record, text);
    } catch (error) {
      message = (error as Error).message;
      expect((error as { code: string }).code).toBe('summary-not-anonymous');
    }
    expect(message).toContain(`"${term}"`);
  });

  it('does not flag words that merely contain a name part', () => {
    const tobiasRecord = { ...record, participants: record.participants.map((p) => (p.role === 'panellist' ? { ...p, name: 'Ann Hale' } : p)) };
    expect(findIdentifyingText(tobiasRecord, 'The annual review found the halest argument unconvincing.')).toEqual([]);
  });
});
