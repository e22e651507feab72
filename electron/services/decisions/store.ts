// The decision tables (vault migration 6). Plain synchronous statements: callers wrap them, with their audit entry,
// in one db.transaction so a change and its record are one atomic step.
import type { Database } from 'better-sqlite3';
import { ConflictDeclaration } from '../../../shared/domain/case';
import { DecisionDraft } from '../../../shared/domain/decision';
import { TrainingRecord } from '../../../shared/domain/decision-draft-file';
import { AppError } from '../../../shared/errors';

export type RevisionOrigin = 'saved' | 'imported';

export interface StoredRevision {
  revision: number;
  status: 'draft' | 'final';
  origin: RevisionOrigin;
  /** Fingerprint of who wrote it. */
  author: string;
  storedAt: string;
  draft: DecisionDraft;
}

interface RevisionRow {
  revision: number;
  status: 'draft' | 'final';
  origin: RevisionOrigin;
  author: string;
  draft_json: string;
  stored_at: string;
}

function toRevision(row: RevisionRow): StoredRevision {
  // Re-validated on the way out: a row altered outside the app must not reach the checker or another laptop.
  const parsed = DecisionDraft.safeParse(JSON.parse(row.draft_json));
  if (!parsed.success || parsed.data.revision !== row.revision || parsed.data.status !== row.status) {
    throw new AppError('vault-corrupt', `Revision ${row.revision} of this decision is damaged in the vault and cannot be read.`);
  }
  return { revision: row.revision, status: row.status, origin: row.origin, author: row.author, storedAt: row.stored_at, draft: parsed.data };
}

export function latestRevision(db: Database, bundleId: string): StoredRevision | null {
  const row = db.prepare('SELECT * FROM decision_revisions WHERE bundle_id = ? ORDER BY revision DESC LIMIT 1').get(bundleId) as RevisionRow | undefined;
  return row ? toRevision(row) : null;
}

export function revisionAt(db: Database, bundleId: string, revision: number): StoredRevision | null {
  const row = db.prepare('SELECT * FROM decision_revisions WHERE bundle_id = ? AND revision = ?').get(bundleId, revision) as RevisionRow | undefined;
  return row ? toRevision(row) : null;
}

export type RevisionSummaryRow = Omit<StoredRevision, 'draft'>;

export function listRevisions(db: Database, bundleId: string): RevisionSummaryRow[] {
  const rows = db.prepare('SELECT revision, status, origin, author, stored_at FROM decision_revisions WHERE bundle_id = ? ORDER BY revision').all(bundleId) as Omit<RevisionRow, 'draft_json'>[];
  return rows.map((row) => ({ revision: row.revision, status: row.status, origin: row.origin, author: row.author, storedAt: row.stored_at }));
}

export function insertRevision(db: Database, bundleId: string, draft: DecisionDraft, origin: RevisionOrigin, storedAt: string, draftJson = JSON.stringify(draft)): void {
  db.prepare('INSERT INTO decision_revisions (bundle_id, revision, status, origin, author, draft_json, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    bundleId,
    draft.revision,
    draft.status,
    origin,
    draft.author,
    draftJson,
    storedAt,
  );
}

export function setScribe(db: Database, bundleId: string, participantId: string | null, namedAt: string): void {
  db.prepare(
    `INSERT INTO decision_editors (bundle_id, scribe_participant_id, named_at) VALUES (?, ?, ?)
     ON CONFLICT(bundle_id) DO UPDATE SET scribe_participant_id = excluded.scribe_participant_id, named_at = excluded.named_at`,
  ).run(bundleId, participantId, namedAt);
}

export type RecordKind = 'declaration' | 'training';
export type RecordOrigin = 'own' | 'imported';

export interface ParticipantRecords {
  declaration: { value: ConflictDeclaration; recordedAt: string } | null;
  training: { value: TrainingRecord; recordedAt: string } | null;
}

export function readParticipantRecords(db: Database, bundleId: string, participantId: string, origin: RecordOrigin): ParticipantRecords {
  const rows = db
    .prepare('SELECT kind, record_json, recorded_at FROM participant_records WHERE bundle_id = ? AND participant_id = ? AND origin = ?')
    .all(bundleId, participantId, origin) as { kind: RecordKind; record_json: string; recorded_at: string }[];
  const result: ParticipantRecords = { declaration: null, training: null };
  for (const row of rows) {
    const json = JSON.parse(row.record_json) as unknown;
    if (row.kind === 'declaration') {
      const parsed = ConflictDeclaration.safeParse(json);
      if (parsed.success) result.declaration = { value: parsed.data, recordedAt: row.recorded_at };
    } else {
      const parsed = TrainingRecord.safeParse(json);
      if (parsed.success) result.training = { value: parsed.data, recordedAt: row.recorded_at };
    }
  }
  return result;
}

export function writeParticipantRecord(db: Database, bundleId: string, participantId: string, kind: RecordKind, origin: RecordOrigin, value: unknown, recordedAt: string): void {
  db.prepare(
    `INSERT INTO participant_records (bundle_id, participant_id, kind, origin, record_json, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(bundle_id, participant_id, kind, origin) DO UPDATE SET record_json = excluded.record_json, recorded_at = excluded.recorded_at`,
  ).run(bundleId, participantId, kind, origin, JSON.stringify(value), recordedAt);
}
