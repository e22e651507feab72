// Child for crash-import.test.ts: unlocks a profile and imports a bundle, printing "ready <documentId>" as each
// document is verified and stored, so the parent can kill it (SIGKILL) at any point of the import.
import { ReceivedCases } from '../../../electron/services/bundles/received-cases';
import { Session } from '../../../electron/services/session';

const [profileDirectory, bundlePath] = process.argv.slice(2);
const session = new Session({ profileDirectory: profileDirectory!, dialogs: { saveFile: async () => null } });
await session.unlock(process.env.HD_TEST_PASSPHRASE ?? '');
const cases = new ReceivedCases(session);
process.stdout.write('started\n');
try {
  await cases.import(bundlePath!, { trustSealer: false, onDocumentReady: (_case, document) => process.stdout.write(`ready ${document.id}\n`) });
  process.stdout.write('imported\n');
} catch (error) {
  process.stdout.write(`failed ${(error as { code?: string }).code}\n`);
}
session.lock('user');
