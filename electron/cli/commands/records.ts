// `hearing-desk records …`: the central office's side of outcome records on the command line, over the same ledger
// the app uses (electron/services/records/ledger.ts). The ledger lives in the central-office profile's own encrypted
// vault (vault.db in the profile directory given by --profile, HEARING_DESK_PROFILE or the app's default), so these
// commands need that profile's passphrase (HEARING_DESK_PASSPHRASE or a prompt).
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { IsoDate } from '../../../shared/domain/common';
import { Quarter, StatsFormat } from '../../../shared/domain/record';
import { AppError } from '../../../shared/errors';
import { defineCommand, type CommandContext } from '../framework';
import { writeText } from '../io';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile, type ProfileIdentity } from '../profile';
import type { CentralOfficeLedger, FileOutcome } from '../../services/records/ledger';

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

export const recordsCommands = [recordsVerify, recordsIngest, recordsStats, recordsPublishCriteria, recordsExportHistory];
