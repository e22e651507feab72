// A sealed bundle between real people: a clerk seals, a panellist and the lawyer import into their own real
// SQLCipher vaults, and every bad input named in the bundles issue is refused with its own error while the vault
// stays exactly as it was. Bundles here are built by planSealedCopies directly (the clerk's case builder, which
// assembles real PDFs first, is covered in case-drafts.test.ts).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleParticipantKey, SignedBundleManifest } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import { AppError } from '../../shared/errors';
import { collect } from '../../electron/services/crypto/byte-reader';
import { encrypt } from '../../electron/services/crypto/age';
import { ed25519Sign } from '../../electron/services/crypto/ed25519';
import { canonicalize } from '../../shared/canonical-json';
import { MANIFEST_SIGNING_CONTEXT } from '../../shared/domain/bundle';
import { sealEnvelope } from '../../electron/services/crypto/envelope';
import { planSealedCopies, type SealDocumentSource, type SealRequest } from '../../electron/services/bundles/bundle-file';
import { containerLength, writeContainer, type ContainerEntrySource } from '../../electron/services/bundles/container';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { AuditTrail } from '../../electron/services/audit';
import type { OwnIdentity } from '../../electron/services/session';
import { craftAgeFile, flipBit, scryptStanza, specChunks } from '../fixtures/age/builders';
import { wrapFileKeyForRecipient } from '../../electron/services/crypto/age';
import { createPerson, introduce, type Person } from '../helpers/people';
import { filesContaining, tempDir } from '../helpers/temp';

const TODAY = new Date('2026-11-23T12:00:00Z');
const MARKER = 'ZEBRA-MARKER-EVIDENCE-7731';

let clerk: Person;
let panellist: Person;
let lawyer: Person;
let outsider: Person;
let out: ReturnType<typeof tempDir>;
let panellistCases: ReceivedCases;
let lawyerCases: ReceivedCases;
let clerkIdentity: Omit<OwnIdentity, 'signingSeed'> & { signingSeed: Buffer };

async function pdfWithText(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const line of lines) doc.addPage([595, 842]).drawText(line, { x: 60, y: 760, size: 12, font });
  return doc.save();
}

function keyOf(person: Person, role = person.role): BundleParticipantKey {
  const { card, fingerprint } = person.session.myCard();
  return { participantId: `p-${role}`, name: card.name, role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

function caseFile(): CaseFile {
  return {
    format: 'hearing-desk/case@1',
    reference: 'NEC-2026-0042',
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'north-west',
    protectedCharacteristics: ['religion-or-belief'],
    dates: { complaintReceived: '2026-08-01', hearing: '2026-12-01' },
    allegations: [{ number: 1, text: 'Shared a post with antisemitic content.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'antisemitism' }],
    participants: [],
    respondent: { pseudonym: 'R1' },
    complainant: { pseudonym: 'C1' },
    criteria: { id: 'sample-sanctions-criteria', version: '1.0.0' },
  };
}

interface Docs { sources: SealDocumentSource[]; bytes: Map<string, Uint8Array> }

async function documents(restrictLawyerFromSecond = false): Promise<Docs> {
  const first = await pdfWithText([`Complaint form ${MARKER}`, 'Page two of the complaint']);
  const second = await pdfWithText(['Screenshot transcript']);
  const bytes = new Map([['doc-complaint', first], ['doc-screenshot', second]]);
  const entry = (id: string, section: string, title: string, data: Uint8Array, firstPage: number, pageCount: number) => ({
    id, section, title, date: '2026-08-01', kind: 'pdf' as const, capture: null, bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'), sourceSha256: createHash('sha256').update(data).digest('hex'),
    firstPage, pageCount, firstLabel: `${section}${firstPage}`, lastLabel: `${section}${firstPage + pageCount - 1}`,
  });
  return {
    bytes,
    sources: [
      { entry: entry('doc-complaint', 'A', 'Complaint form', first, 2, 2), restrictedFrom: [], open: () => first },
      { entry: entry('doc-screenshot', 'B', 'Screenshot of post', second, 4, 1), restrictedFrom: restrictLawyerFromSecond ? ['external-lawyer'] : [], open: () => second },
    ],
  };
}

async function sealRequest(overrides: Partial<SealRequest> = {}, docs?: Docs): Promise<SealRequest> {
  const { sources } = docs ?? (await documents());
  return {
    author: { signingSeed: clerkIdentity.signingSeed, ageRecipient: clerkIdentity.ageRecipient, participant: { ...keyOf(clerk), participantId: 'sealer' } },
    bundleId: randomUUID(),
    revision: 1,
    caseFile: caseFile(),
    title: 'Hearing bundle: NEC-2026-0042',
    sealedAt: new Date('2026-11-20T09:00:00Z'),
    expiresOn: '2026-12-31',
    sections: [{ letter: 'A', title: 'Complaint', supplementary: false }, { letter: 'B', title: 'Evidence', supplementary: false }],
    pageCount: 4,
    index: await pdfWithText(['Index']),
    documents: sources,
    recipients: [keyOf(panellist), keyOf(lawyer)],
    ...overrides,
  };
}

async function writeCopy(request: SealRequest, index = 0, name = `${randomUUID()}.hdbundle`): Promise<string> {
  const copies = planSealedCopies(request);
  const path = join(out.path, name);
  writeFileSync(path, await collect(copies[index]!.stream()));
  return path;
}

/** A bundle whose container the test writes itself (for contents a real clerk's app would never produce). */
async function writeRawBundle(entries: ContainerEntrySource[], recipients: string[], options: { type?: 'hearing-desk/bundle@1' | 'hearing-desk/annotations@1' } = {}): Promise<string> {
  const payloadLength = containerLength(entries);
  const stream = sealEnvelope({
    type: options.type ?? 'hearing-desk/bundle@1',
    payload: writeContainer(entries),
    payloadLength,
    author: { signingSeed: clerkIdentity.signingSeed, ageRecipient: clerkIdentity.ageRecipient },
    recipients,
  });
  const path = join(out.path, `${randomUUID()}.hdbundle`);
  writeFileSync(path, await collect(stream));
  return path;
}

function manifestEntry(signed: SignedBundleManifest): ContainerEntrySource {
  const bytes = Buffer.from(JSON.stringify(signed));
  return { name: 'manifest.json', size: bytes.length, body: () => bytes };
}

function vaultSnapshot(person: Person): string {
  const db = person.session.requireVault().db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return JSON.stringify({ cases: count('cases'), docs: count('case_documents'), chunks: count('case_document_chunks'), contacts: count('contacts') });
}

async function refusal(person: Person, cases: ReceivedCases, path: string, trustSealer = false): Promise<string> {
  const before = vaultSnapshot(person);
  let code = 'no error';
  try {
    await cases.import(path, { trustSealer });
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message.length).toBeGreaterThan(10);
    code = (error as AppError).code;
  }
  expect(vaultSnapshot(person), 'the vault must be unchanged').toBe(before);
  return code;
}

beforeAll(async () => {
  [clerk, panellist, lawyer, outsider] = await Promise.all([
    createPerson('Morgan Ellery', 'clerk'),
    createPerson('Priya Castellan', 'panellist'),
    createPerson('Sam Whitcombe', 'external-lawyer'),
    createPerson('Dana Outfield', 'panellist'),
  ]);
  introduce([clerk, panellist, lawyer]);
  out = tempDir('hd-bundles-');
  panellistCases = new ReceivedCases(panellist.session, () => TODAY);
  lawyerCases = new ReceivedCases(lawyer.session, () => TODAY);
  clerkIdentity = await clerk.session.withIdentity((me) => ({ ...me, signingSeed: Buffer.from(me.signingSeed) }));
});

afterAll(() => {
  for (const person of [clerk, panellist, lawyer, outsider]) person?.cleanup();
  out?.cleanup();
});

describe('sealed bundles between real profiles', () => {
  it('a panellist previews, then imports: every document is stored in the vault and reads back byte for byte', async () => {
    const docs = await documents();
    const request = await sealRequest({}, docs);
    const path = await writeCopy(request);
    const preview = await panellistCases.preview(path);
    expect(preview.manifest.case.reference).toBe('NEC-2026-0042');
    expect(preview.sealer).toMatchObject({ name: 'Morgan Ellery', known: true, verified: true });
    expect(preview.expired).toBe(false);
    expect(panellistCases.list()).toHaveLength(0);

    const progress: number[] = [];
    const ready: string[] = [];
    const caseId = await panellistCases.import(path, {
      trustSealer: false,
      onProgress: (p) => progress.push(p.bytesDone),
      onDocumentReady: (_id, doc) => ready.push(doc.id),
    });
    expect(ready).toEqual(['doc-complaint', 'doc-screenshot']);
    expect(progress.length).toBeGreaterThan(0);
    const [listed] = panellistCases.list();
    expect(listed).toMatchObject({ id: caseId, reference: 'NEC-2026-0042', revision: 1 });
    for (const [id, bytes] of docs.bytes) expect(Buffer.from(panellistCases.readDocument(caseId, id)).equals(Buffer.from(bytes))).toBe(true);
    expect(panellistCases.readIndex(caseId).length).toBeGreaterThan(100);
    // Nothing of the evidence is readable in the profile directory: it lives only in the encrypted vault.
    expect(filesContaining(panellist.directory, MARKER)).toEqual([]);

    // Importing the same bundle twice is refused, and changes nothing.
    expect(await refusal(panellist, panellistCases, path)).toBe('bundle-already-imported');
  });

  it('a document closed to the lawyer is absent from the lawyer’s copy, not hidden in it', async () => {
    const request = await sealRequest({}, await documents(true));
    const copies = planSealedCopies(request);
    expect(copies).toHaveLength(2);
    const lawyerCopy = copies.find((copy) => copy.recipients.some((r) => r.role === 'external-lawyer'))!;
    expect(lawyerCopy.signed.manifest.documents.map((d) => d.id)).toEqual(['doc-complaint']);
    expect(lawyerCopy.recipients.map((r) => r.role).sort()).toEqual(['clerk', 'external-lawyer']);
    const path = join(out.path, 'lawyer.hdbundle');
    writeFileSync(path, await collect(lawyerCopy.stream()));
    const caseId = await lawyerCases.import(path, { trustSealer: false });
    expect(lawyerCases.get(caseId).manifest.documents).toHaveLength(1);
    expect(() => lawyerCases.readDocument(caseId, 'doc-screenshot')).toThrow(/not in the vault/);
    // The panel's copy is not addressed to the lawyer at all.
    const panelCopy = copies.find((copy) => copy !== lawyerCopy)!;
    const panelPath = join(out.path, 'panel.hdbundle');
    writeFileSync(panelPath, await collect(panelCopy.stream()));
    expect(await refusal(lawyer, lawyerCases, panelPath)).toBe('no-identity-matched');
  });

  it('wiping a case removes all its material and keeps only a record that it was wiped', async () => {
    const path = await writeCopy(await sealRequest());
    const caseId = await panellistCases.import(path, { trustSealer: false });
    panellistCases.wipe(caseId, 'user');
    expect(panellistCases.list().some((c) => c.id === caseId)).toBe(false);
    const db = panellist.session.requireVault().db;
    expect(db.prepare('SELECT count(*) AS n FROM case_document_chunks WHERE case_id = ?').get(caseId)).toEqual({ n: 0 });
    expect(panellistCases.wipedCases().find((w) => w.caseId === caseId)).toMatchObject({ reference: 'NEC-2026-0042', reason: 'user' });
    // The audit trail keeps that it was imported and wiped, and still verifies.
    const audit = new AuditTrail(panellist.session);
    expect(audit.entries({ caseId }).map((e) => e.action)).toEqual(['case-wiped', 'bundle-imported']);
    expect(audit.verify().ok).toBe(true);
  });

  it('an expired bundle is refused at import, and an expired case can no longer be opened', async () => {
    const path = await writeCopy(await sealRequest({ expiresOn: '2026-11-01' }));
    expect((await panellistCases.preview(path)).expired).toBe(true);
    expect(await refusal(panellist, panellistCases, path)).toBe('bundle-expired');

    const later = new ReceivedCases(panellist.session, () => new Date('2027-02-01T00:00:00Z'));
    const caseId = await panellistCases.import(await writeCopy(await sealRequest({ expiresOn: '2027-01-15' })), { trustSealer: false });
    expect(() => later.requireOpenable(caseId)).toThrow(expect.objectContaining({ code: 'bundle-expired' }));
    later.wipe(caseId, 'expired');
    expect(later.wipedCases().find((w) => w.caseId === caseId)?.reason).toBe('expired');
  });

  it('an untrusted sealer is refused unless the user compared the fingerprint and chose to trust them', async () => {
    const request = await sealRequest({ recipients: [keyOf(outsider)] });
    const path = await writeCopy(request);
    const outsiderCases = new ReceivedCases(outsider.session, () => TODAY);
    expect((await outsiderCases.preview(path)).sealer).toMatchObject({ known: false, verified: false });
    expect(await refusal(outsider, outsiderCases, path)).toBe('sealer-untrusted');
    const caseId = await outsiderCases.import(path, { trustSealer: true });
    expect(outsiderCases.get(caseId).reference).toBe('NEC-2026-0042');
    expect(outsider.session.listContacts().find((c) => c.name === 'Morgan Ellery')?.verifiedAt).not.toBeNull();
  });

  it('an import interrupted by a crash leaves provisional rows that the next unlock deletes', async () => {
    const path = await writeCopy(await sealRequest());
    const controller = new AbortController();
    const db = panellist.session.requireVault().db;
    const cases = new ReceivedCases(panellist.session, () => TODAY);
    // Simulate the process dying mid-import: provisional rows exist, nothing marks them ready.
    await expect(
      cases.import(path, {
        trustSealer: false,
        signal: controller.signal,
        onDocumentReady: () => {
          db.prepare("INSERT INTO cases (id, bundle_id, reference, title, status, revision, manifest_json, manifest_signature, sealed_by_key, expires_on, imported_at) VALUES ('crashed', 'b', 'R', 'T', 'importing', 1, '{}', 's', 'k', '2099-01-01', 'now')").run();
          controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'bundle-cancelled' });
    expect(db.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 1 });
    panellist.session.lock('user');
    await panellist.session.unlock('orchard lantern copper meadow');
    const reopened = panellist.session.requireVault().db;
    expect(reopened.prepare("SELECT count(*) AS n FROM cases WHERE status = 'importing'").get()).toEqual({ n: 0 });
  });
});

describe('bad bundle files: a specific error, and nothing in the vault changes', () => {
  let good: Uint8Array;
  let goodPath: string;

  beforeAll(async () => {
    goodPath = await writeCopy(await sealRequest());
    good = new Uint8Array(readFileSync(goodPath)); // a plain Uint8Array: Buffer#slice would share memory with flipBit's copy
  });

  const write = (bytes: Uint8Array) => {
    const path = join(out.path, `${randomUUID()}.hdbundle`);
    writeFileSync(path, bytes);
    return path;
  };

  it('not addressed to me (wrong identity)', async () => {
    const outsiderCases = new ReceivedCases(outsider.session, () => TODAY);
    expect(await refusal(outsider, outsiderCases, goodPath)).toBe('no-identity-matched');
  });

  it('addressed to my key, but its signed table of contents does not name me', async () => {
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const index = request.index;
    const path = await writeRawBundle(
      [manifestEntry(signed), { name: 'index.pdf', size: index.length, body: () => index }],
      [clerkIdentity.ageRecipient, outsider.session.myCard().card.ageRecipient],
    );
    const outsiderCases = new ReceivedCases(outsider.session, () => TODAY);
    outsider.session.importCard(JSON.stringify(clerk.session.myCard().card), true);
    expect(await refusal(outsider, outsiderCases, path)).toBe('bundle-not-for-you');
  });

  it('a truncated file', async () => {
    expect(await refusal(panellist, panellistCases, write(good.subarray(0, good.length - 100)))).toMatch(/truncated|chunk-authentication-failed/);
    expect(await refusal(panellist, panellistCases, write(good.subarray(0, 40)))).toBe('truncated');
  });

  it('a flipped byte in the header, in the first chunk, and in the last chunk', async () => {
    const macLine = Buffer.from(good).indexOf('\n---');
    const headerEnd = Buffer.from(good).indexOf('\n', macLine + 1) + 1 + 16; // after the MAC line and the payload nonce
    expect(await refusal(panellist, panellistCases, write(flipBit(good, 30)))).toMatch(/header|no-identity-matched/);
    expect(await refusal(panellist, panellistCases, write(flipBit(good, headerEnd + 20)))).toBe('chunk-authentication-failed');
    expect(await refusal(panellist, panellistCases, write(flipBit(good, good.length - 5)))).toBe('chunk-authentication-failed');
  });

  it('chunks reordered', async () => {
    const big = await documents();
    const large = new Uint8Array(200_000).fill(7);
    big.sources.push({
      entry: { id: 'doc-large', section: 'B', title: 'Large annex', date: null, kind: 'pdf', capture: null, bytes: large.length, sha256: createHash('sha256').update(large).digest('hex'), sourceSha256: createHash('sha256').update(large).digest('hex'), firstPage: 5, pageCount: 1, firstLabel: 'B5', lastLabel: 'B5' },
      restrictedFrom: [],
      open: () => large,
    });
    const bytes = readFileSync(await writeCopy(await sealRequest({ pageCount: 5 }, big)));
    const header = Buffer.from(bytes).indexOf('\n---') ;
    const payloadStart = Buffer.from(bytes).indexOf('\n', header + 1) + 1 + 16;
    const chunk = 65536 + 16;
    const swapped = Buffer.concat([
      bytes.subarray(0, payloadStart),
      bytes.subarray(payloadStart + chunk, payloadStart + 2 * chunk),
      bytes.subarray(payloadStart, payloadStart + chunk),
      bytes.subarray(payloadStart + 2 * chunk),
    ]);
    expect(await refusal(panellist, panellistCases, write(swapped))).toBe('chunk-authentication-failed');
  });

  it('another payload type, and a valid age file that is not an envelope', async () => {
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const annotations = await writeRawBundle([manifestEntry(signed)], [panellist.session.myCard().card.ageRecipient], { type: 'hearing-desk/annotations@1' });
    expect(await refusal(panellist, panellistCases, annotations)).toBe('unexpected-payload-type');
    const plainAge = await encrypt(Buffer.from('just some text, not a sealed envelope'), [panellist.session.myCard().card.ageRecipient]);
    expect(await refusal(panellist, panellistCases, write(plainAge))).toBe('not-an-envelope');
  });

  it('a clerk signature that does not verify', async () => {
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const forged: SignedBundleManifest = { ...signed, manifest: { ...signed.manifest, title: 'A different title' } };
    const index = request.index;
    const path = await writeRawBundle([manifestEntry(forged), { name: 'index.pdf', size: index.length, body: () => index }], [clerkIdentity.ageRecipient, panellist.session.myCard().card.ageRecipient]);
    expect(await refusal(panellist, panellistCases, path)).toBe('manifest-signature-invalid');
  });

  it('a document whose bytes differ from the hash in the signed manifest', async () => {
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const [first, second] = request.documents;
    const altered = Buffer.from(first!.open() as Uint8Array);
    altered[altered.length - 10]! ^= 1;
    const path = await writeRawBundle(
      [
        manifestEntry(signed),
        { name: 'index.pdf', size: request.index.length, body: () => request.index },
        { name: 'documents/doc-complaint.pdf', size: altered.length, body: () => altered },
        { name: 'documents/doc-screenshot.pdf', size: second!.entry.bytes, body: () => second!.open() },
      ],
      [clerkIdentity.ageRecipient, panellist.session.myCard().card.ageRecipient],
    );
    expect(await refusal(panellist, panellistCases, path)).toBe('document-hash-mismatch');
  });

  it('a manifest naming a path outside the bundle', async () => {
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const manifest = { ...signed.manifest, documents: signed.manifest.documents.map((d, i) => (i === 0 ? { ...d, path: '../../.ssh/authorized_keys' } : d)) };
    // Signed properly by the clerk's key, so only the path check can stop it.
    const evil = { manifest, signature: signManifestUnchecked(manifest) };
    const path = await writeRawBundle([manifestEntry(evil as SignedBundleManifest)], [clerkIdentity.ageRecipient, panellist.session.myCard().card.ageRecipient]);
    expect(await refusal(panellist, panellistCases, path)).toBe('manifest-malformed');
  });

  it('an absurd declared size', async () => {
    // A container entry claiming 2^50 bytes, inside an otherwise genuine envelope.
    const request = await sealRequest();
    const signed = planSealedCopies(request)[0]!.signed;
    const header = Buffer.from(JSON.stringify({ name: 'index.pdf', size: 2 ** 50 }));
    const lengthPrefix = Buffer.alloc(4);
    lengthPrefix.writeUInt32BE(header.length);
    const manifestBytes = Buffer.from(JSON.stringify(signed));
    const manifestHeader = Buffer.from(JSON.stringify({ name: 'manifest.json', size: manifestBytes.length }));
    const manifestPrefix = Buffer.alloc(4);
    manifestPrefix.writeUInt32BE(manifestHeader.length);
    const container = Buffer.concat([Buffer.from('hearing-desk container v1\n'), manifestPrefix, manifestHeader, manifestBytes, lengthPrefix, header]);
    const stream = sealEnvelope({
      type: 'hearing-desk/bundle@1',
      payload: container,
      author: { signingSeed: clerkIdentity.signingSeed, ageRecipient: clerkIdentity.ageRecipient },
      recipients: [clerkIdentity.ageRecipient, panellist.session.myCard().card.ageRecipient],
    });
    expect(await refusal(panellist, panellistCases, write(await collect(stream)))).toMatch(/bundle-too-large|container-malformed/);
  });

  it('a scrypt stanza mixed with a recipient stanza', async () => {
    const fileKey = new Uint8Array(16).fill(5);
    const mixed = craftAgeFile({
      fileKey,
      stanzas: [wrapFileKeyForRecipient(fileKey, panellist.session.myCard().card.ageRecipient), scryptStanza('10')],
      chunks: specChunks(Buffer.from('payload')),
    });
    expect(await refusal(panellist, panellistCases, write(mixed))).toBe('scrypt-not-alone');
  });

  it('a file that is not age at all, and an empty file', async () => {
    expect(await refusal(panellist, panellistCases, write(Buffer.from('%PDF-1.7 not a bundle')))).toBe('not-age-file');
    expect(await refusal(panellist, panellistCases, write(new Uint8Array(0)))).toMatch(/not-age-file|truncated/);
  });
});

function signManifestUnchecked(manifest: SignedBundleManifest['manifest']): string {
  // signManifest validates (and would refuse the path); sign the same bytes it would, to test the reader's check.
  return Buffer.from(ed25519Sign(clerkIdentity.signingSeed, Buffer.from(MANIFEST_SIGNING_CONTEXT + canonicalize(manifest)))).toString('base64');
}
