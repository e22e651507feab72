// Outcome records end to end with real people: five vaults (clerk, chair, two panellists, lawyer) and a central office.
// The chair builds the record, sends it for signature in sealed envelopes, every member opens, sees the exact bytes
// (and a diff against what they saw before), signs with their passphrase and returns a signature envelope; the chair
// builds the PAdES-signed letter and seals the package to the central office, which verifies, ingests and counts it.
// Each refusal is checked for its specific code, and for leaving the ledger unchanged.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDecision } from '../../shared/checker';
import { sampleCriteria } from '../../shared/criteria';
import { SIGNATURE_RETURN_FORMAT, type OutcomeRecord, type SignedOutcomeRecord } from '../../shared/domain/record';
import { AuditTrail } from '../../electron/services/audit';
import { sealEnvelopeBytes } from '../../electron/services/crypto/envelope';
import { issueChairCertificate } from '../../electron/services/records/certificate';
import { verifyDecisionHistory } from '../../electron/services/records/history';
import {
  buildOutcomePackage,
  buildSignedLetter,
  centralOfficeLedger,
  letterAttachment,
  sealOutcomePackage,
  type CentralOfficeLedger,
} from '../../electron/services/records/ledger';
import { OutcomeRecordStore, parseSignedRecord, recordPayloadBytes, signedRecordOf, sha256Hex } from '../../electron/services/records/record';
import {
  exportForSignature,
  importSignature,
  openForSignature,
  signForSignature,
  signPayload,
  signRecord,
  startSigning,
  verifyRecordSignatures,
} from '../../electron/services/records/signatures';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { CRITERIA, createPanel, keysOfPanel, packageContent, PANEL, recordFor, sealPackage, type Panel } from '../helpers/records';
import { tempDir } from '../helpers/temp';

let panel: Panel;
let office: Person;
let outsider: Person;
let record: OutcomeRecord;
let complete: SignedOutcomeRecord;
let letterPdf: Uint8Array;
let work: ReturnType<typeof tempDir>;
const REF = 'NCC/2026/0417';
const signers = ['panellistA', 'panellistB', 'lawyer'] as const;

const codeOf = async (promise: Promise<unknown> | (() => unknown)): Promise<string> => {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as { code?: string }).code ?? `untyped: ${String(error)}`;
  }
  return 'no error';
};

function ledgerOf(person: Person): CentralOfficeLedger {
  return centralOfficeLedger(person.session);
}

/** Everything the ledger holds, hashed: "unchanged" means this is the same before and after. */
function ledgerSnapshot(person: Person): string {
  const db = person.session.requireVault().db;
  const rows = db.prepare('SELECT r.record_id, r.case_reference, r.summary_json, r.quarter, f.signed_json, length(f.letter_pdf) AS letter FROM ledger_records r JOIN ledger_record_files f USING (record_id) ORDER BY r.record_id').all();
  const criteria = db.prepare('SELECT criteria_id, version, digest FROM published_criteria ORDER BY criteria_id, version').all();
  return createHash('sha256').update(JSON.stringify({ rows, criteria })).digest('hex');
}

async function ageIdentityOf(person: Person): Promise<string> {
  return person.session.withIdentity((identity) => identity.ageIdentity);
}

async function chairSeal(content: unknown, recipients?: string[]): Promise<Uint8Array> {
  const officeRecipient = office.session.myCard().card.ageRecipient;
  return panel.chair.session.withIdentity((identity) =>
    sealPackage(content, { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient }, recipients ?? [officeRecipient]),
  );
}

beforeAll(async () => {
  work = tempDir('hd-records-');
  panel = await createPanel();
  office = await createPerson('Central Office (fictional)', 'central-office');
  outsider = await createPerson('Percival Outlander', 'panellist');
  for (const person of Object.values(panel)) {
    person.session.importCard(JSON.stringify(office.session.myCard().card), true);
    office.session.importCard(JSON.stringify(person.session.myCard().card), true);
  }
  record = recordFor(keysOfPanel(panel));
  // The office publishes the sample criteria under its own key.
  await office.session.withIdentity((identity) =>
    ledgerOf(office).publishCriteria(JSON.stringify(sampleCriteria()), { name: identity.name, signingKey: identity.signingKey, seed: identity.signingSeed }),
  );
}, 60_000);

afterAll(() => {
  for (const person of [...Object.values(panel ?? {}), office, outsider]) person?.cleanup();
  work?.cleanup();
});

describe('the outcome record', () => {
  it('is canonical JSON holding the case, the decision, the checker findings, the hashes and every participant key', () => {
    const bytes = recordPayloadBytes(record);
    expect(parseSignedRecord(signedRecordOf(record)).payload).toEqual(bytes);
    expect(record.format).toBe('hearing-desk/outcome-record@1');
    expect(record.caseReference).toBe(REF);
    expect(record.criteria).toMatchObject({ id: CRITERIA.id, version: CRITERIA.version });
    expect(record.criteria.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(record.participants.map((p) => p.role)).toEqual(PANEL.map((m) => m.role));
    expect(record.participants.every((p) => p.signingKey && p.ageRecipient && p.recused === false)).toBe(true);
    expect(record.outcomeCategory).toBe('suspension');
    expect(record.allegations.map((a) => a.finding)).toEqual(['proven', 'proven', 'not-proven']);
    expect(record.checker.findings.length).toBeGreaterThan(0);
    expect(record.lawyerAdvice?.summary).toContain('burden and standard of proof');
    expect(record.orders.educationCourse?.dueDate).toBe('2026-05-22');
  });

  it('cannot be built from a decision the checker blocks', async () => {
    expect(await codeOf(() => recordFor(keysOfPanel(panel), { change: (draft) => (draft.allegations[0]!.reasons = '') }))).toBe('record-not-final');
  });
});

describe('signing and offline collection', () => {
  it('asks for the passphrase again before using the key', async () => {
    expect(await codeOf(signRecord(panel.chair.session, 'not the passphrase', signedRecordOf(record), CRITERIA))).toBe('wrong-passphrase');
  });

  it('collects the chair, both panellists and the lawyer through exchanged envelopes', async () => {
    const chairSigned = await signRecord(panel.chair.session, TEST_PASSPHRASE, signedRecordOf(record), CRITERIA);
    startSigning(panel.chair.session, chairSigned);
    const request = await exportForSignature(panel.chair.session, REF, CRITERIA);
    expect(request.recipients.map((r) => r.role).sort()).toEqual(['chair', 'external-lawyer', 'panellist', 'panellist']);

    for (const key of signers) {
      const member = panel[key];
      const view = await openForSignature(member.session, request.bytes, CRITERIA);
      expect(Buffer.from(view.payload)).toEqual(Buffer.from(recordPayloadBytes(record)));
      expect(view.previous).toBeNull();
      expect(view.signedBy.map((s) => s.role)).toEqual(['chair']);
      expect(view.chair.name).toBe('Rosalind Achterberg');
      const returned = await signForSignature(member.session, TEST_PASSPHRASE, view, CRITERIA);
      const result = await importSignature(panel.chair.session, REF, returned, CRITERIA);
      expect(result.added.purpose).toBe(key === 'lawyer' ? 'attest-advice' : 'decision');
      if (key === 'lawyer') expect(result.missing).toEqual([]);
      // a second import of the same envelope is a duplicate
      if (key === 'panellistA') expect(await codeOf(importSignature(panel.chair.session, REF, returned, CRITERIA))).toBe('signature-duplicate');
    }
    complete = new OutcomeRecordStore(panel.chair.session).require(REF).signed;
    const verified = verifyRecordSignatures(complete, CRITERIA, { requireComplete: true });
    expect(verified.signers.map((s) => s.participant.name)).toEqual(['Rosalind Achterberg', 'Tobias Wrenfield', 'Marguerite Ossington', 'Caspian Delacroix-Hale']);
    // each signature is in the signer's own audit trail, and the chair's records every import
    const chairActions = new AuditTrail(panel.chair.session).entries({ limit: 20 }).map((entry) => entry.action);
    expect(chairActions.filter((action) => action === 'signature-added')).toHaveLength(4);
    expect(new AuditTrail(panel.lawyer.session).entries().map((entry) => entry.action)).toContain('signature-added');
  }, 60_000);

  it('refuses a signature for another case, over different bytes, by a non-member, or with the wrong purpose', async () => {
    // Another case: a record in progress for NCC/2026/0418, signed by panellist A and imported into the first case.
    const other = recordFor(keysOfPanel(panel), { reference: 'NCC/2026/0418' });
    startSigning(panel.chair.session, signedRecordOf(other));
    const otherRequest = await exportForSignature(panel.chair.session, 'NCC/2026/0418', CRITERIA);
    const otherView = await openForSignature(panel.panellistA.session, otherRequest.bytes, CRITERIA);
    const otherSignature = await signForSignature(panel.panellistA.session, TEST_PASSPHRASE, otherView, CRITERIA);
    expect(await codeOf(importSignature(panel.chair.session, REF, otherSignature, CRITERIA))).toBe('signature-other-case');

    // Different bytes: the chair changes the other record; a signature over the first version is refused, and the
    // panellist who opens the new version is shown exactly what changed.
    const changed = recordFor(keysOfPanel(panel), { reference: 'NCC/2026/0418', change: (draft) => (draft.publicationSummary += ' The course is to be completed within four weeks.') });
    startSigning(panel.chair.session, signedRecordOf(changed));
    expect(await codeOf(importSignature(panel.chair.session, 'NCC/2026/0418', otherSignature, CRITERIA))).toBe('signature-different-bytes');
    const second = await exportForSignature(panel.chair.session, 'NCC/2026/0418', CRITERIA);
    expect(second.version).toBe(2);
    const secondView = await openForSignature(panel.panellistA.session, second.bytes, CRITERIA);
    expect(secondView.previous?.version).toBe(1);
    expect(secondView.changes.map((c) => c.path)).toEqual(['publicationSummary']);
    expect(String(secondView.changes[0]!.after)).toContain('within four weeks');

    // A non-member's signature, sealed to the chair.
    const payload = recordPayloadBytes(changed);
    const forged = await outsider.session.withIdentity((identity) =>
      sealEnvelopeBytes({
        type: 'hearing-desk/signature@1',
        payload: Buffer.from(
          JSON.stringify({
            format: SIGNATURE_RETURN_FORMAT,
            caseReference: 'NCC/2026/0418',
            payloadSha256: sha256Hex(payload),
            signature: signPayload(identity.signingSeed, { fingerprint: identity.fingerprint, role: 'panellist' }, 'decision', payload, new Date()),
          }),
        ),
        author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
        recipients: [panel.chair.session.myCard().card.ageRecipient],
      }),
    );
    expect(await codeOf(importSignature(panel.chair.session, 'NCC/2026/0418', forged, CRITERIA))).toBe('signature-non-member');

    // The lawyer "signing the decision" instead of attesting the advice.
    const wrongPurpose = await panel.lawyer.session.withIdentity((identity) =>
      sealEnvelopeBytes({
        type: 'hearing-desk/signature@1',
        payload: Buffer.from(
          JSON.stringify({
            format: SIGNATURE_RETURN_FORMAT,
            caseReference: 'NCC/2026/0418',
            payloadSha256: sha256Hex(payload),
            signature: signPayload(identity.signingSeed, { fingerprint: identity.fingerprint, role: 'external-lawyer' }, 'decision', payload, new Date()),
          }),
        ),
        author: { signingSeed: identity.signingSeed, ageRecipient: identity.ageRecipient },
        recipients: [panel.chair.session.myCard().card.ageRecipient],
      }),
    );
    expect(await codeOf(importSignature(panel.chair.session, 'NCC/2026/0418', wrongPurpose, CRITERIA))).toBe('signature-wrong-purpose');
    // Nothing was added by the refusals.
    expect(new OutcomeRecordStore(panel.chair.session).require('NCC/2026/0418').signed.signatures).toEqual([]);
  }, 60_000);

  it('will not sign bytes the member has not been shown, and a non-member cannot open the request at all', async () => {
    const request = await exportForSignature(panel.chair.session, 'NCC/2026/0418', CRITERIA);
    expect(await codeOf(openForSignature(outsider.session, request.bytes, CRITERIA))).toBe('no-identity-matched');
    const { ForSignatureRequest } = await import('../../shared/domain/record');
    const unseen = ForSignatureRequest.parse({
      format: 'hearing-desk/for-signature@1',
      caseReference: 'NCC/2026/0419',
      version: 1,
      signed: signedRecordOf(recordFor(keysOfPanel(panel), { reference: 'NCC/2026/0419' })),
      payloadSha256: '0'.repeat(64),
    });
    expect(await codeOf(signForSignature(panel.panellistB.session, TEST_PASSPHRASE, { request: unseen }, CRITERIA))).toBe('signature-not-seen');
  }, 30_000);
});

describe('the letter and the package', () => {
  it('builds the PAdES-signed letter from the record with no adapter, carrying the signed bytes', async () => {
    const chairKeys = keysOfPanel(panel).chair;
    const certificate = issueChairCertificate({ name: 'Rosalind Achterberg', fingerprint: chairKeys.fingerprint, signingKeyBase64: chairKeys.signingKey }, new Date('2026-04-28T09:00:00Z'));
    ({ pdf: letterPdf } = await buildSignedLetter(complete, CRITERIA, certificate, { createdAt: new Date('2026-04-28T12:00:00Z') }));
    expect(Buffer.from((await letterAttachment(letterPdf))!)).toEqual(Buffer.from(recordPayloadBytes(record)));
    const path = join(work.path, 'letter.pdf');
    writeFileSync(path, letterPdf);
    const pdfsig = spawnSync('pdfsig', [path], { encoding: 'utf8' });
    if (pdfsig.error) return; // the judges are installed by .ci/run; letter.test.ts insists on them
    expect(pdfsig.stdout).toContain('Signature is Valid');
    expect(spawnSync('qpdf', ['--check', path], { encoding: 'utf8' }).status).toBe(0);
  }, 30_000);

  it('refuses to package a record missing a signature, or whose summary names someone', async () => {
    const withoutLawyer = { ...complete, signatures: complete.signatures.filter((s) => s.role !== 'external-lawyer') };
    expect(await codeOf(() => buildOutcomePackage(withoutLawyer, letterPdf, CRITERIA))).toBe('signature-missing');
    // The checker already refuses participants' names; the office's check also covers pseudonyms and references.
    const named = recordFor(keysOfPanel(panel), {
      reference: 'NCC/2026/0420',
      change: (draft) => (draft.publicationSummary = 'In case NCC/2026/0420 the panel suspended Member R for six months for antisemitic posts.'),
    });
    let error: { code?: string; message?: string } | undefined;
    try {
      buildOutcomePackage(await signAll(named), letterPdf, CRITERIA);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.code).toBe('summary-not-anonymous');
    expect(error?.message).toMatch(/Member R|NCC\/2026\/0420/i);
  });
});

describe('the central office', () => {
  let packageBytes: Uint8Array;

  it('verifies and ingests the chair’s package, refuses it a second time, and counts it', async () => {
    const officeRecipient = office.session.myCard().card.ageRecipient;
    ({ bytes: packageBytes } = await sealOutcomePackage(panel.chair.session, { signed: complete, letterPdf, criteria: CRITERIA, officeRecipient }));
    expect(new AuditTrail(panel.chair.session).entries({ limit: 1 })[0]!.action).toBe('record-exported');
    const identity = await ageIdentityOf(office);
    const ledger = ledgerOf(office);
    const [verified] = await ledger.verify([{ name: 'case.hdoutcome', bytes: packageBytes }], identity);
    expect(verified).toMatchObject({ ok: true, caseReference: REF, quarter: '2026Q2', signatures: 4 });
    expect(ledger.store.count()).toBe(0);
    const [ingested] = await ledger.ingest([{ name: 'case.hdoutcome', bytes: packageBytes }], identity);
    expect(ingested).toMatchObject({ ok: true, caseReference: REF });
    expect(ledger.store.count()).toBe(1);
    const before = ledgerSnapshot(office);
    const [again] = await ledger.ingest([{ name: 'again.hdoutcome', bytes: packageBytes }], identity);
    expect(again).toMatchObject({ ok: false, code: 'record-duplicate' });
    expect(ledgerSnapshot(office)).toBe(before);
    const stats = ledger.stats({ quarter: '2026Q2' });
    expect(stats.total.closed).toBe('<5');
    expect(stats.educationCourses.ordered).toBe('<5');
  }, 30_000);

  it('refuses bad packages with specific reasons and leaves the ledger unchanged', async () => {
    const identity = await ageIdentityOf(office);
    const ledger = ledgerOf(office);
    const before = ledgerSnapshot(office);
    const fresh = recordFor(keysOfPanel(panel), { reference: 'NCC/2026/0501' });
    const freshSigned = await signAll(fresh);
    const content = packageContent(freshSigned, fresh, letterPdf);
    const good = await chairSeal(content);

    const flipped = Uint8Array.from(good);
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    const outsiderRecipient = outsider.session.myCard().card.ageRecipient;
    const withStranger = { ...freshSigned, signatures: [...freshSigned.signatures, await outsider.session.withIdentity((id) => signPayload(id.signingSeed, { fingerprint: id.fingerprint, role: 'panellist' }, 'decision', recordPayloadBytes(fresh), new Date()))] };
    const unpublished = recordFor(keysOfPanel(panel), { reference: 'NCC/2026/0502', criteria: { ...CRITERIA, version: '2026.9-unpublished' } });
    const unpublishedSigned = await signAll(unpublished);
    const changedAfterSigning = { ...fresh, publicationSummary: `${fresh.publicationSummary} (amended)` };

    const cases: [string, Uint8Array | Promise<Uint8Array>, string][] = [
      ['any byte changed', flipped, 'package-tampered'],
      ['truncated', good.subarray(0, good.length - 700), 'package-truncated'],
      ['truncated inside its first chunk', good.subarray(0, 30_000), 'package-truncated'],
      ['addressed to someone else', chairSeal(content, [outsiderRecipient]), 'package-not-for-this-office'],
      ['a signature by a key not in the record', chairSeal({ ...content, signed: withStranger }), 'signature-non-member'],
      ['a missing required signature', chairSeal({ ...content, signed: { ...freshSigned, signatures: freshSigned.signatures.slice(0, 2) } }), 'signature-missing'],
      ['criteria the office never published', chairSeal(packageContent(unpublishedSigned, unpublished, letterPdf)), 'criteria-not-published'],
      ['the record changed after signing', chairSeal({ ...content, signed: { ...signedRecordOf(changedAfterSigning), signatures: freshSigned.signatures } }), 'signature-invalid'],
      ['a letter that is not the one hashed', chairSeal({ ...content, letterPdf: Buffer.from('%PDF-1.7 other').toString('base64') }), 'letter-hash-mismatch'],
      ['a letter carrying another record', chairSeal(content), 'letter-record-mismatch'],
      ['a summary that is not the record’s', chairSeal({ ...content, summary: { ...content.summary, region: 'wales' } }), 'summary-mismatch'],
      ['sealed by someone other than the chair', panel.panellistA.session.withIdentity((id) => sealPackage(content, id, [office.session.myCard().card.ageRecipient])), 'package-author-not-chair'],
      ['not JSON inside', chairSeal('{"format": "hearing-desk/outcome-package@1", '), 'package-malformed'],
      ['not a sealed file at all', new TextEncoder().encode('hello'), 'package-malformed'],
    ];
    for (const [what, file, code] of cases) {
      const [outcome] = await ledger.ingest([{ name: what, bytes: await file }], identity);
      expect({ what, code: outcome!.ok ? 'accepted' : outcome!.code }).toEqual({ what, code });
      expect(ledgerSnapshot(office)).toBe(before);
    }
  }, 60_000);

  it('publishes an anonymised, signed decision history that a panel imports into the checker', async () => {
    const signed = await office.session.withIdentity((identity) => ledgerOf(office).exportHistory(identity.signingSeed, '2026-07-01'));
    expect(signed.history.outcomes).toEqual([
      { category: 'antisemitic-conduct', band: 'medium', sanctionRungId: 'suspension' },
      { category: 'sharing-antisemitic-content', band: 'medium', sanctionRungId: 'suspension' },
    ]);
    const text = JSON.stringify(signed);
    expect(text).not.toContain(REF);
    expect(text).not.toContain('Achterberg');
    const imported = verifyDecisionHistory(text, panel.chair.session.listContacts());
    expect(imported.outcomes).toHaveLength(2);
    const caseFile = (await import('../helpers/records')).caseWith(keysOfPanel(panel));
    const draft = (await import('../helpers/records')).draftFor(caseFile);
    const result = checkDecision(CRITERIA, caseFile, draft, { history: imported.outcomes });
    expect(result.findings.find((f) => f.ruleId === 'consistency-with-earlier-outcomes')?.message).toMatch(/Only 2 earlier outcomes/);
    const tampered = text.replace('"suspension"', '"expulsion"');
    expect(await codeOf(() => verifyDecisionHistory(tampered, panel.chair.session.listContacts()))).toBe('history-tampered');
    expect(await codeOf(() => verifyDecisionHistory(text, []))).toBe('history-untrusted-signer');
  });
});

/** Signs a record as every required signer, directly (no envelopes): for building bad packages. */
async function signAll(target: OutcomeRecord): Promise<SignedOutcomeRecord> {
  let signed = signedRecordOf(target);
  for (const key of ['chair', 'panellistA', 'panellistB', 'lawyer'] as const) {
    signed = await signRecord(panel[key].session, TEST_PASSPHRASE, signed, target.criteria.version === CRITERIA.version ? CRITERIA : { ...CRITERIA, version: target.criteria.version });
  }
  return signed;
}
