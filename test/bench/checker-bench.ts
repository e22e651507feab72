// Live-check speed: the checker runs on every keystroke in the decision workspace, so a check of a
// 20-allegation decision must take well under 5 ms. Not a test: figures, no assertions.
//   npx tsx test/bench/checker-bench.ts
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { checkDecision } from '../../shared/checker';
import { DecisionDraft } from '../../shared/domain/decision';
import { baselineHistory, CRITERIA, largeDecision } from '../fixtures/checker/baseline';

const ALLEGATIONS = 20;
const RUNS = 2_000;
const WARMUP = 200;
const TARGET_MS = 5;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number): number => Math.round(value * 1000) / 1000;

function time(work: () => unknown): number[] {
  for (let i = 0; i < WARMUP; i++) work();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

export async function runCheckerBench(): Promise<{ name: string; figures: Record<string, string | number> }> {
  const { caseFile, draft } = largeDecision(ALLEGATIONS);
  // A history as large as a few years of anonymised outcomes, so the consistency rule has real work.
  const history = Array.from({ length: 25 }, () => baselineHistory()).flat();
  // Each keystroke changes the draft, so no run may reuse anything computed for the previous one.
  let keystroke = 0;
  const edit = () => {
    draft.allegations[0]!.reasons = `${draft.allegations[0]!.reasons.slice(0, 80)} ${keystroke++}`;
    return draft;
  };
  const first = checkDecision(CRITERIA, caseFile, draft, { history });
  const check = time(() => checkDecision(CRITERIA, caseFile, edit(), { history }));
  // What a renderer that re-validates the draft before checking would pay.
  const parseAndCheck = time(() => checkDecision(CRITERIA, caseFile, DecisionDraft.parse(edit()), { history }));
  // The other extreme: a fresh draft where nearly everything is still missing, so every rule speaks.
  const blank = structuredClone(draft);
  for (const entry of blank.allegations) Object.assign(entry, { finding: 'proven', reasons: '' });
  Object.assign(blank, { seriousness: null, decisionDate: null, publicationSummary: '' });
  blank.sanction = { rungId: 'expulsion', parameters: {}, lesserRungReasons: {} };
  blank.procedural = { attendance: [], lawyerAdvice: null, declarations: [], training: [] };
  const blankFindings = checkDecision(CRITERIA, caseFile, blank, { history }).findings.length;
  const incomplete = time(() => checkDecision(CRITERIA, caseFile, blank, { history }));
  return {
    name: `sanctions checker (${ALLEGATIONS} allegations, ${CRITERIA.rules.length} rules, ${history.length} earlier outcomes)`,
    figures: {
      runs: RUNS,
      findings: first.findings.length,
      'check p50 ms': ms(percentile(check, 50)),
      'check p95 ms': ms(percentile(check, 95)),
      'check max ms': ms(check[check.length - 1]!),
      'parse+check p50 ms': ms(percentile(parseAndCheck, 50)),
      'parse+check p95 ms': ms(percentile(parseAndCheck, 95)),
      'incomplete findings': blankFindings,
      'incomplete p50 ms': ms(percentile(incomplete, 50)),
      'incomplete p95 ms': ms(percentile(incomplete, 95)),
      'target ms': TARGET_MS,
      'p95 within target': Math.max(percentile(check, 95), percentile(incomplete, 95)) < TARGET_MS ? 'yes' : 'NO',
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { name, figures } = await runCheckerBench();
  console.log(name);
  for (const [key, value] of Object.entries(figures)) console.log(`  ${key.padEnd(22)} ${value}`);
}
