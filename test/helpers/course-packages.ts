// Genuine outcome packages for the education-course tests: records of the baseline NCC case (decided 2026-04-27)
// signed by every member of a real panel, with the chair's PAdES-signed letter, sealed by the chair to a central
// office, exactly as the app sends them. Variants change the course's due date or order no course at all.
// All names are fictional.
import type { DecisionDraft } from '../../shared/domain/decision';
import type { OutcomeRecord, SignedOutcomeRecord } from '../../shared/domain/record';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { buildSignedLetter, centralOfficeLedger, sealOutcomePackage } from '../../electron/services/records/ledger';
import { signedRecordOf } from '../../electron/services/records/record';
import { signRecord } from '../../electron/services/records/signatures';
import type { Session } from '../../electron/services/session';
import { TEST_PASSPHRASE } from './people';
import { CRITERIA, keysOfPanel, recordFor, type Panel } from './records';

export interface CourseCase {
  reference: string;
  /** The course's due date (the baseline's is 2026-05-22); null: no course ordered (nothing proven). */
  courseDue: string | null;
  decidingBody?: 'ncc' | 'nec-panel' | 'independent-panel';
}

/** The decision of the baseline case with every allegation not proven: no sanction, so no course. */
function nothingProven(draft: DecisionDraft): void {
  for (const allegation of draft.allegations) {
    allegation.finding = 'not-proven';
    allegation.reasons = 'The evidence did not establish the allegation on the balance of probabilities.';
  }
  draft.seriousness = null;
  draft.sanction = { rungId: 'no-further-action', parameters: {}, lesserRungReasons: {}, nextRungReason: '' };
  draft.orders.educationCourse = null;
}

async function signAll(panel: Panel, record: OutcomeRecord): Promise<SignedOutcomeRecord> {
  let signed = signedRecordOf(record);
  for (const key of ['chair', 'panellistA', 'panellistB', 'lawyer'] as const) signed = await signRecord(panel[key].session, TEST_PASSPHRASE, signed, CRITERIA);
  return signed;
}

/** One sealed package per case, from the panel's chair to `officeRecipient` (the office's age recipient). */
export async function sealCoursePackages(panel: Panel, officeRecipient: string, cases: readonly CourseCase[]): Promise<{ reference: string; bytes: Uint8Array }[]> {
  const keys = keysOfPanel(panel);
  const certificate = issueChairCertificate({ name: panel.chair.name, fingerprint: keys.chair.fingerprint, signingKeyBase64: keys.chair.signingKey }, new Date('2026-04-28T09:00:00Z'));
  const packages: { reference: string; bytes: Uint8Array }[] = [];
  for (const course of cases) {
    const record = recordFor(keys, {
      reference: course.reference,
      ...(course.decidingBody ? { decidingBody: course.decidingBody } : {}),
      change: (draft) => {
        if (course.courseDue === null) nothingProven(draft);
        else draft.orders.educationCourse = { dueDate: course.courseDue };
      },
    });
    const signed = await signAll(panel, record);
    const { pdf } = await buildSignedLetter(signed, CRITERIA, certificate, { createdAt: new Date('2026-04-28T12:00:00Z') });
    const { bytes } = await sealOutcomePackage(panel.chair.session, { signed, letterPdf: pdf, criteria: CRITERIA, officeRecipient });
    packages.push({ reference: course.reference, bytes });
  }
  return packages;
}

/** The office publishes the criteria the packages were decided under (signed with its own key). */
export async function publishCriteriaAsOffice(office: Session): Promise<void> {
  await office.withIdentity((identity) =>
    centralOfficeLedger(office).publishCriteria(JSON.stringify(CRITERIA), { name: identity.name, signingKey: identity.signingKey, seed: identity.signingSeed }),
  );
}

/** Publishes the criteria and ingests every package through the ledger's full verification; fails on any refusal. */
export async function ingestAsOffice(office: Session, packages: readonly { reference: string; bytes: Uint8Array }[]): Promise<void> {
  const ageIdentity = await office.withIdentity((identity) => identity.ageIdentity);
  const outcomes = await centralOfficeLedger(office).ingest(
    packages.map((p) => ({ name: `${p.reference.replace(/\W+/g, '-')}.hdoutcome`, bytes: p.bytes })),
    ageIdentity,
  );
  const refused = outcomes.filter((outcome) => !outcome.ok);
  if (refused.length > 0) throw new Error(`The office refused test packages: ${JSON.stringify(refused)}`);
}
