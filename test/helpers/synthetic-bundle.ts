// A sealed bundle of synthetic PDF-shaped documents, for tests that need real sealing and import work without real
// PDFs (crash, disk-error and throughput tests). The sealer's own copy is addressed to the given recipients.
import { createHash, randomUUID } from 'node:crypto';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import { planSealedCopies, type SealDocumentSource, type SealedCopy } from '../../electron/services/bundles/bundle-file';
import type { Session } from '../../electron/services/session';

export function participantKeyOf(session: Session, participantId: string, role?: BundleParticipantKey['role']): BundleParticipantKey {
  const { card, fingerprint } = session.myCard();
  return { participantId, name: card.name, role: role ?? card.role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

export interface SyntheticBundle {
  copy: SealedCopy;
  /** SHA-256 (hex) of each document's bytes, by document id. */
  hashes: Map<string, string>;
}

export async function syntheticBundle(options: {
  sealer: Session;
  /** Recipients' keys; the sealer alone (as a panellist) when omitted. */
  recipients?: BundleParticipantKey[];
  reference: string;
  title: string;
  documents: number;
  documentBytes?: number;
}): Promise<SyntheticBundle> {
  const size = options.documentBytes ?? 1_500_000;
  const hashes = new Map<string, string>();
  const documents: SealDocumentSource[] = Array.from({ length: options.documents }, (_, index) => {
    const bytes = Buffer.alloc(size, index + 1);
    bytes.write(`%PDF-1.7 document ${index}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = `doc-${index}`;
    hashes.set(id, sha256);
    return {
      entry: { id, section: 'B', title: `Exhibit ${index}`, date: null, kind: 'pdf', capture: null, bytes: bytes.length, sha256, sourceSha256: sha256, firstPage: index + 2, pageCount: 1, firstLabel: `B${index + 2}`, lastLabel: `B${index + 2}` },
      restrictedFrom: [],
      open: () => bytes,
    };
  });
  const me = await options.sealer.withIdentity((identity) => ({ signingSeed: Buffer.from(identity.signingSeed), ageRecipient: identity.ageRecipient }));
  const [copy] = planSealedCopies({
    author: { ...me, participant: participantKeyOf(options.sealer, 'sealer', 'clerk') },
    bundleId: randomUUID(),
    revision: 1,
    caseFile: {
      format: 'hearing-desk/case@1', reference: options.reference, decidingBody: 'nec-panel', complaintType: 'other', region: null, protectedCharacteristics: [],
      dates: { complaintReceived: null, hearing: null }, allegations: [{ number: 1, text: 'Synthetic test allegation', ruleReference: 'n/a', conductCategoryId: 'bullying' }],
      participants: [], respondent: { pseudonym: 'R' }, complainant: { pseudonym: 'C' }, criteria: { id: 'sample', version: '1' },
    },
    title: options.title,
    sealedAt: new Date(),
    expiresOn: '2099-12-31',
    sections: [{ letter: 'B', title: 'Evidence', supplementary: false }],
    pageCount: options.documents + 1,
    index: Buffer.from('%PDF-1.7 index'),
    documents,
    recipients: options.recipients ?? [participantKeyOf(options.sealer, 'p1', 'panellist')],
  });
  return { copy: copy!, hashes };
}
