// Child for the crash tests beyond import (crash-annotations, crash-decisions, crash-seal): unlocks a profile and
// does one kind of work in a loop, printing a line only after each call has returned, so the parent knows exactly
// what the app would have reported saved when it kills this process (SIGKILL) at a random moment.
//   annotations <caseId> <documentId>: autosave bursts: creates annotations and updates them, "saved <id> <version>"
//   decisions <caseId>:                 decision edits: Decisions.save, "saved <revision>"
//   seal <targetDirectory>:             a sealed bundle streamed by writeStreamAtomic, then copied by writeFileAtomic
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations } from '../../../electron/services/annotations/annotations';
import { writeFileAtomic } from '../../../electron/services/atomic-file';
import { syntheticBundle } from '../../helpers/synthetic-bundle';
import { writeStreamAtomic } from '../../../electron/services/bundles/case-drafts';
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { Decisions } from '../../../electron/services/decisions';
import { Session } from '../../../electron/services/session';
import type { AnnotationContent } from '../../../shared/domain/annotation';

const [mode, profileDirectory, ...args] = process.argv.slice(2);
const session = new Session({ profileDirectory: profileDirectory!, dialogs: { saveFile: async () => null } });
await session.unlock(process.env.HD_TEST_PASSPHRASE ?? '');
const say = (line: string) => process.stdout.write(`${line}\n`); // synchronous for pipes on Linux: said means sent

/** The note an autosave writes for a given version; crash-annotations.test.ts checks the stored text against it. */
function burstNote(serial: number, version: number): string {
  return `Autosaved note ${serial} at version ${version}`;
}

if (mode === 'annotations') {
  const [caseId, documentId] = args;
  const annotations = new Annotations(session, new ReceivedCases(session));
  const note = (serial: number, version: number) =>
    ({ content: { kind: 'page-note', documentId: documentId!, page: 1, note: burstNote(serial, version), tags: [], allegations: [] } as unknown as AnnotationContent });
  say('started');
  const open: { id: string; version: number; serial: number }[] = [];
  for (let step = 0; step < 250; step++) {
    if (open.length < 3 || step % 7 === 0) {
      const serial = step;
      const created = annotations.create(caseId!, note(serial, 1));
      open.push({ id: created.id, version: created.version, serial });
      say(`saved ${created.id} ${created.version} ${serial}`);
    } else {
      const target = open[step % open.length]!;
      const updated = annotations.update(target.id, { ...note(target.serial, target.version + 1), expectedVersion: target.version });
      target.version = updated.version;
      say(`saved ${updated.id} ${updated.version} ${target.serial}`);
    }
  }
  say('done');
} else if (mode === 'decisions') {
  const [caseId] = args;
  const decisions = new Decisions(session);
  say('started');
  for (let edit = 0; edit < 200; edit++) {
    const view = decisions.open(caseId!);
    const saved = decisions.save(caseId!, { ...view.draft, publicationSummary: `Summary as of edit ${view.revision + 1}` }, view.revision);
    say(`saved ${saved.revision}`);
  }
  say('done');
} else if (mode === 'seal') {
  const [targetDirectory] = args;
  // Eight 1.5 MB documents: sealing takes long enough that kills land before, during and after the rename.
  const { copy } = await syntheticBundle({ sealer: session, reference: 'CRASH-0002', title: 'Crash-test sealed file', documents: 8 });
  // Hash what the writer is handed, and say so before the writer can fsync and rename: a file under the target
  // name must then have exactly these bytes.
  async function* hashed(stream: AsyncIterable<Uint8Array>) {
    const hash = createHash('sha256');
    for await (const part of stream) {
      hash.update(part);
      yield part;
    }
    say(`streamed ${hash.digest('hex')}`);
  }
  say('started');
  const sealedPath = join(targetDirectory!, 'sealed.hdbundle');
  await writeStreamAtomic(sealedPath, hashed(copy.stream()));
  say('sealed');
  writeFileAtomic(join(targetDirectory!, 'copied.hdbundle'), readFileSync(sealedPath), 0o600);
  say('copied');
}
session.lock('user');
