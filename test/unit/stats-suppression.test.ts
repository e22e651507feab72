// Small-count suppression in the quarterly statistics, as a property over random quarters: every published number is
// the true count; every suppressed cell hides a count below the threshold or is withheld ("*") to protect one; and no
// suppressed cell can be worked out by subtraction, because wherever published cells add up to a published total
// (a row to its cases closed, a table's column to the total's, a region's detail rows to the region's row) either none
// or at least two of them are withheld. The groups are rebuilt here from the published report alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_OUTCOME_CATEGORIES, type OutcomeCounts, type PublishedCount } from '../../shared/domain/record';
import { computeStats, type StatsRow } from '../../electron/services/records/stats';

const REGIONS = ['north', 'south', 'wales', null] as const;
const TYPES = ['social-media', 'verbal-comment-in-meeting', 'other'] as const;
const BODIES = ['nec-panel', 'ncc', 'independent-panel'] as const;

const row = fc.record({
  region: fc.constantFrom(...REGIONS),
  complaintType: fc.constantFrom(...TYPES),
  decidingBody: fc.constantFrom(...BODIES),
  outcomeCategory: fc.constantFrom(...PUBLISHED_OUTCOME_CATEGORIES),
});

function toRows(drawn: { region: string | null; complaintType: string; decidingBody: string; outcomeCategory: string }[]): StatsRow[] {
  return drawn.map((r) => ({ ...r, complaintReceived: '2026-05-01', decision: '2026-08-01', courseDue: null, courseCompletedOn: null }));
}

function cellsOf(counts: OutcomeCounts): PublishedCount[] {
  return [counts.closed, ...PUBLISHED_OUTCOME_CATEGORIES.map((id) => counts.outcomes[id]!)];
}

const hidden = (cell: PublishedCount) => typeof cell === 'string';

describe('suppression of small counts', () => {
  it('never lets a suppressed cell be worked out by subtraction, and never changes a published count', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 120 }), fc.integer({ min: 2, max: 10 }), (drawn, threshold) => {
        const rows = toRows(drawn);
        const report = computeStats(rows, { quarter: '2026Q3', threshold });
        const truth = (filter: (r: StatsRow) => boolean) => {
          const chosen = rows.filter(filter);
          return [chosen.length, ...PUBLISHED_OUTCOME_CATEGORIES.map((id) => chosen.filter((r) => r.outcomeCategory === id).length)];
        };
        const checkRow = (counts: OutcomeCounts, filter: (r: StatsRow) => boolean) => {
          const real = truth(filter);
          cellsOf(counts).forEach((cell, index) => {
            if (typeof cell === 'number') expect(cell).toBe(real[index]);
            else if (cell === `<${threshold}`) expect(real[index]! > 0 && real[index]! < threshold).toBe(true);
            else expect(cell).toBe('*');
          });
        };
        const groups: { total: PublishedCount; members: PublishedCount[] }[] = [];
        const addRow = (counts: OutcomeCounts) => groups.push({ total: counts.closed, members: cellsOf(counts).slice(1) });
        const addColumns = (sum: OutcomeCounts, parts: OutcomeCounts[]) =>
          cellsOf(sum).forEach((total, index) => groups.push({ total, members: parts.map((part) => cellsOf(part)[index]!) }));

        checkRow(report.total, () => true);
        addRow(report.total);
        for (const r of report.byRegion) checkRow(r, (x) => (x.region ?? 'unknown') === r.region);
        for (const r of report.byRegionAndComplaintType) checkRow(r, (x) => (x.region ?? 'unknown') === r.region && x.complaintType === r.complaintType);
        for (const r of report.byDecidingBody) checkRow(r, (x) => x.decidingBody === r.decidingBody);
        for (const table of [report.byRegion, report.byRegionAndComplaintType, report.byDecidingBody] as OutcomeCounts[][]) {
          table.forEach(addRow);
          addColumns(report.total, table);
        }
        for (const region of report.byRegion) addColumns(region, report.byRegionAndComplaintType.filter((r) => r.region === region.region));

        for (const group of groups) {
          if (hidden(group.total)) continue;
          expect(group.members.filter(hidden).length).not.toBe(1);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('withholds across tables: a region’s lone small cell is protected in the detail table too', () => {
    // North: 6 social media expulsions and 2 "other" expulsions; the region's expulsions (8) are published, so the
    // detail table's "<5" for north/other would give 2 away unless another detail cell of that column is withheld.
    const rows = toRows([
      ...Array.from({ length: 6 }, () => ({ region: 'north', complaintType: 'social-media', decidingBody: 'ncc', outcomeCategory: 'expulsion' })),
      ...Array.from({ length: 2 }, () => ({ region: 'north', complaintType: 'other', decidingBody: 'ncc', outcomeCategory: 'expulsion' })),
    ]);
    const report = computeStats(rows, { quarter: '2026Q3' });
    expect(report.byRegion[0]!.outcomes.expulsion).toBe(8);
    const detail = report.byRegionAndComplaintType.map((r) => [r.complaintType, r.closed, r.outcomes.expulsion]);
    expect(detail).toEqual([
      ['social-media', '*', '*'],
      ['other', '<5', '<5'],
    ]);
  });
});
