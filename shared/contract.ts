// The one contract between the renderer and the main process. Every call is declared here once:
// its name, the schema its input must satisfy, and the schema its result must satisfy. Main validates
// both directions (electron/ipc.ts); the preload exposes exactly these names; the renderer gets a typed client.
// Output schemas are strict objects, so a result carrying anything undeclared (a secret key, say) is refused.
import { z } from 'zod';
import {
  Contact,
  Fingerprint,
  ParticipantCard,
  ParticipantRole,
  Passphrase,
  PersonName,
  ProfileSummary,
  Settings,
} from './domain/profile';

const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });
const Empty = z.strictObject({});
const Ok = z.strictObject({ ok: z.literal(true) });

export const SessionState = z.strictObject({
  state: z.enum(['no-profile', 'locked', 'unlocked']),
  profile: ProfileSummary.nullable(),
  /** Why the vault last locked, so the unlock screen can say so. */
  lockedReason: z.enum(['startup', 'user', 'idle']).nullable(),
});
export type SessionState = z.infer<typeof SessionState>;

export const CardPreview = z.strictObject({
  card: ParticipantCard,
  fingerprint: Fingerprint,
  /** The contact this card would update, if its keys are already in the address book. */
  existingContactId: z.string().nullable(),
  isSelf: z.boolean(),
});
export type CardPreview = z.infer<typeof CardPreview>;

export const CaseSummary = z.strictObject({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  hearingDate: z.string().nullable(),
  status: z.string(),
});
export type CaseSummary = z.infer<typeof CaseSummary>;

export const KeychainStatus = z.strictObject({
  /** The OS keychain can protect the passphrase (false where Electron would fall back to a fixed key). */
  available: z.boolean(),
  enabled: z.boolean(),
  /** Why it is unavailable, in plain words. */
  reason: z.string().nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

export const contract = {
  'session.status': call(Empty, SessionState),
  /** Resets the idle-lock timer; the renderer calls it (throttled) on keyboard and pointer activity. */
  'session.touch': call(Empty, Ok),
  'profile.create': call(
    z.strictObject({ name: PersonName, role: ParticipantRole, passphrase: Passphrase }),
    SessionState,
  ),
  'vault.unlock': call(z.strictObject({ passphrase: Passphrase }), SessionState),
  'vault.lock': call(Empty, SessionState),
  'vault.changePassphrase': call(z.strictObject({ current: Passphrase, next: Passphrase }), Ok),
  'keychain.status': call(Empty, KeychainStatus),
  /** Remembers the passphrase in the OS keychain (after checking it) so the vault can unlock without typing. */
  'keychain.enable': call(z.strictObject({ passphrase: Passphrase }), KeychainStatus),
  'keychain.disable': call(Empty, KeychainStatus),
  'keychain.unlock': call(Empty, SessionState),
  'settings.get': call(Empty, Settings),
  'settings.update': call(Settings.partial().strict(), Settings),
  'identity.myCard': call(Empty, z.strictObject({ card: ParticipantCard, fingerprint: Fingerprint })),
  /** Writes the user's card to a file the user chooses; returns where (null if cancelled). */
  'identity.exportCard': call(Empty, z.strictObject({ savedTo: z.string().nullable() })),
  'contacts.list': call(Empty, z.array(Contact)),
  'contacts.previewCard': call(z.strictObject({ text: z.string().max(64 * 1024) }), CardPreview),
  'contacts.importCard': call(
    z.strictObject({ text: z.string().max(64 * 1024), verified: z.boolean() }),
    Contact,
  ),
  'contacts.setVerified': call(z.strictObject({ id: z.string(), verified: z.boolean() }), Contact),
  'contacts.remove': call(z.strictObject({ id: z.string() }), Ok),
  'cases.list': call(Empty, z.array(CaseSummary)),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;
export const CALL_NAMES = Object.keys(contract) as CallName[];

/** Events main pushes to the renderer (no replies). */
export const events = {
  'session.changed': SessionState,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** What crosses the bridge for a call: a result or a plain error, never a thrown object with a stack. */
export type WireResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** The API object the preload exposes on `window.hearingDesk` (and the e2e harness reproduces). */
export interface BridgeApi {
  invoke(name: string, payload: unknown): Promise<WireResult<unknown>>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export const BRIDGE_GLOBAL = 'hearingDesk';
export const IPC_CALL_CHANNEL = 'hd:call';
export const IPC_EVENT_CHANNEL = 'hd:event';
