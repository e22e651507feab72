// The clerk's case builder service: evidence kept in the vault, problems reported in plain words before sealing,
// and a document that cannot be bundled (a hostile or broken file) stops the seal with its name, writing nothing.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseDrafts } from '../../electron/services/bundles/case-drafts';
import { createPracticeDraft } from '../../electron/services/demo-hearing';
import { writeEvidence, type EvidenceFiles } from '../fixtures/evidence/make-evidence';
import { contactIdOf, createPerson, introduce, type Person } from '../helpers/people';
import { filesContaining, tempDir } from '../helpers/temp';

let clerk: Person;
let chair: Person;
let work: ReturnType<typeof tempDir>;
let files: EvidenceFiles;
let drafts: CaseDrafts;
const MARKER = 'QUOKKA-DRAFT-MARKER-5521';

beforeAll(async () => {
  [clerk, chair] = await Promise.all([createPerson('Morgan Ellery', 'clerk'), createPerson('Avery Lindqvist', 'chair')]);
  introduce([clerk, chair]);
  work = tempDir('hd-drafts-');
  files = await writeEvidence(work.path, MARKER);
  drafts = new CaseDrafts(clerk.session, () => new Date('2026-11-23T10:00:00Z'));
});
afterAll(() => {
  clerk?.cleanup();
  chair?.cleanup();
  work?.cleanup();
});

function completeFields(draftId: string) {
  const draft = drafts.get(draftId);
  return {
    ...draft.fields,
    reference: 'NEC-2026-0200',
    title: 'Conduct at a branch meeting',
    hearingDate: '2026-12-15',
    complaintReceived: '2026-09-01',
    allegations: [{ text: 'A discriminatory remark.', ruleReference: 'Rule 2.I.8', conductCategoryId: 'other-discriminatory-conduct' }],
    participants: [{ contactId: contactIdOf(clerk, chair), role: 'chair' as const }],
  };
}

describe('case drafts', () => {
  it('lists every gap in plain words, then seals once they are filled', async () => {
    const draft = drafts.create();
    expect(drafts.problems(draft.id)).toEqual(
      expect.arrayContaining(['Give the case a title.', 'Add at least one evidence document.', 'Name the chair of the panel.', 'A case needs at least one allegation.']),
    );
    drafts.update(draft.id, completeFields(draft.id));
    await drafts.addDocument(draft.id, files.txt, 'A');
    await drafts.addDocument(draft.id, files.pdf, 'B');
    expect(drafts.problems(draft.id)).toEqual([]);
    // The evidence now lives in the encrypted vault only.
    expect(filesContaining(join(clerk.directory, 'profile'), MARKER)).toEqual([]);
    const result = await drafts.seal(draft.id, join(work.path, 'sealed.hdbundle'));
    expect(result.files).toHaveLength(1);
    expect(result.pageCount).toBeGreaterThanOrEqual(5); // index + 1 text page + 3 PDF pages
    expect(drafts.get(draft.id).sealedRevisions).toBe(1);
  });

  it('refuses evidence it cannot bundle when it is added, naming the file', async () => {
    const draft = drafts.create();
    writeFileSync(join(work.path, 'notes.docx'), 'not supported');
    writeFileSync(join(work.path, 'empty.pdf'), '');
    await expect(drafts.addDocument(draft.id, join(work.path, 'notes.docx'), 'A')).rejects.toMatchObject({ code: 'file-unreadable', message: expect.stringContaining('notes.docx') });
    await expect(drafts.addDocument(draft.id, join(work.path, 'empty.pdf'), 'A')).rejects.toMatchObject({ message: expect.stringContaining('empty') });
    await expect(drafts.addDocument(draft.id, join(work.path, 'missing.pdf'), 'A')).rejects.toMatchObject({ code: 'file-unreadable' });
    await expect(drafts.addDocument(draft.id, files.pdf, 'Q')).rejects.toMatchObject({ code: 'draft-incomplete' });
    expect(drafts.get(draft.id).documents).toEqual([]);
  });

  it('a broken PDF stops the seal with the document named, and no file is written', async () => {
    const draft = drafts.create();
    drafts.update(draft.id, completeFields(draft.id));
    writeFileSync(join(work.path, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF');
    await drafts.addDocument(draft.id, files.txt, 'A');
    await drafts.addDocument(draft.id, join(work.path, 'broken.pdf'), 'B');
    const before = readdirSync(work.path).sort();
    await expect(drafts.seal(draft.id, join(work.path, 'never.hdbundle'))).rejects.toMatchObject({ message: expect.stringContaining('Broken') });
    expect(existsSync(join(work.path, 'never.hdbundle'))).toBe(false);
    expect(readdirSync(work.path).sort()).toEqual(before);
    expect(drafts.get(draft.id).sealedRevisions).toBe(0);
  });

  it('orders, retitles, restricts and removes documents; a section still holding documents cannot be dropped', async () => {
    const draft = drafts.create();
    await drafts.addDocument(draft.id, files.txt, 'B');
    await drafts.addDocument(draft.id, files.png, 'B');
    const [first, second] = drafts.get(draft.id).documents;
    drafts.moveDocument(draft.id, second!.id, -1);
    expect(drafts.get(draft.id).documents.map((d) => d.id)).toEqual([second!.id, first!.id]);
    drafts.updateDocument(draft.id, first!.id, { title: 'Statement of W1', restrictedFrom: ['external-lawyer'] });
    expect(drafts.get(draft.id).documents.find((d) => d.id === first!.id)).toMatchObject({ title: 'Statement of W1', restrictedFrom: ['external-lawyer'] });
    const fields = drafts.get(draft.id).fields;
    expect(() => drafts.update(draft.id, { ...fields, sections: fields.sections.filter((s) => s.letter !== 'B') })).toThrow(/Section B still holds/);
    drafts.removeDocument(draft.id, first!.id);
    expect(drafts.get(draft.id).documents).toHaveLength(1);
  });
});

describe('late additions', () => {
  it('a second seal appends a supplementary section: earlier pages keep their numbers and bytes', async () => {
    const draft = drafts.create();
    drafts.update(draft.id, completeFields(draft.id));
    await drafts.addDocument(draft.id, files.txt, 'A');
    await drafts.addDocument(draft.id, files.pdf, 'B');
    const first = await drafts.seal(draft.id, join(work.path, 'rev1.hdbundle'));
    const sealedIds = drafts.get(draft.id).sealedDocumentIds;
    expect(sealedIds).toHaveLength(2);
    // Sealed pages never move or disappear.
    await expect(Promise.resolve().then(() => drafts.removeDocument(draft.id, sealedIds[0]!))).rejects.toMatchObject({ code: 'document-sealed' });
    await drafts.addDocument(draft.id, files.eml, 'B');
    const second = await drafts.seal(draft.id, join(work.path, 'rev2.hdbundle'));
    expect(second.revision).toBe(2);
    expect(second.pageCount).toBeGreaterThan(first.pageCount);

    // The chair imports revision 1, then revision 2 replaces it: same pages, plus the supplement.
    const { ReceivedCases } = await import('../../electron/services/bundles/received-cases');
    const cases = new ReceivedCases(chair.session, () => new Date('2026-11-23T10:00:00Z'));
    const id1 = await cases.import(join(work.path, 'rev1.hdbundle'), { trustSealer: false });
    const rev1 = cases.get(id1).manifest;
    const id2 = await cases.import(join(work.path, 'rev2.hdbundle'), { trustSealer: false });
    const rev2 = cases.get(id2).manifest;
    expect(id2).toBe(id1); // the same case, so its annotations and decision carry on
    expect(cases.list().map((c) => c.id)).toEqual([id1]);
    for (const doc of rev1.documents) {
      expect(rev2.documents.find((d) => d.id === doc.id)).toMatchObject({ firstPage: doc.firstPage, firstLabel: doc.firstLabel, sha256: doc.sha256 });
    }
    const supplement = rev2.sections.find((s) => s.supplementary)!;
    expect(supplement.title).toContain('Supplementary');
    const added = rev2.documents.find((d) => !rev1.documents.some((old) => old.id === d.id))!;
    expect(added.section).toBe(supplement.letter);
    expect(added.firstPage).toBeGreaterThan(rev1.pageCount);
    expect(added.firstLabel).toBe(`${supplement.letter}${added.firstPage}`);
  });
});

describe('a practice case from the demo hearing', () => {
  it('holds the demo hearing’s details, allegations and evidence; once the panel is named it seals', async () => {
    const id = await createPracticeDraft(drafts, new Date('2026-11-23T10:00:00Z'));
    const draft = drafts.get(id);
    expect(draft.fields.reference).toMatch(/^PRACTICE-20261123-[0-9A-F]{4}$/);
    expect(draft.fields).toMatchObject({ decidingBody: 'nec-panel', complaintType: 'social-media', hearingDate: '2026-12-07', complaintReceived: '2026-09-24', participants: [] });
    expect(draft.fields.allegations.map((a) => a.conductCategoryId)).toEqual(['sharing-antisemitic-content', 'antisemitic-conduct']);
    expect(draft.documents.map((d) => [d.section, d.kind, d.title])).toEqual([
      ['A', 'text', 'Complaint from C1'],
      ['B', 'image', 'Screenshot of the shared post'],
      ['B', 'eml', 'E-mail from C1 to the branch secretary'],
      ['C', 'text', 'Written response of R1'],
      ['D', 'pdf', 'Notice of hearing'],
    ]);
    expect(draft.documents[1]!.capture).toMatchObject({ capturedBy: 'Complainant C1' });
    expect(drafts.problems(id)).toEqual(['Name the chair of the panel.', 'Name the panel members.']);

    drafts.update(id, { ...draft.fields, participants: [{ contactId: contactIdOf(clerk, chair), role: 'chair' }] });
    const result = await drafts.seal(id, join(work.path, 'practice.hdbundle'));
    expect(result.files).toHaveLength(1);
    expect(result.files[0]!.recipients).toContain('Avery Lindqvist');
    expect(result.files[0]!.documentCount).toBe(5);
  });

  it('refuses generated evidence of an unknown kind, or empty, and keeps the draft as it was', async () => {
    const id = await createPracticeDraft(drafts);
    const before = drafts.get(id).documents.length;
    expect(() => drafts.addGeneratedDocument(id, { sourceName: 'notes.docx', bytes: Buffer.from('x'), section: 'D', title: 'Notes', date: null })).toThrow(/not a kind of evidence/);
    expect(() => drafts.addGeneratedDocument(id, { sourceName: 'notes.txt', bytes: new Uint8Array(0), section: 'D', title: 'Notes', date: null })).toThrow(/is empty/);
    expect(() => drafts.addGeneratedDocument(id, { sourceName: 'notes.txt', bytes: Buffer.from('x'), section: 'Q', title: 'Notes', date: null })).toThrow(/There is no section Q/);
    expect(drafts.get(id).documents).toHaveLength(before);
  });
});
