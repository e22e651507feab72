// The user's own identity for commands that act as them (export their identity or card; later seal and open
// bundles): the profile's vault, unlocked with the passphrase from HEARING_DESK_PASSPHRASE or the terminal,
// through the same Session the app uses. The CLI only reads from the vault.
import type { ParticipantRole } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { identityToRecipient } from '../services/crypto/age';
import type { Session } from '../services/session';
import { defaultUserDataDirectory, profileDirectory } from '../services/paths';
import type { FlagSpec } from './args';
import type { CliIo, CommandContext } from './framework';
import { PASSPHRASE_ENV, readSecret } from './secrets';

/** Add to any command that acts as the user. */
export const PROFILE_FLAG: FlagSpec = {
  name: 'profile',
  takesValue: true,
  valueName: 'DIR',
  description: "profile directory (default: $HEARING_DESK_PROFILE, else the app's own profile)",
};

/** Where the profile is: --profile DIR, else HEARING_DESK_PROFILE, else where the app keeps it. */
export function profileDirectoryOf(context: CommandContext): string {
  return context.value(PROFILE_FLAG.name) ?? (context.io.env.HEARING_DESK_PROFILE || profileDirectory(defaultUserDataDirectory(process.platform, context.io.env)));
}

export interface ProfileIdentity {
  name: string;
  role: ParticipantRole;
  /** "AGE-SECRET-KEY-1…": opens what is sealed to this user. */
  ageIdentity: string;
  /** "age1…": what others seal to. */
  ageRecipient: string;
  /** 32-byte Ed25519 seed: signs what this user authors. Zeroed when the callback returns. */
  signingSeed: Buffer;
  signingPublic: Buffer;
}

export interface UnlockedProfile {
  directory: string;
  /** The unlocked session (contacts, cards…). Locked again when the callback returns. */
  session: Session;
  identity: ProfileIdentity;
}

interface IdentityRow {
  name: string;
  role: ParticipantRole;
  age_identity: string;
  age_recipient: string;
  signing_seed: Buffer;
  signing_public: Buffer;
}

/** Session has no accessor for the secret keys (the app never hands them out), so they are read from the vault here. */
async function readIdentity(session: Session): Promise<ProfileIdentity> {
  const row = session
    .requireVault()
    .db.prepare(
      'SELECT p.name, p.role, k.age_identity, k.age_recipient, k.signing_seed, k.signing_public FROM profile p JOIN identity_keys k ON k.profile_id = p.id',
    )
    .get() as IdentityRow | undefined;
  if (!row) throw new AppError('vault-corrupt', 'The vault has no identity record.');
  let derived: string;
  try {
    derived = identityToRecipient(row.age_identity);
  } catch {
    derived = '';
  }
  if (derived !== row.age_recipient) {
    row.signing_seed.fill(0);
    throw new AppError('vault-corrupt', "The vault's identity record is inconsistent (its secret and public age keys do not match).");
  }
  return {
    name: row.name,
    role: row.role,
    ageIdentity: row.age_identity,
    ageRecipient: row.age_recipient,
    signingSeed: row.signing_seed,
    signingPublic: row.signing_public,
  };
}

/**
 * Unlocks the profile in `directory`, runs `use`, then zeroes the signing seed and locks the vault, whatever happens.
 * The passphrase comes from HEARING_DESK_PASSPHRASE or a prompt on the terminal.
 */
export async function withUnlockedProfile<T>(io: CliIo, directory: string, use: (profile: UnlockedProfile) => Promise<T>): Promise<T> {
  // Loaded only here, so commands that need no profile never load the SQLCipher addon.
  const { Session } = await import('../services/session');
  const session = new Session({
    profileDirectory: directory,
    dialogs: {
      saveFile: async () => {
        throw new AppError('not-available', 'Save dialogs are not available on the command line.');
      },
    },
  });
  if (session.status().state === 'no-profile') {
    throw new AppError('no-profile', `There is no Hearing Desk profile in ${directory}. Create one in the app, or give its directory with --profile.`);
  }
  const passphrase = await readSecret('Hearing Desk profile passphrase: ', PASSPHRASE_ENV, io.env);
  await session.unlock(passphrase);
  let identity: ProfileIdentity | null = null;
  try {
    identity = await readIdentity(session);
    return await use({ directory, session, identity });
  } finally {
    identity?.signingSeed.fill(0);
    session.lock();
  }
}
