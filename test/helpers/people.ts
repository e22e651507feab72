// Real people for integration tests: each a real Session (real SQLCipher vault, real keys) in its own temp
// directory, with each other's cards imported and verified as they would after comparing fingerprints aloud.
import { join } from 'node:path';
import type { ParticipantRole } from '../../shared/domain/profile';
import { serializeCard } from '../../electron/services/identities';
import { Session } from '../../electron/services/session';
import { tempDir, TEST_SCRYPT } from './temp';

export const TEST_PASSPHRASE = 'orchard lantern copper meadow';

export interface Person {
  session: Session;
  name: string;
  role: ParticipantRole;
  directory: string;
  cleanup(): void;
}

export async function createPerson(name: string, role: ParticipantRole, options: { now?: () => Date } = {}): Promise<Person> {
  const dir = tempDir(`hd-person-${role}-`);
  const session = new Session({
    profileDirectory: join(dir.path, 'profile'),
    scrypt: TEST_SCRYPT,
    dialogs: { saveFile: async () => null },
    ...(options.now ? { now: options.now } : {}),
  });
  await session.createProfile({ name, role, passphrase: TEST_PASSPHRASE });
  return {
    session,
    name,
    role,
    directory: dir.path,
    cleanup() {
      session.lock('user');
      dir.cleanup();
    },
  };
}

/** Everyone imports everyone else's card, verified. */
export function introduce(people: readonly Person[]): void {
  for (const reader of people) {
    for (const other of people) {
      if (other === reader) continue;
      reader.session.importCard(serializeCard(other.session.myCard().card), true);
    }
  }
}

export function contactIdOf(reader: Person, other: Person): string {
  const fingerprint = other.session.myCard().fingerprint;
  const contact = reader.session.listContacts().find((c) => c.fingerprint === fingerprint);
  if (!contact) throw new Error(`${other.name} is not in ${reader.name}'s address book`);
  return contact.id;
}
