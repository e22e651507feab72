// A chair holding a complete, signed outcome record for a real case, made the way the app makes it: a fictional clerk
// seals the NCC case of test/helpers/records.ts to the panel, the chair imports the bundle, finalises the decision,
// builds and signs the record through the real handlers, and adds the panel's returned signatures. Also a central
// office (with the chair's card, the sample criteria published) to judge the packages. All names are fictional.
import { createHash, randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { sampleCriteria } from '../../shared/criteria';
import { addDays } from '../../shared/domain/common';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import { createHandlers } from '../../electron/handlers';
import { createDispatcher, type Dispatch } from '../../electron/ipc';
import { planSealedCopies } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { collect } from '../../electron/services/crypto/byte-reader';
import { Decisions } from '../../electron/services/decisions';
import type { FilePicker } from '../../electron/services/ports';
import { centralOfficeLedger } from '../../electron/services/records/ledger';
import { exportForSignature, importSignature, openForSignature, signForSignature } from '../../electron/services/records/signatures';
import type { Session } from '../../electron/services/session';
import { contactIdOf, createPerson, TEST_PASSPHRASE, type Person } from './people';
import { caseWith, createPanel, draftFor, PANEL, type Panel, type PanelKey, type PublicKeys } from './records';

export const OUTCOME_REFERENCE = 'NCC/2026/0417';
export const OUTCOME_CRITERIA = sampleCriteria();

export interface SignedOutcome {
  panel: Panel;
  office: Person;
  caseId: string;
  /** The central office as a contact in the chair's address book. */
  officeContactId: string;
  cleanup(): void;
}

/** A dispatcher over the app's handler table (createHandlers), with a picker answering what the test queues. */
export function appDispatch(session: Session, picker: Partial<FilePicker> = {}): Dispatch {
  const full: FilePicker = { chooseOpenPaths: async () => [], chooseSavePath: async () => null, ...picker };
  return createDispatcher(createHandlers(session, null, { picker: full }), { logError: () => undefined });
}

/** Calls through the dispatcher and unwraps the result; a refusal throws an Error whose `code` is the contract's. */
export async function call<T = unknown>(dispatch: Dispatch, name: string, input: unknown): Promise<T> {
  const result = await dispatch(name, input);
  if (!result.ok) throw Object.assign(new Error(`${name}: ${result.error.code}: ${result.error.message}`), { code: result.error.code });
  return result.value as T;
}

function publicKeysOf(session: Session): PublicKeys {
  const { card, fingerprint } = session.myCard();
  return { fingerprint, signingKey: card.signingKey, ageRecipient: card.ageRecipient };
}

function bundleKey(session: Session, key: PanelKey): BundleParticipantKey {
  const member = PANEL.find((m) => m.key === key)!;
  return { participantId: member.id, name: member.name, role: member.role, ...publicKeysOf(session) };
}

/**
 * The NCC case of test/helpers/records.ts, with a one-page complaint, sealed by the clerk (as the clerk's app seals a
 * bundle) to the chair, both panellists and the lawyer: the bytes of a real .hdbundle.
 */
export async function sealBaselineCase(sessions: Record<PanelKey, Session>, title = 'Conduct on social media (fictional)'): Promise<Uint8Array> {
  const caseFile = caseWith(Object.fromEntries(PANEL.map((m) => [m.key, publicKeysOf(sessions[m.key])])) as Record<PanelKey, PublicKeys>);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Complaint in case ${OUTCOME_REFERENCE} (fictional)`, { x: 60, y: 760, size: 12, font });
  const pdf = await doc.save();
  const sha = createHash('sha256').update(pdf).digest('hex');
  const sealer = bundleKey(sessions.clerk, 'clerk');
  const seed = await sessions.clerk.withIdentity((me) => Buffer.from(me.signingSeed));
  try {
    const [copy] = planSealedCopies({
      author: { signingSeed: seed, ageRecipient: sealer.ageRecipient, participant: sealer },
      bundleId: randomUUID(),
      revision: 1,
      caseFile,
      title,
      sealedAt: new Date(),
      expiresOn: addDays(new Date().toISOString().slice(0, 10), 60),
      sections: [{ letter: 'A', title: 'Complaint', supplementary: false }],
      pageCount: 2,
      index: pdf,
      documents: [
        {
          entry: { id: 'doc-complaint', section: 'A', title: 'Complaint', date: '2026-02-02', kind: 'pdf', capture: null, bytes: pdf.length, sha256: sha, sourceSha256: sha, firstPage: 2, pageCount: 1, firstLabel: 'A2', lastLabel: 'A2' },
          restrictedFrom: [],
          open: () => pdf,
        },
      ],
      recipients: (['chair', 'panellistA', 'panellistB', 'lawyer'] as const).map((key) => bundleKey(sessions[key], key)),
    });
    return await collect(copy!.stream());
  } finally {
    seed.fill(0);
  }
}

async function sealCase(panel: Panel): Promise<Uint8Array> {
  return sealBaselineCase(Object.fromEntries(PANEL.map((m) => [m.key, panel[m.key].session])) as Record<PanelKey, Session>);
}

function finaliseDecision(session: Session, caseId: string): void {
  const [held] = new ReceivedCases(session).list();
  const decisions = new Decisions(session);
  let view = decisions.save(caseId, draftFor(held!.manifest.case), 0);
  for (const blocker of view.blockers) {
    if (blocker.severity !== 'warn') throw new Error(`the baseline decision is blocked: ${blocker.message}`);
    view = decisions.acknowledge(caseId, blocker.ruleId, blocker.fieldKey, 'No earlier outcomes are held on this laptop; the indicated range was followed.');
  }
  if (decisions.finalise(caseId, view.revision).status !== 'final') throw new Error('the decision did not become final');
}

/** The whole panel, a central office, and the chair's case with its record signed by everyone the criteria require. */
export async function signedOutcome(): Promise<SignedOutcome> {
  const panel = await createPanel();
  const office = await createPerson('Central Office (fictional)', 'central-office');
  panel.chair.session.importCard(JSON.stringify(office.session.myCard().card), true);
  office.session.importCard(JSON.stringify(panel.chair.session.myCard().card), true);
  await office.session.withIdentity((identity) =>
    centralOfficeLedger(office.session).publishCriteria(JSON.stringify(OUTCOME_CRITERIA), { name: identity.name, signingKey: identity.signingKey, seed: identity.signingSeed }),
  );

  const chair = panel.chair.session;
  const caseId = await new ReceivedCases(chair).import({ name: 'ncc-2026-0417.hdbundle', bytes: await sealCase(panel) }, { trustSealer: true });
  finaliseDecision(chair, caseId);
  const dispatch = appDispatch(chair);
  await call(dispatch, 'records.build', { caseId });
  await call(dispatch, 'records.sign', { caseId, passphrase: TEST_PASSPHRASE });
  const request = await exportForSignature(chair, OUTCOME_REFERENCE, OUTCOME_CRITERIA);
  for (const key of ['panellistA', 'panellistB', 'lawyer'] as const) {
    const member = panel[key].session;
    const view = await openForSignature(member, request.bytes, OUTCOME_CRITERIA);
    const returned = await signForSignature(member, TEST_PASSPHRASE, view, OUTCOME_CRITERIA);
    await importSignature(chair, OUTCOME_REFERENCE, returned, OUTCOME_CRITERIA, { caseId });
  }
  const status = await call<{ record: { complete: boolean } | null }>(dispatch, 'records.status', { caseId });
  if (!status.record?.complete) throw new Error('the record did not collect every signature');
  return {
    panel,
    office,
    caseId,
    officeContactId: contactIdOf(panel.chair, office),
    cleanup() {
      for (const person of [...Object.values(panel), office]) person.cleanup();
    },
  };
}
