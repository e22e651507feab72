// Versioned schema migrations, applied in order inside one transaction each; PRAGMA user_version records
// the version reached. A migration, once shipped, is never edited: add a new one.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';

export interface Migration { version: number; description: string; up: (db: Database) => void }

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'profile, identity keys and address book',
    up: (db) => {
      db.exec(`
        CREATE TABLE profile (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE identity_keys (
          profile_id TEXT PRIMARY KEY REFERENCES profile(id),
          age_identity TEXT NOT NULL,
          age_recipient TEXT NOT NULL,
          signing_seed BLOB NOT NULL,
          signing_public BLOB NOT NULL
        );
        CREATE TABLE contacts (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          age_recipient TEXT NOT NULL UNIQUE,
          signing_key TEXT NOT NULL UNIQUE,
          fingerprint TEXT NOT NULL,
          card_json TEXT NOT NULL,
          verified_at TEXT,
          imported_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'user settings',
    up: (db) => {
      db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    },
  },
  {
    version: 3,
    description: 'cases from sealed bundles, their documents, wipe records; the clerk\'s case drafts',
    up: (db) => {
      db.exec(`
        -- A case as received in a bundle. Rows with status 'importing' are provisional: they become visible only
        -- when the whole bundle has verified, and are deleted at the next unlock if the app stopped mid-import.
        CREATE TABLE cases (
          id TEXT PRIMARY KEY,
          bundle_id TEXT NOT NULL,
          reference TEXT NOT NULL,
          title TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('importing', 'ready')),
          revision INTEGER NOT NULL,
          manifest_json TEXT NOT NULL,
          manifest_signature TEXT NOT NULL,
          sealed_by_key TEXT NOT NULL,
          expires_on TEXT NOT NULL,
          index_pdf BLOB,
          imported_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX one_ready_copy_per_bundle ON cases (bundle_id) WHERE status = 'ready';
        CREATE TABLE case_documents (
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE ON UPDATE CASCADE,
          id TEXT NOT NULL,
          position INTEGER NOT NULL,
          entry_json TEXT NOT NULL,
          verified INTEGER NOT NULL DEFAULT 0,
          PRIMARY KEY (case_id, id)
        );
        -- Document bytes in 1 MiB pieces, so neither import nor reading ever holds a whole large file at once.
        CREATE TABLE case_document_chunks (
          case_id TEXT NOT NULL,
          document_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (case_id, document_id, seq),
          FOREIGN KEY (case_id, document_id) REFERENCES case_documents(case_id, id) ON DELETE CASCADE ON UPDATE CASCADE
        );
        CREATE TABLE wiped_cases (
          case_id TEXT NOT NULL,
          reference TEXT NOT NULL,
          reason TEXT NOT NULL,
          wiped_at TEXT NOT NULL
        );
        -- The clerk's side: a case being prepared, and the evidence added to it (kept in the vault, not copied
        -- anywhere else, until it is sealed).
        CREATE TABLE case_drafts (
          id TEXT PRIMARY KEY,
          draft_json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TABLE draft_documents (
          draft_id TEXT NOT NULL REFERENCES case_drafts(id) ON DELETE CASCADE,
          id TEXT NOT NULL,
          meta_json TEXT NOT NULL,
          bytes INTEGER NOT NULL,
          sha256 TEXT NOT NULL,
          PRIMARY KEY (draft_id, id)
        );
        -- The bundle as last sealed (its PDF and page record), so a later revision appends a supplement to exactly
        -- these pages instead of renumbering them.
        CREATE TABLE draft_assemblies (
          draft_id TEXT PRIMARY KEY REFERENCES case_drafts(id) ON DELETE CASCADE,
          record_json TEXT NOT NULL,
          pdf BLOB NOT NULL
        );
        CREATE TABLE draft_document_chunks (
          draft_id TEXT NOT NULL,
          document_id TEXT NOT NULL,
          seq INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (draft_id, document_id, seq),
          FOREIGN KEY (draft_id, document_id) REFERENCES draft_documents(draft_id, id) ON DELETE CASCADE
        );
      `);
    },
  },
  {
    version: 4,
    description: 'audit trail',
    up: (db) => {
      db.exec(`
        -- One hash chain per vault (electron/services/audit.ts). No foreign key to cases: the trail outlives a
        -- wiped case. The counter is the rowid, so entries are always read back in counter order.
        CREATE TABLE audit_entries (
          counter INTEGER PRIMARY KEY CHECK (counter >= 1),
          case_id TEXT,
          action TEXT NOT NULL,
          object TEXT NOT NULL,
          actor TEXT NOT NULL,
          device_time TEXT NOT NULL,
          details_json TEXT NOT NULL,
          previous_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        CREATE INDEX audit_entries_by_case ON audit_entries (case_id, counter);
        -- The last entry's counter and hash, kept apart from the entries: the chain alone cannot show that its
        -- tail was cut off, this row can. Counter 0 and the genesis hash mean "nothing written yet".
        CREATE TABLE audit_head (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          counter INTEGER NOT NULL CHECK (counter >= 0),
          hash TEXT NOT NULL
        );
        INSERT INTO audit_head (id, counter, hash) VALUES (1, 0, '${'0'.repeat(64)}');
      `);
    },
  },
  // Reserved while three services are written in parallel; each fills in its own body (unreleased, so editable).
  {
    version: 5,
    description: 'full-text search of page text, annotations with history and conflicts, legal holds',
    up: (db) => {
      db.exec(`
        -- Per-page text of each received document (electron/services/search.ts), for search and re-anchoring.
        -- Removed with its case row (wipe, or a later revision replacing it).
        CREATE TABLE page_texts (
          seq INTEGER PRIMARY KEY,
          case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
          document_id TEXT NOT NULL,
          document_page INTEGER NOT NULL,
          bundle_page INTEGER NOT NULL,
          label TEXT NOT NULL,
          text TEXT NOT NULL,
          UNIQUE (case_id, document_id, document_page)
        );
        -- External-content FTS5 indexes kept in step by triggers. 'secure-delete' removes a deleted row's terms from
        -- the index at once instead of leaving them in old segments until a merge.
        CREATE VIRTUAL TABLE page_text_index USING fts5(text, content='page_texts', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO page_text_index (page_text_index, rank) VALUES ('secure-delete', 1);
        CREATE TRIGGER page_texts_indexed AFTER INSERT ON page_texts BEGIN
          INSERT INTO page_text_index (rowid, text) VALUES (new.seq, new.text);
        END;
        CREATE TRIGGER page_texts_unindexed AFTER DELETE ON page_texts BEGIN
          INSERT INTO page_text_index (page_text_index, rowid, text) VALUES ('delete', old.seq, old.text);
        END;
        CREATE TRIGGER page_texts_reindexed AFTER UPDATE ON page_texts BEGIN
          INSERT INTO page_text_index (page_text_index, rowid, text) VALUES ('delete', old.seq, old.text);
          INSERT INTO page_text_index (rowid, text) VALUES (new.seq, new.text);
        END;

        -- Annotations (electron/services/annotations/), keyed by bundle so they outlive a case row replaced by a
        -- later revision of the same bundle. One row per annotation: its current version; deleted rows are
        -- tombstones (content NULL) so an older copy arriving later cannot bring it back.
        CREATE TABLE annotations (
          seq INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          bundle_id TEXT NOT NULL,
          author_key TEXT NOT NULL,
          visibility TEXT NOT NULL CHECK (visibility IN ('private', 'panel', 'legal-advice')),
          version INTEGER NOT NULL CHECK (version >= 1),
          deleted INTEGER NOT NULL CHECK (deleted IN (0, 1)),
          content_json TEXT,
          search_text TEXT NOT NULL,
          created_at TEXT NOT NULL,
          modified_at TEXT NOT NULL,
          provenance TEXT NOT NULL CHECK (provenance IN ('local', 'pack', 'jsonld')),
          CHECK ((deleted = 1) = (content_json IS NULL))
        );
        CREATE INDEX annotations_by_bundle ON annotations (bundle_id, author_key);
        CREATE VIRTUAL TABLE annotation_text_index USING fts5(search_text, content='annotations', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
        INSERT INTO annotation_text_index (annotation_text_index, rank) VALUES ('secure-delete', 1);
        CREATE TRIGGER annotations_indexed AFTER INSERT ON annotations BEGIN
          INSERT INTO annotation_text_index (rowid, search_text) VALUES (new.seq, new.search_text);
        END;
        CREATE TRIGGER annotations_unindexed AFTER DELETE ON annotations BEGIN
          INSERT INTO annotation_text_index (annotation_text_index, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
        END;
        CREATE TRIGGER annotations_reindexed AFTER UPDATE ON annotations BEGIN
          INSERT INTO annotation_text_index (annotation_text_index, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
          INSERT INTO annotation_text_index (rowid, search_text) VALUES (new.seq, new.search_text);
        END;
        -- Every version of every annotation, in the order this vault saw them.
        CREATE TABLE annotation_versions (
          seq INTEGER PRIMARY KEY,
          annotation_id TEXT NOT NULL,
          bundle_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          visibility TEXT NOT NULL,
          deleted INTEGER NOT NULL,
          content_json TEXT,
          modified_at TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          source TEXT NOT NULL
        );
        CREATE INDEX annotation_versions_by_annotation ON annotation_versions (annotation_id, seq);
        CREATE INDEX annotation_versions_by_bundle ON annotation_versions (bundle_id);
        -- Two different contents under the same author version (one profile used on two laptops): the one not kept
        -- as current is recorded here and shown, never silently lost.
        CREATE TABLE annotation_conflicts (
          seq INTEGER PRIMARY KEY,
          annotation_id TEXT NOT NULL,
          bundle_id TEXT NOT NULL,
          version INTEGER NOT NULL,
          variant_hash TEXT NOT NULL,
          visibility TEXT,
          deleted INTEGER NOT NULL,
          content_json TEXT,
          modified_at TEXT,
          detected_at TEXT NOT NULL,
          UNIQUE (annotation_id, version, variant_hash)
        );
        CREATE INDEX annotation_conflicts_by_bundle ON annotation_conflicts (bundle_id);
        -- A legal hold keeps private notes from being destroyed at the end of a case.
        CREATE TABLE legal_holds (
          bundle_id TEXT PRIMARY KEY,
          reason TEXT NOT NULL,
          set_at TEXT NOT NULL,
          set_by TEXT NOT NULL
        );
        -- When the last copy of a bundle leaves the vault (a wipe), its annotations go with it, unless held.
        -- A later revision replacing an earlier one never triggers this: the new row exists when the old is deleted.
        CREATE TRIGGER case_annotations_removed AFTER DELETE ON cases
        WHEN NOT EXISTS (SELECT 1 FROM cases WHERE bundle_id = old.bundle_id)
          AND NOT EXISTS (SELECT 1 FROM legal_holds WHERE bundle_id = old.bundle_id)
        BEGIN
          DELETE FROM annotations WHERE bundle_id = old.bundle_id;
          DELETE FROM annotation_versions WHERE bundle_id = old.bundle_id;
          DELETE FROM annotation_conflicts WHERE bundle_id = old.bundle_id;
        END;
      `);
    },
  },
  {
    version: 6,
    description: 'decision drafts with every revision, the named scribe, participants\' declarations and training records',
    up: (db) => {
      db.exec(`
        -- Every revision of a case's decision, saved here or imported from the chair (or scribe). Keyed by bundle id,
        -- not case row: a clerk's later bundle revision replaces the case row and must not lose the panel's draft.
        CREATE TABLE decision_revisions (
          bundle_id TEXT NOT NULL,
          revision INTEGER NOT NULL CHECK (revision >= 1),
          status TEXT NOT NULL CHECK (status IN ('draft', 'final')),
          origin TEXT NOT NULL CHECK (origin IN ('saved', 'imported')),
          author TEXT NOT NULL,
          draft_json TEXT NOT NULL,
          stored_at TEXT NOT NULL,
          PRIMARY KEY (bundle_id, revision)
        );
        -- A revision, once written, is the record of what the panel saw: never rewritten.
        CREATE TRIGGER decision_revisions_are_immutable BEFORE UPDATE ON decision_revisions
        BEGIN SELECT RAISE(ABORT, 'decision revisions are never changed'); END;
        -- The scribe the chair named (null: the chair writes alone).
        CREATE TABLE decision_editors (
          bundle_id TEXT PRIMARY KEY,
          scribe_participant_id TEXT,
          named_at TEXT NOT NULL
        );
        -- A participant's own conflict declaration and training date ('own'), and those the chair imported from
        -- participants' signed envelopes ('imported'): the latest of each, with when its author recorded it.
        CREATE TABLE participant_records (
          bundle_id TEXT NOT NULL,
          participant_id TEXT NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('declaration', 'training')),
          origin TEXT NOT NULL CHECK (origin IN ('own', 'imported')),
          record_json TEXT NOT NULL,
          recorded_at TEXT NOT NULL,
          PRIMARY KEY (bundle_id, participant_id, kind, origin)
        );
        -- When the last copy of a case goes (wiped, expired, or an import of it abandoned), its decision goes too.
        CREATE TRIGGER decision_data_follows_case AFTER DELETE ON cases
        WHEN NOT EXISTS (SELECT 1 FROM cases WHERE bundle_id = OLD.bundle_id)
        BEGIN
          DELETE FROM decision_revisions WHERE bundle_id = OLD.bundle_id;
          DELETE FROM decision_editors WHERE bundle_id = OLD.bundle_id;
          DELETE FROM participant_records WHERE bundle_id = OLD.bundle_id;
        END;
      `);
    },
  },
  {
    version: 7,
    description: 'outcome records being signed, what each signer saw, and the central-office ledger',
    up: (db) => {
      db.exec(`
        -- The chair's side: the record being signed for a case, as canonical bytes, with the signatures collected so
        -- far (electron/services/records/record.ts). The version rises whenever the bytes change.
        CREATE TABLE outcome_drafts (
          case_reference TEXT PRIMARY KEY,
          version INTEGER NOT NULL CHECK (version >= 1),
          payload BLOB NOT NULL,
          signatures_json TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        -- Every version of a record this user was shown to sign, so the next one is shown as a diff against it.
        CREATE TABLE outcome_seen (
          case_reference TEXT NOT NULL,
          version INTEGER NOT NULL,
          payload_sha256 TEXT NOT NULL,
          payload BLOB NOT NULL,
          seen_at TEXT NOT NULL,
          PRIMARY KEY (case_reference, version, payload_sha256)
        );
        -- The central office's ledger (electron/services/records/ledger.ts): one row per accepted record, with the
        -- columns the statistics group by, and the criteria versions the office has published.
        -- Small columns only: statistics scan these rows, and large values in them would drag overflow pages along.
        CREATE TABLE ledger_records (
          record_id TEXT PRIMARY KEY,
          case_reference TEXT NOT NULL UNIQUE,
          summary_json TEXT NOT NULL,
          quarter TEXT NOT NULL,
          region TEXT,
          complaint_type TEXT,
          deciding_body TEXT NOT NULL,
          outcome_category TEXT NOT NULL,
          complaint_received TEXT,
          decision_date TEXT NOT NULL,
          course_due TEXT,
          criteria_id TEXT NOT NULL,
          criteria_version TEXT NOT NULL,
          package_sha256 TEXT NOT NULL,
          ingested_at TEXT NOT NULL
        );
        CREATE INDEX ledger_records_by_decision ON ledger_records (decision_date);
        -- What was received, kept as received: the signed record (JSON) and the decision letter.
        CREATE TABLE ledger_record_files (
          record_id TEXT PRIMARY KEY REFERENCES ledger_records(record_id),
          signed_json TEXT NOT NULL,
          letter_pdf BLOB NOT NULL
        );
        CREATE TABLE ledger_course_completions (
          case_reference TEXT PRIMARY KEY REFERENCES ledger_records(case_reference),
          completed_on TEXT NOT NULL
        );
        CREATE TABLE published_criteria (
          criteria_id TEXT NOT NULL,
          version TEXT NOT NULL,
          digest TEXT NOT NULL,
          signed_json TEXT NOT NULL,
          published_at TEXT NOT NULL,
          PRIMARY KEY (criteria_id, version)
        );
      `);
    },
  },
  {
    version: 8,
    description: 'signed criteria and decision history received from the central office',
    up: (db) => {
      db.exec(`
        -- Criteria a panel imported, verified against a central-office contact: one document per id and version.
        CREATE TABLE held_criteria (
          criteria_id TEXT NOT NULL,
          version TEXT NOT NULL,
          digest TEXT NOT NULL,
          title TEXT NOT NULL,
          signer_name TEXT NOT NULL,
          signer_key TEXT NOT NULL,
          signer_fingerprint TEXT NOT NULL,
          signed_json TEXT NOT NULL,
          criteria_json TEXT NOT NULL,
          imported_at TEXT NOT NULL,
          PRIMARY KEY (criteria_id, version)
        );
        -- The latest anonymised decision history from each central office (keyed by its signing key).
        CREATE TABLE held_decision_history (
          signer_key TEXT PRIMARY KEY,
          signer_name TEXT NOT NULL,
          signer_fingerprint TEXT NOT NULL,
          issued_on TEXT NOT NULL,
          outcome_count INTEGER NOT NULL,
          outcomes_json TEXT NOT NULL,
          imported_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 9,
    description: "each user's place in each case's evidence (document, page, zoom)",
    up: (db) => {
      db.exec(`
        -- Keyed by bundle, so a later revision of the same bundle keeps the place; deleted with the last copy.
        CREATE TABLE reader_places (
          bundle_id TEXT PRIMARY KEY,
          document_id TEXT NOT NULL,
          page INTEGER NOT NULL CHECK (page >= 1),
          zoom TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE TRIGGER reader_places_follow_wipe AFTER DELETE ON cases
        WHEN NOT EXISTS (SELECT 1 FROM cases WHERE bundle_id = OLD.bundle_id)
        BEGIN
          DELETE FROM reader_places WHERE bundle_id = OLD.bundle_id;
        END;
      `);
    },
  },
  {
    version: 10,
    description: "the chair's X.509 certificate and P-256 key for signing decision letters",
    up: (db) => {
      db.exec(`
        -- electron/services/records/certificate-store.ts. One current certificate per identity, reused for every
        -- letter; an expired one (or a damaged one the user chose to replace) is kept, since letters signed earlier
        -- name it, but marked superseded, and its private key is overwritten with NULL: it never signs again.
        CREATE TABLE chair_certificates (
          seq INTEGER PRIMARY KEY,
          fingerprint TEXT NOT NULL,
          serial_hex TEXT NOT NULL UNIQUE,
          certificate_der BLOB NOT NULL,
          private_key_pkcs8 BLOB,
          not_before TEXT NOT NULL,
          not_after TEXT NOT NULL,
          issued_at TEXT NOT NULL,
          superseded_at TEXT,
          superseded_reason TEXT CHECK (superseded_reason IN ('expired', 'damaged')),
          CHECK ((superseded_at IS NULL) = (superseded_reason IS NULL)),
          CHECK ((superseded_at IS NULL) = (private_key_pkcs8 IS NOT NULL))
        );
        CREATE UNIQUE INDEX one_current_chair_certificate ON chair_certificates (fingerprint) WHERE superseded_at IS NULL;
        -- A certificate, once issued, names letters: only its superseding may change, and only once.
        CREATE TRIGGER chair_certificates_are_kept BEFORE DELETE ON chair_certificates
        BEGIN SELECT RAISE(ABORT, 'chair certificates are never deleted'); END;
        CREATE TRIGGER chair_certificates_change_only_by_superseding BEFORE UPDATE ON chair_certificates
        WHEN OLD.superseded_at IS NOT NULL
          OR NEW.seq IS NOT OLD.seq OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.serial_hex IS NOT OLD.serial_hex
          OR NEW.certificate_der IS NOT OLD.certificate_der OR NEW.not_before IS NOT OLD.not_before
          OR NEW.not_after IS NOT OLD.not_after OR NEW.issued_at IS NOT OLD.issued_at
          OR (NEW.private_key_pkcs8 IS NOT NULL AND NEW.private_key_pkcs8 IS NOT OLD.private_key_pkcs8)
        BEGIN SELECT RAISE(ABORT, 'a chair certificate is only ever marked superseded'); END;
      `);
    },
  },
  {
    version: 11,
    description: 'outcome exports noted as pending until their file is complete, logged and retention applied',
    up: (db) => {
      db.exec(`
        -- electron/services/records/outcome-export.ts: the first phase of an export's two-phase commit. A row lives
        -- from just before the package is written until the transaction that logs it and applies retention; one
        -- left by a crash is settled at the next unlock.
        CREATE TABLE pending_outcome_exports (
          case_id TEXT PRIMARY KEY,
          case_reference TEXT NOT NULL,
          record_id TEXT NOT NULL,
          path TEXT NOT NULL,
          sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
          bytes INTEGER NOT NULL CHECK (bytes > 0),
          noted_at TEXT NOT NULL
        );
      `);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema up to `target` (default: latest). Returns the versions applied. */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError('vault-unavailable', `This vault was written by a newer version of Hearing Desk (schema ${current}, newer than this app understands: ${LATEST_SCHEMA_VERSION}). Update the app to open it; nothing was changed.`);
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
