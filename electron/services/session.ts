// The running state of one user's Hearing Desk: whether a profile exists, whether its vault is unlocked,
// and the idle timer that locks it. Every service call that needs case data goes through `vault`, which
// throws once locked, so nothing can keep reading after a lock.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { CardPreview, SessionState } from '../../shared/contract';
import { DEFAULT_SETTINGS, Settings, type Contact, type ParticipantCard, type ParticipantRole, type ProfileSummary } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { assessPassphrase } from '../../shared/passphrase-strength';
import { CARD_FILE_EXTENSION, createIdentityKeys, fingerprintOf, makeCard, parseCard, serializeCard } from './identities';
import type { FileDialogs } from './ports';
import { readKeyfile, unwrapDataKey, type ScryptParams } from './vault/keyfile';
import { Vault, vaultExists, vaultPaths } from './vault/vault';

export interface SessionOptions {
  profileDirectory: string;
  dialogs: FileDialogs;
  /** Overrides the KDF cost (tests use a cheaper one; the app always uses the default). */
  scrypt?: ScryptParams;
  /** Told whenever the state changes (lock, unlock, profile created) so the window can follow. */
  onChange?: (state: SessionState) => void;
  now?: () => Date;
}

type LockReason = NonNullable<SessionState['lockedReason']>;

/** This user's own keys and identity, as lent by Session.withIdentity. */
export interface OwnIdentity {
  profileId: string;
  name: string;
  role: ParticipantRole;
  ageIdentity: string;
  ageRecipient: string;
  /** Wiped as soon as the borrowing function returns. */
  signingSeed: Buffer;
  signingKey: string;
  fingerprint: string;
}

interface ContactRow {
  id: string; name: string; role: string; age_recipient: string; signing_key: string;
  fingerprint: string; verified_at: string | null; imported_at: string;
}

export class Session {
  private vault: Vault | null = null;
  private lockedReason: LockReason | null = 'startup';
  private idleTimer: NodeJS.Timeout | null = null;
  private pending: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly unlockListeners: ((vault: Vault) => void)[] = [];

  constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Runs state-changing operations one at a time (two unlock clicks must not open the database twice). */
  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.pending.then(operation, operation);
    this.pending = run.catch(() => undefined);
    return run;
  }

  private get openVault(): Vault {
    if (!this.vault) {
      if (!vaultExists(this.options.profileDirectory)) throw new AppError('no-profile', 'Create your profile first.');
      throw new AppError('vault-locked', 'The vault is locked. Unlock it to continue.');
    }
    return this.vault;
  }

  status(): SessionState {
    if (!vaultExists(this.options.profileDirectory)) return { state: 'no-profile', profile: null, lockedReason: null };
    if (!this.vault) return { state: 'locked', profile: null, lockedReason: this.lockedReason };
    return { state: 'unlocked', profile: this.profileSummary(), lockedReason: null };
  }

  private emit(): void {
    this.options.onChange?.(this.status());
  }

  createProfile(input: { name: string; role: ParticipantRole; passphrase: string }): Promise<SessionState> {
    return this.serialize(async () => {
      const strength = assessPassphrase(input.passphrase);
      if (!strength.acceptable) throw new AppError('weak-passphrase', `That passphrase is too weak. ${strength.advice}`);
      const directory = this.options.profileDirectory;
      const vault = await Vault.create(directory, input.passphrase, this.options.scrypt);
      try {
        const keys = createIdentityKeys();
        const createdAt = this.now().toISOString();
        vault.db.transaction(() => {
          vault.db.prepare('INSERT INTO profile (id, name, role, created_at) VALUES (?, ?, ?, ?)').run(vault.profileId, input.name, input.role, createdAt);
          vault.db
            .prepare('INSERT INTO identity_keys (profile_id, age_identity, age_recipient, signing_seed, signing_public) VALUES (?, ?, ?, ?, ?)')
            .run(vault.profileId, keys.ageIdentity, keys.ageRecipient, keys.signingSeed, keys.signingPublic);
        })();
        keys.signingSeed.fill(0);
      } catch (error) {
        vault.lock();
        const paths = vaultPaths(directory);
        for (const file of [paths.keyfile, paths.database, `${paths.database}-wal`, `${paths.database}-shm`]) rmSync(file, { force: true });
        throw error;
      }
      this.vault = vault;
      this.lockedReason = null;
      this.runUnlockListeners(vault);
      this.resetIdleTimer();
      this.emit();
      return this.status();
    });
  }

  unlock(passphrase: string): Promise<SessionState> {
    return this.serialize(async () => {
      if (!this.vault) {
        const vault = await Vault.unlock(this.options.profileDirectory, passphrase);
        this.vault = vault;
        this.lockedReason = null;
        this.runUnlockListeners(vault);
        this.resetIdleTimer();
        this.emit();
      }
      return this.status();
    });
  }

  lock(reason: LockReason = 'user'): SessionState {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.vault) {
      this.vault.lock();
      this.vault = null;
      this.lockedReason = reason;
      this.emit();
    }
    return this.status();
  }

  get isUnlocked(): boolean {
    return this.vault !== null;
  }

  /** Activity keeps the vault open; silence for the configured minutes locks it. */
  touch(): void {
    if (this.vault) this.resetIdleTimer();
  }

  private resetIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const minutes = this.readSettings().idleLockMinutes;
    this.idleTimer = setTimeout(() => this.lock('idle'), minutes * 60_000);
    this.idleTimer.unref?.();
  }

  /** Checks a passphrase against the keyfile without changing anything. */
  async verifyPassphrase(passphrase: string): Promise<void> {
    this.openVault;
    const dataKey = await unwrapDataKey(readKeyfile(vaultPaths(this.options.profileDirectory).keyfile), passphrase);
    dataKey.fill(0);
  }

  changePassphrase(current: string, next: string): Promise<void> {
    return this.serialize(async () => {
      this.openVault; // only an unlocked session may change the passphrase
      const strength = assessPassphrase(next);
      if (!strength.acceptable) throw new AppError('weak-passphrase', `The new passphrase is too weak. ${strength.advice}`);
      await Vault.changePassphrase(this.options.profileDirectory, current, next, this.options.scrypt);
    });
  }

  private readSettings(): Settings {
    const rows = this.openVault.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored: Record<string, unknown> = {};
    for (const row of rows) stored[row.key] = JSON.parse(row.value);
    return Settings.parse({ ...DEFAULT_SETTINGS, ...stored });
  }

  getSettings(): Settings {
    return this.readSettings();
  }

  updateSettings(change: Partial<Settings>): Settings {
    const next = Settings.parse({ ...this.readSettings(), ...change });
    const upsert = this.openVault.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.openVault.db.transaction(() => {
      for (const [key, value] of Object.entries(next)) upsert.run(key, JSON.stringify(value));
    })();
    this.resetIdleTimer();
    return next;
  }

  private profileRow(): { id: string; name: string; role: ParticipantRole; created_at: string; age_recipient: string; signing_seed: Buffer; signing_public: Buffer } {
    const row = this.openVault.db
      .prepare('SELECT p.id, p.name, p.role, p.created_at, k.age_recipient, k.signing_seed, k.signing_public FROM profile p JOIN identity_keys k ON k.profile_id = p.id')
      .get() as ReturnType<Session['profileRow']> | undefined;
    if (!row) throw new AppError('vault-corrupt', 'The vault has no profile record.');
    return row;
  }

  private profileSummary(): ProfileSummary {
    const row = this.profileRow();
    row.signing_seed.fill(0);
    return {
      id: row.id,
      name: row.name,
      role: row.role,
      fingerprint: fingerprintOf(row.signing_public.toString('base64'), row.age_recipient),
      createdAt: row.created_at,
    };
  }

  myCard(): { card: ParticipantCard; fingerprint: string } {
    const row = this.profileRow();
    try {
      const card = makeCard({ name: row.name, role: row.role, createdAt: row.created_at }, { ageRecipient: row.age_recipient, signingSeed: row.signing_seed, signingPublic: row.signing_public });
      return { card, fingerprint: fingerprintOf(card.signingKey, card.ageRecipient) };
    } finally {
      row.signing_seed.fill(0);
    }
  }

  async exportCard(): Promise<{ savedTo: string | null }> {
    const { card } = this.myCard();
    const slug = card.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'participant';
    const savedTo = await this.options.dialogs.saveFile({
      title: 'Save your participant card',
      suggestedName: `${slug}.${CARD_FILE_EXTENSION}`,
      filters: [{ name: 'Hearing Desk participant card', extensions: [CARD_FILE_EXTENSION] }],
      bytes: Buffer.from(serializeCard(card), 'utf8'),
    });
    return { savedTo };
  }

  listContacts(): Contact[] {
    const rows = this.openVault.db
      .prepare('SELECT id, name, role, age_recipient, signing_key, fingerprint, verified_at, imported_at FROM contacts ORDER BY name COLLATE NOCASE')
      .all() as ContactRow[];
    return rows.map(toContact);
  }

  previewCard(text: string): CardPreview {
    const card = parseCard(text);
    const own = this.profileRow();
    own.signing_seed.fill(0);
    const isSelf = card.signingKey === own.signing_public.toString('base64') || card.ageRecipient === own.age_recipient;
    const existing = this.openVault.db
      .prepare('SELECT id FROM contacts WHERE signing_key = ? OR age_recipient = ?')
      .get(card.signingKey, card.ageRecipient) as { id: string } | undefined;
    return { card, fingerprint: fingerprintOf(card.signingKey, card.ageRecipient), existingContactId: existing?.id ?? null, isSelf };
  }

  /**
   * Adds a card to the address book, or refreshes the contact whose keys it carries. A card whose signing key
   * matches one contact but whose age key matches another (or differs) is a key change and is refused: the
   * user must remove the old contact deliberately.
   */
  importCard(text: string, verified: boolean): Contact {
    const preview = this.previewCard(text);
    if (preview.isSelf) throw new AppError('card-self', 'This is your own card. Cards of other participants go in the address book.');
    const { card, fingerprint } = preview;
    const db = this.openVault.db;
    const now = this.now().toISOString();
    const bySigning = db.prepare('SELECT * FROM contacts WHERE signing_key = ?').get(card.signingKey) as ContactRow | undefined;
    const byAge = db.prepare('SELECT * FROM contacts WHERE age_recipient = ?').get(card.ageRecipient) as ContactRow | undefined;
    if ((bySigning || byAge) && bySigning?.id !== byAge?.id) {
      throw new AppError('invalid-card', 'This card reuses a key that belongs to a different contact in your address book. Remove that contact first if its owner really changed keys.');
    }
    const id = bySigning?.id ?? randomUUID();
    const verifiedAt = verified ? now : (bySigning?.verified_at ?? null);
    db.prepare(
      `INSERT INTO contacts (id, name, role, age_recipient, signing_key, fingerprint, card_json, verified_at, imported_at)
       VALUES (@id, @name, @role, @age, @signing, @fingerprint, @card, @verified, @imported)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, role = excluded.role, card_json = excluded.card_json,
         verified_at = excluded.verified_at`,
    ).run({ id, name: card.name, role: card.role, age: card.ageRecipient, signing: card.signingKey, fingerprint, card: JSON.stringify(card), verified: verifiedAt, imported: now });
    return this.contact(id);
  }

  private contact(id: string): Contact {
    const row = this.openVault.db.prepare('SELECT * FROM contacts WHERE id = ?').get(id) as ContactRow | undefined;
    if (!row) throw new AppError('contact-not-found', 'That contact is no longer in the address book.');
    return toContact(row);
  }

  setVerified(id: string, verified: boolean): Contact {
    this.contact(id);
    this.openVault.db.prepare('UPDATE contacts SET verified_at = ? WHERE id = ?').run(verified ? this.now().toISOString() : null, id);
    return this.contact(id);
  }

  removeContact(id: string): void {
    const result = this.openVault.db.prepare('DELETE FROM contacts WHERE id = ?').run(id);
    if (result.changes === 0) throw new AppError('contact-not-found', 'That contact is no longer in the address book.');
  }

  /** Gives the services of later issues (bundles, decisions…) the open vault; throws while locked. */
  requireVault(): Vault {
    return this.openVault;
  }

  /**
   * Lends this user's secret keys to `use` and wipes the signing seed afterwards (also when `use` throws or its
   * promise rejects). The keys never leave main: no contract result can carry them (see shared/contract.ts).
   */
  async withIdentity<T>(use: (identity: OwnIdentity) => T | Promise<T>): Promise<T> {
    const row = this.openVault.db
      .prepare('SELECT p.id, p.name, p.role, k.age_identity, k.age_recipient, k.signing_seed, k.signing_public FROM profile p JOIN identity_keys k ON k.profile_id = p.id')
      .get() as { id: string; name: string; role: ParticipantRole; age_identity: string; age_recipient: string; signing_seed: Buffer; signing_public: Buffer } | undefined;
    if (!row) throw new AppError('vault-corrupt', 'The vault has no profile record.');
    const signingKey = row.signing_public.toString('base64');
    try {
      return await use({
        profileId: row.id,
        name: row.name,
        role: row.role,
        ageIdentity: row.age_identity,
        ageRecipient: row.age_recipient,
        signingSeed: row.signing_seed,
        signingKey,
        fingerprint: fingerprintOf(signingKey, row.age_recipient),
      });
    } finally {
      row.signing_seed.fill(0);
    }
  }

  /** Runs after every unlock (and profile creation), before the UI hears of it: crash recovery lives here. */
  onUnlock(listener: (vault: Vault) => void): void {
    this.unlockListeners.push(listener);
  }

  private runUnlockListeners(vault: Vault): void {
    for (const listener of this.unlockListeners) listener(vault);
  }
}

function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    name: row.name,
    role: row.role as Contact['role'],
    ageRecipient: row.age_recipient,
    signingKey: row.signing_key,
    fingerprint: row.fingerprint,
    verifiedAt: row.verified_at,
    importedAt: row.imported_at,
  };
}
