// Published criteria and decision history between real people (real SQLCipher vaults, real Ed25519): the central
// office publishes criteria and signs its anonymised decision history; the chair, who holds the office's verified
// card, imports both, and the decision check then runs on exactly those criteria and compares the sanction with that
// history. Every bad file is refused with its own code and leaves what is held exactly as it was; a case naming
// criteria nobody published is refused with 'criteria-not-published'. All names are fictional.
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { criteriaSigningBytes, sampleCriteria, SIGNED_CRITERIA_FORMAT } from '../../shared/criteria';
import type { BundleParticipantKey } from '../../shared/domain/bundle';
import type { CaseFile, CriteriaReference } from '../../shared/domain/case';
import type { CriteriaDocument } from '../../shared/domain/criteria';
import type { DecisionDraft } from '../../shared/domain/decision';
import { AppError } from '../../shared/errors';
import { createPublishedHandlers } from '../../electron/published-handlers';
import { planSealedCopies } from '../../electron/services/bundles/bundle-file';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { criteriaDigest, serializeSignedCriteria, signCriteria } from '../../electron/services/criteria';
import { collect } from '../../electron/services/crypto/byte-reader';
import { ed25519PublicFromSeed, ed25519Sign } from '../../electron/services/crypto/ed25519';
import { Decisions, type DecisionView } from '../../electron/services/decisions';
import { DEMO_OFFICE_NAME, installDemoHearing } from '../../electron/services/demo-hearing';
import { serializeCard } from '../../electron/services/identities';
import { MAX_CRITERIA_FILE_BYTES, PublishedStore } from '../../electron/services/published';
import { centralOfficeLedger } from '../../electron/services/records/ledger';
import { buildDecisionHistory, serializeDecisionHistory, signDecisionHistory } from '../../electron/services/records/history';
import type { FilePicker } from '../../electron/services/ports';
import { createPerson, introduce, type Person } from '../helpers/people';
import { tempDir } from '../helpers/temp';

const NOW = new Date('2026-11-23T12:00:00Z');
const now = () => NOW;
const SAMPLE = sampleCriteria();
/** The office's own criteria: the sample's rules under a real (non-sample) id and version. */
const OFFICE_CRITERIA: CriteriaDocument = { ...SAMPLE, id: 'party-sanctions-criteria', version: '2026.2', sample: false, title: 'Sanctions criteria 2026.2 (fictional test edition)' };
const PUBLISHED: CriteriaReference = { id: OFFICE_CRITERIA.id, version: OFFICE_CRITERIA.version };

let office: Person;
let strayOffice: Person;
let clerk: Person;
let chair: Person;
let panellist: Person;
let store: PublishedStore;
let decisions: Decisions;
let signedCriteriaJson: string;
const caseIds = new Map<string, string>();

const seedOf = (person: Person) => person.session.withIdentity((me) => Buffer.from(me.signingSeed));

function keyOf(person: Person, participantId: string): BundleParticipantKey {
  const { card, fingerprint } = person.session.myCard();
  return { participantId, name: card.name, role: person.role, ageRecipient: card.ageRecipient, signingKey: card.signingKey, fingerprint };
}

function caseFile(reference: string, criteria: CriteriaReference): CaseFile {
  const participant = (person: Person, id: string, trainingCompleted: string) => ({
    id,
    name: person.name,
    role: person.role,
    fingerprint: person.session.myCard().fingerprint,
    ...(person.role === 'clerk' ? {} : { capacity: 'lay-member' }),
    firstInvolvement: '2026-10-01',
    trainingCompleted,
  });
  return {
    format: 'hearing-desk/case@1',
    reference,
    decidingBody: 'nec-panel',
    complaintType: 'social-media',
    region: 'north-west',
    protectedCharacteristics: ['religion-or-belief'],
    dates: { complaintReceived: '2026-09-01', hearing: '2026-11-10' },
    allegations: [{ number: 1, text: 'Posted a message repeating an antisemitic conspiracy theory.', ruleReference: 'Rule Book 2.I.8', conductCategoryId: 'antisemitic-conduct' }],
    participants: [participant(clerk, 'p-clerk', '2026-06-01'), participant(chair, 'p-chair', '2026-08-01'), participant(panellist, 'p-panel', '2026-08-15')],
    respondent: { pseudonym: 'Member R' },
    complainant: { pseudonym: 'Complainant C' },
    criteria,
  };
}

/** The clerk seals a one-document bundle naming `criteria` to the chair and the panellist; the chair imports it. */
async function sealCase(reference: string, criteria: CriteriaReference): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([595, 842]).drawText(`Complaint in case ${reference}`, { x: 60, y: 760, size: 12, font });
  const pdf = await doc.save();
  const sha = createHash('sha256').update(pdf).digest('hex');
  const seed = await seedOf(clerk);
  const [copy] = planSealedCopies({
    author: { signingSeed: seed, ageRecipient: keyOf(clerk, 'sealer').ageRecipient, participant: keyOf(clerk, 'sealer') },
    bundleId: randomUUID(),
    revision: 1,
    caseFile: caseFile(reference, criteria),
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
    recipients: [keyOf(chair, 'p-chair'), keyOf(panellist, 'p-panel')],
  });
  const sealed = await collect(copy!.stream());
  seed.fill(0);
  const caseId = await new ReceivedCases(chair.session, now).import({ name: `${reference}.hdbundle`, bytes: sealed }, { trustSealer: true });
  caseIds.set(reference, caseId);
  return caseId;
}

/** What the published store holds, plus the address book: what "nothing stored changed" compares. */
function held(person: Person = chair): string {
  const db = person.session.requireVault().db;
  return canonicalize({
    criteria: db.prepare('SELECT * FROM held_criteria ORDER BY criteria_id, version').all(),
    history: db.prepare('SELECT * FROM held_decision_history ORDER BY signer_key').all(),
    contacts: db.prepare('SELECT id, role, signing_key, verified_at FROM contacts ORDER BY id').all(),
  });
}

/** Runs an import expected to be refused; returns its code after checking nothing held changed. */
async function refused(call: () => unknown, person: Person = chair): Promise<string> {
  const before = held(person);
  let error: unknown = null;
  try {
    await call();
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the import must be refused').toBeInstanceOf(AppError);
  expect((error as AppError).message.length).toBeGreaterThan(20);
  expect(held(person), 'nothing held may change').toBe(before);
  return (error as AppError).code;
}

/** Signs `history` outcomes as `signer` would publish them. */
async function historyFile(signer: Person, issuedOn: string, outcomes: { category: string; band: string; sanctionRungId: string }[]): Promise<string> {
  const seed = await seedOf(signer);
  try {
    return serializeDecisionHistory(signDecisionHistory(buildDecisionHistory(outcomes, issuedOn), seed));
  } finally {
    seed.fill(0);
  }
}

const outcome = (sanctionRungId: string) => ({ category: 'antisemitic-conduct', band: 'lower', sanctionRungId });

/** A decision the chair could finalise: proven, lower band, a formal warning. */
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
        reasons: 'The screenshot is authenticated and the respondent accepts posting the message.',
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

const consistencyOf = (view: DecisionView) => view.check.findings.filter((f) => f.ruleId === 'consistency-with-earlier-outcomes');

beforeAll(async () => {
  office = await createPerson('Ottilie Marchbanks', 'central-office', { now });
  strayOffice = await createPerson('Percival Underwood-Lisle', 'central-office', { now });
  clerk = await createPerson('Morwenna Tregarthen', 'clerk', { now });
  chair = await createPerson('Leopold Ashcombe', 'chair', { now });
  panellist = await createPerson('Henrietta Voss', 'panellist', { now });
  introduce([office, clerk, chair, panellist]);
  // The stray office's card is in the chair's address book, but its fingerprint was never verified.
  chair.session.importCard(serializeCard(strayOffice.session.myCard().card), false);

  const seed = await seedOf(office);
  try {
    const { card } = office.session.myCard();
    signedCriteriaJson = centralOfficeLedger(office.session, now).publishCriteria(JSON.stringify(OFFICE_CRITERIA), { name: card.name, signingKey: card.signingKey, seed }).signedJson;
  } finally {
    seed.fill(0);
  }
  store = new PublishedStore(chair.session, now);
  decisions = new Decisions(chair.session, now, { criteriaFor: store.criteriaResolver(), historyFor: store.historyFor() });
  await sealCase('NEC-2026-0401', PUBLISHED);
  await sealCase('NEC-2026-0402', { id: OFFICE_CRITERIA.id, version: '2027.1' });
  await sealCase('NEC-2026-0403', { ...PUBLISHED, digest: 'ab'.repeat(32) });
  await sealCase('NEC-2026-0404', { ...PUBLISHED, digest: criteriaDigest(OFFICE_CRITERIA) });
  await sealCase('NEC-2026-0405', { id: SAMPLE.id, version: SAMPLE.version });
});

afterAll(() => {
  for (const person of [office, strayOffice, clerk, chair, panellist]) person?.cleanup();
});

describe('published criteria: the check runs only on criteria the central office signed', () => {
  it('refuses to check a case whose criteria are not yet imported, naming them', async () => {
    const code = await refused(() => decisions.open(caseIds.get('NEC-2026-0401')!));
    expect(code).toBe('criteria-not-published');
    expect(() => decisions.open(caseIds.get('NEC-2026-0401')!)).toThrow(/"party-sanctions-criteria" version 2026\.2/);
  });

  it('refuses every bad criteria file with its own code, storing nothing', async () => {
    const signed = JSON.parse(signedCriteriaJson) as { criteria: CriteriaDocument };
    const officeSeed = await seedOf(office);
    const clerkSeed = await seedOf(clerk);
    const straySeed = await seedOf(strayOffice);
    try {
      expect(await refused(() => store.importCriteria(JSON.stringify(OFFICE_CRITERIA)))).toBe('criteria-unsigned');
      expect(await refused(() => store.importCriteria(JSON.stringify({ ...signed, signature: undefined })))).toBe('criteria-unsigned');
      const tampered = { ...signed, criteria: { ...signed.criteria, title: 'Sanctions criteria 2026.2 (quietly edited)' } };
      expect(await refused(() => store.importCriteria(JSON.stringify(tampered)))).toBe('criteria-tampered');
      expect(await refused(() => store.importCriteria(serializeSignedCriteria(signCriteria(OFFICE_CRITERIA, clerkSeed))))).toBe('criteria-untrusted-signer');
      // A central-office card the chair never verified cannot publish.
      expect(await refused(() => store.importCriteria(serializeSignedCriteria(signCriteria(OFFICE_CRITERIA, straySeed))))).toBe('criteria-untrusted-signer');
      expect(await refused(() => store.importCriteria('{"format": "hearing-desk/signed-criteria'))).toBe('criteria-malformed');
      expect(await refused(() => store.importCriteria(signedCriteriaJson.slice(0, signedCriteriaJson.length / 2)))).toBe('criteria-malformed');
      expect(await refused(() => store.importCriteria(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])))).toBe('criteria-malformed');
      expect(await refused(() => store.importCriteria('[1, 2, 3]'))).toBe('criteria-malformed');
      // Correctly signed by the office, but absurd: the schema refuses it.
      const absurd = { ...OFFICE_CRITERIA, ladder: [] };
      const absurdFile = {
        format: SIGNED_CRITERIA_FORMAT,
        signingKey: Buffer.from(ed25519PublicFromSeed(officeSeed)).toString('base64'),
        signature: Buffer.from(ed25519Sign(officeSeed, criteriaSigningBytes(absurd))).toString('base64'),
        criteria: absurd,
      };
      expect(await refused(() => store.importCriteria(JSON.stringify(absurdFile)))).toBe('criteria-invalid');
      expect(await refused(() => store.importCriteria(' '.repeat(MAX_CRITERIA_FILE_BYTES + 1)))).toBe('published-file-too-large');
    } finally {
      officeSeed.fill(0);
      clerkSeed.fill(0);
      straySeed.fill(0);
    }
    expect(store.list()).toEqual({ criteria: [], histories: [] });
  });

  it('imports the signed criteria, lists them with the signer, and checks the case against them', async () => {
    const imported = store.importCriteria(new TextEncoder().encode(signedCriteriaJson));
    const officeFingerprint = office.session.myCard().fingerprint;
    expect(imported).toEqual({
      added: true,
      criteria: {
        id: OFFICE_CRITERIA.id,
        version: OFFICE_CRITERIA.version,
        title: OFFICE_CRITERIA.title,
        digest: criteriaDigest(OFFICE_CRITERIA),
        isSample: false,
        signer: { name: office.name, fingerprint: officeFingerprint },
        importedAt: NOW.toISOString(),
      },
    });
    expect(store.list().criteria).toEqual([imported.criteria]);

    const view = decisions.open(caseIds.get('NEC-2026-0401')!);
    expect(view.check).toMatchObject({ criteriaId: OFFICE_CRITERIA.id, criteriaVersion: OFFICE_CRITERIA.version, criteriaIsSample: false });
    // The exact text the case pinned is accepted; any other pinned text is refused.
    expect(decisions.open(caseIds.get('NEC-2026-0404')!).check.criteriaVersion).toBe(OFFICE_CRITERIA.version);
    expect(await refused(() => decisions.open(caseIds.get('NEC-2026-0403')!))).toBe('criteria-digest-mismatch');

    // Importing the same document again changes nothing.
    const before = held();
    expect(store.importCriteria(signedCriteriaJson).added).toBe(false);
    expect(held()).toBe(before);
  });

  it('refuses a different document under a version already held', async () => {
    const seed = await seedOf(office);
    try {
      const rewritten = { ...OFFICE_CRITERIA, title: 'Sanctions criteria 2026.2 (a second, different text)' };
      expect(await refused(() => store.importCriteria(serializeSignedCriteria(signCriteria(rewritten, seed))))).toBe('criteria-version-conflict');
    } finally {
      seed.fill(0);
    }
    expect(store.list().criteria.map((c) => c.title)).toEqual([OFFICE_CRITERIA.title]);
  });

  it('refuses a case naming criteria that were never published, and the sample only under its own version', async () => {
    expect(await refused(() => decisions.open(caseIds.get('NEC-2026-0402')!))).toBe('criteria-not-published');
    expect(() => decisions.open(caseIds.get('NEC-2026-0402')!)).toThrow(/"party-sanctions-criteria" version 2027\.1/);
    const resolve = store.criteriaResolver();
    expect(() => resolve({ id: SAMPLE.id, version: '2025.9-sample' })).toThrow(expect.objectContaining({ code: 'criteria-not-published' }));
    expect(() => resolve({ id: 'another-party-criteria', version: '1' })).toThrow(expect.objectContaining({ code: 'criteria-not-published' }));
    // The shipped sample stays usable for a case that names the sample itself.
    expect(decisions.open(caseIds.get('NEC-2026-0405')!).check).toMatchObject({ criteriaId: SAMPLE.id, criteriaIsSample: true });
  });
});

describe('published decision history: the consistency rule compares with what the central office signed', () => {
  let caseId: string;

  beforeAll(() => {
    caseId = caseIds.get('NEC-2026-0401')!;
    const view = decisions.open(caseId);
    decisions.save(caseId, decided(view.draft), view.revision);
  });

  it('with no history held, says consistency could not be compared', () => {
    const [finding] = consistencyOf(decisions.open(caseId));
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding!.message).toMatch(/^Only 0 earlier outcomes .* held locally/);
  });

  it('refuses every bad history file, storing nothing', async () => {
    const genuine = await historyFile(office, '2026-10-01', [outcome('expulsion')]);
    expect(await refused(() => store.importHistory('not json at all'))).toBe('history-malformed');
    expect(await refused(() => store.importHistory(genuine.slice(0, 80)))).toBe('history-malformed');
    expect(await refused(() => store.importHistory(JSON.stringify({ format: 'hearing-desk/decision-history@1', issuedOn: '2026-10-01', outcomes: [] })))).toBe('history-malformed');
    const tampered = JSON.parse(genuine) as { history: { outcomes: { sanctionRungId: string }[] } };
    tampered.history.outcomes[0]!.sanctionRungId = 'no-further-action';
    expect(await refused(() => store.importHistory(JSON.stringify(tampered)))).toBe('history-tampered');
    const byClerk = await historyFile(clerk, '2026-10-01', [outcome('expulsion')]);
    expect(await refused(() => store.importHistory(byClerk))).toBe('history-untrusted-signer');
    const byUnverifiedOffice = await historyFile(strayOffice, '2026-10-01', [outcome('expulsion')]);
    expect(await refused(() => store.importHistory(byUnverifiedOffice))).toBe('history-untrusted-signer');
    expect(store.list().histories).toEqual([]);
  });

  it('warns when the sanction is more than one rung from the median, citing how many cases it compared', async () => {
    const imported = store.importHistory(await historyFile(office, '2026-10-01', [outcome('suspension'), outcome('expulsion'), outcome('expulsion'), outcome('expulsion'), { category: 'bullying', band: 'lower', sanctionRungId: 'no-further-action' }]));
    expect(imported).toEqual({
      replaced: false,
      history: { signer: { name: office.name, fingerprint: office.session.myCard().fingerprint }, issuedOn: '2026-10-01', outcomes: 5, importedAt: NOW.toISOString() },
    });
    expect(store.historyFor()()).toHaveLength(5);
    const [finding] = consistencyOf(decisions.open(caseId));
    expect(finding).toMatchObject({ severity: 'warn' });
    expect(finding!.message).toMatch(/^Compared with 4 earlier outcomes for lower antisemitic/);
    expect(finding!.message).toContain('2 rungs from "');
  });

  it('a newer history from the same office replaces the older one; an older one is refused', async () => {
    const newer = store.importHistory(await historyFile(office, '2026-11-01', [outcome('formal-warning'), outcome('suspension'), outcome('suspension')]));
    expect(newer.replaced).toBe(true);
    expect(store.list().histories).toHaveLength(1);
    const [finding] = consistencyOf(decisions.open(caseId));
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding!.message).toMatch(/^Compared with 3 earlier outcomes .* is consistent with it\.$/);

    const older = await historyFile(office, '2026-09-01', [outcome('expulsion')]);
    expect(await refused(() => store.importHistory(older))).toBe('history-out-of-date');
  });
});

describe('published handlers: the native picker and a size-limited read', () => {
  it('imports a chosen file, returns null when cancelled, and refuses a huge file before reading it', async () => {
    const dir = tempDir('hd-published-');
    const person = await createPerson('Araminta Pell', 'panellist', { now });
    try {
      person.session.importCard(serializeCard(office.session.myCard().card), true);
      const criteriaPath = join(dir.path, 'criteria.json');
      const hugePath = join(dir.path, 'huge.json');
      writeFileSync(criteriaPath, signedCriteriaJson);
      writeFileSync(hugePath, Buffer.alloc(MAX_CRITERIA_FILE_BYTES + 1, 0x20));
      let chosen: string[] = [];
      const picker: FilePicker = { chooseOpenPaths: async () => chosen, chooseSavePath: async () => null };
      const handlers = createPublishedHandlers(person.session, picker, now);

      expect(await handlers['published.importCriteria']({})).toBeNull();
      chosen = [hugePath];
      expect(await refused(() => handlers['published.importCriteria']({}), person)).toBe('file-too-large');
      chosen = [criteriaPath];
      expect(await handlers['published.importCriteria']({})).toMatchObject({ added: true, criteria: { id: OFFICE_CRITERIA.id } });
      expect((await handlers['published.list']({})).criteria.map((c) => c.signer.name)).toEqual([office.name]);
    } finally {
      person.cleanup();
      dir.cleanup();
    }
  });
});

describe('the demo hearing runs on signed criteria', () => {
  it('adds a fictional demo central office and imports the sample signed by it, once', async () => {
    const person = await createPerson('Barnaby Quill', 'chair', { now });
    try {
      const cases = new ReceivedCases(person.session, now);
      const caseId = await installDemoHearing(person.session, cases, NOW);
      const demoOffice = person.session.listContacts().filter((c) => c.name === DEMO_OFFICE_NAME);
      expect(demoOffice).toHaveLength(1);
      expect(demoOffice[0]).toMatchObject({ role: 'central-office', verifiedAt: expect.any(String) });
      const published = new PublishedStore(person.session, now);
      expect(published.list().criteria).toEqual([
        expect.objectContaining({ id: SAMPLE.id, version: SAMPLE.version, isSample: true, signer: { name: DEMO_OFFICE_NAME, fingerprint: demoOffice[0]!.fingerprint } }),
      ]);
      const view = new Decisions(person.session, now, { criteriaFor: published.criteriaResolver() }).open(caseId);
      expect(view.check).toMatchObject({ criteriaId: SAMPLE.id, criteriaIsSample: true });

      await installDemoHearing(person.session, cases, NOW);
      expect(person.session.listContacts().filter((c) => c.name === DEMO_OFFICE_NAME)).toHaveLength(1);
    } finally {
      person.cleanup();
    }
  });
});
