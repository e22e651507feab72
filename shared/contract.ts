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
import { BundleDocument, SectionLetter } from './domain/bundle';
import { CaseFile } from './domain/case';
import { CaseDraft, DocumentChange, DraftFields } from './domain/draft';

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
  /** 'expired': past its expiry date; it can only be wiped. */
  status: z.enum(['open', 'expired']),
  expiresOn: z.string(),
  decidingBody: z.string(),
  myRole: z.string().nullable(),
  sealedBy: z.string(),
  documentCount: z.int(),
  pageCount: z.int(),
  importedAt: z.string(),
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

export const SealerView = z.strictObject({
  name: z.string(),
  role: z.string(),
  fingerprint: Fingerprint,
  known: z.boolean(),
  verified: z.boolean(),
});

const BundleDocumentView = BundleDocument.omit({ path: true });

/** What a sealed file says about itself, once the clerk's signature on its contents has verified. */
export const BundlePreview = z.strictObject({
  token: z.string(),
  fileName: z.string(),
  fileBytes: z.int(),
  reference: z.string(),
  title: z.string(),
  decidingBody: z.string(),
  hearingDate: z.string().nullable(),
  expiresOn: z.string(),
  expired: z.boolean(),
  alreadyImported: z.boolean(),
  revision: z.int(),
  sealedAt: z.string(),
  sealer: SealerView,
  recipients: z.array(z.strictObject({ name: z.string(), role: z.string(), fingerprint: Fingerprint })),
  sections: z.array(z.strictObject({ letter: z.string(), title: z.string(), supplementary: z.boolean() })),
  documents: z.array(BundleDocumentView),
  pageCount: z.int(),
});
export type BundlePreview = z.infer<typeof BundlePreview>;

export const CaseDetail = z.strictObject({
  summary: CaseSummary,
  caseFile: CaseFile,
  sealer: SealerView,
  sections: z.array(z.strictObject({ letter: z.string(), title: z.string(), supplementary: z.boolean() })),
  documents: z.array(BundleDocumentView),
  revision: z.int(),
});
export type CaseDetail = z.infer<typeof CaseDetail>;

export const DraftView = z.strictObject({ draft: CaseDraft, problems: z.array(z.string()) });
export type DraftView = z.infer<typeof DraftView>;

export const DraftSummary = z.strictObject({
  id: z.string(),
  reference: z.string(),
  title: z.string(),
  documentCount: z.int(),
  sealedRevisions: z.int(),
  updatedAt: z.string(),
});
export type DraftSummary = z.infer<typeof DraftSummary>;

export const SealOutcome = z.strictObject({
  cancelled: z.boolean(),
  files: z.array(z.strictObject({ path: z.string(), recipients: z.array(z.string()), documentCount: z.int() })),
  pageCount: z.int(),
  revision: z.int(),
});
export type SealOutcome = z.infer<typeof SealOutcome>;

export const CriteriaSummary = z.strictObject({
  id: z.string(),
  version: z.string(),
  title: z.string(),
  isSample: z.boolean(),
  conductCategories: z.array(z.strictObject({ id: z.string(), label: z.string() })),
});
export type CriteriaSummary = z.infer<typeof CriteriaSummary>;

const DraftId = z.strictObject({ id: z.string().max(64) });

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
  'cases.get': call(z.strictObject({ id: z.string().max(64) }), CaseDetail),
  /** Removes the case and all its material; only a record that it was wiped remains. */
  'cases.wipe': call(z.strictObject({ id: z.string().max(64) }), Ok),
  /** Opens the native file picker and reads what the chosen sealed file says it holds (null if cancelled). */
  'bundles.choose': call(Empty, BundlePreview.nullable()),
  /** Imports a previewed file, all or nothing; progress arrives as 'progress' events under the same token. */
  'bundles.import': call(z.strictObject({ token: z.string().max(64), trustSealer: z.boolean() }), z.strictObject({ caseId: z.string() })),
  'drafts.list': call(Empty, z.array(DraftSummary)),
  'drafts.create': call(Empty, DraftView),
  'drafts.get': call(DraftId, DraftView),
  'drafts.update': call(z.strictObject({ id: z.string().max(64), fields: DraftFields }), DraftView),
  'drafts.remove': call(DraftId, Ok),
  /** Opens the native picker (several files at once) and adds each to the section, in the order chosen. */
  'drafts.addDocuments': call(z.strictObject({ id: z.string().max(64), section: SectionLetter }), DraftView),
  'drafts.updateDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64), change: DocumentChange }), DraftView),
  'drafts.moveDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64), direction: z.union([z.literal(-1), z.literal(1)]) }), DraftView),
  'drafts.removeDocument': call(z.strictObject({ id: z.string().max(64), documentId: z.string().max(64) }), DraftView),
  /** Asks where to save, then builds, signs and seals the bundle; progress arrives as 'progress' events. */
  'drafts.seal': call(z.strictObject({ id: z.string().max(64), operationId: z.string().max(64) }), SealOutcome),
  /** Seals the built-in, wholly fictional demo hearing to this profile and imports it. */
  'demo.install': call(Empty, z.strictObject({ caseId: z.string() })),
  /** The sanctions criteria in force on this machine (what new cases name, and their conduct categories). */
  'criteria.current': call(Empty, CriteriaSummary),
  'operations.cancel': call(z.strictObject({ operationId: z.string().max(64) }), Ok),
} as const;

export type Contract = typeof contract;
export type CallName = keyof Contract;
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Contract[N]['output']>;
export const CALL_NAMES = Object.keys(contract) as CallName[];

/** Events main pushes to the renderer (no replies). */
export const Progress = z.strictObject({
  /** The token (import) or operation id (seal) the progress belongs to. */
  operationId: z.string(),
  operation: z.enum(['import', 'seal']),
  phase: z.string(),
  done: z.number(),
  total: z.number(),
});
export type Progress = z.infer<typeof Progress>;

/** A bundle file that arrived from outside the pickers (dropped on the window, opened from the file manager). */
export const BundleOffer = z.strictObject({
  preview: BundlePreview.nullable(),
  error: z.strictObject({ code: z.string(), message: z.string(), fileName: z.string() }).nullable(),
});
export type BundleOffer = z.infer<typeof BundleOffer>;

export const events = {
  'session.changed': SessionState,
  progress: Progress,
  'bundles.offered': BundleOffer,
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
