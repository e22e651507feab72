// Bundle seal and open+import, end to end through the app's own services: a clerk seals a generated bundle of the
// given size to a panellist, whose real SQLCipher vault imports it in a child process (so its peak RSS is its own).
// Also the time from starting the import to the first page of the first document being readable from the vault.
// Not a test: figures, no assertions.   npx tsx test/bench/bundle-bench.ts 100   (size in MB)
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import { planSealedCopies, readBundle, type SealDocumentSource } from '../../electron/services/bundles/bundle-file';
import { writeStreamAtomic } from '../../electron/services/bundles/case-drafts';
import { serializeCard } from '../../electron/services/identities';
import { Session } from '../../electron/services/session';

const MB = 1_000_000;
const PIECE = 1024 * 1024;
const BIG_DOCUMENT = 64 * 1024 * 1024;
export const BENCH_PASSPHRASE = 'orchard lantern copper meadow';
export const BENCH_SCRYPT = { logN: 12, r: 8, p: 1 } as const;

function pieceOf(documentIndex: number, pieceIndex: number): Buffer {
  // Distinct, cheap, incompressible enough for a cipher bench: a counter-seeded pattern.
  const piece = Buffer.alloc(PIECE);
  let x = (documentIndex * 2654435761 + pieceIndex * 40503 + 1) >>> 0;
  for (let i = 0; i < PIECE; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    piece.writeUInt32LE(x, i);
  }
  return piece;
}

function* documentBytes(documentIndex: number, size: number): Generator<Uint8Array> {
  for (let offset = 0, piece = 0; offset < size; offset += PIECE, piece++) yield pieceOf(documentIndex, piece).subarray(0, Math.min(PIECE, size - offset));
}

function sha256Of(documentIndex: number, size: number): string {
  const hash = createHash('sha256');
  for (const part of documentBytes(documentIndex, size)) hash.update(part);
  return hash.digest('hex');
}

async function person(dir: string, name: string, role: 'clerk' | 'panellist'): Promise<Session> {
  const session = new Session({ profileDirectory: join(dir, role), scrypt: BENCH_SCRYPT, dialogs: { saveFile: async () => null } });
  await session.createProfile({ name, role, passphrase: BENCH_PASSPHRASE });
  return session;
}

function keyOf(session: Session, participantId: string): BundleParticipantKey {
  const { card, fingerprint } = session.myCard();
  return { participantId, name: card.name, role: card.role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

export async function benchBundle(sizeBytes: number): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'hd-bundle-bench-'));
  const result: Record<string, number | string> = { size_MB: Math.round(sizeBytes / MB) };
  try {
    const clerk = await person(dir, 'Bench Clerk', 'clerk');
    const panellist = await person(dir, 'Bench Panellist', 'panellist');
    panellist.importCard(serializeCard(clerk.myCard().card), true);

    // The first document is a small real PDF (what the reader shows first); the rest are 64 MiB blobs.
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage().drawText('First page of the first document', { x: 60, y: 760, size: 14, font });
    const firstPdf = await pdf.save();
    const documents: SealDocumentSource[] = [];
    const entry = (id: string, bytes: number, sha256: string, firstPage: number) => ({
      id, section: 'B', title: `Exhibit ${id}`, date: null, kind: 'pdf' as const, capture: null, bytes, sha256, sourceSha256: sha256,
      firstPage, pageCount: 1, firstLabel: `B${firstPage}`, lastLabel: `B${firstPage}`,
    });
    const firstHash = createHash('sha256').update(firstPdf).digest('hex');
    documents.push({ entry: entry('doc-first', firstPdf.length, firstHash, 2), restrictedFrom: [], open: () => firstPdf });
    let remaining = sizeBytes - firstPdf.length;
    for (let index = 1; remaining > 0; index++) {
      const size = Math.min(BIG_DOCUMENT, remaining);
      remaining -= size;
      documents.push({ entry: entry(`doc-${index}`, size, sha256Of(index, size), index + 2), restrictedFrom: [], open: () => documentBytes(index, size) });
    }
    const caseFile: CaseFile = {
      format: 'hearing-desk/case@1', reference: 'BENCH-0001', decidingBody: 'nec-panel', complaintType: 'other', region: null,
      protectedCharacteristics: [], dates: { complaintReceived: null, hearing: null },
      allegations: [{ number: 1, text: 'Benchmark allegation', ruleReference: 'n/a', conductCategoryId: 'bullying' }],
      participants: [], respondent: { pseudonym: 'R' }, complainant: { pseudonym: 'C' }, criteria: { id: 'bench', version: '1' },
    };
    const me = await clerk.withIdentity((identity) => ({ ...identity, signingSeed: Buffer.from(identity.signingSeed) }));
    const [copy] = planSealedCopies({
      author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient, participant: { ...keyOf(clerk, 'sealer') } },
      bundleId: randomUUID(), revision: 1, caseFile, title: 'Benchmark bundle', sealedAt: new Date(), expiresOn: '2099-12-31',
      sections: [{ letter: 'B', title: 'Evidence', supplementary: false }], pageCount: documents.length + 1,
      index: firstPdf, documents, recipients: [keyOf(panellist, 'p1')],
    });
    const bundlePath = join(dir, 'bench.hdbundle');
    const sealStart = process.hrtime.bigint();
    await writeStreamAtomic(bundlePath, copy!.stream());
    const sealSeconds = Number(process.hrtime.bigint() - sealStart) / 1e9;
    const fileBytes = statSync(bundlePath).size;
    result.seal_MBps = Math.round(fileBytes / MB / sealSeconds);
    // Open alone: decrypt, parse the container, check the clerk's manifest signature, hash every document and verify
    // the envelope signature — everything import does except writing to the vault.
    const reader = await panellist.withIdentity((identity) => ({ identity: identity.ageIdentity, ownRecipient: identity.ageRecipient }));
    const openStart = process.hrtime.bigint();
    await readBundle(createReadStream(bundlePath, { highWaterMark: PIECE }), reader, { onManifest() {}, onIndex() {}, onDocumentChunk() {}, onDocumentVerified() {} });
    result.open_verify_MBps = Math.round(fileBytes / MB / (Number(process.hrtime.bigint() - openStart) / 1e9));
    clerk.lock('user');
    panellist.lock('user');

    // Open + import in a child process: its peak RSS is the import's, not this generator's.
    const child = execFileSync(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'import-child.ts'), join(dir, 'panellist'), bundlePath], {
      encoding: 'utf8',
      env: { ...process.env, HD_BENCH_PASSPHRASE: BENCH_PASSPHRASE },
      maxBuffer: 1 << 20,
    });
    const figures = JSON.parse(child.trim().split('\n').pop()!) as { importSeconds: number; firstDocumentMs: number; peakRssMB: number; baselineRssMB: number };
    result.open_import_MBps = Math.round(fileBytes / MB / figures.importSeconds);
    result.first_document_readable_ms = Math.round(figures.firstDocumentMs);
    result.import_peak_rss_MB = figures.peakRssMB;
    result.import_rss_before_MB = figures.baselineRssMB;
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizeMb = Number(process.argv[2] ?? '100');
  benchBundle(Math.round(sizeMb * MB)).then(
    (result) => {
      for (const [key, value] of Object.entries(result)) console.log(`${key.padEnd(28)}  ${value}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
