#!/usr/bin/env node
// Runs Doyensec's Electronegativity over Hearing Desk's Electron sources, offline, and judges the result against
// the committed allow-list (build/electronegativity-allowlist.json).
//
//   node scripts/electronegativity.mjs          a report; exit 1 on any finding above informational that the
//                                               allow-list does not justify, on a stale allow-list entry, or on
//                                               a source file Electronegativity could not parse
//   node scripts/electronegativity.mjs --json   the same verdict as JSON on stdout (test/security reads it)
//   ... --input DIR                             scans DIR as it is instead (the test's proof that the scan finds
//                                               a known-bad window); the allow-list still applies
//
// What is scanned: the TypeScript sources (electron/, shared/, renderer/) AND the built output (dist/main,
// dist/renderer: run `node scripts/build.mjs` first). The sources give findings with real file names and lines;
// the build is what Electron actually loads (bundled, with every import inlined). Both are staged in one temporary
// tree so the global checks (CSP, navigation limits, permission handlers) see the whole app at once; ".cjs" files
// are staged as ".js" because Electronegativity only reads .js/.jsx/.ts/.tsx/.html, and built JavaScript is lowered
// to ES2021 syntax (esbuild) because the tool's AST walker stops at newer syntax such as `#private` class members.
//
// Offline by construction: Electronegativity would fetch translations from S3 and the list of Electron releases
// from GitHub. The check that needs the release list (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) is excluded, `got`
// is replaced by a stub that refuses, and every socket, DNS lookup and HTTP request is refused and counted; the
// verdict fails if anything tried.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ALLOW_LIST_PATH = join(ROOT, 'build', 'electronegativity-allowlist.json');

/** Source trees (as written) and build outputs (as Electron loads them). */
const SOURCE_DIRECTORIES = ['electron', 'shared', 'renderer'];
const BUILT_DIRECTORIES = ['dist/main', 'dist/renderer'];
/** Needs the list of Electron releases from github.com: the one check that cannot run offline. */
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];
const SCANNED_EXTENSIONS = new Set(['.ts', '.tsx', '.js', '.mjs', '.cjs', '.html']);
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];

const networkAttempts = [];

/** Refuses (and records) every way Node could reach the network, before Electronegativity is loaded. */
function refuseNetwork(require) {
  const refuse = (what) =>
    function refused(...args) {
      const target = typeof args[0] === 'string' ? args[0] : (args[0]?.host ?? args[0]?.hostname ?? args[0]?.href ?? '');
      networkAttempts.push(`${what} ${String(target)}`.trim());
      throw new Error(`Network access is disabled while Electronegativity runs (${what}).`);
    };
  const net = require('node:net');
  const tls = require('node:tls');
  const dns = require('node:dns');
  const http = require('node:http');
  const https = require('node:https');
  net.Socket.prototype.connect = refuse('socket connect');
  net.connect = net.createConnection = refuse('net.connect');
  tls.connect = refuse('tls.connect');
  dns.lookup = refuse('dns.lookup');
  dns.resolve = refuse('dns.resolve');
  dns.promises.lookup = refuse('dns.promises.lookup');
  http.request = http.get = refuse('http.request');
  https.request = https.get = refuse('https.request');
  if (typeof globalThis.fetch === 'function') globalThis.fetch = refuse('fetch');

  // The translations fetch (locales/i18n.js) and the release-list fetch both go through `got`: replace it with a
  // stub that refuses without trying, so the run takes the tool's own offline path (its bundled en-US strings).
  const toolRequire = createRequire(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = toolRequire.resolve('got');
  const stub = () => Promise.reject(new Error('offline: Electronegativity runs without network'));
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: stub, children: [], paths: [] };
}

function walk(directory) {
  const files = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    const stat = statSync(path);
    if (stat.isDirectory()) files.push(...walk(path));
    else if (SCANNED_EXTENSIONS.has(name.slice(name.lastIndexOf('.')))) files.push(path);
  }
  return files;
}

/** Copies what is scanned into a fresh temporary tree; returns it and the map back to repository paths. */
function stage() {
  const missing = BUILT_DIRECTORIES.filter((directory) => !existsSync(join(ROOT, directory)));
  if (missing.length > 0) {
    throw new Error(`Electronegativity scans the build as well, and ${missing.join(', ')} is missing: run \`node scripts/build.mjs\` first.`);
  }
  const staging = mkdtempSync(join(tmpdir(), 'hd-electronegativity-'));
  const origin = new Map();
  const place = (source, stagedRelative) => {
    const target = join(staging, stagedRelative);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(source, target);
    origin.set(target, relative(ROOT, source).split(sep).join('/'));
  };
  place(join(ROOT, 'package.json'), 'package.json');
  for (const directory of SOURCE_DIRECTORIES) {
    for (const file of walk(join(ROOT, directory))) place(file, relative(ROOT, file));
  }
  const esbuild = createRequire(import.meta.url)('esbuild');
  for (const directory of BUILT_DIRECTORIES) {
    for (const file of walk(join(ROOT, directory))) {
      const stagedPath = relative(ROOT, file).replace(/\.(cjs|mjs)$/, '.js');
      if (!/\.(c|m)?js$/.test(file)) {
        place(file, stagedPath);
        continue;
      }
      // The tool's AST walker predates ES2022 class fields (a bundled pdf.js uses `#private` members and it stops
      // with "Unknown node type PrivateName"): lower the syntax, which leaves every call and option it checks as is.
      const target = join(staging, stagedPath);
      mkdirSync(dirname(target), { recursive: true });
      const lowered = esbuild.transformSync(readFileSync(file, 'utf8'), { target: 'es2021', format: file.endsWith('.mjs') ? 'esm' : undefined, loader: 'js', legalComments: 'none' });
      writeFileSync(target, lowered.code);
      origin.set(target, relative(ROOT, file).split(sep).join('/'));
    }
  }
  return { staging, origin };
}

/** An entry allows a finding of its check in its file, at the exact code it quotes (when the tool quotes any). */
function matches(entry, finding) {
  return entry.file === finding.file && entry.check === finding.check && (entry.sample ?? '') === finding.sample;
}

function readAllowList() {
  const raw = JSON.parse(readFileSync(ALLOW_LIST_PATH, 'utf8'));
  const entries = Array.isArray(raw.entries) ? raw.entries : [];
  const problems = [];
  for (const [index, entry] of entries.entries()) {
    if (typeof entry.file !== 'string' || typeof entry.check !== 'string') problems.push(`allow-list entry ${index} needs "file" and "check"`);
    if (typeof entry.justification !== 'string' || entry.justification.trim().length < 40) {
      problems.push(`allow-list entry ${index} (${entry.file} ${entry.check}) needs a justification that says why it is safe`);
    }
  }
  return { entries, problems };
}

/**
 * Scans and judges. Never throws for findings: the verdict lists them. Throws only when the scan itself could not
 * run (no build, the tool missing).
 */
export async function runElectronegativity(options = {}) {
  const require = createRequire(import.meta.url);
  refuseNetwork(require);
  // The tool picks its message language from LANG; its bundled en-US strings are the ones we read.
  process.env.LANG = 'en-US';
  const started = Date.now();
  const { staging, origin } = options.input ? asIs(resolve(options.input)) : stage();
  try {
    const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
    // The tool logs with console.log (e.g. "Could not retrieve updated translations…"): keep stdout for our verdict.
    const log = console.log;
    console.log = (...args) => console.error(...args);
    let result;
    try {
      const run = require('@doyensec/electronegativity');
      result = await run(
        {
          input: staging,
          output: undefined,
          isSarif: false,
          customScan: [],
          excludeFromScan: NETWORK_CHECKS,
          severitySet: 'informational',
          confidenceSet: 'tentative',
          isRelative: false,
          isVerbose: false,
          electronUpgrade: undefined,
          electronVersionOverride: electronVersion,
          parserPlugins: [],
        },
        false,
      );
    } finally {
      console.log = log;
    }
    const name = (file) => origin.get(file) ?? (file === 'N/A' ? 'N/A' : relative(staging, file));
    const findings = result.issues.map((issue) => ({
      check: issue.id,
      file: name(issue.file),
      line: issue.location?.line ?? 0,
      column: issue.location?.column ?? 0,
      severity: issue.severity.name,
      confidence: issue.confidence.name,
      manualReview: Boolean(issue.manualReview),
      sample: String(issue.sample ?? '').slice(0, 200),
      description: String(issue.description ?? ''),
    }));
    const allowList = readAllowList();
    const aboveInformational = findings.filter((finding) => SEVERITY_ORDER.indexOf(finding.severity) > 0);
    const allowedBy = (finding) => allowList.entries.find((entry) => matches(entry, finding));
    const unjustified = aboveInformational.filter((finding) => !allowedBy(finding));
    // An entry about third-party code in the build (dist/) may match nothing while that code is not bundled (what
    // main bundles grows and shrinks with features); an entry about our own sources must always match.
    const stale = options.input
      ? []
      : allowList.entries.filter((entry) => !entry.file.startsWith('dist/') && !aboveInformational.some((finding) => matches(entry, finding)));
    const parseErrors = result.errors.map((error) => ({ file: name(error.file), message: String(error.message), tolerable: Boolean(error.tolerable) }));
    return {
      electronVersion,
      checks: { atomic: result.atomicChecks, global: result.globalChecks, excluded: NETWORK_CHECKS },
      filesScanned: [...origin.values()].sort(),
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
      findings,
      unjustified,
      allowed: aboveInformational.filter((finding) => allowedBy(finding)).map((finding) => ({ ...finding, justification: allowedBy(finding).justification })),
      staleAllowListEntries: stale,
      allowListProblems: allowList.problems,
      parseErrors,
      networkAttempts: [...networkAttempts],
      passed:
        unjustified.length === 0 &&
        stale.length === 0 &&
        allowList.problems.length === 0 &&
        parseErrors.filter((error) => !error.tolerable).length === 0 &&
        networkAttempts.length === 0,
    };
  } finally {
    if (!options.input) rmSync(staging, { recursive: true, force: true });
  }
}

/** A directory scanned where it is (nothing copied, nothing removed afterwards). */
function asIs(directory) {
  const origin = new Map();
  for (const file of walk(directory)) origin.set(file, relative(directory, file).split(sep).join('/'));
  return { staging: directory, origin };
}

function printReport(verdict) {
  const line = (finding) => `  ${finding.severity.padEnd(6)} ${finding.check}  ${finding.file}:${finding.line}:${finding.column}  ${finding.sample}`;
  console.log(`Electronegativity (Electron ${verdict.electronVersion}): ${verdict.checks.atomic} atomic and ${verdict.checks.global} global checks over ${verdict.filesScanned.length} files in ${verdict.seconds} s (offline; excluded: ${verdict.checks.excluded.join(', ')}).`);
  const informational = verdict.findings.filter((finding) => finding.severity === 'INFORMATIONAL');
  if (informational.length > 0) console.log(`Informational (${informational.length}):\n${informational.map(line).join('\n')}`);
  if (verdict.allowed.length > 0) console.log(`Allowed by the allow-list (${verdict.allowed.length}):\n${verdict.allowed.map((f) => `${line(f)}\n      why: ${f.justification}`).join('\n')}`);
  if (verdict.unjustified.length > 0) console.log(`NOT ALLOWED (${verdict.unjustified.length}):\n${verdict.unjustified.map(line).join('\n')}`);
  for (const entry of verdict.staleAllowListEntries) console.log(`Stale allow-list entry (nothing to allow any more; remove it): ${entry.file} ${entry.check}`);
  for (const problem of verdict.allowListProblems) console.log(`Allow-list problem: ${problem}`);
  for (const error of verdict.parseErrors) console.log(`${error.tolerable ? 'Parse warning' : 'COULD NOT PARSE'}: ${error.file}: ${error.message}`);
  for (const attempt of verdict.networkAttempts) console.log(`NETWORK ATTEMPT (refused): ${attempt}`);
  console.log(verdict.passed ? 'Passed.' : 'FAILED.');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const inputIndex = process.argv.indexOf('--input');
    const verdict = await runElectronegativity(inputIndex > 0 ? { input: process.argv[inputIndex + 1] } : {});
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(verdict)}\n`);
    else printReport(verdict);
    process.exitCode = verdict.passed ? 0 : 1;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  }
}
