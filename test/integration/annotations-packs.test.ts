// Annotation packs between real people's laptops: sealed and signed envelopes, never a private annotation inside,
// merged per author by the author's own version counter, idempotent, conflicts kept and shown, the same result in
// any order; and every bad pack (another case, a stranger, tampered, malformed, forged advice, someone else's
// annotation) refused with its own error while the vault stays byte-for-byte the same in every annotation table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { ANNOTATION_PACK_FORMAT, type AnnotationContent, type AnnotationPack } from '../../shared/domain/annotation';
import { describeTextSelection } from '../../electron/services/annotations/anchor';
import { openEnvelopeBytes, sealEnvelopeBytes } from '../../electron/services/crypto/envelope';
import { createPerson, introduce, type Person } from '../helpers/people';
import { sealAndImport, servicesOf, type SealedCase } from './annotations-case';

let clerk: Person;
let chair: Person;
let panellist: Person;
let lawyer: Person;
let outsider: Person;
let sealed: SealedCase;
let otherCase: SealedCase;

beforeAll(async () => {
  [clerk, chair, panellist, lawyer, outsider] = await Promise.all([
    createPerson('Morgan Clerkson', 'clerk'),
    createPerson('Avery Chairwood', 'chair'),
    createPerson('Jordan Panelby', 'panellist'),
    createPerson('Casey Counselor', 'external-lawyer'),
    createPerson('Sam Outerly', 'panellist'),
  ]);
  introduce([clerk, chair, panellist, lawyer, outsider]);
  sealed = await sealAndImport(clerk, [chair, panellist, lawyer]);
  otherCase = await sealAndImport(clerk, [chair, panellist, lawyer], 'NEC-2026-0078');
});
afterAll(() => [clerk, chair, panellist, lawyer, outsider].forEach((p) => p?.cleanup()));

const caseOf = (person: Person) => sealed.caseIds.get(person)!;

/** Everything annotation-related in a vault, and the audit trail's length: must not move when a pack is refused. */
function snapshot(person: Person): string {
  const db = person.session.requireVault().db;
  const all = (sql: string) => db.prepare(sql).all();
  return JSON.stringify({
    annotations: all('SELECT * FROM annotations ORDER BY seq'),
    versions: all('SELECT * FROM annotation_versions ORDER BY seq'),
    conflicts: all('SELECT * FROM annotation_conflicts ORDER BY seq'),
    index: all('SELECT rowid, * FROM annotation_text_index ORDER BY rowid'),
    audit: all('SELECT counter, hash FROM audit_entries ORDER BY counter'),
  });
}

function pageNote(note: string, page = 1): { content: AnnotationContent } {
  return { content: { kind: 'page-note', documentId: 'doc-statement', page, note, tags: [], allegations: [] } as unknown as AnnotationContent };
}

async function openAs(person: Person, bytes: Uint8Array): Promise<AnnotationPack> {
  const { payload } = await person.session.withIdentity((me) => openEnvelopeBytes(bytes, { identity: me.ageIdentity, expectedTypes: ['hearing-desk/annotations@1'], maxPayloadBytes: 1 << 25 }));
  return JSON.parse(Buffer.from(payload).toString('utf8')) as AnnotationPack;
}

/** A pack signed by `author` with whatever payload a test needs, sealed to `to` (what a modified app could send). */
async function craftedPack(author: Person, to: Person[], payload: unknown): Promise<Uint8Array> {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(canonicalize(payload), 'utf8');
  return author.session.withIdentity((me) =>
    sealEnvelopeBytes({
      type: 'hearing-desk/annotations@1',
      payload: bytes,
      author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient },
      recipients: to.map((p) => p.session.myCard().card.ageRecipient),
    }),
  );
}

let privateId: string;
let firstId: string;
let secondId: string;
let adviceId: string;
let firstPack: Uint8Array;

describe('sharing a pack', () => {
  it('seals the author’s panel annotations to the panel and lawyer, never a private one', async () => {
    const { annotations, search } = servicesOf(panellist);
    const caseId = caseOf(panellist);
    await search.indexCase(caseId);
    privateId = annotations.create(caseId, pageNote('PRIVATE-ONLY: my own doubts about C1.')).id;
    const pages = search.pageTexts(caseId, 'doc-statement')!;
    const start = { page: 1, offset: pages[0]!.indexOf('hidden') };
    const end = { page: 2, offset: pages[1]!.indexOf('always') };
    firstId = annotations.create(caseId, {
      content: { kind: 'highlight', documentId: 'doc-statement', start, end, quote: describeTextSelection(pages, start, end), note: 'Across the page break.', tags: ['key'], allegations: [1, 2] },
      visibility: 'panel',
    }).id;
    secondId = annotations.create(caseId, { ...pageNote('Ask about the removal date.', 2), visibility: 'panel' }).id;

    const exported = await annotations.exportPack(caseId);
    expect(exported.recipients.map((r) => r.name).sort()).toEqual(['Avery Chairwood', 'Casey Counselor']);
    expect(exported.unreachable).toEqual([]);
    expect(exported).toMatchObject({ annotations: 2, tombstones: 0, suggestedName: 'nec-2026-0077-annotations-jordan-panelby.hdnotes' });
    firstPack = exported.bytes;

    const pack = await openAs(chair, exported.bytes);
    expect(pack).toMatchObject({ format: ANNOTATION_PACK_FORMAT, bundleId: sealed.bundleId, caseReference: 'NEC-2026-0077', author: { signingKey: panellist.session.myCard().card.signingKey } });
    expect(pack.annotations.map((a) => a.id).sort()).toEqual([firstId, secondId].sort());
    expect(JSON.stringify(pack)).not.toContain('PRIVATE-ONLY');
    expect(JSON.stringify(pack)).not.toContain(privateId);
    // Not sealed to the clerk, nor to anyone outside the case.
    await expect(openAs(clerk, exported.bytes)).rejects.toThrowError();
    await expect(openAs(outsider, exported.bytes)).rejects.toThrowError();
  });

  it('merges into another panellist’s vault, read-only there, and importing twice changes nothing', async () => {
    const { annotations } = servicesOf(chair);
    const result = await annotations.importPack(caseOf(chair), firstPack);
    expect(result).toMatchObject({ author: { name: 'Jordan Panelby', role: 'panellist' }, added: 2, updated: 0, deleted: 0, conflicts: 0, changed: true });
    const theirs = annotations.list(caseOf(chair));
    expect(theirs.map((a) => [a.id, a.mine, a.provenance, a.author.name, a.version])).toEqual(
      expect.arrayContaining([[firstId, false, 'pack', 'Jordan Panelby', 1], [secondId, false, 'pack', 'Jordan Panelby', 1]]),
    );
    expect(() => annotations.update(firstId, { visibility: 'private' })).toThrowError(expect.objectContaining({ code: 'annotation-not-yours' }));
    expect(() => annotations.delete(firstId)).toThrowError(expect.objectContaining({ code: 'annotation-not-yours' }));

    const before = snapshot(chair);
    expect(await annotations.importPack(caseOf(chair), firstPack)).toMatchObject({ added: 0, updated: 0, unchanged: 2, changed: false });
    expect(snapshot(chair)).toBe(before);
    expect(servicesOf(chair).search.search(caseOf(chair), '"page break"').annotations.map((a) => a.annotationId)).toEqual([firstId]);
  });

  it('applies edits, deletions and a return to private by version; an older pack is stale and changes nothing', async () => {
    const { annotations } = servicesOf(panellist);
    const first = annotations.get(firstId);
    annotations.update(firstId, { content: { ...(first.content as AnnotationContent), note: 'Edited after the hearing bundle review.' } });
    annotations.delete(secondId);
    const third = annotations.create(caseOf(panellist), { ...pageNote('Shared, then taken back.', 3), visibility: 'panel' });
    const middle = await servicesOf(chair).annotations.importPack(caseOf(chair), (await annotations.exportPack(caseOf(panellist))).bytes);
    expect(middle).toMatchObject({ added: 1, updated: 1, deleted: 1, changed: true });
    annotations.update(third.id, { content: { ...(third.content as AnnotationContent), note: 'SECRET-AGAIN: private now.' }, visibility: 'private' });

    const exported = await annotations.exportPack(caseOf(panellist));
    expect(exported).toMatchObject({ annotations: 1, tombstones: 2 });
    const pack = await openAs(chair, exported.bytes);
    expect(pack.tombstones).toEqual(expect.arrayContaining([{ id: secondId, version: 2 }, { id: third.id, version: 2 }]));
    expect(JSON.stringify(pack)).not.toContain('SECRET-AGAIN');

    const chairs = servicesOf(chair).annotations;
    expect(await chairs.importPack(caseOf(chair), exported.bytes)).toMatchObject({ added: 0, updated: 0, deleted: 1, unchanged: 2, changed: true });
    expect(chairs.get(firstId)).toMatchObject({ version: 2, content: { note: 'Edited after the hearing bundle review.' } });
    expect(chairs.get(secondId).deleted).toBe(true);
    expect(chairs.get(third.id)).toMatchObject({ deleted: true, content: null });
    expect(chairs.history(firstId).map((h) => h.version)).toEqual([1, 2]);

    const before = snapshot(chair);
    expect(await chairs.importPack(caseOf(chair), firstPack)).toMatchObject({ stale: 2, changed: false });
    expect(snapshot(chair)).toBe(before);
  });

  it('carries the lawyer’s advice, marked as advice', async () => {
    const lawyers = servicesOf(lawyer).annotations;
    adviceId = lawyers.create(caseOf(lawyer), { ...pageNote('Advice: the panel should consider context.', 2), visibility: 'legal-advice' }).id;
    const result = await servicesOf(chair).annotations.importPack(caseOf(chair), (await lawyers.exportPack(caseOf(lawyer))).bytes);
    expect(result).toMatchObject({ author: { role: 'external-lawyer' }, added: 1 });
    expect(servicesOf(chair).annotations.get(adviceId)).toMatchObject({ visibility: 'legal-advice', author: { name: 'Casey Counselor' } });
  });
});

describe('bad packs are refused and change nothing', () => {
  const cases: [string, () => Promise<Uint8Array>, string][] = [];
  const validPayload = (overrides: Partial<AnnotationPack> = {}): AnnotationPack => ({
    format: ANNOTATION_PACK_FORMAT,
    bundleId: sealed.bundleId,
    caseReference: 'NEC-2026-0077',
    author: { signingKey: panellist.session.myCard().card.signingKey },
    annotations: [],
    tombstones: [],
    ...overrides,
  });
  const packNote = (id: string, visibility: 'panel' | 'legal-advice', note = 'Crafted.') => ({
    id, version: 9, createdAt: '2026-11-23T12:00:00.000Z', modifiedAt: '2026-11-23T12:00:00.000Z', visibility,
    content: { ...(pageNote(note).content as object), documentSha256: servicesOf(chair).cases.get(caseOf(chair)).manifest.documents[0]!.sha256 } as AnnotationContent,
  });

  cases.push(
    ['for another case', async () => (await servicesOf(panellist).annotations.exportPack(otherCase.caseIds.get(panellist)!)).bytes, 'pack-wrong-case'],
    ['from someone outside the case', () => craftedPack(outsider, [chair], validPayload({ author: { signingKey: outsider.session.myCard().card.signingKey } })), 'pack-not-participant'],
    ['from the clerk (not on the panel)', () => craftedPack(clerk, [chair], validPayload({ author: { signingKey: clerk.session.myCard().card.signingKey } })), 'pack-not-participant'],
    ['with one bit flipped', async () => flip(firstPack, Math.floor(firstPack.length / 2)), 'chunk-authentication-failed'],
    ['cut short', async () => firstPack.subarray(0, firstPack.length - 40), 'chunk-authentication-failed'],
    ['that is not JSON', () => craftedPack(panellist, [chair], '{"format":'), 'pack-malformed'],
    ['with an unknown format', () => craftedPack(panellist, [chair], { ...validPayload(), format: 'hearing-desk/annotation-pack@9' }), 'pack-malformed'],
    ['carrying a private annotation', () => craftedPack(panellist, [chair], validPayload({ annotations: [{ ...packNote('6f1c1f9e-1a2b-4c3d-8e4f-0a1b2c3d4e5f', 'panel'), visibility: 'private' as never }] })), 'pack-malformed'],
    ['naming an author other than its signer', () => craftedPack(panellist, [chair], validPayload({ author: { signingKey: lawyer.session.myCard().card.signingKey } })), 'pack-malformed'],
    ['with advice from a panellist', () => craftedPack(panellist, [chair], validPayload({ annotations: [packNote('6f1c1f9e-1a2b-4c3d-8e4f-0a1b2c3d4e5f', 'legal-advice')] })), 'pack-advice-not-lawyer'],
    ['changing the lawyer’s annotation', () => craftedPack(panellist, [chair], validPayload({ annotations: [packNote(adviceId, 'panel', 'Overwritten!')] })), 'pack-foreign-annotation'],
    ['deleting the lawyer’s annotation', () => craftedPack(panellist, [chair], validPayload({ tombstones: [{ id: adviceId, version: 99 }] })), 'pack-foreign-annotation'],
    ['holding a bundle instead of annotations', () => chair.session.withIdentity((me) => sealEnvelopeBytes({ type: 'hearing-desk/bundle@1', payload: new Uint8Array(10), author: { signingSeed: me.signingSeed, ageRecipient: me.ageRecipient }, recipients: [me.ageRecipient] })), 'unexpected-payload-type'],
    ['that is not a sealed file at all', async () => Buffer.from('hello, I am a text file'), 'not-age-file'],
  );

  function flip(bytes: Uint8Array, at: number): Uint8Array {
    const copy = new Uint8Array(bytes);
    copy[at]! ^= 0x01;
    return copy;
  }

  it.each(cases.map(([name, make, code]) => ({ name, make, code })))('refuses a pack $name ($code)', async ({ make, code }) => {
    const bytes = await make();
    const before = snapshot(chair);
    await expect(servicesOf(chair).annotations.importPack(caseOf(chair), bytes)).rejects.toMatchObject({ code });
    expect(snapshot(chair)).toBe(before);
  });
});

describe('conflicts', () => {
  it('keeps one variant of a same-version clash by content hash, records the other, and ends the same in any order', async () => {
    const mine = servicesOf(panellist).annotations;
    const caseId = caseOf(panellist);
    const base = mine.create(caseId, { ...pageNote('Version one.', 3), visibility: 'panel' });
    mine.update(base.id, { content: { ...(base.content as AnnotationContent), note: 'Laptop A says this.' } });
    const packA = (await mine.exportPack(caseId)).bytes;
    // The same profile on a second laptop (restored from a backup) wrote its own version 2: simulated on the author's
    // own vault, then exported and signed by the author's real app as usual.
    const db = panellist.session.requireVault().db;
    const content = { ...(base.content as AnnotationContent), note: 'Laptop B says that.' };
    db.prepare('UPDATE annotations SET content_json = ?, search_text = ? WHERE id = ?').run(canonicalize(content), content.note, base.id);
    const packB = (await mine.exportPack(caseId)).bytes;

    const chairs = servicesOf(chair).annotations;
    const lawyers = servicesOf(lawyer).annotations;
    await chairs.importPack(caseOf(chair), packA);
    expect(await chairs.importPack(caseOf(chair), packB)).toMatchObject({ conflicts: 1, changed: true });
    await lawyers.importPack(caseOf(lawyer), packB);
    expect(await lawyers.importPack(caseOf(lawyer), packA)).toMatchObject({ conflicts: 1 });

    const keptByChair = chairs.get(base.id);
    const keptByLawyer = lawyers.get(base.id);
    expect(keptByChair.content).toEqual(keptByLawyer.content);
    expect(keptByChair.version).toBe(2);
    const [chairConflict] = chairs.conflicts(caseOf(chair));
    const [lawyerConflict] = lawyers.conflicts(caseOf(lawyer));
    expect(chairConflict).toMatchObject({ annotationId: base.id, version: 2, author: { name: 'Jordan Panelby' } });
    expect(chairConflict!.other.content).toEqual(lawyerConflict!.other.content);
    // Both notes are still visible: one current, one recorded.
    expect([keptByChair.content?.note, chairConflict!.other.content?.note].sort()).toEqual(['Laptop A says this.', 'Laptop B says that.']);

    const before = snapshot(chair);
    await chairs.importPack(caseOf(chair), packA);
    await chairs.importPack(caseOf(chair), packB);
    expect(snapshot(chair)).toBe(before);
  });
});
