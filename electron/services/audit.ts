// The tamper-evident audit trail: every action on a case is appended to ONE hash chain per vault.
//
// Why one chain and not one per case: the counter is per device, so a single chain is the natural order; a cut in
// it shows even when a whole case's entries are removed (separate per-case chains could each be deleted whole and
// leave no gap); and a wiped case's entries stay linked into the trail. The per-case view is a filter on case_id
// (indexed); verification always walks the whole chain, which costs milliseconds per thousand entries.
//
// Each entry holds actor (profile fingerprint), action, object, details, device time, a counter that rises by one
// per entry across the vault, the previous entry's hash (64 zeros for the first) and its own hash: SHA-256 over the
// RFC 8785 canonical JSON of all the other fields (shared/domain/audit.ts, auditHashedFields).
//
// What the chain can and cannot show. Editing, deleting, inserting or reordering entries breaks a hash or a link at
// a precise entry. Cutting off the tail leaves a perfectly valid shorter chain, so the last counter and hash are also
// kept in a separate row (audit_head) that every append updates in the same transaction; a shorter chain than the
// head says is reported as truncated. None of this stops someone who holds the vault key from rewriting the whole
// trail and its head consistently: SHA-256 has no secret, and any key the app could use is in the same vault. The
// anchor against that is outside the vault: the head hash quoted in signed outcome records.
//
// append() is synchronous (better-sqlite3 is), so a caller records an action atomically with the action itself by
// calling it inside its own db.transaction(() => { …; audit.append(…) })(): the append then runs as a savepoint of
// that transaction, and a rollback removes both the entry and the head update.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import { canonicalize, CanonicalJsonError } from '../../shared/canonical-json';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_GENESIS_HASH,
  AuditAppendInput,
  AuditDetails,
  AuditEntriesQuery,
  AuditEntry,
  auditHashedFields,
  type AuditAction,
  type AuditBreakReason,
  type AuditHead,
  type AuditVerification,
} from '../../shared/domain/audit';
import { AppError } from '../../shared/errors';
import type { Session } from './session';
import type { Vault } from './vault/vault';

export type AuditErrorCode = 'audit-chain-broken' | 'audit-invalid-entry';

export class AuditError extends AppError {
  constructor(code: AuditErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}

export type AuditAppend = {
  caseId: string | null;
  action: AuditAction;
  object: string;
  details?: Record<string, string | number | boolean | null>;
};

/** Lower-case hex SHA-256 of the entry's canonical JSON without its own hash. */
export function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalize(auditHashedFields(entry)), 'utf8').digest('hex');
}

interface EntryRow {
  counter: number;
  case_id: unknown;
  action: unknown;
  object: unknown;
  actor: unknown;
  device_time: unknown;
  details_json: unknown;
  previous_hash: unknown;
  hash: unknown;
}

const ENTRY_COLUMNS = 'counter, case_id, action, object, actor, device_time, details_json, previous_hash, hash';
const DEFAULT_PAGE = 100;

// Plain names for the stored fields, for messages about a damaged entry.
const FIELD_NAMES: Record<string, string> = {
  counter: 'counter',
  caseId: 'case',
  action: 'action',
  object: 'object',
  actor: 'actor',
  deviceTime: 'time',
  details: 'details',
  previousHash: 'link to the entry before it',
  hash: 'hash',
};

type ParsedRow = { ok: true; entry: AuditEntry } | { ok: false; field: string };

/** A stored row as an entry, or the first field that is not a valid value. Details must be stored canonically. */
function parseRow(row: EntryRow): ParsedRow {
  let details: unknown;
  if (typeof row.details_json !== 'string') return { ok: false, field: 'details' };
  try {
    details = JSON.parse(row.details_json);
  } catch {
    return { ok: false, field: 'details' };
  }
  const parsedDetails = AuditDetails.safeParse(details);
  // Re-serialising must give back the stored bytes exactly, so even a meaning-preserving edit (spacing, key order,
  // 1.0 for 1) of the details shows.
  if (!parsedDetails.success || canonicalOrNull(parsedDetails.data) !== row.details_json) return { ok: false, field: 'details' };
  const parsed = AuditEntry.safeParse({
    counter: row.counter,
    caseId: row.case_id,
    action: row.action,
    object: row.object,
    actor: row.actor,
    deviceTime: row.device_time,
    details: parsedDetails.data,
    previousHash: row.previous_hash,
    hash: row.hash,
  });
  if (!parsed.success) return { ok: false, field: FIELD_NAMES[String(parsed.error.issues[0]?.path[0])] ?? 'contents' };
  return { ok: true, entry: parsed.data };
}

function canonicalOrNull(value: unknown): string | null {
  try {
    return canonicalize(value);
  } catch {
    return null;
  }
}

type HeadState = { state: 'ok'; head: { counter: number; hash: string } } | { state: 'missing' } | { state: 'damaged' };

interface Statements {
  head: Statement;
  lastCounter: Statement;
  insert: Statement;
  moveHead: Statement;
  chain: Statement;
}

// Compiled once per open database (an unlock opens a new one): compiling dominated the cost of an append.
const statementCache = new WeakMap<Database, Statements>();

function statements(db: Database): Statements {
  let cached = statementCache.get(db);
  if (!cached) {
    cached = {
      head: db.prepare('SELECT counter, hash FROM audit_head WHERE id = 1'),
      lastCounter: db.prepare('SELECT max(counter) AS counter FROM audit_entries'),
      insert: db.prepare(`INSERT INTO audit_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      moveHead: db.prepare('UPDATE audit_head SET counter = ?, hash = ? WHERE id = 1'),
      chain: db.prepare(`SELECT ${ENTRY_COLUMNS} FROM audit_entries ORDER BY counter`),
    };
    statementCache.set(db, cached);
  }
  return cached;
}

function readHead(db: Database): HeadState {
  const row = statements(db).head.get() as { counter: unknown; hash: unknown } | undefined;
  if (!row) return { state: 'missing' };
  const { counter, hash } = row;
  if (typeof counter !== 'number' || !Number.isSafeInteger(counter) || counter < 0) return { state: 'damaged' };
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return { state: 'damaged' };
  return { state: 'ok', head: { counter, hash } };
}

function summarise(entry: AuditEntry): string {
  return `${AUDIT_ACTION_LABELS[entry.action].toLowerCase()}, ${entry.deviceTime}`;
}

function broken(brokenAt: number, reason: AuditBreakReason, message: string): AuditVerification {
  return { ok: false, brokenAt, reason, message };
}

export class AuditTrail {
  // The actor's fingerprint per open vault: a new unlock is a new Vault object, so nothing stale survives a lock.
  private readonly actors = new WeakMap<Vault, string>();

  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db(): Database {
    return this.session.requireVault().db;
  }

  private actorOf(vault: Vault): string {
    let actor = this.actors.get(vault);
    if (!actor) {
      const profile = this.session.status().profile;
      if (!profile) throw new AppError('vault-locked', 'The vault is locked. Unlock it to continue.');
      actor = profile.fingerprint;
      this.actors.set(vault, actor);
    }
    return actor;
  }

  /**
   * Records one action and returns the stored entry. Synchronous: call it inside your own db.transaction to make
   * the record and the action one atomic change. Refuses (and stores nothing) for an invalid entry, or when the
   * trail's head record is missing or damaged, because then no counter or link can be chosen honestly.
   */
  append(input: AuditAppend): AuditEntry {
    const parsed = AuditAppendInput.safeParse(input);
    if (!parsed.success) {
      throw new AuditError('audit-invalid-entry', `This action cannot be recorded in the audit trail: ${z.prettifyError(parsed.error)}`);
    }
    const vault = this.session.requireVault();
    const actor = this.actorOf(vault);
    const db = vault.db;
    const deviceTime = this.now().toISOString();
    return db.transaction((): AuditEntry => {
      const headState = readHead(db);
      if (headState.state !== 'ok') {
        throw new AuditError(
          'audit-chain-broken',
          `The audit trail's record of its last entry is ${headState.state} in this vault, so nothing more can be recorded. The vault has been altered outside Hearing Desk; restore it from a backup.`,
        );
      }
      const { head } = headState;
      // Counters only ever rise, even past entries someone added behind the head's back (verify reports those).
      const last = (statements(db).lastCounter.get() as { counter: number | null }).counter ?? 0;
      const fields = {
        counter: Math.max(head.counter, last) + 1,
        caseId: parsed.data.caseId,
        action: parsed.data.action,
        object: parsed.data.object,
        actor,
        deviceTime,
        details: parsed.data.details ?? {},
        previousHash: head.hash,
      };
      let hash: string;
      let detailsJson: string;
      try {
        detailsJson = canonicalize(fields.details);
        // Return the details exactly as stored and read back (-0 becomes 0, as in any JSON).
        fields.details = JSON.parse(detailsJson) as typeof fields.details;
        hash = auditEntryHash(fields);
      } catch (error) {
        if (error instanceof CanonicalJsonError) {
          throw new AuditError('audit-invalid-entry', `This action cannot be recorded in the audit trail: ${error.message}`);
        }
        throw error;
      }
      const entry = AuditEntry.safeParse({ ...fields, hash });
      if (!entry.success) {
        // Only the device clock can get here (a date outside years 0000–9999).
        throw new AuditError('audit-invalid-entry', `This action cannot be recorded: the device clock reads ${deviceTime}, which is not a usable date.`);
      }
      statements(db).insert.run(
        fields.counter,
        fields.caseId,
        fields.action,
        fields.object,
        fields.actor,
        fields.deviceTime,
        detailsJson,
        fields.previousHash,
        hash,
      );
      statements(db).moveHead.run(fields.counter, hash);
      return entry.data;
    })();
  }

  /** Entries newest first, for screens: all, or one case's; `before` pages on by counter. Does not verify. */
  entries(query: { caseId?: string; limit?: number; before?: number } = {}): AuditEntry[] {
    const parsed = AuditEntriesQuery.safeParse(query);
    if (!parsed.success) throw new AppError('invalid-input', `That audit trail query is not valid: ${z.prettifyError(parsed.error)}`);
    const { caseId, limit = DEFAULT_PAGE, before } = parsed.data;
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (caseId !== undefined) {
      where.push('case_id = ?');
      params.push(caseId);
    }
    if (before !== undefined) {
      where.push('counter < ?');
      params.push(before);
    }
    const sql = `SELECT ${ENTRY_COLUMNS} FROM audit_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY counter DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...params, limit) as EntryRow[];
    return rows.map((row) => {
      const result = parseRow(row);
      if (!result.ok) {
        throw new AuditError('audit-chain-broken', `Entry ${row.counter} of the audit trail is damaged: its ${result.field} is not a valid value.`);
      }
      return result.entry;
    });
  }

  /** The last entry's counter and hash as recorded by the last append; null before the first entry. */
  head(): AuditHead | null {
    const state = readHead(this.db);
    if (state.state !== 'ok') {
      throw new AuditError('audit-chain-broken', `The audit trail's record of its last entry is ${state.state}. The vault has been altered outside Hearing Desk.`);
    }
    return state.head.counter === 0 ? null : state.head;
  }

  /** Walks the whole chain from entry 1 and reports the first entry that is broken, and how, in plain words. */
  verify(): AuditVerification {
    const db = this.db;
    const headState = readHead(db);
    const head = headState.state === 'ok' ? headState.head : null;
    let expected = 1;
    let previousHash = AUDIT_GENESIS_HASH;
    for (const row of statements(db).chain.iterate() as IterableIterator<EntryRow>) {
      const counter = row.counter;
      if (counter !== expected) {
        const missing = counter === expected + 1 ? `entry ${expected} is missing` : `entries ${expected} to ${counter - 1} are missing`;
        const where = expected === 1 ? `the trail starts at entry ${counter}` : `entry ${expected - 1} is followed by entry ${counter}`;
        return broken(expected, 'counter-gap', `The audit trail is broken at entry ${expected}: ${missing} (${where}). Entries were deleted.`);
      }
      if (head && counter > head.counter) {
        return broken(counter, 'head-mismatch', `The audit trail is broken at entry ${counter}: it comes after the last entry Hearing Desk recorded (entry ${head.counter}), so it was added outside the app.`);
      }
      const parsed = parseRow(row);
      if (!parsed.ok) {
        return broken(counter, 'malformed', `The audit trail is broken at entry ${counter}: its ${parsed.field} is not a valid value. The entry was altered outside Hearing Desk.`);
      }
      const entry = parsed.entry;
      if (auditEntryHash(entry) !== entry.hash) {
        return broken(counter, 'hash-mismatch', `The audit trail is broken at entry ${counter} (${summarise(entry)}): it was changed after it was written, so its contents no longer match its hash.`);
      }
      if (entry.previousHash !== previousHash) {
        const message =
          counter === 1
            ? 'The audit trail is broken at entry 1: it should start the trail but points at an earlier entry, so the start of the trail was replaced.'
            : `The audit trail is broken at entry ${counter} (${summarise(entry)}): it does not follow on from entry ${counter - 1}, so one of the two was replaced or moved.`;
        return broken(counter, 'previous-mismatch', message);
      }
      previousHash = entry.hash;
      expected++;
    }
    const count = expected - 1;
    if (!head) {
      return broken(count, 'malformed', `The audit trail's record of its last entry is ${headState.state}, so it cannot show whether entries were removed from the end. The vault was altered outside Hearing Desk.`);
    }
    if (count < head.counter) {
      const missing = head.counter === count + 1 ? `entry ${head.counter} is missing` : `entries ${count + 1} to ${head.counter} are missing`;
      return broken(count + 1, 'truncated', `The audit trail is broken at entry ${count + 1}: it ends at entry ${count}, but ${missing}. Its last entries were removed.`);
    }
    if (head.hash !== previousHash) {
      return broken(count, 'head-mismatch', `The audit trail is broken at entry ${count}: it is not the last entry Hearing Desk recorded, so it was replaced outside the app.`);
    }
    return { ok: true, count, headHash: previousHash };
  }

  /** Verifies the chain; throws AuditError('audit-chain-broken') naming the broken entry. Used to block signing and export. */
  requireIntact(): { count: number; headHash: string } {
    const report = this.verify();
    if (!report.ok) throw new AuditError('audit-chain-broken', report.message, report);
    return { count: report.count, headHash: report.headHash };
  }
}
