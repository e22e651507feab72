// Child for crash-export.test.ts: unlocks the chair's profile, builds the decision letter through the app's handler
// table (createHandlers, the dispatcher validating every call), prints "started", then calls 'records.exportPackage'
// with a save dialog that answers the target path, and prints "exported <path>" only after the call has returned,
// then "took <ms>" (how long the call took, which the parent spreads its kills over).
//   export-child.ts <profileDirectory> <caseId> <officeContactId> <targetPath>
import { createHandlers } from '../../../electron/handlers';
import { createDispatcher } from '../../../electron/ipc';
import { Session } from '../../../electron/services/session';

const [profileDirectory, caseId, officeContactId, targetPath] = process.argv.slice(2);
const say = (line: string) => process.stdout.write(`${line}\n`); // synchronous for pipes on Linux: said means sent
const session = new Session({ profileDirectory: profileDirectory!, dialogs: { saveFile: async () => null } });
await session.unlock(process.env.HD_TEST_PASSPHRASE ?? '');
const picker = { chooseOpenPaths: async () => [], chooseSavePath: async () => targetPath! };
const dispatch = createDispatcher(createHandlers(session, null, { picker }), { logError: (name, error) => process.stderr.write(`${name}: ${String(error)}\n`) });

const letter = await dispatch('records.buildLetter', { caseId });
if (!letter.ok) {
  say(`failed ${letter.error.code} ${letter.error.message}`);
} else {
  say('started');
  const startedAt = performance.now();
  const exported = await dispatch('records.exportPackage', { caseId, officeContactId });
  const took = performance.now() - startedAt;
  say(exported.ok ? `exported ${(exported.value as { savedTo: string | null }).savedTo}` : `failed ${exported.error.code} ${exported.error.message}`);
  say(`took ${Math.ceil(took)}`);
}
session.lock('user');
