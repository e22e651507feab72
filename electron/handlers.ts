// Binds each contract call to the service that answers it. Adding a call = the contract entry, one line
// here, and the UI. Inputs arrive already validated by the dispatcher (electron/ipc.ts).
import { AppError } from '../shared/errors';
import type { Handlers } from './ipc';
import { createCaseHandlers, createCaseServices, type CaseServices, type EmitEvent } from './bundle-handlers';
import { createDecisionHandlers } from './decision-handlers';
import { createPublishedHandlers } from './published-handlers';
import { createReaderHandlers } from './reader-handlers';
import { createRecordHandlers } from './record-handlers';
import type { FilePicker, KeychainPort } from './services/ports';
import type { Session } from './services/session';

const NO_KEYCHAIN = { available: false, enabled: false, reason: 'The OS keychain is only available in the desktop app.' };

export interface HandlerPorts {
  picker?: FilePicker;
  emit?: EmitEvent;
  /** Built once per session by the caller when it needs them too (the e2e harness, the CLI); otherwise here. */
  services?: CaseServices;
}

export function createHandlers(session: Session, keychain: KeychainPort | null = null, ports: HandlerPorts = {}): Handlers {
  const services = ports.services ?? createCaseServices(session);
  return {
    ...createCaseHandlers(session, services, ports.picker, ports.emit),
    ...createDecisionHandlers(session, ports.picker),
    ...createPublishedHandlers(session, ports.picker),
    ...createReaderHandlers(session, services, ports.picker),
    ...createRecordHandlers(session, services, ports.picker),
    'session.status': () => session.status(),
    'session.touch': () => {
      session.touch();
      return { ok: true as const };
    },
    'profile.create': (input) => session.createProfile(input),
    'vault.unlock': ({ passphrase }) => session.unlock(passphrase),
    'vault.lock': () => session.lock('user'),
    'vault.changePassphrase': async ({ current, next }) => {
      await session.changePassphrase(current, next);
      return { ok: true as const };
    },
    'keychain.status': () => keychain?.status() ?? NO_KEYCHAIN,
    'keychain.enable': async ({ passphrase }) => {
      if (!keychain?.status().available) throw new AppError('keychain-unavailable', keychain?.status().reason ?? NO_KEYCHAIN.reason);
      // Prove the passphrase opens this vault before remembering it: a wrong one would lock the user out later.
      await session.verifyPassphrase(passphrase);
      keychain.store(passphrase);
      return keychain.status();
    },
    'keychain.disable': () => {
      keychain?.clear();
      return keychain?.status() ?? NO_KEYCHAIN;
    },
    'keychain.unlock': async () => {
      const passphrase = keychain?.retrieve();
      if (!passphrase) throw new AppError('keychain-unavailable', 'No passphrase is remembered in the OS keychain. Type your passphrase.');
      try {
        return await session.unlock(passphrase);
      } catch (error) {
        // A remembered passphrase that no longer works (changed elsewhere) is forgotten, not retried.
        if (error instanceof AppError && error.code === 'wrong-passphrase') keychain?.clear();
        throw error;
      }
    },
    'settings.get': () => session.getSettings(),
    'settings.update': (change) => session.updateSettings(change),
    'identity.myCard': () => session.myCard(),
    'identity.exportCard': () => session.exportCard(),
    'contacts.list': () => session.listContacts(),
    'contacts.previewCard': ({ text }) => session.previewCard(text),
    'contacts.importCard': ({ text, verified }) => session.importCard(text, verified),
    'contacts.setVerified': ({ id, verified }) => session.setVerified(id, verified),
    'contacts.remove': ({ id }) => {
      session.removeContact(id);
      return { ok: true as const };
    },
  };
}

/** Calls that do not count as user activity for the idle lock (the renderer polls or reports these itself). */
export const PASSIVE_CALLS = new Set(['session.status']);
