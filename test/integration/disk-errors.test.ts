// Disk full and read-only profile directory (issue 7, "Crash safety"): writes that the disk refuses must fail with a
// message a person can read (never a stack) and lose nothing: no partial file under the target name, the vault still
// opens with everything it held, the old passphrase still works. Disk full and read-only are real: a small tmpfs,
// remounted read-only, since this machine runs tests as root and root ignores file permissions. Where mounting is
// refused the mount tests are skipped; the ENOTDIR/EISDIR tests run for any user.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../electron/services/audit';
import { writeStreamAtomic } from '../../electron/services/bundles/case-drafts';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { Decisions } from '../../electron/services/decisions';
import { installDemoHearing } from '../../electron/services/demo-hearing';
import { createHandlers } from '../../electron/handlers';
import { createDispatcher, type Dispatch } from '../../electron/ipc';
import { Session } from '../../electron/services/session';
import { Vault, vaultPaths } from '../../electron/services/vault/vault';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { syntheticBundle } from '../helpers/synthetic-bundle';
import { tempDir, TEST_SCRYPT } from '../helpers/temp';

const NEW_PASSPHRASE = 'harbour thistle walnut evening';
const STACK_LINE = /\n\s+at\s/;

/** Whether this process may mount a tmpfs (root on Linux, outside a locked-down container). */
function canMount(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'hd-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmdirSync(probe);
  }
}
const MOUNTABLE = process.platform === 'linux' && canMount();

const mounts: string[] = [];
function mountTmpfs(prefix: string, bytes: number): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', path]);
  mounts.push(path);
  return path;
}
function remount(path: string, mode: 'ro' | 'rw'): void {
  execFileSync('mount', ['-o', `remount,${mode}`, path]);
}
function unmountAll(): void {
  for (const path of mounts.splice(0)) {
    try {
      execFileSync('umount', [path], { stdio: 'ignore' });
    } catch {
      execFileSync('umount', ['-l', path], { stdio: 'ignore' }); // still busy: detach now, freed when closed
    }
    rmSync(path, { recursive: true, force: true });
  }
}
/** Fills the file system holding `directory` until it refuses another byte; returns the filler's path. */
function fill(directory: string): string {
  const filler = join(directory, 'filler.bin');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 0x5a);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  try {
    for (;;) writeSync(fd, block, 0, 1);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return filler;
}

/** A real sealed bundle stream of about 3 MB (two 1.5 MB documents) to the person's own key. */
async function sealedStream(person: Person): Promise<AsyncIterable<Uint8Array>> {
  const { copy } = await syntheticBundle({ sealer: person.session, reference: 'DISK-0001', title: 'Disk-error test bundle', documents: 2 });
  return copy.stream();
}

let chair: Person;
let caseId: string;
let savedRevision: number;

beforeAll(async () => {
  chair = await createPerson('Avery Lindqvist', 'chair');
  caseId = await installDemoHearing(chair.session, new ReceivedCases(chair.session));
  const decisions = new Decisions(chair.session);
  const view = decisions.open(caseId);
  savedRevision = decisions.save(caseId, { ...view.draft, publicationSummary: 'Draft kept through every disk error.' }, view.revision).revision;
}, 60_000);

afterEach(() => unmountAll());
afterAll(() => {
  unmountAll();
  chair?.cleanup();
});

/** The dispatcher the renderer talks to, with a save dialog that always answers `path`. */
function dispatcherSavingTo(session: Session, path: string): Dispatch {
  const picker = { chooseOpenPaths: async () => [], chooseSavePath: async () => path };
  return createDispatcher(createHandlers(session, null, { picker }), { logError: () => undefined });
}

/** The chair's vault after a refused write: it locks, unlocks, verifies and holds the saved draft as it was. */
async function expectChairVaultIntact(): Promise<void> {
  chair.session.lock('user');
  await chair.session.unlock(TEST_PASSPHRASE);
  expect(new AuditTrail(chair.session).verify().ok).toBe(true);
  const view = new Decisions(chair.session).open(caseId);
  expect(view.revision).toBe(savedRevision);
  expect(view.draft.publicationSummary).toBe('Draft kept through every disk error.');
  expect(new ReceivedCases(chair.session).list().map((c) => c.id)).toEqual([caseId]);
}

describe('a write target that cannot be written (any user)', () => {
  it('sealing to a path under a regular file fails with ENOTDIR and writes nothing', async () => {
    const dir = tempDir('hd-disk-');
    try {
      writeFileSync(join(dir.path, 'not-a-folder'), 'x');
      await expect(writeStreamAtomic(join(dir.path, 'not-a-folder', 'case.hdbundle'), await sealedStream(chair))).rejects.toMatchObject({ code: 'ENOTDIR' });
      expect(readdirSync(dir.path)).toEqual(['not-a-folder']);
    } finally {
      dir.cleanup();
    }
  });

  it('sealing over a directory of the same name fails with EISDIR and removes its temporary', async () => {
    const dir = tempDir('hd-disk-');
    try {
      mkdirSync(join(dir.path, 'case.hdbundle'));
      writeFileSync(join(dir.path, 'case.hdbundle', 'keep.txt'), 'kept');
      await expect(writeStreamAtomic(join(dir.path, 'case.hdbundle'), await sealedStream(chair))).rejects.toMatchObject({ code: 'EISDIR' });
      expect(readdirSync(dir.path)).toEqual(['case.hdbundle']);
      expect(readdirSync(join(dir.path, 'case.hdbundle'))).toEqual(['keep.txt']);
    } finally {
      dir.cleanup();
    }
  });

  it('exporting a decision draft through its handler to an unwritable path: a message without a stack, nothing written, the draft kept', async () => {
    const dir = tempDir('hd-disk-');
    try {
      writeFileSync(join(dir.path, 'not-a-folder'), 'x');
      const result = await dispatcherSavingTo(chair.session, join(dir.path, 'not-a-folder', 'draft.hddecision'))('decision.exportDraft', { caseId });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).not.toMatch(STACK_LINE);
      expect(result.error.message.length).toBeGreaterThan(0);
      expect(readdirSync(dir.path)).toEqual(['not-a-folder']);
      await expectChairVaultIntact();
    } finally {
      dir.cleanup();
    }
  });
});

describe.skipIf(!MOUNTABLE)('disk full (a small tmpfs filled to the last byte)', () => {
  it('sealing a bundle onto a full disk fails with ENOSPC and leaves no file, partial or whole', async () => {
    const disk = mountTmpfs('hd-full-', 2 * 1024 * 1024);
    // 2 MB cannot hold the 3 MB bundle: the disk fills during the stream, not before it.
    await expect(writeStreamAtomic(join(disk, 'case.hdbundle'), await sealedStream(chair))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(disk)).toEqual([]);
  });

  it('exporting a decision draft onto a full disk: a message without a stack, no file, the draft and vault as they were', async () => {
    const disk = mountTmpfs('hd-full-', 1024 * 1024);
    fill(disk);
    const exportsBefore = new AuditTrail(chair.session).entries({ caseId, limit: 1000 }).filter((entry) => entry.action === 'record-exported').length;
    const result = await dispatcherSavingTo(chair.session, join(disk, 'draft.hddecision'))('decision.exportDraft', { caseId });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).not.toMatch(STACK_LINE);
    // Nothing was exported, so the audit trail says nothing was.
    expect(new AuditTrail(chair.session).entries({ caseId, limit: 1000 }).filter((entry) => entry.action === 'record-exported').length).toBe(exportsBefore);
    console.info(`disk-errors: exporting a decision draft onto a full disk → ${result.error.code}: ${result.error.message}`);
    expect(readdirSync(disk)).toEqual(['filler.bin']);
    await expectChairVaultIntact();
  });

  // A system error from the save (ENOSPC) reaches the user in words with what to do (shared/system-errors.ts).
  it('says the disk is full when a sealed export does not fit', async () => {
    const disk = mountTmpfs('hd-full-', 1024 * 1024);
    fill(disk);
    const result = await dispatcherSavingTo(chair.session, join(disk, 'draft.hddecision'))('decision.exportDraft', { caseId });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/full|space/i);
  });

  it('changing the passphrase when the keyfile cannot be rewritten (disk full): refused, the old passphrase still works', async () => {
    const disk = mountTmpfs('hd-full-', 16 * 1024 * 1024);
    const profile = join(disk, 'profile');
    const session = new Session({ profileDirectory: profile, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await session.createProfile({ name: 'Jules Marchetti-Oyelaran', role: 'panellist', passphrase: TEST_PASSPHRASE });
    const before = readdirSync(profile).sort();
    const filler = fill(disk);
    try {
      const result = await createDispatcher(createHandlers(session), { logError: () => undefined })('vault.changePassphrase', { current: TEST_PASSPHRASE, next: NEW_PASSPHRASE });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).not.toMatch(STACK_LINE);
      expect(readdirSync(profile).sort()).toEqual(before); // no keyfile temporary left behind
    } finally {
      rmSync(filler);
      session.lock('user');
    }
    await expect(session.unlock(NEW_PASSPHRASE)).rejects.toThrow();
    await session.unlock(TEST_PASSPHRASE);
    expect(new AuditTrail(session).verify().ok).toBe(true);
    session.lock('user');
  });
});

describe.skipIf(!MOUNTABLE)('read-only profile directory (a tmpfs remounted read-only)', () => {
  it('changing the passphrase (Vault.changePassphrase) is refused, the keyfile untouched, and the old passphrase still works', async () => {
    const disk = mountTmpfs('hd-ro-', 16 * 1024 * 1024);
    const profile = join(disk, 'profile');
    const session = new Session({ profileDirectory: profile, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await session.createProfile({ name: 'Jules Marchetti-Oyelaran', role: 'panellist', passphrase: TEST_PASSPHRASE });
    // Locked first: Linux refuses to remount read-only while the vault's files are open for writing.
    session.lock('user');
    const keyfile = readFileSync(vaultPaths(profile).keyfile);
    const before = readdirSync(profile).sort();
    remount(disk, 'ro');
    try {
      await expect(Vault.changePassphrase(profile, TEST_PASSPHRASE, NEW_PASSPHRASE, TEST_SCRYPT)).rejects.toMatchObject({ code: 'EROFS' });
      expect(readdirSync(profile).sort()).toEqual(before);
    } finally {
      remount(disk, 'rw');
    }
    expect(readFileSync(vaultPaths(profile).keyfile)).toEqual(keyfile);
    await expect(session.unlock(NEW_PASSPHRASE)).rejects.toThrow();
    await session.unlock(TEST_PASSPHRASE);
    expect(new AuditTrail(session).verify().ok).toBe(true);
    session.lock('user');
  });

  it('unlocking a profile on a read-only disk fails clearly, and once writable again everything is there', async () => {
    const disk = mountTmpfs('hd-ro-', 16 * 1024 * 1024);
    const profile = join(disk, 'profile');
    const session = new Session({ profileDirectory: profile, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await session.createProfile({ name: 'Jules Marchetti-Oyelaran', role: 'chair', passphrase: TEST_PASSPHRASE });
    const demo = await installDemoHearing(session, new ReceivedCases(session));
    session.lock('user');
    remount(disk, 'ro');
    let outcome: { ok: boolean; message?: string } = { ok: true };
    try {
      const result = await createDispatcher(createHandlers(session), { logError: () => undefined })('vault.unlock', { passphrase: TEST_PASSPHRASE });
      outcome = result.ok ? { ok: true } : { ok: false, message: result.error.message };
      if (result.ok) session.lock('user');
    } finally {
      remount(disk, 'rw');
    }
    console.info(`disk-errors: unlocking a read-only profile → ${outcome.ok ? 'opened' : `refused: ${outcome.message}`}`);
    expect(outcome.ok).toBe(false); // SQLCipher cannot open a WAL database it may not write to
    expect(outcome.message).not.toMatch(STACK_LINE);
    await session.unlock(TEST_PASSPHRASE);
    expect(new AuditTrail(session).verify().ok).toBe(true);
    expect(new ReceivedCases(session).list().map((c) => c.id)).toEqual([demo]);
    session.lock('user');
  });

  // Only SQLite's "not a database" means a wrong key: a read-only folder is reported as such (vault.ts).
  it('says the profile folder cannot be written to, not that the vault may be damaged, when it is read-only', async () => {
    const disk = mountTmpfs('hd-ro-', 16 * 1024 * 1024);
    const profile = join(disk, 'profile');
    const session = new Session({ profileDirectory: profile, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await session.createProfile({ name: 'Jules Marchetti-Oyelaran', role: 'panellist', passphrase: TEST_PASSPHRASE });
    session.lock('user');
    remount(disk, 'ro');
    try {
      const result = await createDispatcher(createHandlers(session), { logError: () => undefined })('vault.unlock', { passphrase: TEST_PASSPHRASE });
      if (result.ok) session.lock('user');
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).not.toMatch(/damaged|replaced|decrypted/i);
    } finally {
      remount(disk, 'rw');
    }
  });
});
