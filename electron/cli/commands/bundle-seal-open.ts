// `hearing-desk bundle seal` and `bundle open`: the clerk's and the recipient's sides on the command line, over the
// very services the app uses (CaseDrafts, ReceivedCases), so a script and the app can never disagree.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { CaptureMetadata, SectionLetter } from '../../../shared/domain/bundle';
import { DraftFields, CaseRole } from '../../../shared/domain/draft';
import { AppError } from '../../../shared/errors';
import { defineCommand } from '../framework';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile } from '../profile';

/** The case file a clerk writes for `bundle seal`: the draft's fields, with documents by path (relative to it). */
export const SealSpec = DraftFields.omit({ participants: true, sections: true, criteria: true })
  .partial()
  .extend({
    reference: z.string(),
    title: z.string(),
    participants: z.array(z.strictObject({ fingerprint: z.string(), role: CaseRole })).min(1),
    sections: z
      .array(
        z.strictObject({
          letter: SectionLetter,
          title: z.string().min(1),
          documents: z.array(
            z.strictObject({
              path: z.string().min(1),
              title: z.string().min(1).optional(),
              date: z.iso.date().optional(),
              capture: CaptureMetadata.optional(),
              closedTo: z.array(CaseRole).optional(),
            }),
          ),
        }),
      )
      .min(1),
  })
  .strict();
export type SealSpec = z.infer<typeof SealSpec>;

async function readSpec(path: string): Promise<SealSpec> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new AppError('input-unreadable', `Cannot read the case file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = SealSpec.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('invalid-input', `The case file ${path} is not valid at ${issue.path.join('.') || 'the top level'}: ${issue.message}`);
  }
  return parsed.data;
}

export const bundleSeal = defineCommand({
  words: ['bundle', 'seal'],
  summary: 'Build and seal a hearing bundle from a case file, for the participants it names',
  usage: '--profile DIR -o OUTPUT CASE.json',
  flags: [PROFILE_FLAG, { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'where to write the sealed bundle (.hdbundle)' }],
  positionals: { min: 1, max: 1, name: 'CASE.json' },
  details: `CASE.json holds the case (reference, title, decidingBody, dates, allegations, pseudonyms…), the participants
by fingerprint (each must be in the clerk's address book) with their role, and the sections with their documents by
path, relative to CASE.json. A document may be closed to roles ("closedTo"): it is then absent from their copy, and
further copies are written beside OUTPUT. The passphrase comes from HEARING_DESK_PASSPHRASE or a prompt.`,
  async run(context) {
    const output = context.value('output') ?? context.usageError('Say where to write the bundle with -o OUTPUT.');
    const specPath = resolve(context.positionals[0]!);
    const spec = await readSpec(specPath);
    await withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ session }) => {
      const { CaseDrafts } = await import('../../services/bundles/case-drafts');
      const drafts = new CaseDrafts(session);
      const contacts = session.listContacts();
      const participants = spec.participants.map((p) => {
        const contact = contacts.find((c) => c.fingerprint === p.fingerprint.toUpperCase());
        if (!contact) throw new AppError('contact-not-found', `No one with fingerprint ${p.fingerprint} is in your address book. Import their card first.`);
        return { contactId: contact.id, role: p.role };
      });
      const { sections, participants: _participants, ...fields } = spec;
      const draft = drafts.create({ ...fields, participants, sections: sections.map((s) => ({ letter: s.letter, title: s.title })) });
      try {
        for (const section of sections) {
          for (const doc of section.documents) {
            const before = new Set(drafts.get(draft.id).documents.map((d) => d.id));
            const added = (await drafts.addDocument(draft.id, resolve(dirname(specPath), doc.path), section.letter)).documents.find((d) => !before.has(d.id))!;
            drafts.updateDocument(draft.id, added.id, {
              ...(doc.title ? { title: doc.title } : {}),
              ...(doc.date ? { date: doc.date } : {}),
              ...(doc.capture ? { capture: doc.capture } : {}),
              ...(doc.closedTo ? { restrictedFrom: doc.closedTo } : {}),
            });
          }
        }
        const problems = drafts.problems(draft.id);
        if (problems.length > 0) throw new AppError('draft-incomplete', `The case cannot be sealed yet:\n  - ${problems.join('\n  - ')}`);
        let lastPhase = '';
        const result = await drafts.seal(draft.id, resolve(output), {
          onProgress: (p) => {
            if (p.phase !== lastPhase) context.note(`${p.phase}…`);
            lastPhase = p.phase;
          },
        });
        for (const file of result.files) {
          context.io.stdout.write(`${file.path}\n  ${file.documentCount} document(s), ${result.pageCount} pages, for: ${file.recipients.join(', ')}\n`);
        }
      } catch (error) {
        drafts.remove(draft.id);
        throw error;
      }
    });
  },
});

export const bundleOpen = defineCommand({
  words: ['bundle', 'open'],
  summary: 'Check a sealed bundle and import it into your vault (or only show what it holds)',
  usage: '--profile DIR [--dry-run] [--trust-sealer] FILE',
  flags: [
    PROFILE_FLAG,
    { name: 'dry-run', takesValue: false, description: 'only show who sealed it and what it holds; import nothing' },
    { name: 'trust-sealer', takesValue: false, description: 'import even though the sealer is not in your address book (compare the fingerprint first)' },
  ],
  positionals: { min: 1, max: 1, name: 'FILE' },
  details: `Decrypts with your identity, checks the clerk's signature on the table of contents, every document's hash
and the envelope's signature, and imports the case into your vault, all or nothing.`,
  async run(context) {
    const file = resolve(context.positionals[0]!);
    await withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ session }) => {
      const { ReceivedCases, recoverInterruptedImports } = await import('../../services/bundles/received-cases');
      recoverInterruptedImports(session.requireVault().db);
      const cases = new ReceivedCases(session);
      const preview = await cases.preview(file);
      const m = preview.manifest;
      const trust = preview.sealer.verified ? 'verified contact' : preview.sealer.known ? 'in your address book, not verified' : 'NOT in your address book';
      context.io.stdout.write(
        [
          `Case:      ${m.case.reference}: ${m.title} (revision ${m.revision})`,
          `Sealed by: ${preview.sealer.name} [${preview.sealer.fingerprint}] (${trust}) on ${m.sealedAt}`,
          `Expires:   ${m.expiresOn}${preview.expired ? ' (EXPIRED)' : ''}`,
          `For:       ${m.recipients.map((r) => `${r.name} (${r.role})`).join(', ')}`,
          `Documents: ${m.documents.length}, ${m.pageCount} pages`,
          ...m.documents.map((d) => `  ${`${d.firstLabel}–${d.lastLabel}`.padEnd(10)} ${d.title}`),
          '',
        ].join('\n'),
      );
      if (context.has('dry-run')) return;
      const caseId = await cases.import(file, { trustSealer: context.has('trust-sealer') });
      context.io.stdout.write(`Imported into your vault as case ${caseId}.\n`);
    });
  },
});
