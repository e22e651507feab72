// What the central office publishes, as a panel's laptop holds it: signed sanctions criteria and the signed,
// anonymised decision history the consistency rule compares with. Both are verified against the central-office
// contacts in the address book before anything is stored, and stored in the vault, so a decision is only ever
// checked against criteria someone with the central office's key published. The shipped SAMPLE criteria stay
// usable for cases that name the sample itself (its own id), and for nothing else.
//
// Every refusal is a typed error and stores nothing: each import verifies first, then writes in one transaction.
import type { HistoricalOutcome } from '../../shared/checker';
import { sampleCriteria } from '../../shared/criteria';
import type { CriteriaReference } from '../../shared/domain/case';
import { CriteriaDocument } from '../../shared/domain/criteria';
import type { Contact } from '../../shared/domain/profile';
import { AppError } from '../../shared/errors';
import { CriteriaError, verifySignedCriteria } from './criteria';
import type { CriteriaResolver } from './decisions';
import { verifyDecisionHistory } from './records/history';
import type { Session } from './session';

/** Far larger than any criteria document (the sample is ~40 KB); anything bigger is not one. */
export const MAX_CRITERIA_FILE_BYTES = 4 * 1024 * 1024;
/** A history holds at most 1,000,000 outcomes of ~90 bytes of JSON each. */
export const MAX_HISTORY_FILE_BYTES = 128 * 1024 * 1024;

export const PUBLISHED_ERROR_CODES = [
  /** The case names criteria this laptop holds no signed copy of (and they are not the shipped sample). */
  'criteria-not-published',
  /** A different document under an id and version already held: a version, once published, never changes. */
  'criteria-version-conflict',
  /** A history older than the one already held from the same central office. */
  'history-out-of-date',
  /** A file far larger than any criteria or history could be. */
  'published-file-too-large',
] as const;
export type PublishedErrorCode = (typeof PUBLISHED_ERROR_CODES)[number];

export class PublishedError extends AppError {
  declare readonly code: PublishedErrorCode;
  constructor(code: PublishedErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}

export interface HeldCriteriaSummary {
  id: string;
  version: string;
  title: string;
  digest: string;
  /** The document says of itself that it is a sample. */
  isSample: boolean;
  signer: { name: string; fingerprint: string };
  importedAt: string;
}

export interface HeldHistorySummary {
  signer: { name: string; fingerprint: string };
  issuedOn: string;
  outcomes: number;
  importedAt: string;
}

export interface PublishedList {
  criteria: HeldCriteriaSummary[];
  histories: HeldHistorySummary[];
}

export interface CriteriaImport {
  criteria: HeldCriteriaSummary;
  /** False when exactly this document was already held (nothing changed). */
  added: boolean;
}

export interface HistoryImport {
  history: HeldHistorySummary;
  /** An older history from the same office was replaced. */
  replaced: boolean;
}

/** The history the checker's consistency rule reads (Decisions' `historyFor`). */
export type HistoryResolver = (criteria?: CriteriaDocument) => HistoricalOutcome[];

export const SAMPLE_CRITERIA_ID = 'sample-sanctions-criteria';

interface CriteriaRow {
  criteria_id: string;
  version: string;
  digest: string;
  title: string;
  signer_name: string;
  signer_fingerprint: string;
  criteria_json: string;
  imported_at: string;
}

interface HistoryRow {
  signer_key: string;
  signer_name: string;
  signer_fingerprint: string;
  issued_on: string;
  outcome_count: number;
  outcomes_json: string;
  imported_at: string;
}

function criteriaSummary(row: CriteriaRow, isSample: boolean): HeldCriteriaSummary {
  return {
    id: row.criteria_id,
    version: row.version,
    title: row.title,
    digest: row.digest,
    isSample,
    signer: { name: row.signer_name, fingerprint: row.signer_fingerprint },
    importedAt: row.imported_at,
  };
}

function historySummary(row: HistoryRow): HeldHistorySummary {
  return { signer: { name: row.signer_name, fingerprint: row.signer_fingerprint }, issuedOn: row.issued_on, outcomes: row.outcome_count, importedAt: row.imported_at };
}

function sizeOf(input: string | Uint8Array): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
}

export class PublishedStore {
  /** Parsed documents by digest: the resolver runs on every check, and a digest names exactly one text. */
  private readonly parsed = new Map<string, CriteriaDocument>();

  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db() {
    return this.session.requireVault().db;
  }

  /**
   * The contacts whose signature may publish: those whose fingerprint the user verified (an unverified card could
   * be anyone's). Each verifier further accepts only the central-office role.
   */
  private contacts(): Contact[] {
    return this.session.listContacts().filter((contact) => contact.verifiedAt !== null);
  }

  private fingerprintOf(signingKey: string): string {
    return this.contacts().find((contact) => contact.signingKey === signingKey)?.fingerprint ?? '';
  }

  /**
   * Verifies signed criteria (file text or bytes) against the central-office contacts and stores them. Importing
   * the very same document again changes nothing; a different document under a held id and version is refused.
   */
  importCriteria(input: string | Uint8Array): CriteriaImport {
    if (sizeOf(input) > MAX_CRITERIA_FILE_BYTES) {
      throw new PublishedError('published-file-too-large', `This file is ${sizeOf(input)} bytes, far larger than any criteria document (at most ${MAX_CRITERIA_FILE_BYTES}). It was not read.`);
    }
    const { criteria, signer, digest } = verifySignedCriteria(input, this.contacts());
    const db = this.db;
    const held = db.prepare('SELECT * FROM held_criteria WHERE criteria_id = ? AND version = ?').get(criteria.id, criteria.version) as CriteriaRow | undefined;
    if (held) {
      if (held.digest !== digest) {
        throw new PublishedError(
          'criteria-version-conflict',
          `You already hold criteria "${criteria.id}" version ${criteria.version} with different text. A published version never changes: ask the central office which file is genuine. Nothing was changed.`,
          { id: criteria.id, version: criteria.version, held: held.digest, offered: digest },
        );
      }
      return { criteria: criteriaSummary(held, criteria.sample === true), added: false };
    }
    const row: CriteriaRow & { signer_key: string; signed_json: string } = {
      criteria_id: criteria.id,
      version: criteria.version,
      digest,
      title: criteria.title,
      signer_name: signer.name,
      signer_key: signer.signingKey,
      signer_fingerprint: this.fingerprintOf(signer.signingKey),
      // Kept as signed, so the file can be shown or re-verified exactly as received.
      signed_json: typeof input === 'string' ? input : Buffer.from(input).toString('utf8'),
      criteria_json: JSON.stringify(criteria),
      imported_at: this.now().toISOString(),
    };
    db.prepare(
      `INSERT INTO held_criteria (criteria_id, version, digest, title, signer_name, signer_key, signer_fingerprint, signed_json, criteria_json, imported_at)
       VALUES (@criteria_id, @version, @digest, @title, @signer_name, @signer_key, @signer_fingerprint, @signed_json, @criteria_json, @imported_at)`,
    ).run(row);
    this.parsed.set(digest, criteria);
    return { criteria: criteriaSummary(row, criteria.sample === true), added: true };
  }

  /**
   * Verifies a signed decision history against the central-office contacts and stores its outcomes, replacing the
   * history held from the same office unless that one is newer.
   */
  importHistory(input: string | Uint8Array): HistoryImport {
    if (sizeOf(input) > MAX_HISTORY_FILE_BYTES) {
      throw new PublishedError('published-file-too-large', `This file is ${sizeOf(input)} bytes, far larger than any decision history (at most ${MAX_HISTORY_FILE_BYTES}). It was not read.`);
    }
    const { history, outcomes, signer } = verifyDecisionHistory(input, this.contacts());
    const db = this.db;
    const held = db.prepare('SELECT * FROM held_decision_history WHERE signer_key = ?').get(signer.signingKey) as HistoryRow | undefined;
    if (held && held.issued_on > history.issuedOn) {
      throw new PublishedError(
        'history-out-of-date',
        `This decision history from ${signer.name} was issued on ${history.issuedOn}, but you already hold a newer one (issued on ${held.issued_on}). Nothing was changed.`,
        { held: held.issued_on, offered: history.issuedOn },
      );
    }
    const row: HistoryRow = {
      signer_key: signer.signingKey,
      signer_name: signer.name,
      signer_fingerprint: this.fingerprintOf(signer.signingKey),
      issued_on: history.issuedOn,
      outcome_count: outcomes.length,
      outcomes_json: JSON.stringify(outcomes),
      imported_at: this.now().toISOString(),
    };
    db.prepare(
      `INSERT INTO held_decision_history (signer_key, signer_name, signer_fingerprint, issued_on, outcome_count, outcomes_json, imported_at)
       VALUES (@signer_key, @signer_name, @signer_fingerprint, @issued_on, @outcome_count, @outcomes_json, @imported_at)
       ON CONFLICT(signer_key) DO UPDATE SET signer_name = excluded.signer_name, signer_fingerprint = excluded.signer_fingerprint,
         issued_on = excluded.issued_on, outcome_count = excluded.outcome_count, outcomes_json = excluded.outcomes_json, imported_at = excluded.imported_at`,
    ).run(row);
    return { history: historySummary(row), replaced: held !== undefined };
  }

  /** The criteria held for an id and version, or null. */
  held(id: string, version: string): { criteria: CriteriaDocument; digest: string } | null {
    const row = this.db.prepare('SELECT digest, criteria_json FROM held_criteria WHERE criteria_id = ? AND version = ?').get(id, version) as
      | Pick<CriteriaRow, 'digest' | 'criteria_json'>
      | undefined;
    if (!row) return null;
    let criteria = this.parsed.get(row.digest);
    if (!criteria) {
      // Verified on import and read back from the encrypted vault; parsed again to restore the schema's types.
      criteria = CriteriaDocument.parse(JSON.parse(row.criteria_json));
      this.parsed.set(row.digest, criteria);
    }
    return { criteria, digest: row.digest };
  }

  /**
   * The criteria a case names: the signed copy held for its id and version (and pinned digest), or the shipped
   * sample for a case that names the sample itself. Anything else is refused, never substituted.
   */
  criteriaResolver(): CriteriaResolver {
    return (reference: CriteriaReference) => {
      const held = this.held(reference.id, reference.version);
      if (held) {
        if (reference.digest && reference.digest !== held.digest) {
          throw new CriteriaError(
            'criteria-digest-mismatch',
            `The criteria "${reference.id}" version ${reference.version} held here are not the exact text the case pinned. Ask the central office for the published file.`,
            { expected: reference.digest, actual: held.digest },
          );
        }
        return held.criteria;
      }
      if (reference.id === SAMPLE_CRITERIA_ID) {
        const sample = sampleCriteria();
        if (sample.version === reference.version) return sample;
      }
      throw new PublishedError(
        'criteria-not-published',
        `The case names the criteria "${reference.id}" version ${reference.version}, which have not been imported here. Import the signed criteria file from the central office (Settings, "Published criteria and history").`,
        { id: reference.id, version: reference.version },
      );
    };
  }

  /** Every outcome held, from every central office's latest history. */
  outcomes(): HistoricalOutcome[] {
    const rows = this.db.prepare('SELECT outcomes_json FROM held_decision_history ORDER BY signer_key').all() as Pick<HistoryRow, 'outcomes_json'>[];
    return rows.flatMap((row) => JSON.parse(row.outcomes_json) as HistoricalOutcome[]);
  }

  historyFor(): HistoryResolver {
    return () => this.outcomes();
  }

  list(): PublishedList {
    const criteria = (this.db.prepare('SELECT * FROM held_criteria ORDER BY criteria_id, version').all() as CriteriaRow[]).map((row) =>
      criteriaSummary(row, this.held(row.criteria_id, row.version)?.criteria.sample === true),
    );
    const histories = (this.db.prepare('SELECT * FROM held_decision_history ORDER BY signer_name, signer_key').all() as HistoryRow[]).map(historySummary);
    return { criteria, histories };
  }
}
