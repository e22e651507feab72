// Exporting the outcome package is three effects in two places: a file on the user's USB stick, and in the vault the
// 'record-exported' audit entry and retention (the case's private notes destroyed). A crash can fall between them, so
// the export is a small two-phase commit: the vault first notes the export as pending (where, and the SHA-256 of
// the exact bytes), then the file is written atomically, then one transaction logs the export, applies retention and
// clears the pending note. The next unlock finishes what a crash interrupted: if the file under that name is complete
// (its hash matches) the export is logged and retention applied; if not, the note is dropped and nothing happened;
// if its folder is not there at all (the stick is unplugged), the note waits for a later unlock.
// After recovery: a package on disk ⇔ its 'record-exported' entry ⇔ retention applied (unless under legal hold).
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { writeFileAtomic } from '../atomic-file';
import { AuditTrail } from '../audit';
import type { Annotations } from '../annotations/annotations';
import type { Session } from '../session';

interface PendingExport {
  caseId: string;
  caseReference: string;
  recordId: string;
  path: string;
  sha256: string;
  bytes: number;
}

interface PendingRow {
  case_id: string;
  case_reference: string;
  record_id: string;
  path: string;
  sha256: string;
  bytes: number;
}

export interface CompletedExport {
  savedTo: string;
  recordId: string;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The SHA-256 of the file at `path` if it is exactly `size` bytes long; null when it is absent or another size. */
function fileSha256(path: string, size: number): string | null {
  try {
    if (statSync(path).size !== size) return null;
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(1024 * 1024);
      for (let read; (read = readSync(fd, buffer, 0, buffer.length, null)) > 0; ) hash.update(buffer.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** The partial copies a killed atomic write left beside the target (ciphertext, but clutter on the user's stick). */
function removeTemporariesOf(path: string): void {
  const prefix = `${basename(path)}.`;
  try {
    for (const name of readdirSync(dirname(path))) {
      if (name.startsWith(prefix) && /^\d+\.\d+\.tmp$/.test(name.slice(prefix.length))) rmSync(join(dirname(path), name), { force: true });
    }
  } catch {
    // The stick is gone or read-only: the leftovers stay, and the pending export is settled all the same.
  }
}

export class OutcomeExports {
  private readonly audit: AuditTrail;
  private readonly now: () => Date;

  constructor(
    private readonly session: Session,
    private readonly annotations: () => Annotations,
    now: () => Date = () => new Date(),
  ) {
    this.now = now;
    this.audit = new AuditTrail(session, now);
    session.onUnlock(() => this.recover());
  }

  private get db(): Database {
    return this.session.requireVault().db;
  }

  /** Writes the sealed package where the user chose and then, in one transaction, logs it and applies retention. */
  write(input: { caseId: string; caseReference: string; recordId: string; path: string; bytes: Uint8Array }): CompletedExport {
    const pending: PendingExport = { caseId: input.caseId, caseReference: input.caseReference, recordId: input.recordId, path: input.path, sha256: sha256Hex(input.bytes), bytes: input.bytes.length };
    this.db
      .prepare(
        `INSERT INTO pending_outcome_exports (case_id, case_reference, record_id, path, sha256, bytes, noted_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(case_id) DO UPDATE SET case_reference = excluded.case_reference, record_id = excluded.record_id, path = excluded.path,
           sha256 = excluded.sha256, bytes = excluded.bytes, noted_at = excluded.noted_at`,
      )
      .run(pending.caseId, pending.caseReference, pending.recordId, pending.path, pending.sha256, pending.bytes, this.now().toISOString());
    try {
      writeFileAtomic(input.path, input.bytes, 0o600);
    } catch (error) {
      // Nothing reached the USB stick under its name: nothing to log, nothing to destroy.
      this.forget(input.caseId);
      throw error;
    }
    this.complete(pending);
    return { savedTo: input.path, recordId: input.recordId };
  }

  /**
   * Finishes exports a crash interrupted (runs at every unlock). An export whose folder is not there (the USB stick
   * is not plugged in) stays pending for a later unlock: the package may well be complete on the stick.
   */
  recover(): { completed: number; abandoned: number; waiting: number } {
    const rows = this.db.prepare('SELECT * FROM pending_outcome_exports').all() as PendingRow[];
    let completed = 0;
    let abandoned = 0;
    let waiting = 0;
    for (const row of rows) {
      const pending: PendingExport = { caseId: row.case_id, caseReference: row.case_reference, recordId: row.record_id, path: row.path, sha256: row.sha256, bytes: row.bytes };
      if (!existsSync(dirname(pending.path))) {
        waiting++;
        continue;
      }
      removeTemporariesOf(pending.path);
      if (fileSha256(pending.path, pending.bytes) === pending.sha256 && this.caseExists(pending.caseId)) {
        this.complete(pending);
        completed++;
      } else {
        this.forget(pending.caseId);
        abandoned++;
      }
    }
    return { completed, abandoned, waiting };
  }

  private caseExists(caseId: string): boolean {
    return this.db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId) !== undefined;
  }

  private complete(pending: PendingExport): void {
    this.db.transaction(() => {
      this.audit.append({ caseId: pending.caseId, action: 'record-exported', object: pending.caseReference, details: { recordId: pending.recordId, to: 'central-office', sha256: pending.sha256 } });
      // Retention: once the outcome has left for the central office, private notes go (unless a legal hold is set).
      this.annotations().destroyPrivateNotes(pending.caseId, 'outcome-final');
      this.forget(pending.caseId);
    })();
  }

  private forget(caseId: string): void {
    this.db.prepare('DELETE FROM pending_outcome_exports WHERE case_id = ?').run(caseId);
  }
}
