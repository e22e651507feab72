// The decision workspace between real people: a clerk seals a case to a chair, two panellists and the external
// lawyer, each in their own real SQLCipher vault. The chair drafts the decision against the SAMPLE criteria, fixes
// its blocks one by one, gathers the others' signed declarations and training dates, acknowledges a warning and
// finalises; a panellist imports the exported drafts and sees what changed. Every refusal named in issue 4 is
// checked to leave the vault exactly as it was. All names are fictional.
import { createHash, randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { sampleCriteria } from '../../shared/criteria';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile } from '../../shared/domain/case';
import type { DecisionDraft } from '../../shared/domain/decision';
import {
  DECISION_DRAFT_FILE_FORMAT,
  DECLARATION_FILE_FORMAT,
  DecisionViewSchema,
  ImportedDeclarationSchema,
  ImportedDraftSchema,
  RecordedSchema,
  RevisionSummarySchema,
} from '../../shared/domain/decision-draft-file';
import { AppError } from '../../shared/errors';
import { AuditTrail } from '../../electron/services/audit';
import { planSealedCopies } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { collect } from '../../electron/services/crypto/byte-reader';
import { sealEnvelopeBytes, type PayloadType } from '../../electron/services/crypto/envelope';
import { Decisions, type DecisionView } from '../../electron/services/decisions';
import { flipBit } from '../fixtures/age/builders';
import { createPerson, introduce, type Person } from '../helpers/people';
import { filesContaining } from '../helpers/temp';

const CRITERIA = sampleCriteria();
const REFERENCE = 'NEC-2026-0311';
const OTHER_REFERENCE = 'NEC-2026-0312';
const MARKER = 'QUILL-MARKER-REASONS-5521';
let clock = new Date('2026-11-23T12:00:00Z');
const now = () => clock;

interface Member {
  person: Person;
  id: string;
  decisions: Decisions;
  cases: ReceivedCases;
  /** Case id of each bundle in this member's vault, by reference. */
  caseIds: Map<string, string>;
}

let clerk: Member;
let chair: Member;
let panellistA: Member;
let panellistB: Member;
let lawyer: Member;

function keyOf(member: Member): BundleParticipantKey {
  const { card, fingerprint } = member.person.session.myCard();
  return { participantId: member.id, name: card.name, role: member.person.role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

function caseFile(reference: string, criteriaVersion = CRITERIA.version): CaseFile {
  const participant = (member: Member, extra: Partial<CaseFile['participants'][number]> = {}) => ({
    id: member.id,
    name: member.person.name,
    role: member.person.role,
    fingerprint: member.person.session.myCard().fingerprint,
    ...(member.person.role === 'clerk' ? {} : { capacity: 'lay-member' }),
    firstInvolvement: '2026-10-01',
    ...extra,
  });
  return {
    format: 'hearing-desk/case@1',
    reference,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'north-west',
    protectedCharacteristics: ['religion-or-belief'],
    dates: { complaintReceived: '2026-09-01', hearing: '2026-11-10' },
    allegations: [
      { number: 1, text: 'Posted a message repeating an antisemitic conspiracy theory.', ruleReference: 'Rule Book 2.I.8', conductCategoryId: 'antisemitic-conduct' },
    ],
    participants: [
      participant(clerk, { trainingCompleted: '2026-06-01' }),
      participant(chair, { trainingCompleted: '2026-08-01' }),
      participant(panellistA, { trainingCompleted: '2026-08-15' }),
      // Panellist B's training date is not in the case file: it arrives in their signed record.
      participant(panellistB),
      participant(lawyer, { capacity: 'lawyer', trainingCompleted: '2026-07-01', firstInvolvement: '2026-10-05' }),
    ],
    respondent: { pseudonym: 'Member R' },
    complainant: { pseudonym: 'Complainant C' },
    criteria: { id: CRITERIA.id, version: criteriaVersion },
  };
}

/** Seals a one-document bundle for the case to the four panel people and imports it into each vault (and the clerk's). */
async function sealCase(reference: string, criteriaVersion?: string): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Complaint in case ${reference}`, { x: 60, y: 760, size: 12, font });
  const pdf = await doc.save();
  const sha = createHash('sha256').update(pdf).digest('hex');
  const seed = await clerk.person.session.withIdentity((me) => Buffer.from(me.signingSeed));
  const [copy] = planSealedCopies({
    author: { signingSeed: seed, ageRecipient: keyOf(clerk).ageRecipient, participant: { ...keyOf(clerk), participantId: 'sealer' } },
    bundleId: randomUUID(),
    revision: 1,
    caseFile: caseFile(reference, criteriaVersion),
    title: `Hearing bundle: ${reference}`,
    sealedAt: new Date('2026-11-01T09:00:00Z'),
    expiresOn: '2027-02-28',
    sections: [{ letter: 'A', title: 'Complaint', supplementary: false }],
    pageCount: 2,
    index: pdf,
    documents: [
      {
        entry: { id: 'doc-complaint', section: 'A', title: 'Complaint', date: '2026-09-01', kind: 'pdf', capture: null, bytes: pdf.length, sha256: sha, sourceSha256: sha, firstPage: 2, pageCount: 1, firstLabel: 'A2', lastLabel: 'A2' },
        restrictedFrom: [],
        open: () => pdf,
      },
    ],
    recipients: [chair, panellistA, panellistB, lawyer].map(keyOf),
  });
  const sealed = await collect(copy!.stream());
  seed.fill(0);
  for (const member of [clerk, chair, panellistA, panellistB, lawyer]) {
    member.caseIds.set(reference, await member.cases.import({ name: `${reference}.hdbundle`, bytes: sealed }, { trustSealer: true }));
  }
}

async function member(name: string, role: Person['role'], id: string): Promise<Member> {
  const person = await createPerson(name, role);
  return { person, id, decisions: new Decisions(person.session, now), cases: new ReceivedCases(person.session, now), caseIds: new Map() };
}

const caseOf = (m: Member, reference = REFERENCE) => m.caseIds.get(reference)!;

/** Everything the decision service stores, plus the audit trail's length: what "nothing changed" compares. */
function snapshot(m: Member): string {
  const db = m.person.session.requireVault().db;
  const rows = (sql: string) => db.prepare(sql).all();
  return canonicalize({
    revisions: rows('SELECT * FROM decision_revisions ORDER BY bundle_id, revision'),
    editors: rows('SELECT * FROM decision_editors ORDER BY bundle_id'),
    records: rows('SELECT * FROM participant_records ORDER BY bundle_id, participant_id, kind, origin'),
    audit: rows('SELECT counter, hash FROM audit_entries ORDER BY counter'),
  });
}

/** Runs a call expected to be refused; returns its error code after checking the vault did not change. */
async function refusal(m: Member, call: () => unknown): Promise<string> {
  const before = snapshot(m);
  let error: unknown = null;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the call must be refused').toBeInstanceOf(AppError);
  expect((error as AppError).message.length).toBeGreaterThan(15);
  expect(snapshot(m), 'nothing stored may change').toBe(before);
  return (error as AppError).code;
}

async function identityOf(m: Member): Promise<{ signingSeed: Buffer; ageRecipient: string; fingerprint: string }> {
  return m.person.session.withIdentity((me) => ({ signingSeed: Buffer.from(me.signingSeed), ageRecipient: me.ageRecipient, fingerprint: me.fingerprint }));
}

/** An envelope made by hand: contents the real app would never send, signed by `author`. */
async function craft(author: Member, type: PayloadType, payload: unknown, to: Member[]): Promise<Uint8Array> {
  const me = await identityOf(author);
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : new TextEncoder().encode(canonicalize(payload));
  return sealEnvelopeBytes({ type, payload: bytes, author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient }, recipients: [me.ageRecipient, ...to.map((m) => keyOf(m).ageRecipient)] });
}

const blockIds = (view: DecisionView) => view.check.findings.filter((f) => f.severity === 'block').map((f) => `${f.ruleId}:${f.fieldKey}`);

beforeAll(async () => {
  clerk = await member('Morgan Ellery', 'clerk', 'p-clerk');
  chair = await member('Rosalind Achterby', 'chair', 'p-chair');
  panellistA = await member('Tobias Wrenhall', 'panellist', 'p-panel-a');
  panellistB = await member('Marguerite Osterley', 'panellist', 'p-panel-b');
  lawyer = await member('Caspian Delamere', 'external-lawyer', 'p-lawyer');
  introduce([clerk, chair, panellistA, panellistB, lawyer].map((m) => m.person));
  await sealCase(REFERENCE);
  await sealCase(OTHER_REFERENCE);
});

afterAll(() => {
  for (const m of [clerk, chair, panellistA, panellistB, lawyer]) m?.person.cleanup();
});

/** The chair's fill-in of the findings, seriousness, sanction and orders (one save: proving the allegation brings their rules in). */
function decided(draft: DecisionDraft): DecisionDraft {
  return {
    ...draft,
    decisionDate: '2026-11-20',
    allegations: [
      {
        number: 1,
        facts: 'The respondent posted the message on 3 September 2026 and removed it two days later.',
        evidenceRefs: ['A2'],
        finding: 'proven',
        reasons: `The screenshot is authenticated and the respondent accepts posting the message. ${MARKER}`,
      },
    ],
    seriousness: {
      band: 'lower',
      culpability: 'A single post, shared without reading the linked article in full.',
      harm: 'Seen by a small audience before it was removed.',
      aggravating: [{ factorId: 'hostility-on-protected-characteristic' }],
      mitigating: 'none',
    },
    sanction: {
      rungId: 'formal-warning',
      parameters: { 'on-record-months': 12 },
      lesserRungReasons: {
        'no-further-action': 'Proven antisemitic conduct cannot go without a sanction.',
        'reminder-of-values': 'A reminder does not reflect that the post repeated a known conspiracy theory.',
        'reminder-of-conduct': 'A reminder does not reflect that the post repeated a known conspiracy theory.',
      },
    },
    orders: { educationCourse: { dueDate: '2026-12-18' }, referral: null },
  };
}

describe('the chair drafts, checks and finalises a decision; the panel imports it', () => {
  let firstExport: Uint8Array;
  let secondExport: Uint8Array;
  let finalExport: Uint8Array;

  it('opens an empty draft with one entry per allegation; only the chair may edit it', () => {
    const view = chair.decisions.open(caseOf(chair));
    expect(view).toMatchObject({ revision: 0, status: 'draft', source: 'new', canEdit: true, canFinaliseAsChair: true, canFinalise: false, history: [] });
    expect(view.me).toEqual({ participantId: 'p-chair', isChair: true, isScribe: false });
    expect(view.draft.allegations).toEqual([{ number: 1, facts: '', evidenceRefs: [], finding: null, reasons: '' }]);
    expect(view.check).toMatchObject({ criteriaId: CRITERIA.id, criteriaVersion: CRITERIA.version, criteriaIsSample: true });
    const theirs = panellistA.decisions.open(caseOf(panellistA));
    expect(theirs).toMatchObject({ revision: 0, canEdit: false, canFinaliseAsChair: false, chair: { participantId: 'p-chair', name: 'Rosalind Achterby' } });
    // Opening stores nothing: a panellist's empty draft must never compete with the chair's revision 1.
    expect(chair.decisions.revisions(caseOf(chair))).toEqual([]);
  });

  it('starts with several blocks and fixes them one by one, the block list shrinking at every step', async () => {
    const id = caseOf(chair);
    let view = chair.decisions.open(id);
    const history: string[][] = [blockIds(view)];
    expect(history[0]).toEqual([
      'findings-with-reasons:allegations.0.finding',
      'findings-with-reasons:allegations.0.reasons',
      'external-lawyer-advice:procedural.lawyerAdvice.summary',
      'training-before-involvement:training#p-panel-b',
      'conflict-declarations:declaration#p-chair',
      'conflict-declarations:declaration#p-panel-a',
      'conflict-declarations:declaration#p-panel-b',
      'conflict-declarations:declaration#p-lawyer',
      'panel-composition:attendance#p-chair',
      'panel-composition:attendance#p-panel-a',
      'panel-composition:attendance#p-panel-b',
      'publication-fields:outcome-category',
      'publication-fields:decisionDate',
      'publication-fields:publicationSummary',
    ]);
    const step = (next: DecisionView) => {
      // Every answer crosses the contract intact: the schema the IPC layer validates outputs with accepts it.
      expect(DecisionViewSchema.parse(next)).toEqual(next);
      const blocks = blockIds(next);
      const previous = history.at(-1)!;
      expect(blocks.length, `blocks after step ${history.length}: ${blocks.join(', ')}`).toBeLessThan(previous.length);
      history.push(blocks);
      view = next;
    };

    step(chair.decisions.save(id, decided(view.draft), view.revision));
    expect(view.revision).toBe(1);
    expect(view.source).toBe('saved');

    const attendance = ['p-chair', 'p-panel-a', 'p-panel-b', 'p-lawyer'].map((participantId) => ({ participantId, present: true }));
    step(chair.decisions.save(id, { ...view.draft, procedural: { ...view.draft.procedural, attendance } }, view.revision));
    step(
      chair.decisions.save(
        id,
        {
          ...view.draft,
          procedural: {
            ...view.draft.procedural,
            lawyerAdvice: { summary: 'Advised on the standard of proof, the indicated range for lower-band antisemitic conduct, and the course order.', givenOn: '2026-11-10' },
          },
        },
        view.revision,
      ),
    );
    step(
      chair.decisions.save(
        id,
        { ...view.draft, publicationSummary: 'The panel found one allegation of an antisemitic social media post proven and issued a formal warning for twelve months, with the education course.' },
        view.revision,
      ),
    );
    firstExport = (await chair.decisions.exportDraft(id)).bytes;

    // The chair's own declaration goes straight into the draft.
    const own = chair.decisions.recordMyDeclaration(id, { conflict: false, recused: false, declaredOn: '2026-11-10' });
    expect(own.records.declaration).toMatchObject({ conflict: false, recused: false, declaredOn: '2026-11-10' });
    expect(RecordedSchema.parse(own)).toEqual(own);
    step(own.view);
    expect(view.draft.procedural.declarations).toEqual([{ participantId: 'p-chair', conflict: false, recused: false, declaredOn: '2026-11-10' }]);

    // The others record their own, export them signed to the chair, who imports and merges them.
    panellistA.decisions.recordMyDeclaration(caseOf(panellistA), { conflict: false, recused: false, declaredOn: '2026-11-09' });
    const fromA = await panellistA.decisions.exportMyDeclaration(caseOf(panellistA));
    expect(fromA.recipients.map((r) => r.participantId)).toEqual(['p-panel-a', 'p-chair']);
    const importedA = await chair.decisions.importDeclaration(id, fromA.bytes);
    expect(importedA).toMatchObject({ participantId: 'p-panel-a', merged: ['declaration'] });
    expect(ImportedDeclarationSchema.parse(importedA)).toEqual(importedA);
    expect(importedA.changes.map((c) => c.label)).toContain('Declaration · Tobias Wrenhall · Conflict of interest');
    step(importedA.view);

    panellistB.decisions.recordMyDeclaration(caseOf(panellistB), { conflict: false, recused: false, declaredOn: '2026-11-09' });
    panellistB.decisions.recordMyTraining(caseOf(panellistB), '2026-09-20');
    expect(panellistB.decisions.myRecords(caseOf(panellistB))).toMatchObject({ participantId: 'p-panel-b', training: { completedOn: '2026-09-20' } });
    const importedB = await chair.decisions.importDeclaration(id, (await panellistB.decisions.exportMyDeclaration(caseOf(panellistB))).bytes);
    expect(importedB.merged).toEqual(['declaration', 'training']);
    expect(importedB.view.draft.procedural.training).toEqual([{ participantId: 'p-panel-b', completedOn: '2026-09-20' }]);
    step(importedB.view);
    secondExport = (await chair.decisions.exportDraft(id)).bytes;

    lawyer.decisions.recordMyDeclaration(caseOf(lawyer), { conflict: false, recused: false, declaredOn: '2026-10-05' });
    step((await chair.decisions.importDeclaration(id, (await lawyer.decisions.exportMyDeclaration(caseOf(lawyer))).bytes)).view);

    expect(history.at(-1)).toEqual([]);
    // What is left is a warning: the panel has not said why the next rung (suspension) is not needed.
    expect(view.canFinalise).toBe(false);
    expect(view.blockers.map((f) => `${f.severity}:${f.ruleId}`)).toEqual(['warn:next-rung-considered']);
  });

  it('refuses to finalise while anything blocks, listing the blockers', async () => {
    const id = caseOf(chair);
    const view = chair.decisions.open(id);
    let details: unknown;
    const code = await refusal(chair, () => {
      try {
        chair.decisions.finalise(id);
      } catch (error) {
        details = (error as AppError).details;
        throw error;
      }
    });
    expect(code).toBe('decision-has-blockers');
    expect((details as { blockers: { ruleId: string }[] }).blockers.map((b) => b.ruleId)).toEqual(view.blockers.map((b) => b.ruleId));
  });

  it('acknowledges the warning with a reason, then finalises; the final draft is read-only', async () => {
    const id = caseOf(chair);
    expect(await refusal(chair, () => chair.decisions.acknowledge(id, 'next-rung-considered', null, '   '))).toBe('acknowledgement-reason-missing');
    expect(await refusal(chair, () => chair.decisions.acknowledge(id, 'findings-with-reasons', null, 'Because.'))).toBe('warning-not-found');
    const warning = chair.decisions.open(id).blockers[0]!;
    const acknowledged = chair.decisions.acknowledge(id, warning.ruleId, warning.fieldKey, 'Suspension is not available to an NEC panel, so the next rung is not open to it.');
    expect(acknowledged.canFinalise).toBe(true);
    expect(acknowledged.check.findings.find((f) => f.ruleId === 'next-rung-considered')?.acknowledged?.reason).toMatch(/not available/);

    const final = chair.decisions.finalise(id, acknowledged.revision);
    expect(final).toMatchObject({ status: 'final', canEdit: false, canFinaliseAsChair: false, revision: acknowledged.revision + 1 });
    finalExport = (await chair.decisions.exportDraft(id)).bytes;

    expect(await refusal(chair, () => chair.decisions.save(id, final.draft, final.revision))).toBe('decision-final');
    expect(await refusal(chair, () => chair.decisions.acknowledge(id, warning.ruleId, warning.fieldKey, 'Again.'))).toBe('decision-final');
    expect(await refusal(chair, () => chair.decisions.finalise(id))).toBe('decision-final');
    expect(await refusal(chair, () => chair.decisions.nameScribe(id, 'p-panel-a'))).toBe('decision-final');
    expect(await refusal(chair, () => chair.decisions.recordMyDeclaration(id, { conflict: false, recused: false, declaredOn: '2026-11-11' }))).toBe('decision-final');

    // Every revision is kept; the audit trail records each check, the acknowledgement and the finalising, and holds.
    const revisions = chair.decisions.revisions(id);
    expect(revisions.map((r) => r.revision)).toEqual(Array.from({ length: final.revision }, (_, i) => i + 1));
    expect(revisions.at(-1)).toMatchObject({ status: 'final', origin: 'saved', authorName: 'Rosalind Achterby' });
    for (const revision of revisions) RevisionSummarySchema.parse(revision);
    const audit = new AuditTrail(chair.person.session, now);
    const actions = audit.entries({ caseId: id, limit: 1000 }).reverse().map((e) => e.action);
    expect(actions.filter((a) => a === 'check-run')).toHaveLength(final.revision);
    expect(actions.filter((a) => a === 'warning-acknowledged')).toHaveLength(1);
    expect(actions.at(-2)).toBe('decision-finalised');
    expect(actions.at(-1)).toBe('record-exported');
    expect(audit.verify()).toMatchObject({ ok: true });
    // The reasons live only in the encrypted vault.
    expect(filesContaining(chair.person.directory, MARKER)).toEqual([]);
  });

  it('a panellist imports the drafts read-only and sees what changed since the previous one', async () => {
    const id = caseOf(panellistA);
    const first = await panellistA.decisions.importDraft(id, firstExport);
    expect(first.previousRevision).toBe(0);
    expect(ImportedDraftSchema.parse(first)).toEqual(first);
    expect(first.view).toMatchObject({ revision: 4, source: 'imported', canEdit: false, status: 'draft' });
    expect(first.changes).toContainEqual({ path: 'allegations.0.finding', label: 'Allegation 1 · Finding', kind: 'added', before: null, after: 'proven' });
    expect(first.changes).toContainEqual(expect.objectContaining({ path: 'sanction.rungId', label: 'Sanction', after: 'Formal warning' }));

    const final = await panellistA.decisions.importDraft(id, finalExport);
    expect(final.previousRevision).toBe(4);
    expect(final.view).toMatchObject({ status: 'final', canEdit: false, canFinalise: true, source: 'imported' });
    expect(final.changes).toContainEqual({ path: 'status', label: 'Status', kind: 'changed', before: 'draft', after: 'final' });
    expect(final.changes).toContainEqual({ path: 'procedural.training.0.completedOn', label: 'Training · Marguerite Osterley', kind: 'added', before: null, after: '2026-09-20' });
    expect(final.changes.map((c) => c.path)).toEqual(
      expect.arrayContaining(['procedural.declarations.0.conflict', 'procedural.declarations.3.declaredOn', 'acknowledgements.0.reason']),
    );
    // Nothing the chair did not change is listed.
    expect(final.changes.map((c) => c.path).filter((p) => p.startsWith('allegations') || p.startsWith('sanction'))).toEqual([]);
    expect(panellistA.decisions.diff(id, 4, final.view.revision)).toEqual(final.changes);

    const actions = new AuditTrail(panellistA.person.session, now).entries({ caseId: id }).map((e) => e.action);
    expect(actions.filter((a) => a === 'draft-imported')).toHaveLength(2);
  });

  it('refuses each bad draft with its own error, leaving the vault unchanged', async () => {
    const id = caseOf(panellistB);
    const held = await panellistB.decisions.importDraft(id, secondExport);
    expect(held.changes.length).toBeGreaterThan(10);
    const heldRevision = held.view.revision;
    const b = (call: () => unknown) => refusal(panellistB, call);

    // An older revision than the one held, and the same one again.
    expect(await b(() => panellistB.decisions.importDraft(id, firstExport))).toBe('draft-revision-not-newer');
    expect(await b(() => panellistB.decisions.importDraft(id, secondExport))).toBe('draft-revision-not-newer');

    // A draft from a panellist, well formed and correctly signed, is still not the panel's draft.
    const chairDraft = chair.decisions.revision(caseOf(chair), heldRevision);
    const bundleId = panellistB.decisions.open(id).bundleId;
    const fromA = await identityOf(panellistA);
    const forged = await craft(panellistA, 'hearing-desk/decision@1', {
      format: DECISION_DRAFT_FILE_FORMAT, caseReference: REFERENCE, bundleId, revision: 50, scribeId: null,
      draft: { ...chairDraft, revision: 50, author: fromA.fingerprint, sanction: null },
    }, [panellistB]);
    expect(await b(() => panellistB.decisions.importDraft(id, forged))).toBe('draft-not-from-editor');

    // The chair's key, but claiming another author inside.
    const chairKeys = await identityOf(chair);
    const misattributed = await craft(chair, 'hearing-desk/decision@1', {
      format: DECISION_DRAFT_FILE_FORMAT, caseReference: REFERENCE, bundleId, revision: 50, scribeId: null,
      draft: { ...chairDraft, revision: 50, author: fromA.fingerprint },
    }, [panellistB]);
    expect(await b(() => panellistB.decisions.importDraft(id, misattributed))).toBe('draft-not-from-editor');

    // A real draft of the chair's, for another case.
    const other = chair.decisions.open(caseOf(chair, OTHER_REFERENCE));
    chair.decisions.save(caseOf(chair, OTHER_REFERENCE), { ...other.draft, publicationSummary: 'Drafting.' }, 0);
    const otherExport = await chair.decisions.exportDraft(caseOf(chair, OTHER_REFERENCE));
    expect(await b(() => panellistB.decisions.importDraft(id, otherExport.bytes))).toBe('draft-wrong-case');
    // The same reference under another bundle id is another case too.
    const otherBundle = await craft(chair, 'hearing-desk/decision@1', {
      format: DECISION_DRAFT_FILE_FORMAT, caseReference: REFERENCE, bundleId: randomUUID(), revision: 50, scribeId: null,
      draft: { ...chairDraft, revision: 50, author: chairKeys.fingerprint },
    }, [panellistB]);
    expect(await b(() => panellistB.decisions.importDraft(id, otherBundle))).toBe('draft-wrong-case');

    // Malformed contents under a valid signature.
    expect(await b(async () => panellistB.decisions.importDraft(id, await craft(chair, 'hearing-desk/decision@1', 'not json {', [panellistB])))).toBe('draft-malformed');
    const negativeTerm = await craft(chair, 'hearing-desk/decision@1', {
      format: DECISION_DRAFT_FILE_FORMAT, caseReference: REFERENCE, bundleId, revision: 50, scribeId: null,
      draft: { ...chairDraft, revision: 50, author: chairKeys.fingerprint, sanction: { ...chairDraft.sanction!, parameters: { 'on-record-months': -3 } } },
    }, [panellistB]);
    expect(await b(() => panellistB.decisions.importDraft(id, negativeTerm))).toBe('draft-malformed');

    // Tampered, truncated, of another kind, or not sealed to this person at all.
    expect(await b(() => panellistB.decisions.importDraft(id, flipBit(finalExport, finalExport.length - 40)))).toBe('chunk-authentication-failed');
    expect(await b(() => panellistB.decisions.importDraft(id, finalExport.slice(0, finalExport.length - 100)))).toMatch(/truncated|chunk-authentication-failed/);
    expect(await b(() => panellistB.decisions.importDraft(id, new TextEncoder().encode('hello')))).toMatch(/not-age-file|truncated/);
    const declaration = await panellistA.decisions.exportMyDeclaration(caseOf(panellistA));
    const asDraft = await craft(chair, 'hearing-desk/declaration@1', { nothing: true }, [panellistB]);
    expect(await b(() => panellistB.decisions.importDraft(id, asDraft))).toBe('unexpected-payload-type');
    expect(await refusal(clerk, () => clerk.decisions.importDraft(caseOf(clerk), finalExport))).toBe('no-identity-matched');
    expect(await b(() => panellistB.decisions.importDraft(id, declaration.bytes))).toBe('no-identity-matched');

    // And the genuine final draft still imports afterwards.
    expect((await panellistB.decisions.importDraft(id, finalExport)).view.status).toBe('final');
    expect(await b(() => panellistB.decisions.importDraft(id, finalExport))).toBe('decision-final');
  });
});

describe('edits and records that are refused', () => {
  const otherId = () => caseOf(chair, OTHER_REFERENCE);

  it('refuses absurd values with the field at fault, and stores nothing', async () => {
    const view = chair.decisions.open(otherId());
    const base = decided(view.draft);
    const refusedWith = async (draft: unknown) => {
      let field = '';
      const code = await refusal(chair, () => {
        try {
          chair.decisions.save(otherId(), draft, view.revision);
        } catch (error) {
          field = ((error as AppError).details as { field?: string } | undefined)?.field ?? '';
          throw error;
        }
      });
      return `${code} ${field}`;
    };
    expect(await refusedWith({ ...base, sanction: { ...base.sanction!, parameters: { 'on-record-months': -6 } } })).toBe('decision-invalid sanction.parameters.on-record-months');
    expect(await refusedWith({ ...base, orders: { educationCourse: { dueDate: '2026-11-01' }, referral: null } })).toBe('decision-invalid orders.educationCourse.dueDate');
    expect(await refusedWith({ ...base, procedural: { ...base.procedural, lawyerAdvice: { summary: 'Late advice.', givenOn: '2026-11-30' } } })).toBe('decision-invalid procedural.lawyerAdvice.givenOn');
    expect(await refusedWith({ ...base, decisionDate: '2026-02-30' })).toBe('decision-invalid decisionDate');
    expect(await refusedWith({ ...base, allegations: [...base.allegations, base.allegations[0]] })).toBe('decision-invalid allegations.1.number');
    expect(await refusedWith('a draft')).toBe('decision-invalid ');
    expect(await refusedWith({ ...base, caseReference: REFERENCE })).toBe('decision-wrong-case ');
    expect(await refusedWith({ ...base, status: 'final' })).toBe('decision-invalid ');
    expect(await refusedWith({ ...base, publicationSummary: 'x'.repeat(20_001) })).toBe('decision-invalid publicationSummary');
  });

  it('refuses a stale base revision, and anyone but the chair or scribe', async () => {
    const view = chair.decisions.open(otherId());
    expect(await refusal(chair, () => chair.decisions.save(otherId(), view.draft, view.revision - 1))).toBe('draft-changed-elsewhere');
    expect(await refusal(chair, () => chair.decisions.save(otherId(), view.draft, view.revision + 1))).toBe('draft-changed-elsewhere');
    expect(await refusal(chair, () => chair.decisions.finalise(otherId(), view.revision - 1))).toBe('draft-changed-elsewhere');
    const a = caseOf(panellistA, OTHER_REFERENCE);
    const theirs = panellistA.decisions.open(a);
    expect(await refusal(panellistA, () => panellistA.decisions.save(a, theirs.draft, theirs.revision))).toBe('not-the-editor');
    expect(await refusal(panellistA, () => panellistA.decisions.finalise(a))).toBe('not-the-chair');
    expect(await refusal(panellistA, () => panellistA.decisions.nameScribe(a, 'p-panel-a'))).toBe('not-the-chair');
    expect(await refusal(panellistA, () => panellistA.decisions.exportDraft(a))).toBe('not-the-editor');
    expect(await refusal(panellistA, () => panellistA.decisions.acknowledge(a, 'next-rung-considered', null, 'Reason.'))).toBe('not-the-editor');
    expect(await refusal(chair, () => chair.decisions.nameScribe(otherId(), 'p-lawyer'))).toBe('scribe-invalid');
    expect(await refusal(chair, () => chair.decisions.nameScribe(otherId(), 'p-chair'))).toBe('scribe-invalid');
    expect(await refusal(chair, () => chair.decisions.nameScribe(otherId(), 'p-nobody'))).toBe('scribe-invalid');
    expect(await refusal(chair, () => chair.decisions.open('no-such-case'))).toBe('case-not-found');
  });

  it('refuses a block as an acknowledgement', async () => {
    const view = chair.decisions.open(otherId());
    const block = view.check.findings.find((f) => f.severity === 'block')!;
    expect(await refusal(chair, () => chair.decisions.acknowledge(otherId(), block.ruleId, block.fieldKey, 'It does not matter.'))).toBe('not-a-warning');
  });

  it('records an acknowledgement typed into a saved draft like one made through acknowledge()', () => {
    const acknowledgements = () =>
      new AuditTrail(chair.person.session, now).entries({ caseId: otherId(), limit: 1000 }).filter((e) => e.action === 'warning-acknowledged');
    const before = acknowledgements().length;
    const view = chair.decisions.open(otherId());
    chair.decisions.save(otherId(), { ...view.draft, acknowledgements: [{ ruleId: 'next-rung-considered', reason: 'Typed in place.' }] }, view.revision);
    expect(acknowledgements()).toHaveLength(before + 1);
    expect(acknowledgements()[0]!.details).toMatchObject({ ruleId: 'next-rung-considered', fieldKey: null, reasonLength: 15 });
    // Saving again with the same acknowledgement records nothing new.
    const again = chair.decisions.open(otherId());
    chair.decisions.save(otherId(), again.draft, again.revision);
    expect(acknowledgements()).toHaveLength(before + 1);
  });

  it('refuses declarations signed by someone else, older ones, future dates and wrong cases', async () => {
    const id = otherId();
    const bundleId = chair.decisions.open(id).bundleId;
    const declarationFile = (participantId: string, recordedAt: string, reference = OTHER_REFERENCE) => ({
      format: DECLARATION_FILE_FORMAT, caseReference: reference, bundleId, participantId, recordedAt,
      declaration: { conflict: false, recused: false, declaredOn: '2026-11-01' }, training: null,
    });
    // Panellist B speaking for panellist A.
    const impostor = await craft(panellistB, 'hearing-desk/declaration@1', declarationFile('p-panel-a', '2026-11-20T10:00:00.000Z'), [chair]);
    expect(await refusal(chair, () => chair.decisions.importDeclaration(id, impostor))).toBe('declaration-wrong-author');
    const wrongCase = await craft(panellistA, 'hearing-desk/declaration@1', { ...declarationFile('p-panel-a', '2026-11-20T10:00:00.000Z'), bundleId: randomUUID() }, [chair]);
    expect(await refusal(chair, () => chair.decisions.importDeclaration(id, wrongCase))).toBe('declaration-wrong-case');
    const dated = await craft(panellistA, 'hearing-desk/declaration@1', { ...declarationFile('p-panel-a', '2026-11-20T10:00:00.000Z'), declaration: { conflict: false, recused: false, declaredOn: '2026-12-01' } }, [chair]);
    expect(await refusal(chair, () => chair.decisions.importDeclaration(id, dated))).toBe('declaration-malformed');

    // A later record replaces an earlier one, never the reverse.
    const a = caseOf(panellistA, OTHER_REFERENCE);
    clock = new Date('2026-11-23T13:00:00Z');
    panellistA.decisions.recordMyDeclaration(a, { conflict: true, details: 'Former colleague of the complainant.', recused: true, declaredOn: '2026-11-23' });
    const older = await panellistA.decisions.exportMyDeclaration(a);
    clock = new Date('2026-11-23T14:00:00Z');
    panellistA.decisions.recordMyDeclaration(a, { conflict: true, details: 'Former colleague of the complainant, until 2024.', recused: true, declaredOn: '2026-11-23' });
    const newer = await panellistA.decisions.exportMyDeclaration(a);
    const merged = await chair.decisions.importDeclaration(id, newer.bytes);
    expect(merged.view.draft.procedural.declarations).toEqual([
      { participantId: 'p-panel-a', conflict: true, details: 'Former colleague of the complainant, until 2024.', recused: true, declaredOn: '2026-11-23' },
    ]);
    // Recused, so the panel is short of members: the checker sees the imported declaration.
    expect(merged.view.check.findings.some((f) => f.ruleId === 'panel-composition' && f.fieldKey === 'panel-size')).toBe(true);
    expect(await refusal(chair, () => chair.decisions.importDeclaration(id, older.bytes))).toBe('declaration-out-of-date');
    // Importing the same file again changes nothing in the draft.
    const again = await chair.decisions.importDeclaration(id, newer.bytes);
    expect(again.changes).toEqual([]);
    expect(again.view.revision).toBe(merged.view.revision);

    expect(await refusal(panellistA, () => panellistA.decisions.recordMyTraining(a, '2026-11-24'))).toBe('record-date-in-future');
    expect(await refusal(panellistA, () => panellistA.decisions.recordMyTraining(a, '2026-13-01'))).toBe('decision-invalid');
    expect(await refusal(panellistA, () => panellistA.decisions.recordMyDeclaration(a, { conflict: false, recused: false, declaredOn: '2027-01-01' }))).toBe('record-date-in-future');
    expect(await refusal(panellistB, () => panellistB.decisions.importDeclaration(caseOf(panellistB, OTHER_REFERENCE), newer.bytes))).toBe('not-the-editor');
    expect(await refusal(clerk, () => clerk.decisions.exportMyDeclaration(caseOf(clerk, OTHER_REFERENCE)))).toBe('nothing-to-export');
  });
});

describe('a scribe named by the chair', () => {
  it('receives the draft, edits it on their own laptop, and the chair imports their revision', async () => {
    const chairId = caseOf(chair, OTHER_REFERENCE);
    const scribeId = caseOf(panellistB, OTHER_REFERENCE);
    const named = chair.decisions.nameScribe(chairId, 'p-panel-b');
    expect(named.scribe).toEqual({ participantId: 'p-panel-b', name: 'Marguerite Osterley' });
    const sent = await chair.decisions.exportDraft(chairId);
    expect(sent.recipients.map((r) => r.participantId).sort()).toEqual(['p-chair', 'p-lawyer', 'p-panel-a', 'p-panel-b']);

    // Before the chair's draft arrives, panellist B is not yet the scribe on their own laptop.
    expect(panellistB.decisions.open(scribeId).canEdit).toBe(false);
    const received = await panellistB.decisions.importDraft(scribeId, sent.bytes);
    expect(received.view).toMatchObject({ canEdit: true, me: { isScribe: true, isChair: false }, canFinaliseAsChair: false });
    const edited = panellistB.decisions.save(scribeId, { ...received.view.draft, delayExplanation: 'No delay; recorded for completeness by the scribe.' }, received.view.revision);
    expect(edited.revision).toBe(received.view.revision + 1);
    const fromScribe = await panellistB.decisions.exportDraft(scribeId);

    const back = await chair.decisions.importDraft(chairId, fromScribe.bytes);
    expect(back.changes).toEqual([
      { path: 'delayExplanation', label: 'Why the timescale was not met', kind: 'added', before: null, after: 'No delay; recorded for completeness by the scribe.' },
    ]);
    expect(back.view).toMatchObject({ revision: edited.revision, canEdit: true, source: 'imported' });
    // Panellist A, who is not the scribe, cannot send one: signed by them, it is refused on every laptop.
    const a = await identityOf(panellistA);
    const notScribe = await craft(panellistA, 'hearing-desk/decision@1', {
      format: DECISION_DRAFT_FILE_FORMAT, caseReference: OTHER_REFERENCE, bundleId: back.view.bundleId, revision: edited.revision + 1, scribeId: 'p-panel-a',
      draft: { ...edited.draft, revision: edited.revision + 1, author: a.fingerprint },
    }, [chair]);
    expect(await refusal(chair, () => chair.decisions.importDraft(chairId, notScribe))).toBe('draft-not-from-editor');

    // Only the chair can take the pen back, and the scribe hears of it with the chair's next draft.
    chair.decisions.nameScribe(chairId, null);
    const withdrawn = chair.decisions.save(chairId, back.view.draft, back.view.revision);
    await panellistB.decisions.importDraft(scribeId, (await chair.decisions.exportDraft(chairId)).bytes);
    expect(panellistB.decisions.open(scribeId)).toMatchObject({ canEdit: false, scribe: null, revision: withdrawn.revision });
  });
});

describe('criteria', () => {
  it('refuses to check a case against criteria other than the version it names', async () => {
    await sealCase('NEC-2026-0399', '2099.1');
    const id = caseOf(chair, 'NEC-2026-0399');
    expect(await refusal(chair, () => chair.decisions.open(id))).toBe('criteria-version-mismatch');
    const view = new Decisions(chair.person.session, now, { criteriaFor: () => null });
    expect(await refusal(chair, () => view.open(caseOf(chair)))).toBe('criteria-version-mismatch');
  });

  it('wiping a case removes its decision with it, and only its', () => {
    const db = panellistA.person.session.requireVault().db;
    const bundleOf = (reference: string) => (db.prepare('SELECT bundle_id FROM cases WHERE id = ?').get(caseOf(panellistA, reference)) as { bundle_id: string }).bundle_id;
    const count = (table: string, bundleId: string) => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE bundle_id = ?`).get(bundleId) as { n: number }).n;
    const wiped = bundleOf(REFERENCE);
    const kept = bundleOf(OTHER_REFERENCE);
    expect(count('decision_revisions', wiped)).toBe(2);
    expect(count('participant_records', wiped)).toBe(1);
    panellistA.cases.wipe(caseOf(panellistA), 'user');
    expect(count('decision_revisions', wiped)).toBe(0);
    expect(count('participant_records', wiped)).toBe(0);
    expect(count('participant_records', kept)).toBe(1);
  });
});
