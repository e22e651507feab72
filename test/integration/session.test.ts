import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../shared/errors';
import type { SessionState } from '../../shared/contract';
import { Session } from '../../electron/services/session';
import { fingerprintOf, makeCard, parseCard, serializeCard } from '../../electron/services/identities';
import { generateIdentity, identityToRecipient, parseIdentity } from '../../electron/services/crypto/age';
import { filesContaining, tempDir, TEST_SCRYPT } from '../helpers/temp';

const PASS = 'orchard lantern copper meadow';

async function code(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  }
  return 'no error';
}

function newSession(directory: string, changes: SessionState[] = [], saved: { path: string; bytes: Uint8Array }[] = []) {
  return new Session({
    profileDirectory: directory,
    scrypt: TEST_SCRYPT,
    onChange: (state) => changes.push(state),
    dialogs: {
      saveFile: async ({ suggestedName, bytes }) => {
        const path = join(directory, '..', `${directory.split('/').pop()}-${suggestedName}`);
        saved.push({ path, bytes });
        return path;
      },
    },
  });
}

describe('session: profile, identity, lock', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => { vi.useRealTimers(); dir.cleanup(); });

  it('starts with no profile, then creates one with an identity whose secrets stay in the vault', async () => {
    const changes: SessionState[] = [];
    const session = newSession(join(dir.path, 'p'), changes);
    expect(session.status()).toEqual({ state: 'no-profile', profile: null, lockedReason: null });
    const state = await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: PASS });
    expect(state.state).toBe('unlocked');
    expect(state.profile).toMatchObject({ name: 'Priya Okafor', role: 'panellist' });
    expect(changes.at(-1)?.state).toBe('unlocked');
    const { card, fingerprint } = session.myCard();
    expect(card.ageRecipient).toMatch(/^age1/);
    expect(fingerprint).toBe(state.profile!.fingerprint);
    expect(fingerprint).toBe(fingerprintOf(card.signingKey, card.ageRecipient));
    // The age identity in the vault matches the published recipient, and appears nowhere on disk in clear.
    const secret = session.requireVault().db.prepare('SELECT age_identity FROM identity_keys').get() as { age_identity: string };
    expect(secret.age_identity).toMatch(/^AGE-SECRET-KEY-1/);
    expect(identityToRecipient(secret.age_identity)).toBe(card.ageRecipient);
    expect(() => parseIdentity(secret.age_identity)).not.toThrow();
    session.lock();
    expect(filesContaining(dir.path, secret.age_identity)).toEqual([]);
    expect(filesContaining(dir.path, 'Priya Okafor')).toEqual([]);
  });

  it('refuses a weak passphrase with advice, and creates nothing', async () => {
    const session = newSession(join(dir.path, 'p'));
    const error = await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: 'password123' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'weak-passphrase' });
    expect(error.message).toMatch(/too weak/);
    expect(session.status().state).toBe('no-profile');
  });

  it('locks on command, refuses vault work while locked, and unlocks with the passphrase', async () => {
    const changes: SessionState[] = [];
    const session = newSession(join(dir.path, 'p'), changes);
    await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: PASS });
    expect(session.lock('user')).toEqual({ state: 'locked', profile: null, lockedReason: 'user' });
    expect(changes.at(-1)).toMatchObject({ state: 'locked', lockedReason: 'user' });
    expect(await code(() => session.listContacts())).toBe('vault-locked');
    expect(await code(() => session.myCard())).toBe('vault-locked');
    expect(await code(session.unlock('orchard lantern copper meadows'))).toBe('wrong-passphrase');
    expect(session.status().state).toBe('locked');
    expect((await session.unlock(PASS)).state).toBe('unlocked');
  });

  it('locks itself after the idle period, clearing the open database', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const changes: SessionState[] = [];
    const session = newSession(join(dir.path, 'p'), changes);
    await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: PASS });
    const vault = session.requireVault();
    vi.advanceTimersByTime(9 * 60_000);
    session.touch(); // activity restarts the 10-minute default
    vi.advanceTimersByTime(9 * 60_000);
    expect(session.isUnlocked).toBe(true);
    vi.advanceTimersByTime(60_000 + 1);
    expect(session.isUnlocked).toBe(false);
    expect(vault.isOpen).toBe(false);
    expect(changes.at(-1)).toEqual({ state: 'locked', profile: null, lockedReason: 'idle' });
  });

  it('honours a configured idle time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const session = newSession(join(dir.path, 'p'));
    await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: PASS });
    expect(session.getSettings()).toEqual({ idleLockMinutes: 10 });
    expect(session.updateSettings({ idleLockMinutes: 2 })).toEqual({ idleLockMinutes: 2 });
    vi.advanceTimersByTime(2 * 60_000 + 1);
    expect(session.isUnlocked).toBe(false);
    await session.unlock(PASS);
    expect(session.getSettings().idleLockMinutes).toBe(2);
  });

  it('changes the passphrase only with the right current one and an acceptable new one', async () => {
    const session = newSession(join(dir.path, 'p'));
    await session.createProfile({ name: 'Priya Okafor', role: 'panellist', passphrase: PASS });
    expect(await code(session.changePassphrase('wrong passphrase here', 'river stone candle window'))).toBe('wrong-passphrase');
    expect(await code(session.changePassphrase(PASS, 'short'))).toBe('weak-passphrase');
    await session.changePassphrase(PASS, 'river stone candle window');
    session.lock();
    expect(await code(session.unlock(PASS))).toBe('wrong-passphrase');
    expect((await session.unlock('river stone candle window')).state).toBe('unlocked');
  });
});

describe('participant cards and the address book', () => {
  let dir: ReturnType<typeof tempDir>;
  let alice: Session;
  let bob: Session;
  const saved: { path: string; bytes: Uint8Array }[] = [];
  beforeEach(async () => {
    dir = tempDir();
    alice = newSession(join(dir.path, 'alice'), [], saved);
    bob = newSession(join(dir.path, 'bob'), [], saved);
    await alice.createProfile({ name: 'Alex Morgan', role: 'chair', passphrase: PASS });
    await bob.createProfile({ name: 'Sam Whitfield', role: 'external-lawyer', passphrase: PASS });
  });
  afterEach(() => { alice.lock(); bob.lock(); dir.cleanup(); });

  it('exports a self-signed card through the save dialog, and another profile imports it with the same fingerprint', async () => {
    const { savedTo } = await bob.exportCard();
    expect(savedTo).toMatch(/sam-whitfield\.hdcard$/);
    const text = Buffer.from(saved.at(-1)!.bytes).toString('utf8');
    expect(text).not.toMatch(/SECRET|seed/i);
    const preview = alice.previewCard(text);
    expect(preview.fingerprint).toBe(bob.myCard().fingerprint);
    expect(preview).toMatchObject({ isSelf: false, existingContactId: null, card: { name: 'Sam Whitfield', role: 'external-lawyer' } });
    const contact = alice.importCard(text, false);
    expect(contact).toMatchObject({ name: 'Sam Whitfield', verifiedAt: null, fingerprint: preview.fingerprint });
    expect(alice.setVerified(contact.id, true).verifiedAt).not.toBeNull();
    expect(alice.listContacts()).toHaveLength(1);
    // Re-importing the same card updates, never duplicates, and keeps the verification.
    expect(alice.importCard(text, false).verifiedAt).not.toBeNull();
    expect(alice.listContacts()).toHaveLength(1);
    alice.removeContact(contact.id);
    expect(alice.listContacts()).toEqual([]);
    expect(await code(() => alice.removeContact(contact.id))).toBe('contact-not-found');
  });

  it('refuses altered, malformed and own cards with specific messages', async () => {
    const card = bob.myCard().card;
    const renamed = serializeCard({ ...card, name: 'Someone Else' });
    expect(() => alice.previewCard(renamed)).toThrow(/altered/);
    const swappedKey = serializeCard({ ...card, ageRecipient: alice.myCard().card.ageRecipient });
    expect(() => alice.previewCard(swappedKey)).toThrow(/altered/);
    expect(() => alice.previewCard('{"format":"other"}')).toThrow(/not a Hearing Desk participant card/);
    expect(() => alice.previewCard('garbage')).toThrow(/not readable/);
    expect(() => alice.previewCard(JSON.stringify({ ...card, role: 'leader' }))).toThrow(/malformed \(role/);
    expect(alice.previewCard(serializeCard(alice.myCard().card)).isSelf).toBe(true);
    expect(await code(() => alice.importCard(serializeCard(alice.myCard().card), true))).toBe('card-self');
    expect(alice.listContacts()).toEqual([]);
    expect(() => parseCard(serializeCard(card))).not.toThrow();
  });

  it('refuses a key change: a card signed by a known signing key but carrying a new age key', async () => {
    alice.importCard(serializeCard(bob.myCard().card), true);
    // Only Bob could make this card (it needs his signing key): a rotated age key must not silently replace the old.
    const row = bob.requireVault().db.prepare('SELECT signing_seed, signing_public FROM identity_keys').get() as { signing_seed: Buffer; signing_public: Buffer };
    const rotated = makeCard({ name: 'Sam Whitfield', role: 'external-lawyer', createdAt: new Date().toISOString() }, {
      ageRecipient: generateIdentity().recipient, signingSeed: row.signing_seed, signingPublic: row.signing_public,
    });
    expect(await code(() => alice.importCard(serializeCard(rotated), true))).toBe('invalid-card');
    expect(alice.listContacts().map((c) => c.ageRecipient)).toEqual([bob.myCard().card.ageRecipient]);
    // A different person's card is simply added.
    const carol = newSession(join(dir.path, 'carol'));
    await carol.createProfile({ name: 'Jordan Ellis', role: 'panellist', passphrase: PASS });
    alice.importCard(serializeCard(carol.myCard().card), true);
    expect(alice.listContacts().map((c) => c.name)).toEqual(['Jordan Ellis', 'Sam Whitfield']);
    carol.lock();
  });
});
