// Doyensec's Electronegativity over the app's sources and build (scripts/electronegativity.mjs, offline), in its
// own process: no finding above informational unless build/electronegativity-allowlist.json justifies it at that
// exact line, no stale allow-list entry, every file parsed, no network touched. A known-bad window proves the
// scan really finds things, and our CSP, which the tool cannot see (it is sent as a header built from a constant),
// is put through the tool's own CSP evaluator instead.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../electron/security-config';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RUNNER = join(ROOT, 'scripts', 'electronegativity.mjs');

interface Finding {
  check: string;
  file: string;
  line: number;
  severity: 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
  sample: string;
}

interface Verdict {
  electronVersion: string;
  checks: { atomic: number; global: number; excluded: string[] };
  filesScanned: string[];
  seconds: number;
  findings: Finding[];
  unjustified: Finding[];
  allowed: (Finding & { justification: string })[];
  staleAllowListEntries: unknown[];
  allowListProblems: string[];
  parseErrors: { file: string; message: string; tolerable: boolean }[];
  networkAttempts: string[];
  passed: boolean;
}

async function scan(...args: string[]): Promise<Verdict> {
  // The runner exits 1 when it fails its verdict; the verdict on stdout says why, and is what the test judges.
  const { stdout } = await promisify(execFile)(process.execPath, [RUNNER, '--json', ...args], { cwd: ROOT, timeout: 120_000, maxBuffer: 16 << 20 }).catch(
    (error: { stdout?: string; stderr?: string; code?: number }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`Electronegativity did not run: ${error.stderr ?? String(error)}`);
    },
  );
  return JSON.parse(stdout) as Verdict;
}

const describeFinding = (finding: Finding) => `${finding.severity} ${finding.check} at ${finding.file}:${finding.line} — ${finding.sample}`;

describe('Electronegativity', () => {
  it('finds nothing above informational in the sources and the build that the allow-list does not justify', async () => {
    const verdict = await scan();
    console.info(
      `electronegativity: ${verdict.checks.atomic} atomic + ${verdict.checks.global} global checks, ${verdict.filesScanned.length} files, ${verdict.seconds} s; ` +
        `${verdict.findings.length} findings (${verdict.allowed.length} allow-listed: ${verdict.allowed.map((f) => f.check).join(', ')})`,
    );
    expect(verdict.networkAttempts, 'the scan must not touch the network').toEqual([]);
    expect(verdict.parseErrors.filter((error) => !error.tolerable), 'files Electronegativity could not parse').toEqual([]);
    // Both the sources and what Electron actually loads were read.
    for (const file of ['electron/main.ts', 'electron/preload.ts', 'electron/security-config.ts', 'renderer/index.html', 'dist/main/main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'package.json']) {
      expect(verdict.filesScanned, file).toContain(file);
    }
    expect(verdict.checks.atomic).toBeGreaterThanOrEqual(30);
    expect(verdict.unjustified.map(describeFinding), 'findings above informational that are not in build/electronegativity-allowlist.json').toEqual([]);
    expect(verdict.staleAllowListEntries, 'allow-list entries that no longer match a finding (remove them)').toEqual([]);
    expect(verdict.allowListProblems).toEqual([]);
    // Electronegativity rates nodeIntegration findings as informational: here they fail all the same.
    expect(verdict.findings.filter((f) => f.check.startsWith('NODE_INTEGRATION')).map(describeFinding)).toEqual([]);
    // The global checks for navigation limits and permission handlers pass on their own (no allow-list entry).
    expect(verdict.findings.map((f) => f.check)).not.toContain('LIMIT_NAVIGATION_GLOBAL_CHECK');
    expect(verdict.findings.map((f) => f.check)).not.toContain('PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK');
    expect(verdict.passed).toBe(true);
  }, 150_000);

  it('really finds an insecure window (so the scan above can fail)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hd-electronegativity-canary-'));
    try {
      writeFileSync(
        join(dir, 'main.js'),
        [
          "const { BrowserWindow } = require('electron');",
          'const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });',
          "win.loadURL('http://example.invalid/');",
          '',
        ].join('\n'),
      );
      const verdict = await scan('--input', dir);
      expect(verdict.networkAttempts).toEqual([]);
      expect(verdict.passed).toBe(false);
      const found = verdict.unjustified.map((finding) => `${finding.severity} ${finding.check}`);
      for (const expected of [
        'HIGH CONTEXT_ISOLATION_JS_CHECK',
        'MEDIUM SANDBOX_JS_CHECK',
        'MEDIUM HTTP_RESOURCES_JS_CHECK',
        'MEDIUM HTTP_RESOURCES_WITH_NODE_INTEGRATION_GLOBAL_CHECK',
        'HIGH LIMIT_NAVIGATION_GLOBAL_CHECK',
        'MEDIUM PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      ]) {
        expect(found).toContain(expected);
      }
      // The tool rates nodeIntegration: true as merely informational, hence the explicit check in the scan above.
      expect(verdict.findings.map((finding) => `${finding.severity} ${finding.check}`)).toContain('INFORMATIONAL NODE_INTEGRATION_JS_CHECK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('the allow-list quotes each finding exactly and says why it is safe', () => {
    const { entries } = JSON.parse(readFileSync(join(ROOT, 'build', 'electronegativity-allowlist.json'), 'utf8')) as {
      entries: { file: string; check: string; sample: string; justification: string }[];
    };
    for (const entry of entries) {
      expect(entry.file, entry.check).toMatch(/^(N\/A|[a-z]+\/.+|package\.json)$/);
      expect(entry.check).toMatch(/^[A-Z0-9_]+_CHECK$/);
      expect(typeof entry.sample).toBe('string');
      expect(entry.justification.length, `${entry.file} ${entry.check}`).toBeGreaterThan(120);
    }
    // One entry per check and place: a duplicate would hide that one of them is stale.
    expect(new Set(entries.map((e) => `${e.file} ${e.check} ${e.sample}`)).size).toBe(entries.length);
  });

  it("our CSP passes Electronegativity's own CSP evaluator: nothing high or medium, only the findings explained here", () => {
    // Loaded from the tool's own dependency, as its CSP_GLOBAL_CHECK does.
    const toolRequire = createRequire(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'));
    const csp = toolRequire('@doyensec/csp-evaluator') as {
      CspParser: new (policy: string) => { csp: unknown };
      CspEvaluator: new (parsed: unknown, version: unknown) => { evaluate(): { severity: number; directive: string; value?: string; description: string }[] };
      Version: { CSP3: unknown };
      severities: Record<'HIGH' | 'SYNTAX' | 'MEDIUM' | 'HIGH_MAYBE' | 'MEDIUM_MAYBE', number>;
    };
    const findings = new csp.CspEvaluator(new csp.CspParser(CONTENT_SECURITY_POLICY).csp, csp.Version.CSP3).evaluate();
    const { HIGH, MEDIUM, HIGH_MAYBE, MEDIUM_MAYBE, SYNTAX } = csp.severities;
    expect(findings.filter((f) => f.severity === HIGH || f.severity === MEDIUM || f.severity === HIGH_MAYBE).map((f) => f.description)).toEqual([]);
    const remaining = findings.map((f) => `${f.severity === MEDIUM_MAYBE ? 'maybe' : f.severity === SYNTAX ? 'syntax' : f.severity} ${f.directive} ${f.value ?? ''}`.trim());
    expect(remaining.sort()).toEqual(
      [
        // "'self' can be problematic if you host JSONP, Angular or user uploaded files": app:// serves only the
        // built renderer (app-protocol.ts: known file types inside dist/renderer); no JSONP, no Angular, and
        // case material is never served as a URL.
        "maybe script-src 'self'",
        // The evaluator predates Trusted Types (CSP3 additions Chromium enforces; the e2e tests run under them).
        'syntax require-trusted-types-for',
        "syntax require-trusted-types-for 'script'",
        'syntax trusted-types',
      ].sort(),
    );
  });
});
