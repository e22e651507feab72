// `hearing-desk profile …`: the user's own profile. `export-identity` hands an auditor the user's age secret key
// in age-keygen's format, so the reference `age -d -i` can open what was sealed to them.
import { defineCommand } from '../framework';
import { isStandardStream, writeNewPrivateFile, writeText } from '../io';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile } from '../profile';

export const SECRET_FILE_WARNING =
  'warning: this is your secret key: anyone who has it can open everything sealed to you. Keep it private and delete it when it is no longer needed.';

export const profileExportIdentity = defineCommand({
  words: ['profile', 'export-identity'],
  summary: 'Write your age secret key (AGE-SECRET-KEY-1…) for use with the reference age tool',
  usage: '[--profile DIR] [-o OUTPUT]',
  flags: [PROFILE_FLAG, { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this new file, mode 0600 (never overwritten)' }],
  positionals: { min: 0, max: 0, name: 'argument' },
  details: `The file has age-keygen's format and works with: age -d -i FILE. The profile's passphrase comes from
HEARING_DESK_PASSPHRASE or is asked for. This exports a secret: prefer -o to a private location over printing it.`,
  async run(context) {
    const text = await withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ identity }) =>
      [
        `# Hearing Desk identity of ${identity.name}, exported ${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
        `# public key: ${identity.ageRecipient}`,
        identity.ageIdentity,
        '',
      ].join('\n'),
    );
    const output = context.value('output');
    context.note(SECRET_FILE_WARNING);
    if (isStandardStream(output)) await writeText(context.io, undefined, text, 0o600);
    else await writeNewPrivateFile(output, text);
  },
});

export const profileCommands = [profileExportIdentity];
