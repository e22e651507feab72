// Property tests for the record parser and the central office's verifier: whatever bytes or JSON arrive, the answer
// is a record (when the input really is a valid one) or a typed RecordError, never another exception; and a changed
// record is never accepted under the original signatures. The ledger runs on an in-memory LedgerStore here, which
// also shows the storage interface is enough for a verifier without SQLite.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import type { AnonymisedSummary, OutcomeRecord, SignedOutcomeRecord } from '../../shared/domain/record';
import { isAppError } from '../../shared/errors';
import { criteriaDigest } from '../../electron/services/criteria';
import { CentralOfficeLedger, encodeOutcomePackage, type LedgerEntry, type LedgerStore, type PublishedCriteriaEntry } from '../../electron/services/records/ledger';
import { parseRecordPayload, parseSignedRecord, recordPayloadBytes, RecordError } from '../../electron/services/records/record';
import { verifyRecordSignatures } from '../../electron/services/records/signatures';
import type { StatsRow } from '../../electron/services/records/stats';
import { CRITERIA, packageContent, recordFor, sealPackage, signSynthetic, syntheticPanel, type SyntheticPanel } from '../helpers/records';

class MemoryLedgerStore implements LedgerStore {
  readonly entries: LedgerEntry[] = [];
  private readonly criteria = new Map<string, PublishedCriteriaEntry>();
  hasRecord(recordId: string) {
    return this.entries.some((entry) => entry.recordId === recordId);
  }
  hasCase(caseReference: string) {
    return this.entries.some((entry) => entry.caseReference === caseReference);
  }
  insert(entries: readonly LedgerEntry[]) {
    this.entries.push(...entries);
  }
  count() {
    return this.entries.length;
  }
  statsRows(): StatsRow[] {
    return [];
  }
  summaries(): AnonymisedSummary[] {
    return this.entries.map((entry) => entry.summary);
  }
  publishedCriteria(id: string, version: string) {
    return this.criteria.get(`${id} ${version}`) ?? null;
  }
  listPublishedCriteria() {
    return [...this.criteria.values()].map((entry) => ({ id: entry.criteria.id, version: entry.criteria.version, digest: entry.digest, publishedAt: entry.publishedAt }));
  }
  addPublishedCriteria(entry: { criteria: typeof CRITERIA; digest: string; publishedAt: string }) {
    this.criteria.set(`${entry.criteria.id} ${entry.criteria.version}`, { criteria: entry.criteria, digest: entry.digest, publishedAt: entry.publishedAt });
  }
  recordCourseCompleted() {}
}

let panel: SyntheticPanel;
let record: OutcomeRecord;
let signed: SignedOutcomeRecord;
let payload: Uint8Array;
let ledger: CentralOfficeLedger;
let office: ReturnType<typeof syntheticPanel>['chair'];
let goodPackage: Uint8Array;
const LETTER = new TextEncoder().encode('%PDF-1.7 fuzz letter');

/** Runs `body`; returns 'ok' when it returned, the error when it threw a RecordError, and fails otherwise. */
function outcome(body: () => unknown): 'ok' | RecordError {
  try {
    body();
    return 'ok';
  } catch (error) {
    if (error instanceof RecordError) return error;
    throw new Error(`untyped error: ${String((error as Error)?.stack ?? error)}`);
  }
}

beforeAll(async () => {
  panel = syntheticPanel();
  office = syntheticPanel().chair;
  record = recordFor(panel);
  signed = signSynthetic(panel, record);
  payload = recordPayloadBytes(record);
  const store = new MemoryLedgerStore();
  store.addPublishedCriteria({ criteria: CRITERIA, digest: criteriaDigest(CRITERIA), publishedAt: '2026-01-01T00:00:00.000Z' });
  ledger = new CentralOfficeLedger(store);
  goodPackage = await sealPackage(packageContent(signed, record, LETTER), panel.chair, [office.ageRecipient]);
});

describe('the record parser', () => {
  it('answers arbitrary bytes with a RecordError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(outcome(() => parseRecordPayload(bytes))).toBeInstanceOf(RecordError);
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers byte-level damage to a valid record with a RecordError, or an equally valid record', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 255 }), (position, kind, value) => {
        const at = position % payload.length;
        const bytes = Buffer.from(payload);
        const damaged =
          kind === 0 ? Uint8Array.from(bytes.map((b, i) => (i === at ? b ^ (value | 1) : b))) : kind === 1 ? Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]) : Buffer.concat([bytes.subarray(0, at), Buffer.of(value), bytes.subarray(at)]);
        const result = outcome(() => parseRecordPayload(damaged));
        if (result === 'ok') expect(canonicalize(parseRecordPayload(damaged))).toBe(Buffer.from(damaged).toString('utf8'));
      }),
      { numRuns: 2_000 },
    );
  });

  it('answers structural changes (any field replaced by any JSON) with a RecordError or a valid record', () => {
    const paths = collectPaths(record);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        const changed = structuredClone(record) as unknown as Record<string, unknown>;
        setPath(changed, path, value);
        let bytes: Uint8Array;
        try {
          bytes = new TextEncoder().encode(canonicalize(changed));
        } catch {
          return; // -0 and friends: not JSON the parser can be given
        }
        outcome(() => parseRecordPayload(bytes));
      }),
      { numRuns: 1_500 },
    );
  });
});

describe('the signature verifier', () => {
  it('never accepts changed signatures or a changed payload, and throws only RecordError', () => {
    const signature = fc.record({
      keyid: fc.oneof(fc.constantFrom(...record.participants.map((p) => p.fingerprint)), fc.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/)),
      role: fc.constantFrom('chair', 'panellist', 'external-lawyer', 'clerk', 'central-office'),
      purpose: fc.constantFrom('decision', 'attest-advice', 'attest-record'),
      signedAt: fc.constantFrom('2026-04-28T10:00:00.000Z', '2026-04-29T10:00:00.000Z'),
      sig: fc.oneof(fc.constantFrom(...signed.signatures.map((s) => s.sig)), fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64'))),
    });
    fc.assert(
      fc.property(fc.array(signature, { maxLength: 6 }), fc.boolean(), (extra, keep) => {
        const candidate = { ...signed, signatures: keep ? [...signed.signatures, ...extra] : extra };
        const result = outcome(() => verifyRecordSignatures(candidate as SignedOutcomeRecord, CRITERIA, { requireComplete: true }));
        // Only the untouched original (or extra signatures identical to real ones, which are duplicates) can pass.
        if (result === 'ok') expect(canonicalize(candidate.signatures)).toBe(canonicalize(signed.signatures));
      }),
      { numRuns: 1_500 },
    );
  });

  it('rejects the original signatures over any changed text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (extra) => {
        const changed = { ...record, publicationSummary: record.publicationSummary + extra };
        const bytes = new TextEncoder().encode(canonicalize(changed));
        const candidate = { ...signed, payload: Buffer.from(bytes).toString('base64') };
        const result = outcome(() => verifyRecordSignatures(candidate, CRITERIA));
        expect(result).toBeInstanceOf(RecordError);
      }),
      { numRuns: 500 },
    );
  });

  it('answers arbitrary JSON as a signed record with a RecordError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (value) => {
        expect(outcome(() => parseSignedRecord(value))).toBeInstanceOf(RecordError);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the central office verifier', () => {
  it('accepts the good package content and refuses every mutation of it with a RecordError', () => {
    const content = JSON.parse(Buffer.from(encodeOutcomePackage(packageContent(signed, record, LETTER))).toString('utf8')) as Record<string, unknown>;
    const authorKey = panel.chair.signingKey;
    expect(outcome(() => ledger.verifyPackagePayload(encodeOutcomePackage(content as never), authorKey, 'x'))).toBe('ok');
    const paths = collectPaths(content).filter((path) => !path.startsWith('signed.payload'));
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 2 }), (path, value) => {
        const changed = structuredClone(content);
        setPath(changed, path, value);
        let bytes: Uint8Array;
        try {
          bytes = new TextEncoder().encode(JSON.stringify(changed));
        } catch {
          return;
        }
        const result = outcome(() => ledger.verifyPackagePayload(bytes, authorKey, 'x'));
        if (result === 'ok') expect(canonicalize(changed)).toBe(canonicalize(content));
      }),
      { numRuns: 1_500 },
    );
  });

  it('refuses byte-level damage to the sealed package with typed errors only', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 0, max: 2 }), async (position, kind) => {
        const at = position % goodPackage.length;
        const bytes = Buffer.from(goodPackage);
        const damaged = kind === 0 ? Uint8Array.from(bytes.map((b, i) => (i === at ? b ^ 0x01 : b))) : kind === 1 ? bytes.subarray(0, at) : Buffer.concat([bytes, Buffer.of(at & 0xff)]);
        try {
          await ledger.verifyPackage(damaged, office.ageIdentity, { checkLetterAttachment: false });
          throw new Error('a damaged package was accepted');
        } catch (error) {
          expect(isAppError(error), String(error)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// --- helpers ---------------------------------------------------------------------------------------------------

function collectPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => collectPaths(child, prefix ? `${prefix}.${key}` : key))].filter((path) => path !== '');
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}
