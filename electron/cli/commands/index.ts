// Every command of `hearing-desk`. To add one: define it with defineCommand (words, summary, usage, flags,
// positionals, run) in a file here and list it below; help, usage errors and exit codes come with it.
import packageJson from '../../../package.json';
import type { CommandRegistry } from '../framework';
import { ageCommands } from './age';
import { bundleCommands } from './bundle';
import { cardCommands } from './card';
import { profileCommands } from './profile';
import { recordsCommands } from './records';

export const registry: CommandRegistry = {
  description: 'Hearing Desk on the command line: sealed files, age encryption, participant cards',
  version: packageJson.version,
  groups: [
    { word: 'age', summary: 'age v1 encryption, interoperable with the reference age and age-keygen tools' },
    { word: 'bundle', summary: 'Sealed Hearing Desk files' },
    { word: 'card', summary: 'Participant cards: public keys people exchange and compare by fingerprint' },
    { word: 'profile', summary: 'Your own Hearing Desk profile' },
    { word: 'records', summary: 'Outcome records at the central office: verify, ingest, statistics, education courses, decision history' },
  ],
  commands: [...ageCommands, ...bundleCommands, ...cardCommands, ...profileCommands, ...recordsCommands],
};
