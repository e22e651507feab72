// Hostile bundles from someone holding a real clerk key: the container mutated before sealing (so the envelope
// itself is genuine and verifies), entry headers replaced by arbitrary JSON, manifests mutated and then signed
// with the clerk's real key, and arbitrary text as the table of contents. readBundle may accept or refuse, but
// only with the project's typed errors (AppError), never hanging; and whatever it accepts is exactly what the
// clerk signed.
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { MANIFEST_SIGNING_CONTEXT, type BundleDocument, type BundleParticipantKey, type SignedBundleManifest } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import { AppError } from '../../shared/errors';
import { planSealedCopies, readBundle, type SealDocumentSource } from '../../electron/services/bundles/bundle-file';
import { writeContainer, type ContainerEntrySource } from '../../electron/services/bundles/container';
import { collect, concat } from '../../electron/services/crypto/byte-reader';
import { ed25519Sign } from '../../electron/services/crypto/ed25519';
import { sealEnvelope } from '../../electron/services/crypto/envelope';
import { createIdentityKeys, fingerprintOf, type IdentityKeys } from '../../electron/services/identities';
import { randomishBytes } from '../fixtures/age/builders';

/** Each case must settle well within this; a slower one counts as a hang and fails the property. */
const CASE_TIME_BOUND_MS = 3_000;
/** Safety net for a slow shared machine: a property stops early (and says so) rather than run for minutes. */
const PROPERTY_TIME_LIMIT_MS = 10_000;

const clerk = createIdentityKeys();
const reader = createIdentityKeys();
const counts: Record<string, { runs: number; accepted: number }> = {};
/** Which typed errors the refusals were, for the report. */
const refusalCodes = new Map<string, number>();

function keyOf(keys: IdentityKeys, participantId: string, name: string, role: BundleParticipantKey['role']): BundleParticipantKey {
  const signingKey = keys.signingPublic.toString('base64');
  return { participantId, name, role, ageRecipient: keys.ageRecipient, signingKey, fingerprint: fingerprintOf(signingKey, keys.ageRecipient) };
}

const caseFile: CaseFile = {
  format: 'hearing-desk/case@1',
  reference: 'FUZZ-2026-0001',
  decidingBody: 'nec-panel',
  complaintType: 'social-media',
  region: 'fuzz-region',
  protectedCharacteristics: ['race'],
  dates: { complaintReceived: '2026-08-01', hearing: '2026-12-01' },
  allegations: [{ number: 1, text: 'A fictional allegation for fuzzing.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'other-discriminatory-conduct' }],
  participants: [],
  respondent: { pseudonym: 'R1' },
  complainant: { pseudonym: 'C1' },
  criteria: { id: 'sample-sanctions-criteria', version: '1.0.0' },
};

// Small stand-ins for the PDFs: readBundle checks sizes and hashes, never parses the pages.
const documentBytes = new Map([
  ['doc-one', randomishBytes(700, 3)],
  ['doc-two', randomishBytes(300, 4)],
]);
const index = randomishBytes(200, 5);

function documentSource(id: string, section: string, firstPage: number): SealDocumentSource {
  const bytes = documentBytes.get(id)!;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return {
    entry: { id, section, title: `Exhibit ${id}`, date: '2026-08-01', kind: 'pdf', capture: null, bytes: bytes.length, sha256, sourceSha256: sha256, firstPage, pageCount: 1, firstLabel: `${section}${firstPage}`, lastLabel: `${section}${firstPage}` },
    restrictedFrom: [],
    open: () => bytes,
  };
}

const [genuine] = planSealedCopies({
  author: { signingSeed: clerk.signingSeed, ageRecipient: clerk.ageRecipient, participant: keyOf(clerk, 'sealer', 'Fuzz Clerk (fictional)', 'clerk') },
  bundleId: randomUUID(),
  revision: 1,
  caseFile,
  title: 'Fuzzing bundle',
  sealedAt: new Date('2026-11-20T09:00:00Z'),
  expiresOn: '2099-12-31',
  sections: [{ letter: 'A', title: 'Complaint', supplementary: false }, { letter: 'B', title: 'Evidence', supplementary: false }],
  pageCount: 3,
  index,
  documents: [documentSource('doc-one', 'A', 2), documentSource('doc-two', 'B', 3)],
  recipients: [keyOf(reader, 'p1', 'Fuzz Reader (fictional)', 'panellist')],
});
const genuineSigned = genuine!.signed;

function entriesWith(manifestText: string): ContainerEntrySource[] {
  const manifestBytes = Buffer.from(manifestText, 'utf8');
  return [
    { name: 'manifest.json', size: manifestBytes.length, body: () => manifestBytes },
    { name: 'index.pdf', size: index.length, body: () => index },
    ...genuineSigned.manifest.documents.map((doc) => ({ name: doc.path, size: doc.bytes, body: () => documentBytes.get(doc.id)! })),
  ];
}

const genuineContainer = await collect(writeContainer(entriesWith(JSON.stringify(genuineSigned))));

/** A genuine envelope from the clerk around whatever container bytes the case made. */
function sealed(container: Uint8Array): Promise<Uint8Array> {
  return collect(
    sealEnvelope({
      type: 'hearing-desk/bundle@1',
      payload: container,
      author: { signingSeed: clerk.signingSeed, ageRecipient: clerk.ageRecipient },
      recipients: [reader.ageRecipient, clerk.ageRecipient],
    }),
  );
}

interface Accepted {
  signed: SignedBundleManifest;
  index: Uint8Array;
  documents: Map<string, Uint8Array>;
}

/** Reads as the app does; returns what was accepted, or 'refused' for a typed error. Anything else escapes. */
async function read(file: Uint8Array): Promise<Accepted | 'refused'> {
  const chunks = new Map<string, Uint8Array[]>();
  const verified = new Map<string, Uint8Array>();
  let indexBytes: Uint8Array = new Uint8Array(0);
  try {
    const signed = await readBundle(
      file,
      { identity: reader.ageIdentity, ownRecipient: reader.ageRecipient },
      {
        onManifest() {},
        onIndex(bytes) {
          indexBytes = bytes;
        },
        onDocumentChunk(document: BundleDocument, chunk) {
          chunks.set(document.id, [...(chunks.get(document.id) ?? []), chunk]);
        },
        onDocumentVerified(document) {
          verified.set(document.id, concat(chunks.get(document.id) ?? []));
        },
      },
    );
    return { signed, index: indexBytes, documents: verified };
  } catch (error) {
    if (error instanceof AppError) {
      refusalCodes.set(error.code, (refusalCodes.get(error.code) ?? 0) + 1);
      return 'refused';
    }
    throw error;
  }
}

/** What an accepted bundle must be: a manifest the clerk really signed, and documents matching it byte for byte. */
function expectSignedByTheClerk(accepted: Accepted): void {
  const { manifest, signature } = accepted.signed;
  expect(manifest.sealedBy.signingKey).toBe(clerk.signingPublic.toString('base64'));
  expect(manifest.recipients.some((r) => r.ageRecipient === reader.ageRecipient)).toBe(true);
  expect(signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  expect([...accepted.documents.keys()]).toEqual(manifest.documents.map((doc) => doc.id));
  for (const doc of manifest.documents) {
    const bytes = accepted.documents.get(doc.id)!;
    expect(bytes.length).toBe(doc.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.sha256);
  }
}

async function tally(name: string, file: Uint8Array): Promise<Accepted | 'refused'> {
  const outcome = await read(file);
  const count = (counts[name] ??= { runs: 0, accepted: 0 });
  count.runs++;
  if (outcome !== 'refused') count.accepted++;
  return outcome;
}

const runOptions = (numRuns: number) => ({ numRuns, timeout: CASE_TIME_BOUND_MS, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });

const edit = fc.oneof(
  // Anywhere: delete a few bytes, insert a few.
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 4 }), insert: fc.uint8Array({ maxLength: 6 }) }),
  // JSON-ish bytes, where they can keep a header parseable but wrong.
  fc.record({ at: fc.nat(), remove: fc.integer({ min: 0, max: 2 }), insert: fc.constantFrom(...['0', '9', '-', '"', ' ', '}', '{', 'null', '1e9', '\u0000'].map((s) => Buffer.from(s))) }),
  // Truncation anywhere.
  fc.record({ at: fc.nat(), remove: fc.constant(Number.MAX_SAFE_INTEGER), insert: fc.constant(new Uint8Array(0)) }),
);

function applyEdit(bytes: Uint8Array, change: { at: number; remove: number; insert: Uint8Array }): Uint8Array {
  const at = change.at % (bytes.length + 1);
  return concat([bytes.subarray(0, at), change.insert, bytes.subarray(Math.min(bytes.length, at + change.remove))]);
}

function entryHeader(json: string): Uint8Array {
  const body = Buffer.from(json, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return concat([length, body]);
}

const END_MARKER = entryHeader('{"name":"end","size":0}');
/** The genuine container cut after its first 0, 1, 2 or 3 entries (no end marker). */
const genuinePrefixes = await Promise.all(
  [0, 1, 2, 3].map(async (keep) => {
    const bytes = await collect(writeContainer(entriesWith(JSON.stringify(genuineSigned)).slice(0, keep)));
    return bytes.subarray(0, bytes.length - END_MARKER.length);
  }),
);

const entryName = fc.oneof(
  fc.constantFrom('manifest.json', 'index.pdf', 'end', 'documents/doc-one.pdf', 'documents/doc-two.pdf', 'documents/../../etc/passwd.pdf', '/etc/passwd', 'documents/DOC.pdf', ''),
  fc.string({ maxLength: 80 }),
);
const entrySize = fc.oneof(fc.nat({ max: 1200 }), fc.integer(), fc.double(), fc.constantFrom(2 ** 53, 2 ** 64, -1, 0), fc.string({ maxLength: 8 }));
const headerJson = fc.oneof(
  fc.record({ name: entryName, size: entrySize }).map((header) => JSON.stringify(header)),
  fc.record({ name: entryName, size: entrySize, extra: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((header) => JSON.stringify(header)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
);

/** Every path into a JSON value (object keys and array indices). */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...children.flatMap((key) => pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key]))];
}

type Mutation = { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown };

function mutate(root: unknown, path: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(root) as Record<string | number, unknown>;
  if (path.length === 0) return mutation.kind === 'set' ? mutation.value : copy;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, copy);
  const last = path[path.length - 1]!;
  if (mutation.kind === 'set') parent[last] = mutation.value;
  else if (mutation.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const target = parent[last];
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key] = mutation.value;
    else parent[last] = mutation.value;
  }
  return copy;
}

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '../../x', 'documents/doc-one.pdf', '2026-02-30', '9999-12-31', 'A', 'Z', '__proto__', 'constructor', '<script>alert(1)</script>', '\u202e', 'x'.repeat(5000), '\ud800', 'a\udc00b'),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 0.5, Number.MIN_VALUE),
  fc.constantFrom(reader.ageRecipient, clerk.ageRecipient, clerk.signingPublic.toString('base64'), reader.signingPublic.toString('base64')),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), value: hostileValue }),
  fc.constant({ kind: 'delete' as const }),
  fc.record({ kind: fc.constant('add' as const), key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'path', 'bytes')), value: hostileValue }),
);
const manifestPaths = pathsOf(genuineSigned.manifest);

/** Signs whatever manifest value with the clerk's real key (as a malicious or buggy clerk app could). */
function signedByClerk(manifest: unknown): string {
  let signature: string;
  try {
    signature = Buffer.from(ed25519Sign(clerk.signingSeed, Buffer.from(MANIFEST_SIGNING_CONTEXT + canonicalize(manifest), 'utf8'))).toString('base64');
  } catch {
    signature = Buffer.alloc(64).toString('base64'); // no canonical form (e.g. a lone surrogate): nothing a clerk could sign
  }
  return JSON.stringify({ manifest, signature });
}

afterAll(() => {
  console.info(`bundle fuzz cases: ${Object.entries(counts).map(([name, c]) => `${name} ${c.runs} (${c.accepted} accepted)`).join('; ')}`);
  console.info(`bundle fuzz refusals: ${[...refusalCodes].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ')}`);
});

describe('bundles under hostile input from a real clerk key', () => {
  it('the genuine bundle reads back whole (the baseline every mutation departs from)', async () => {
    const accepted = await read(await sealed(genuineContainer));
    expect(accepted).not.toBe('refused');
    expectSignedByTheClerk(accepted as Accepted);
    expect((accepted as Accepted).signed).toEqual(genuineSigned);
  });

  it('container bytes edited anywhere before sealing: typed refusals only, and anything accepted is what the clerk signed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (changes) => {
        const container = changes.reduce(applyEdit, genuineContainer);
        const outcome = await tally('container-edits', await sealed(container));
        if (outcome !== 'refused') {
          expectSignedByTheClerk(outcome);
          expect(outcome.signed).toEqual(genuineSigned);
          // The index pages are not in the manifest: they are covered by the envelope's signature, checked at the
          // end, which here is the clerk's own (the case sealed its edit with the clerk's key). Only a same-length
          // edit inside them can get this far.
          expect(outcome.index.length).toBe(index.length);
        }
      }),
      runOptions(1000),
    );
    expect(counts['container-edits']!.runs).toBeGreaterThan(200); // even on a machine slow enough to hit the time limit
  }, 60_000);

  it('entry headers replaced by arbitrary JSON (null, arrays, absurd sizes, odd names): typed refusals only', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ header: headerJson, body: fc.uint8Array({ maxLength: 64 }) }), { minLength: 1, maxLength: 4 }),
        fc.nat({ max: 3 }),
        fc.boolean(),
        async (entries, keepGenuine, withEnd) => {
          // The genuine first entries (so later headers are reached after a verified manifest), then the hostile ones.
          const hostile = entries.map(({ header, body }) => concat([entryHeader(header), body]));
          const container = concat([genuinePrefixes[keepGenuine]!, ...hostile, withEnd ? END_MARKER : new Uint8Array(0)]);
          const outcome = await tally('entry-headers', await sealed(container));
          if (outcome !== 'refused') expectSignedByTheClerk(outcome);
        },
      ),
      runOptions(1000),
    );
  }, 60_000);

  it('manifests mutated anywhere and signed with the clerk’s real key: typed refusals only, and nothing unsigned slips in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ path: fc.constantFrom(...manifestPaths), change: mutation }), { minLength: 1, maxLength: 3 }),
        async (changes) => {
          const manifest = changes.reduce<unknown>((value, { path, change }) => {
            try {
              return mutate(value, path, change);
            } catch {
              return value; // the path vanished under an earlier change
            }
          }, genuineSigned.manifest);
          const outcome = await tally('signed-manifests', await sealed(await collect(writeContainer(entriesWith(signedByClerk(manifest))))));
          if (outcome !== 'refused') {
            expectSignedByTheClerk(outcome);
            // Accepted means the schema held: whatever the mutation did is within the format (and signed).
            expect(canonicalize(outcome.signed.manifest)).toBe(canonicalize(manifest));
          }
        },
      ),
      runOptions(1000),
    );
  }, 60_000);

  it('arbitrary text as the table of contents: typed refusals only', async () => {
    const genuineText = JSON.stringify(genuineSigned);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
          fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: fc.string({ maxLength: 8 }) }).map(
            ({ at, remove, insert }) => genuineText.slice(0, at % genuineText.length) + insert + genuineText.slice((at % genuineText.length) + remove),
          ),
        ),
        async (text) => {
          const outcome = await tally('manifest-text', await sealed(await collect(writeContainer(entriesWith(text)))));
          if (outcome !== 'refused') {
            expectSignedByTheClerk(outcome);
            expect(outcome.signed).toEqual(genuineSigned); // only a no-op edit (e.g. inside whitespace) can be accepted
          }
        },
      ),
      runOptions(600),
    );
  }, 60_000);
});
