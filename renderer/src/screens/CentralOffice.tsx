// The central office: ingest outcome packages from panels (each verified: every signature, the criteria, the hashes,
// the letter, the anonymised summary; a refused file changes nothing and says why), and the quarter's statistics as
// the action plan publishes them, with small counts suppressed, exported as CSV, JSON or Markdown. Between them, the
// education courses the panels ordered, where the office records completions (CentralOfficeCourses.tsx).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallOutput, FileResultView } from '../../../shared/contract';
import type { OutcomeCounts, PublishedCount, StatsFormat, StatsReport } from '../../../shared/domain/record';
import { call, messageOf } from '../api';
import { Button, ErrorMessage, PageHeading, SelectField, SuccessMessage, TableWrap } from '../components/ui';
import { bodyLabel, COMPLAINT_TYPE_LABELS, plural } from '../format';
import { EducationCourses } from './CentralOfficeCourses';
import { FileResults } from './Outcome';

type Overview = CallOutput<'office.overview'>;

function currentQuarter(): string {
  const now = new Date();
  return `${now.getFullYear()}Q${Math.floor(now.getMonth() / 3) + 1}`;
}

function regionLabel(region: string): string {
  if (region === 'unknown') return 'Not recorded';
  const text = region.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function complaintLabel(type: string): string {
  return (COMPLAINT_TYPE_LABELS as Record<string, string>)[type] ?? (type === 'unknown' ? 'Not recorded' : type);
}

function Count({ value }: { value: PublishedCount | number | null }) {
  if (value === null) return <span className="muted">–</span>;
  if (typeof value === 'string') {
    return (
      <span className="suppressed" title={value === '*' ? 'Withheld so another count cannot be worked out' : 'Fewer than the threshold: suppressed'}>
        {value}
      </span>
    );
  }
  return <>{value}</>;
}

/** A one-row table of figures under their column headings (the quarter's timings, its courses). */
function FiguresTable({ caption, figures }: { caption: string; figures: { header: string; value: PublishedCount | number | null }[] }) {
  return (
    <TableWrap label={caption}>
      <table className="table stats-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {figures.map((figure) => (
              <th key={figure.header} scope="col" className="num">
                {figure.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            {figures.map((figure) => (
              <td key={figure.header} className="num">
                <Count value={figure.value} />
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </TableWrap>
  );
}

function CountsTable({ caption, firstColumns, rows, report }: { caption: string; firstColumns: string[]; rows: { key: string; cells: string[]; counts: OutcomeCounts }[]; report: StatsReport }) {
  return (
    <TableWrap label={caption} className="stats-table-wrap">
      <table className="table stats-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {firstColumns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            <th scope="col" className="num">
              Cases closed
            </th>
            {report.outcomeCategories.map((category) => (
              <th key={category.id} scope="col" className="num">
                {category.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={firstColumns.length + 1 + report.outcomeCategories.length} className="muted">
                No cases closed in this quarter.
              </td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={row.key}>
                {row.cells.map((cell, index) =>
                  index === 0 ? (
                    <th key={index} scope="row">
                      {cell}
                    </th>
                  ) : (
                    <td key={index}>{cell}</td>
                  ),
                )}
                <td className="num">
                  <Count value={row.counts.closed} />
                </td>
                {report.outcomeCategories.map((category) => (
                  <td key={category.id} className="num">
                    <Count value={row.counts.outcomes[category.id] ?? 0} />
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function CentralOffice() {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [ingesting, setIngesting] = useState(false);
  const [results, setResults] = useState<FileResultView[] | null>(null);
  const [ingestError, setIngestError] = useState<string | null>(null);
  const [quarter, setQuarter] = useState<string | null>(null);
  /** Until the user picks a quarter, the latest quarter with records is shown (and followed as packages arrive). */
  const quarterPicked = useRef(false);
  const [report, setReport] = useState<StatsReport | null>(null);
  const [statsError, setStatsError] = useState<string | null>(null);
  const [exporting, setExporting] = useState<StatsFormat | null>(null);
  const [exportMessage, setExportMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  /** Rises whenever a course completion is recorded: the overdue count in the statistics depends on it. */
  const [completionsRecorded, setCompletionsRecorded] = useState(0);

  const loadOverview = useCallback(async () => {
    try {
      const next = await call('office.overview', {});
      setOverview(next);
      setQuarter((chosen) => (quarterPicked.current && chosen ? chosen : (next.quarters[0]?.quarter ?? currentQuarter())));
    } catch (failure) {
      setError(messageOf(failure));
    }
  }, []);

  useEffect(() => {
    void loadOverview();
  }, [loadOverview]);

  useEffect(() => {
    if (!quarter) return;
    let live = true;
    setStatsError(null);
    call('office.stats', { quarter }).then(
      (next) => live && setReport(next),
      (failure: unknown) => live && setStatsError(messageOf(failure)),
    );
    return () => {
      live = false;
    };
  }, [quarter, overview, completionsRecorded]);

  async function ingest() {
    if (ingesting) return;
    setIngesting(true);
    setIngestError(null);
    try {
      const outcome = await call('office.ingest', {});
      if (outcome) {
        setResults(outcome);
        await loadOverview();
      }
    } catch (failure) {
      setIngestError(messageOf(failure));
    } finally {
      setIngesting(false);
    }
  }

  async function exportAs(format: StatsFormat) {
    if (!quarter || exporting) return;
    setExporting(format);
    setExportMessage(null);
    try {
      const { savedTo } = await call('office.exportStats', { quarter, format });
      if (savedTo) setExportMessage({ tone: 'success', text: `The statistics for ${quarter} were saved to ${savedTo}.` });
    } catch (failure) {
      setExportMessage({ tone: 'error', text: messageOf(failure) });
    } finally {
      setExporting(null);
    }
  }

  const quarterOptions = (() => {
    const known = overview?.quarters.map((q) => ({ value: q.quarter, label: `${q.quarter} (${plural(q.cases, 'case')})` })) ?? [];
    const current = currentQuarter();
    return known.some((option) => option.value === current) ? known : [...known, { value: current, label: `${current} (current quarter)` }];
  })();
  const accepted = results?.filter((result) => result.ok).length ?? 0;

  return (
    <div className="page page-wide central-office">
      <PageHeading description="Outcome packages from the panels are verified and kept in this profile’s encrypted ledger. Statistics are published per quarter, with small counts suppressed so that nobody can be identified.">
        Central office
      </PageHeading>
      {error ? <ErrorMessage>{error}</ErrorMessage> : null}

      <section className="panel" aria-labelledby="ingest-title">
        <div className="panel-header">
          <h2 id="ingest-title">Outcome packages</h2>
          {overview ? (
            <p className="panel-meta">
              {plural(overview.records, 'record')} in the ledger · criteria published:{' '}
              {overview.publishedCriteria.length ? overview.publishedCriteria.map((c) => `${c.id} ${c.version}`).join(', ') : 'none'}
            </p>
          ) : null}
        </div>
        <p>Choose the packages the chairs sent (several at once). Each is checked on its own; the valid ones are kept together, and a refused one changes nothing.</p>
        <div className="button-row">
          <Button variant="primary" busy={ingesting} busyLabel="Verifying packages…" onClick={() => void ingest()}>
            Ingest outcome packages…
          </Button>
        </div>
        {ingestError ? <ErrorMessage>{ingestError}</ErrorMessage> : null}
        {results ? (
          <>
            <p className="ingest-summary" role="status">
              {plural(accepted, 'package')} accepted, {plural(results.length - accepted, 'package')} refused.
            </p>
            <FileResults results={results} label="Ingest results" />
          </>
        ) : null}
      </section>

      <EducationCourses refreshKey={overview} onRecorded={() => setCompletionsRecorded((n) => n + 1)} />

      <section className="panel" aria-labelledby="stats-title">
        <div className="panel-header">
          <h2 id="stats-title">Statistics</h2>
          {report ? <p className="panel-meta">Courses judged overdue on {report.asOf}</p> : null}
        </div>
        <div className="stats-controls">
          <SelectField label="Quarter" value={quarter ?? ''} onChange={(event) => {
              quarterPicked.current = true;
              setQuarter(event.target.value);
            }} options={quarterOptions} />
          <div className="button-row stats-export" role="group" aria-label="Export the statistics">
            <Button busy={exporting === 'csv'} busyLabel="Saving…" disabled={!report} onClick={() => void exportAs('csv')}>
              Export CSV…
            </Button>
            <Button busy={exporting === 'json'} busyLabel="Saving…" disabled={!report} onClick={() => void exportAs('json')}>
              Export JSON…
            </Button>
            <Button busy={exporting === 'md'} busyLabel="Saving…" disabled={!report} onClick={() => void exportAs('md')}>
              Export Markdown…
            </Button>
          </div>
        </div>
        {exportMessage ? exportMessage.tone === 'success' ? <SuccessMessage>{exportMessage.text}</SuccessMessage> : <ErrorMessage>{exportMessage.text}</ErrorMessage> : null}
        {statsError ? <ErrorMessage>{statsError}</ErrorMessage> : null}
        {report ? (
          <div className="stats">
            <p className="stats-note">
              Cases closed in {report.quarter}. Counts from 1 to {report.threshold - 1} are shown as <span className="suppressed">&lt;{report.threshold}</span> so
              that nobody can be identified; <span className="suppressed">*</span> marks a count withheld so that another cannot be worked out by subtraction.
            </p>
            <CountsTable
              caption="All cases"
              firstColumns={['Cases']}
              rows={[{ key: 'all', cells: ['All cases'], counts: report.total }]}
              report={report}
            />
            <CountsTable
              caption="By region and type of complaint"
              firstColumns={['Region', 'Type of complaint']}
              rows={report.byRegionAndComplaintType.map((row) => ({ key: `${row.region}/${row.complaintType}`, cells: [regionLabel(row.region), complaintLabel(row.complaintType)], counts: row }))}
              report={report}
            />
            <CountsTable
              caption="By region"
              firstColumns={['Region']}
              rows={report.byRegion.map((row) => ({ key: row.region, cells: [regionLabel(row.region)], counts: row }))}
              report={report}
            />
            <CountsTable
              caption="By deciding body"
              firstColumns={['Deciding body']}
              rows={report.byDecidingBody.map((row) => ({ key: row.decidingBody, cells: [bodyLabel(row.decidingBody)], counts: row }))}
              report={report}
            />
            <div className="two-columns stats-small">
              <FiguresTable
                caption="Time from complaint to decision"
                figures={[
                  { header: 'Cases with both dates', value: report.daysToDecision.cases },
                  { header: 'Median days', value: report.daysToDecision.median },
                  { header: '90th percentile days', value: report.daysToDecision.p90 },
                ]}
              />
              <FiguresTable
                caption="Education courses"
                figures={[
                  { header: 'Ordered', value: report.educationCourses.ordered },
                  { header: `Overdue on ${report.asOf}`, value: report.educationCourses.overdue },
                ]}
              />
            </div>
            {report.daysToDecision.median === null ? (
              <p className="muted">Timings are withheld while fewer than {report.threshold} cases have both dates.</p>
            ) : null}
          </div>
        ) : null}
        {overview && overview.publishedCriteria.length === 0 ? (
          <p className="muted">No criteria are published by this office yet, so every package would be refused. Publish them on the command line (records publish-criteria).</p>
        ) : null}
      </section>
    </div>
  );
}
