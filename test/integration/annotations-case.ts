// A real case for the annotation and search tests: a clerk seals a bundle of real PDFs (pdf-lib, several pages of
// text each) to a chair, a panellist and the external lawyer, and each imports it into their own real vault.
import { createHash, randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import { Annotations } from '../../electron/services/annotations/annotations';
import { planSealedCopies, type SealDocumentSource } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { collect } from '../../electron/services/crypto/byte-reader';
import { CaseSearch } from '../../electron/services/search';
import type { Person } from '../helpers/people';

export const TODAY = new Date('2026-11-23T12:00:00Z');

/** Page texts of the statement document: page breaks fall mid-paragraph, as in real bundles. */
export const STATEMENT_PAGES = [
  ['Witness statement of C1 (fictional)', 'On 3 June 2026 the respondent shared a post about hidden', 'financiers controlling the party. Members replied that it was'],
  ['offensive. The respondent then wrote that those people always', 'complain. The post was removed two days later by the respondent.'],
  ['I would like the panel to consider the comment as well as the post.', 'Signed: C1 (a fictional complainant)'],
];

async function pdfWithPages(pages: string[][]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 60, y: 760 - i * 20, size: 11, font }));
  }
  return doc.save();
}

export function keyOf(person: Person, participantId: string): BundleParticipantKey {
  const { card, fingerprint } = person.session.myCard();
  return { participantId, name: card.name, role: person.role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

export interface SealedCase {
  bundleId: string;
  reference: string;
  /** Each recipient's case id in their own vault. */
  caseIds: Map<Person, string>;
}

export async function sealAndImport(clerk: Person, recipients: Person[], reference = 'NEC-2026-0077'): Promise<SealedCase> {
  const statement = await pdfWithPages(STATEMENT_PAGES);
  const notes = await pdfWithPages([['Screenshot transcript: hidden financiers, posted 3 June 2026.']]);
  const entry = (id: string, section: string, title: string, data: Uint8Array, firstPage: number, pageCount: number) => ({
    id, section, title, date: '2026-08-01', kind: 'pdf' as const, capture: null, bytes: data.length,
    sha256: createHash('sha256').update(data).digest('hex'), sourceSha256: createHash('sha256').update(data).digest('hex'),
    firstPage, pageCount, firstLabel: `${section}${firstPage}`, lastLabel: `${section}${firstPage + pageCount - 1}`,
  });
  const documents: SealDocumentSource[] = [
    { entry: entry('doc-statement', 'A', 'Witness statement of C1', statement, 2, 3), restrictedFrom: [], open: () => statement },
    { entry: entry('doc-transcript', 'B', 'Transcript of the post', notes, 5, 1), restrictedFrom: [], open: () => notes },
  ];
  const participants = recipients.map((person, i) => ({ id: `p-${i}`, name: person.name, role: person.role, fingerprint: person.session.myCard().fingerprint }));
  const caseFile: CaseFile = {
    format: 'hearing-desk/case@1',
    reference,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'north-west',
    protectedCharacteristics: ['religion-or-belief'],
    dates: { complaintReceived: '2026-08-01', hearing: '2026-12-01' },
    allegations: [
      { number: 1, text: 'Shared a post with antisemitic content.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'antisemitism' },
      { number: 2, text: 'Commented that "those people" always complain.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'antisemitism' },
    ],
    participants,
    respondent: { pseudonym: 'R1' },
    complainant: { pseudonym: 'C1' },
    criteria: { id: 'sample-sanctions-criteria', version: '1.0.0' },
  };
  const bundleId = randomUUID();
  const clerkKey = { ...keyOf(clerk, 'sealer') };
  const copies = await clerk.session.withIdentity(async (me) => {
    const planned = planSealedCopies({
      author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient, participant: clerkKey },
      bundleId,
      revision: 1,
      caseFile,
      title: `Hearing bundle: ${reference}`,
      sealedAt: new Date('2026-11-20T09:00:00Z'),
      expiresOn: '2026-12-31',
      sections: [{ letter: 'A', title: 'Statements', supplementary: false }, { letter: 'B', title: 'Evidence', supplementary: false }],
      pageCount: 5,
      index: await pdfWithPages([['Index']]),
      documents,
      recipients: recipients.map((person, i) => keyOf(person, `p-${i}`)),
    });
    return Promise.all(planned.map(async (copy) => ({ recipients: copy.recipients, bytes: await collect(copy.stream()) })));
  });
  const caseIds = new Map<Person, string>();
  for (const person of recipients) {
    const signingKey = person.session.myCard().card.signingKey;
    const copy = copies.find((c) => c.recipients.some((r) => r.signingKey === signingKey))!;
    caseIds.set(person, await new ReceivedCases(person.session, () => TODAY).import({ name: 'bundle.hdbundle', bytes: copy.bytes }, { trustSealer: true }));
  }
  return { bundleId, reference, caseIds };
}

/** The services one person's app would hold. */
export function servicesOf(person: Person) {
  const cases = new ReceivedCases(person.session, () => TODAY);
  return { cases, annotations: new Annotations(person.session, cases, () => TODAY), search: new CaseSearch(person.session, cases) };
}
