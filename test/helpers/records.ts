// Outcome records for the records tests, fuzz and benchmark: the checker's baseline NCC case (SAMPLE criteria) with
// real keys, either for real people (Sessions with vaults) or for synthetic key sets (no vault: fast, for thousands
// of records). All names are fictional.
import { checkDecision } from '../../shared/checker';
import { CaseFile } from '../../shared/domain/case';
import type { CriteriaDocument } from '../../shared/domain/criteria';
import { DecisionDraft } from '../../shared/domain/decision';
import type { OutcomeRecord, RecordSignature, SignedOutcomeRecord } from '../../shared/domain/record';
import { createIdentityKeys, fingerprintOf, type IdentityKeys } from '../../electron/services/identities';
import { sealEnvelopeBytes } from '../../electron/services/crypto/envelope';
import { buildOutcomeRecord, recordPayloadBytes, signedRecordOf, anonymisedSummaryOf, purposeForRole, sha256Hex } from '../../electron/services/records/record';
import { signPayload } from '../../electron/services/records/signatures';
import { encodeOutcomePackage } from '../../electron/services/records/ledger';
import { OUTCOME_PACKAGE_FORMAT, type OutcomePackage } from '../../shared/domain/record';
import { baselineCase, baselineDraft, baselineHistory, CRITERIA, IDS } from '../fixtures/checker/baseline';
import { createPerson, introduce, type Person } from './people';

export { CRITERIA };

export const PANEL = [
  { key: 'clerk', id: IDS.clerk, name: 'Imogen Featherstone-Quayle', role: 'clerk' },
  { key: 'chair', id: IDS.chair, name: 'Rosalind Achterberg', role: 'chair' },
  { key: 'panellistA', id: IDS.panellistA, name: 'Tobias Wrenfield', role: 'panellist' },
  { key: 'panellistB', id: IDS.panellistB, name: 'Marguerite Ossington', role: 'panellist' },
  { key: 'lawyer', id: IDS.lawyer, name: 'Caspian Delacroix-Hale', role: 'external-lawyer' },
] as const;
export type PanelKey = (typeof PANEL)[number]['key'];

export interface PublicKeys {
  fingerprint: string;
  signingKey: string;
  ageRecipient: string;
}

export const MANIFEST_HASH = 'a3'.repeat(32);
export const AUDIT_HEAD = '5c'.repeat(32);

/** The baseline case with these people's fingerprints; `reference` and `region` vary it. */
export function caseWith(keys: Record<PanelKey, PublicKeys>, options: { reference?: string; region?: string; complaintType?: CaseFile['complaintType']; decidingBody?: CaseFile['decidingBody']; received?: string } = {}): CaseFile {
  const file = baselineCase();
  file.participants.forEach((participant, index) => {
    participant.fingerprint = keys[PANEL[index]!.key].fingerprint;
  });
  if (options.reference) file.reference = options.reference;
  if (options.region) file.region = options.region;
  if (options.complaintType !== undefined) file.complaintType = options.complaintType;
  if (options.decidingBody) file.decidingBody = options.decidingBody;
  if (options.received) file.dates.complaintReceived = options.received;
  return CaseFile.parse(file);
}

export function draftFor(caseFile: CaseFile, change?: (draft: DecisionDraft) => void): DecisionDraft {
  const draft = baselineDraft();
  draft.caseReference = caseFile.reference;
  change?.(draft);
  return DecisionDraft.parse(draft);
}

/** A finalisable record of the baseline decision for these keys. */
export function recordFor(
  keys: Record<PanelKey, PublicKeys>,
  options: Parameters<typeof caseWith>[1] & { change?: (draft: DecisionDraft) => void; criteria?: CriteriaDocument } = {},
): OutcomeRecord {
  const criteria = options.criteria ?? CRITERIA;
  const caseFile = caseWith(keys, options);
  caseFile.criteria = { id: criteria.id, version: criteria.version };
  const draft = draftFor(caseFile, options.change);
  const result = checkDecision(criteria, caseFile, draft, { history: baselineHistory() });
  return buildOutcomeRecord(caseFile, MANIFEST_HASH, criteria, draft, result, AUDIT_HEAD, null, Object.values(keys));
}

// --- real people --------------------------------------------------------------------------------------------------

export type Panel = Record<PanelKey, Person>;

export async function createPanel(): Promise<Panel> {
  const people = await Promise.all(PANEL.map((member) => createPerson(member.name, member.role)));
  introduce(people);
  return Object.fromEntries(PANEL.map((member, index) => [member.key, people[index]!])) as Panel;
}

export function keysOfPerson(person: Person): PublicKeys {
  const { card, fingerprint } = person.session.myCard();
  return { fingerprint, signingKey: card.signingKey, ageRecipient: card.ageRecipient };
}

export function keysOfPanel(panel: Panel): Record<PanelKey, PublicKeys> {
  return Object.fromEntries(PANEL.map((member) => [member.key, keysOfPerson(panel[member.key])])) as Record<PanelKey, PublicKeys>;
}

// --- synthetic key sets (no vault) ------------------------------------------------------------------------------------

export type SyntheticPanel = Record<PanelKey, IdentityKeys & PublicKeys>;

export function syntheticPanel(): SyntheticPanel {
  return Object.fromEntries(
    PANEL.map((member) => {
      const keys = createIdentityKeys();
      const signingKey = keys.signingPublic.toString('base64');
      return [member.key, { ...keys, signingKey, fingerprint: fingerprintOf(signingKey, keys.ageRecipient) }];
    }),
  ) as SyntheticPanel;
}

/** Every signature the criteria require, made with the synthetic seeds. */
export function signSynthetic(panel: SyntheticPanel, record: OutcomeRecord, criteria: CriteriaDocument = CRITERIA, at = new Date('2026-04-28T10:00:00Z')): SignedOutcomeRecord {
  const payload = recordPayloadBytes(record);
  const signatures: RecordSignature[] = [];
  for (const member of PANEL) {
    const purpose = purposeForRole(criteria, member.role);
    if (!purpose) continue;
    const keys = panel[member.key];
    signatures.push(signPayload(keys.signingSeed, { fingerprint: keys.fingerprint, role: member.role }, purpose, payload, at));
  }
  return signedRecordOf(record, signatures);
}

/** An outcome package's content (no letter check: `letterPdf` is whatever bytes are given). */
export function packageContent(signed: SignedOutcomeRecord, record: OutcomeRecord, letterPdf: Uint8Array): OutcomePackage {
  return {
    format: OUTCOME_PACKAGE_FORMAT,
    signed,
    letterPdf: Buffer.from(letterPdf).toString('base64'),
    letterSha256: sha256Hex(letterPdf),
    summary: anonymisedSummaryOf(record),
  };
}

/** Seals package content as `author` (normally the chair) to the given recipients. */
export function sealPackage(content: unknown, author: { signingSeed: Uint8Array; ageRecipient: string }, recipients: string[]): Promise<Uint8Array> {
  return sealEnvelopeBytes({
    type: 'hearing-desk/outcome@1',
    payload: typeof content === 'string' ? Buffer.from(content, 'utf8') : encodeOutcomePackage(content as OutcomePackage),
    author,
    recipients,
    createdAt: new Date('2026-04-29T09:00:00Z'),
  });
}
