// The built-in demo hearing: a wholly fictional case with generated evidence, sealed at the user's request by a
// fictional demo clerk to the user's own key and imported like any real bundle, so a newcomer meets a real,
// verified bundle at once. Nothing here names a real person; every key except the user's is generated and dropped.
import { createHash, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import { addDays } from '../../shared/domain/common';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import sampleCriteria from '../../shared/criteria/sample-criteria.json';
import { assembleBundle } from './bundle-pdf/assemble';
import { planSealedCopies, type SealDocumentSource } from './bundles/bundle-file';
import { splitAssembled } from './bundles/case-drafts';
import type { CaseDrafts } from './bundles/case-drafts';
import type { ReceivedCases } from './bundles/received-cases';
import { collect } from './crypto/byte-reader';
import { serializeSignedCriteria, signedSampleCriteria } from './criteria';
import { createIdentityKeys, fingerprintOf, makeCard, serializeCard } from './identities';
import { PublishedStore } from './published';
import type { Session } from './session';

export const DEMO_REFERENCE = 'DEMO-2026-001';
export const DEMO_CLERK_NAME = 'Demo Clerk (fictional)';
export const DEMO_OFFICE_NAME = 'Demo Central Office (fictional)';

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function fictionalPerson(name: string, role: BundleParticipantKey['role'], participantId: string): BundleParticipantKey {
  const keys = createIdentityKeys();
  keys.signingSeed.fill(0);
  const signingKey = keys.signingPublic.toString('base64');
  return { participantId, name, role, ageRecipient: keys.ageRecipient, signingKey, fingerprint: fingerprintOf(signingKey, keys.ageRecipient) };
}

/** A small PNG drawn from rectangles: a mock social-media post, without text (the capture details say what it is). */
export function demoScreenshotPng(width = 480, height = 300): Uint8Array {
  const rows: Buffer[] = [];
  const colour = (x: number, y: number): [number, number, number] => {
    if (y < 48) return [38, 70, 120];
    if (x > 24 && x < 72 && y > 64 && y < 112) return [180, 190, 205];
    if (x > 88 && x < 300 && y > 70 && y < 82) return [60, 60, 60];
    if (x > 88 && x < 220 && y > 92 && y < 102) return [150, 150, 150];
    if (x > 24 && x < width - 24 && y > 130 && y < 250 && (y - 130) % 24 < 12 && x < width - 24 - ((y * 7) % 90)) return [90, 90, 90];
    if (y > 266 && y < 284 && x > 24 && x < 150) return [200, 70, 70];
    return [250, 250, 248];
  };
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set(colour(x, y), 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

async function noticeOfHearingPdf(hearing: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('Notice of hearing', { x: 64, y: 760, size: 20, font: bold, color: rgb(0.1, 0.1, 0.1) });
  const lines = [
    `Case ${DEMO_REFERENCE} (a fictional demonstration case)`,
    `The panel will sit on ${hearing} to consider the allegations set out in section A.`,
    'The respondent may attend, be accompanied, and make written and oral representations.',
    'The panel is assisted by an external lawyer, who advises and does not vote.',
    'All papers are confidential to the panel, the clerk and the external lawyer.',
  ];
  lines.forEach((line, i) => page.drawText(line, { x: 64, y: 720 - i * 22, size: 11, font }));
  return doc.save();
}

const COMPLAINT = `Complaint about conduct on social media (fictional demonstration text)

I am a member of the Riverside branch. On 3 June 2026 the respondent (R1) shared a post on a public social media
account that repeated an antisemitic conspiracy theory about "hidden financiers" controlling the party.

When members replied to say the post was offensive, R1 added a comment saying that "those people" always complain.

I attach a screenshot of the post as I saw it, and an e-mail I sent to the branch secretary the same evening.
I would like the party to deal with this under its rules on discriminatory conduct.`;

const RESPONSE = `Response of the respondent (fictional demonstration text)

I accept that I shared the post. I did not write it, and I did not read the linked article in full. I removed the
post two days later when the branch secretary asked me to. I deny that my later comment referred to Jewish people.
I have been a member for eleven years and have never been the subject of a complaint before. I am willing to attend
training.`;

function emailToBranch(received: string): string {
  return [
    'From: Complainant C1 <c1@example.invalid>',
    'To: Branch Secretary <secretary@example.invalid>',
    `Date: ${new Date(`${received}T19:42:00Z`).toUTCString()}`,
    'Subject: Post shared by a branch member',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Dear Secretary,',
    '',
    'Tonight a member of our branch shared a post that many of us found antisemitic. Several members have',
    'messaged me about it. I have taken a screenshot. Could the branch ask for it to be taken down?',
    '',
    'With thanks,',
    'C1 (a fictional complainant)',
    '',
  ].join('\r\n');
}

/** The demo case's allegations: the demo hearing and every practice case made from it decide these. */
export const DEMO_ALLEGATIONS = [
  { text: 'On 3 June 2026 the respondent shared a social media post repeating an antisemitic conspiracy theory.', ruleReference: 'Rule book 2026, chapter 2, clause I.8', conductCategoryId: 'sharing-antisemitic-content' },
  { text: 'In a comment under the same post the respondent referred to Jewish members as "those people" who "always complain".', ruleReference: 'Rule book 2026, chapter 2, clause I.8', conductCategoryId: 'antisemitic-conduct' },
] as const;

export const DEMO_TITLE = 'Demo hearing: shared social media post';

interface DemoDocument {
  id: string;
  section: string;
  title: string;
  date: string;
  kind: 'text' | 'image' | 'eml' | 'pdf';
  sourceName: string;
  bytes: Uint8Array;
  capture?: { sourceUrl: string; capturedAt: string; capturedBy: string };
}

/** The demo case's evidence, dated relative to when the complaint was received and the hearing. */
async function demoEvidence(received: string, today: string, hearing: string): Promise<DemoDocument[]> {
  return [
    { id: 'doc-complaint', section: 'A', title: 'Complaint from C1', date: received, kind: 'text', sourceName: 'complaint-from-c1.txt', bytes: Buffer.from(COMPLAINT, 'utf8') },
    { id: 'doc-screenshot', section: 'B', title: 'Screenshot of the shared post', date: addDays(received, -1), kind: 'image', sourceName: 'screenshot-of-the-shared-post.png', bytes: demoScreenshotPng(), capture: { sourceUrl: 'https://social.example.invalid/r1/posts/1042', capturedAt: `${addDays(received, -1)}T19:30:00Z`, capturedBy: 'Complainant C1' } },
    { id: 'doc-email', section: 'B', title: 'E-mail from C1 to the branch secretary', date: addDays(received, -1), kind: 'eml', sourceName: 'e-mail-to-the-branch-secretary.eml', bytes: Buffer.from(emailToBranch(addDays(received, -1)), 'utf8') },
    { id: 'doc-response', section: 'C', title: 'Written response of R1', date: addDays(received, 21), kind: 'text', sourceName: 'written-response-of-r1.txt', bytes: Buffer.from(RESPONSE, 'utf8') },
    { id: 'doc-notice', section: 'D', title: 'Notice of hearing', date: addDays(today, -7), kind: 'pdf', sourceName: 'notice-of-hearing.pdf', bytes: await noticeOfHearingPdf(hearing) },
  ];
}

/**
 * A practice case for training a real panel: a case draft in the clerk's case builder holding the demo hearing's
 * details, allegations and evidence under a fresh practice reference. The clerk names the participants from the
 * address book (and may add instructions for the panel), then seals it like any case, so a panel in training meets
 * the whole flow, from opening the bundle to signing the outcome, on fictional material. Returns the draft's id.
 */
export async function createPracticeDraft(drafts: CaseDrafts, now: Date = new Date()): Promise<string> {
  const today = isoDay(now);
  const received = addDays(today, -60);
  const hearing = addDays(today, 14);
  const suffix = randomUUID().slice(0, 4).toUpperCase();
  const draft = drafts.create({
    reference: `PRACTICE-${today.replaceAll('-', '')}-${suffix}`,
    title: `Practice hearing (fictional): shared social media post`,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'demo-region',
    protectedCharacteristics: ['race', 'religion-or-belief'],
    complaintReceived: received,
    hearingDate: hearing,
    allegations: DEMO_ALLEGATIONS.map((allegation) => ({ ...allegation })),
    respondentPseudonym: 'R1',
    complainantPseudonym: 'C1',
    criteria: { id: sampleCriteria.id, version: sampleCriteria.version },
  });
  for (const document of await demoEvidence(received, today, hearing)) {
    drafts.addGeneratedDocument(draft.id, { sourceName: document.sourceName, bytes: document.bytes, section: document.section, title: document.title, date: document.date, capture: document.capture ?? null });
  }
  return draft.id;
}

/**
 * Seals (to the user, as the demo clerk) and imports the demo hearing, and makes sure the user holds the sample
 * criteria it names signed by a fictional demo central office, so the demo runs on signed criteria end to end.
 * Returns the new case's id.
 */
export async function installDemoHearing(session: Session, cases: ReceivedCases, now: Date = new Date()): Promise<string> {
  const caseId = await cases.import({ name: 'demo-hearing.hdbundle', bytes: await sealDemoHearing(session, now) }, { trustSealer: true });
  installDemoCriteria(session, now);
  return caseId;
}

/**
 * Adds a fictional demo central office to the address book (verified: the app made it a moment ago) and imports
 * the sample criteria signed by it. Nothing happens when the sample is already held, so reinstalling the demo adds
 * no second office. The office's signing key is generated here and dropped.
 */
export function installDemoCriteria(session: Session, now: Date = new Date()): void {
  const published = new PublishedStore(session, () => now);
  const sample = sampleCriteria as { id: string; version: string };
  if (published.held(sample.id, sample.version)) return;
  const office = createIdentityKeys();
  try {
    const card = makeCard({ name: DEMO_OFFICE_NAME, role: 'central-office', createdAt: now.toISOString() }, office);
    const signed = serializeSignedCriteria(signedSampleCriteria(office.signingSeed));
    // Both or neither: a demo office with no criteria would only clutter the address book.
    session.requireVault().db.transaction(() => {
      session.importCard(serializeCard(card), true);
      published.importCriteria(signed);
    })();
  } finally {
    office.signingSeed.fill(0);
  }
}

/**
 * Builds the demo hearing and seals it to the user, as the fictional demo clerk: the bytes of a real .hdbundle.
 * The user is placed on the panel in their own role (a clerk or central-office user sits as chair).
 */
export async function sealDemoHearing(session: Session, now: Date = new Date()): Promise<Uint8Array> {
  const today = isoDay(now);
  const received = addDays(today, -60);
  const hearing = addDays(today, 14);
  const clerkKeys = createIdentityKeys();
  const signingKey = clerkKeys.signingPublic.toString('base64');
  const sealerKey: BundleParticipantKey = {
    participantId: 'sealer',
    name: DEMO_CLERK_NAME,
    role: 'clerk',
    ageRecipient: clerkKeys.ageRecipient,
    signingKey,
    fingerprint: fingerprintOf(signingKey, clerkKeys.ageRecipient),
  };

  const { card, fingerprint } = session.myCard();
  const myRole: BundleParticipantKey['role'] = card.role === 'panellist' || card.role === 'chair' || card.role === 'external-lawyer' ? card.role : 'chair';
  const me: BundleParticipantKey = { participantId: 'p-you', name: card.name, role: myRole, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
  const others = [
    myRole === 'chair' ? null : fictionalPerson('Avery Demo-Chair (fictional)', 'chair', 'p-chair'),
    fictionalPerson('Jordan Demo-Panellist (fictional)', 'panellist', 'p-panel-1'),
    myRole === 'panellist' ? null : fictionalPerson('Robin Demo-Panellist (fictional)', 'panellist', 'p-panel-2'),
    myRole === 'external-lawyer' ? null : fictionalPerson('Casey Demo-Counsel (fictional)', 'external-lawyer', 'p-lawyer'),
  ].filter((p): p is BundleParticipantKey => p !== null);
  const recipients = [me, ...others];

  const caseFile: CaseFile = {
    format: 'hearing-desk/case@1',
    reference: DEMO_REFERENCE,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'demo-region',
    protectedCharacteristics: ['race', 'religion-or-belief'],
    dates: { complaintReceived: received, hearing },
    allegations: DEMO_ALLEGATIONS.map((allegation, index) => ({ number: index + 1, ...allegation })),
    participants: recipients.map((p) => ({ id: p.participantId, name: p.name, role: p.role, fingerprint: p.fingerprint })),
    respondent: { pseudonym: 'R1' },
    complainant: { pseudonym: 'C1' },
    criteria: { id: sampleCriteria.id, version: sampleCriteria.version },
  };

  const sources = await demoEvidence(received, today, hearing);
  const sections = [
    { letter: 'A', title: 'Complaint' },
    { letter: 'B', title: 'Evidence' },
    { letter: 'C', title: 'Response' },
    { letter: 'D', title: 'Procedural documents' },
  ];
  const assembled = await assembleBundle({
    caseReference: DEMO_REFERENCE,
    title: DEMO_TITLE,
    sections: sections.map((s) => ({
      ...s,
      documents: sources.filter((d) => d.section === s.letter).map((d) => ({ id: d.id, title: d.title, date: d.date, kind: d.kind, bytes: d.bytes, ...(d.capture ? { capture: d.capture } : {}) })),
    })),
  });
  const parts = await splitAssembled(assembled);
  const documents: SealDocumentSource[] = sources.map((d) => {
    const entry = assembled.documents.find((e) => e.id === d.id)!;
    const bytes = parts.documents.get(d.id)!;
    return {
      entry: {
        id: d.id,
        section: d.section,
        title: d.title,
        date: d.date,
        kind: d.kind,
        capture: d.capture ?? null,
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        sourceSha256: createHash('sha256').update(d.bytes).digest('hex'),
        firstPage: entry.firstPage,
        pageCount: entry.lastPage - entry.firstPage + 1,
        firstLabel: entry.firstLabel,
        lastLabel: entry.lastLabel,
      },
      restrictedFrom: [],
      open: () => bytes,
    };
  });
  const [copy] = planSealedCopies({
    author: { signingSeed: clerkKeys.signingSeed, ageRecipient: clerkKeys.ageRecipient, participant: sealerKey },
    bundleId: randomUUID(),
    revision: 1,
    caseFile,
    title: DEMO_TITLE,
    sealedAt: now,
    expiresOn: addDays(hearing, 30),
    sections: sections.map((s) => ({ ...s, supplementary: false })),
    pageCount: assembled.pageCount,
    index: parts.index,
    documents,
    recipients,
  });
  try {
    return await collect(copy!.stream());
  } finally {
    clerkKeys.signingSeed.fill(0);
  }
}
