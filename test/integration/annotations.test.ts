// Annotations in real vaults on a real sealed case: a highlight across a page break of a real PDF's extracted text,
// every change a durable version with its audit entry, history and restore, who may write what, W3C JSON-LD export
// and a lossless import into another vault, and the retention hook with its legal hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationContent } from '../../shared/domain/annotation';
import { AuditTrail } from '../../electron/services/audit';
import { describeTextSelection } from '../../electron/services/annotations/anchor';
import { createPerson, introduce, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { sealAndImport, servicesOf, type SealedCase } from './annotations-case';

let clerk: Person;
let chair: Person;
let panellist: Person;
let lawyer: Person;
let sealed: SealedCase;

beforeAll(async () => {
  [clerk, chair, panellist, lawyer] = await Promise.all([
    createPerson('Morgan Clerkson', 'clerk'),
    createPerson('Avery Chairwood', 'chair'),
    createPerson('Jordan Panelby', 'panellist'),
    createPerson('Casey Counselor', 'external-lawyer'),
  ]);
  introduce([clerk, chair, panellist, lawyer]);
  sealed = await sealAndImport(clerk, [chair, panellist, lawyer]);
});
afterAll(() => [clerk, chair, panellist, lawyer].forEach((p) => p?.cleanup()));

const caseOf = (person: Person) => sealed.caseIds.get(person)!;

function expectCode(run: () => unknown, code: string): void {
  expect(run).toThrowError(expect.objectContaining({ code }));
}

function tableCounts(person: Person) {
  const db = person.session.requireVault().db;
  const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { annotations: count('annotations'), versions: count('annotation_versions'), audit: count('audit_entries') };
}

describe('one person’s annotations', () => {
  let highlightId: string;

  it('highlights across a page break of the real text layer, privately by default, and re-anchors it', async () => {
    const { annotations, search } = servicesOf(panellist);
    await search.indexCase(caseOf(panellist));
    const pages = search.pageTexts(caseOf(panellist), 'doc-statement')!;
    expect(pages).toHaveLength(3);
    const start = { page: 1, offset: pages[0]!.indexOf('hidden') };
    const end = { page: 2, offset: pages[1]!.indexOf(' always') };
    const quote = describeTextSelection(pages, start, end);
    expect(quote.exact).toMatch(/^hidden\s+financiers controlling the party\. Members replied that it was\s+offensive\. The respondent then wrote that those people$/);
    const created = annotations.create(caseOf(panellist), {
      content: { kind: 'highlight', documentId: 'doc-statement', start, end, quote, note: null, tags: ['comment', 'post'], allegations: [2, 1] },
    });
    highlightId = created.id;
    expect(created).toMatchObject({ version: 1, visibility: 'private', mine: true, deleted: false, provenance: 'local', author: { name: 'Jordan Panelby', role: 'panellist' } });
    // Stored in one canonical form: tags sorted, allegations sorted, the document's hash from the manifest.
    const manifest = servicesOf(panellist).cases.get(caseOf(panellist)).manifest;
    expect(created.content).toMatchObject({ tags: ['comment', 'post'], allegations: [1, 2], documentSha256: manifest.documents[0]!.sha256 });
    const [anchored] = annotations.anchored(caseOf(panellist), (documentId) => search.pageTexts(caseOf(panellist), documentId));
    expect(anchored!.anchor).toEqual({ status: 'anchored', method: 'position', start, end, documentChanged: false });
  });

  it('saves every change as a new durable version, with its history, and restores an earlier one', async () => {
    const { annotations } = servicesOf(panellist);
    const withNote = annotations.update(highlightId, { content: { ...(annotations.get(highlightId).content as AnnotationContent), note: 'The comment is the heart of allegation 2.' }, expectedVersion: 1 });
    expect(withNote.version).toBe(2);
    const shared = annotations.update(highlightId, { visibility: 'panel' });
    expect(shared).toMatchObject({ version: 3, visibility: 'panel' });
    // Nothing changed, no new version.
    expect(annotations.update(highlightId, { visibility: 'panel' }).version).toBe(3);
    expectCode(() => annotations.update(highlightId, { visibility: 'private', expectedVersion: 2 }), 'annotation-stale');

    // Durable: lock (closing the database) and unlock, and every version is there.
    panellist.session.lock('user');
    await panellist.session.unlock(TEST_PASSPHRASE);
    const history = annotations.history(highlightId);
    expect(history.map((h) => [h.version, h.visibility, h.content?.note ?? null, h.source])).toEqual([
      [1, 'private', null, 'local'],
      [2, 'private', 'The comment is the heart of allegation 2.', 'local'],
      [3, 'panel', 'The comment is the heart of allegation 2.', 'local'],
    ]);

    const restored = annotations.restore(highlightId, 1);
    expect(restored).toMatchObject({ version: 4, visibility: 'panel' });
    expect(restored.content?.note).toBeNull();
    const deleted = annotations.delete(highlightId);
    expect(deleted).toMatchObject({ version: 5, deleted: true, content: null });
    expect(annotations.list(caseOf(panellist)).map((a) => a.id)).not.toContain(highlightId);
    expect(annotations.list(caseOf(panellist), { includeDeleted: true }).map((a) => a.id)).toContain(highlightId);
    expectCode(() => annotations.update(highlightId, { visibility: 'private' }), 'annotation-deleted');
    expect(annotations.restore(highlightId, 2)).toMatchObject({ version: 6, deleted: false, content: { note: 'The comment is the heart of allegation 2.' } });
    expectCode(() => annotations.restore(highlightId, 5), 'version-not-found');
    expectCode(() => annotations.history('00000000-0000-4000-8000-000000000000'), 'annotation-not-found');

    const actions = new AuditTrail(panellist.session).entries({ caseId: caseOf(panellist) }).map((e) => e.action).reverse();
    expect(actions.filter((a) => a.startsWith('annotation-'))).toEqual([
      'annotation-created', 'annotation-changed', 'annotation-changed', 'annotation-changed', 'annotation-deleted', 'annotation-changed',
    ]);
    expect(new AuditTrail(panellist.session).verify().ok).toBe(true);
  });

  it('refuses what the author may not write, changing nothing', () => {
    const { annotations } = servicesOf(panellist);
    const caseId = caseOf(panellist);
    const before = tableCounts(panellist);
    const note = (overrides: Record<string, unknown>) => ({ content: { kind: 'page-note', documentId: 'doc-statement', page: 1, note: 'x', tags: [], allegations: [], ...overrides } as never });
    expectCode(() => annotations.create(caseId, { ...note({}), visibility: 'legal-advice' }), 'advice-only-by-lawyer');
    expectCode(() => annotations.create(caseId, note({ documentId: 'doc-missing' })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, note({ page: 4 })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, note({ allegations: [3] })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, note({ note: '' })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, note({ tags: ['a', 'a'] })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, note({ documentSha256: 'f'.repeat(64) })), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, { content: { kind: 'area', documentId: 'doc-statement', page: 1, rect: { x: 0, y: 0, width: -5, height: 10 }, note: null, tags: [], allegations: [] } }), 'annotation-invalid');
    expectCode(() => annotations.create(caseId, { content: { kind: 'area', documentId: 'doc-statement', page: 1, rect: { x: Number.NaN, y: 0, width: 5, height: 10 }, note: null, tags: [], allegations: [] } }), 'annotation-invalid');
    expectCode(() => annotations.create('no-such-case', note({})), 'case-not-found');
    expect(tableCounts(panellist)).toEqual(before);
    // The lawyer may write advice.
    const advice = servicesOf(lawyer).annotations.create(caseOf(lawyer), { ...note({ note: 'Advice: the comment may be read as referring to Jewish members.', allegations: [2] }), visibility: 'legal-advice' });
    expect(advice).toMatchObject({ visibility: 'legal-advice', author: { role: 'external-lawyer' } });
    expect(servicesOf(lawyer).annotations.audience(caseOf(lawyer), 'legal-advice').map((m) => m.name).sort()).toEqual(['Avery Chairwood', 'Casey Counselor', 'Jordan Panelby']);
  });
});

describe('W3C Web Annotation JSON-LD', () => {
  it('exports standard annotations and imports them into another vault without loss', async () => {
    const mine = servicesOf(panellist);
    const caseId = caseOf(panellist);
    const pages = mine.search.pageTexts(caseId, 'doc-statement')!;
    const start = { page: 2, offset: pages[1]!.indexOf('complain') };
    mine.annotations.create(caseId, {
      content: { kind: 'highlight', documentId: 'doc-statement', start, end: { page: 2, offset: start.offset + 8 }, quote: describeTextSelection(pages, start, { page: 2, offset: start.offset + 8 }), note: 'Quoted “those people”…\nsecond line', tags: ['tone'], allegations: [2] },
    });
    mine.annotations.create(caseId, { content: { kind: 'area', documentId: 'doc-transcript', page: 1, rect: { x: 60.5, y: 700.25, width: 120, height: 0.001 }, note: null, tags: [], allegations: [] }, visibility: 'panel' });
    // Someone else's annotation in this vault too (the lawyer's advice, from a signed pack).
    const pack = await servicesOf(lawyer).annotations.exportPack(caseOf(lawyer));
    await mine.annotations.importPack(caseId, pack.bytes);

    const exported = mine.annotations.exportJsonLd(caseId) as { '@context': unknown; type: string; total: number; first: { items: Record<string, any>[] } };
    expect(exported['@context']).toEqual(['http://www.w3.org/ns/anno.jsonld', { hd: 'urn:x-hearing-desk:vocab#' }]);
    expect(exported.type).toBe('AnnotationCollection');
    expect(exported.total).toBe(mine.annotations.list(caseId).length);
    const crossPage = exported.first.items.find((item) => Array.isArray(item.target.selector) && item.target.selector[1].type === 'RangeSelector')!;
    expect(crossPage).toMatchObject({ type: 'Annotation', motivation: 'highlighting', target: { type: 'SpecificResource', source: expect.stringMatching(/^urn:sha256:[0-9a-f]{64}$/) } });
    expect(crossPage.target.selector[0]).toMatchObject({ type: 'TextQuoteSelector', exact: expect.stringContaining('hidden') });
    expect(crossPage.target.selector[1].startSelector).toMatchObject({ type: 'FragmentSelector', value: 'page=1', refinedBy: { type: 'TextPositionSelector' } });
    const advice = exported.first.items.find((item) => item['hd:visibility'] === 'legal-advice')!;
    expect(advice.creator.name).toBe('Casey Counselor');
    expect(advice.body).toContainEqual({ type: 'SpecificResource', purpose: 'linking', source: `urn:x-hearing-desk:bundle:${sealed.bundleId}:allegation:2` });

    // Into the chair's vault (which has the same case and no annotations), and out again: identical, except that the
    // panellist's private notes never enter another person's vault (private means only its author sees it).
    const theirs = servicesOf(chair);
    const roundTrip = JSON.parse(JSON.stringify(exported));
    const privateOfOthers = exported.first.items.filter((item) => item['hd:visibility'] === 'private').length;
    expect(privateOfOthers).toBeGreaterThan(0);
    const transferable = exported.first.items.filter((item) => item['hd:visibility'] !== 'private');
    expect(theirs.annotations.importJsonLd(caseOf(chair), roundTrip)).toEqual({ added: transferable.length, updated: 0, unchanged: 0, othersPrivate: privateOfOthers, kept: 0 });
    const back = theirs.annotations.exportJsonLd(caseOf(chair)) as typeof exported;
    expect(back.total).toBe(transferable.length);
    expect(back.first.items).toEqual(transferable);
    expect(JSON.stringify(back.first.items)).toBe(JSON.stringify(transferable));
    // Again: nothing to do.
    expect(theirs.annotations.importJsonLd(caseOf(chair), roundTrip)).toEqual({ added: 0, updated: 0, unchanged: transferable.length, othersPrivate: privateOfOthers, kept: 0 });
    // Unsigned, so marked as such, and never treated as the chair's own.
    expect(theirs.annotations.list(caseOf(chair)).every((a) => a.provenance === 'jsonld' && !a.mine)).toBe(true);
  });

  it('refuses a file for another case, by a stranger, with forged advice, or malformed, importing nothing', async () => {
    const { annotations } = servicesOf(chair);
    const caseId = caseOf(chair);
    const good = servicesOf(panellist).annotations.exportJsonLd(caseOf(panellist)) as Record<string, any>;
    const variant = (edit: (copy: Record<string, any>) => void) => {
      const copy = JSON.parse(JSON.stringify(good));
      edit(copy);
      return copy;
    };
    const before = tableCounts(chair);
    expectCode(() => annotations.importJsonLd(caseId, variant((c) => (c['hd:bundleId'] = '00000000-0000-4000-8000-000000000000'))), 'jsonld-wrong-case');
    expectCode(() => annotations.importJsonLd(caseId, variant((c) => (c.first.items[0].creator.id = `urn:x-hearing-desk:signing-key:${'A'.repeat(43)}=`))), 'jsonld-unknown-author');
    expectCode(
      () => annotations.importJsonLd(caseId, variant((c) => (c.first.items.find((i: any) => i['hd:visibility'] !== 'legal-advice')['hd:visibility'] = 'legal-advice'))),
      'jsonld-advice-not-lawyer',
    );
    expectCode(() => annotations.importJsonLd(caseId, variant((c) => (c.total = 99))), 'jsonld-malformed');
    expectCode(() => annotations.importJsonLd(caseId, variant((c) => (c.first.items[0].target.selector = { type: 'XPathSelector', value: '/' }))), 'jsonld-malformed');
    expectCode(() => annotations.importJsonLd(caseId, variant((c) => (c.first.items[0].target['hd:documentId'] = 'doc-missing'))), 'jsonld-malformed');
    expectCode(() => annotations.importJsonLd(caseId, 'not json at all'), 'jsonld-malformed');
    expectCode(() => annotations.importJsonLd(caseId, null), 'jsonld-malformed');
    expect(tableCounts(chair)).toEqual(before);
  });
});

describe('retention', () => {
  it('keeps private notes under a legal hold, and otherwise destroys them (and their private history) with an audit entry', async () => {
    const { annotations } = servicesOf(panellist);
    const caseId = caseOf(panellist);
    const secret = annotations.create(caseId, { content: { kind: 'page-note', documentId: 'doc-statement', page: 3, note: 'My private view: credible.', tags: [], allegations: [] } });
    // Written privately first, then shared: its private first version is a private note too.
    const wasPrivate = annotations.create(caseId, { content: { kind: 'page-note', documentId: 'doc-statement', page: 2, note: 'Draft thought.', tags: [], allegations: [] } });
    annotations.update(wasPrivate.id, { content: { ...(wasPrivate.content as AnnotationContent), note: 'Agreed point for the panel.' }, visibility: 'panel' });

    annotations.setLegalHold(caseId, 'Appeal lodged; keep all notes.');
    expect(annotations.destroyPrivateNotes(caseId, 'outcome-final')).toMatchObject({ destroyed: 0, legalHold: { reason: 'Appeal lodged; keep all notes.' } });
    expect(annotations.get(secret.id).deleted).toBe(false);

    annotations.clearLegalHold(caseId);
    const privateBefore = annotations.list(caseId, { visibility: 'private', includeDeleted: true }).length;
    expect(privateBefore).toBeGreaterThan(0);
    expect(annotations.destroyPrivateNotes(caseId, 'outcome-final')).toEqual({ destroyed: privateBefore, legalHold: null });
    expect(annotations.list(caseId, { visibility: 'private', includeDeleted: true })).toEqual([]);
    expectCode(() => annotations.get(secret.id), 'annotation-not-found');
    expect(annotations.history(wasPrivate.id).map((h) => h.visibility)).toEqual(['panel']);
    const db = panellist.session.requireVault().db;
    expect(db.prepare("SELECT count(*) AS n FROM annotation_versions WHERE visibility = 'private'").get()).toEqual({ n: 0 });
    const entry = new AuditTrail(panellist.session).entries({ caseId, limit: 1 })[0]!;
    expect(entry).toMatchObject({ action: 'notes-destroyed', details: { annotations: privateBefore, reason: 'outcome-final' } });
  });

  it('a wipe removes every annotation of the case, unless a legal hold keeps them', async () => {
    const other = await sealAndImport(clerk, [chair, panellist, lawyer], 'NEC-2026-0099');
    const { annotations, cases } = servicesOf(chair);
    const caseId = other.caseIds.get(chair)!;
    annotations.create(caseId, { content: { kind: 'page-note', documentId: 'doc-statement', page: 1, note: 'Held note.', tags: [], allegations: [] } });
    annotations.setLegalHold(caseId, 'Litigation hold.');
    const db = chair.session.requireVault().db;
    const count = () => (db.prepare('SELECT count(*) AS n FROM annotations WHERE bundle_id = ?').get(other.bundleId) as { n: number }).n;
    cases.wipe(caseId, 'user');
    expect(count()).toBe(1);

    const third = await sealAndImport(clerk, [chair, panellist, lawyer], 'NEC-2026-0100');
    const thirdCase = third.caseIds.get(chair)!;
    annotations.create(thirdCase, { content: { kind: 'page-note', documentId: 'doc-statement', page: 1, note: 'Not held.', tags: [], allegations: [] } });
    servicesOf(chair).cases.wipe(thirdCase, 'user');
    expect((db.prepare('SELECT count(*) AS n FROM annotations WHERE bundle_id = ?').get(third.bundleId) as { n: number }).n).toBe(0);
  });
});
