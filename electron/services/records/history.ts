// The anonymised decision history the central office publishes for panels (action plan 4.2, consistency of outcomes):
// one entry per conduct category proven in a recorded case, with the seriousness band and the sanction rung, and
// nothing else (no case, date, region or body). Signed like criteria, with the office's Ed25519 key and its own
// context line; a panel imports it only when a central-office contact in its address book signed it. What the
// checker's consistency rule reads is HistoricalOutcome (shared/checker/prepare.ts).
import { canonicalize, CanonicalJsonError } from '../../../shared/canonical-json';
import { HistoricalOutcome } from '../../../shared/checker/prepare';
import type { ParticipantRole } from '../../../shared/domain/profile';
import {
  DECISION_HISTORY_FORMAT,
  DECISION_HISTORY_SIGNING_CONTEXT,
  DecisionHistory,
  SIGNED_DECISION_HISTORY_FORMAT,
  SignedDecisionHistory,
  type AnonymisedSummary,
} from '../../../shared/domain/record';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from '../crypto/ed25519';
import { RecordError } from './record';

export interface SignedDecisionHistoryFile {
  format: typeof SIGNED_DECISION_HISTORY_FORMAT;
  signingKey: string;
  signature: string;
  history: DecisionHistory;
}

/** The entries one recorded case contributes: each proven conduct category, when a band and a sanction were recorded. */
export function historicalOutcomesOf(summary: Pick<AnonymisedSummary, 'provenCategories' | 'band' | 'sanctionRungId'>): HistoricalOutcome[] {
  if (!summary.band || !summary.sanctionRungId) return [];
  return summary.provenCategories.map((category) => ({ category, band: summary.band!, sanctionRungId: summary.sanctionRungId! }));
}

/** Sorted, so the file's order says nothing about when cases were decided or ingested. */
export function buildDecisionHistory(outcomes: readonly HistoricalOutcome[], issuedOn: string): DecisionHistory {
  const sorted = [...outcomes].sort((a, b) => a.category.localeCompare(b.category) || a.band.localeCompare(b.band) || a.sanctionRungId.localeCompare(b.sanctionRungId));
  return DecisionHistory.parse({ format: DECISION_HISTORY_FORMAT, issuedOn, outcomes: sorted });
}

export function decisionHistorySigningBytes(history: unknown): Uint8Array {
  return new TextEncoder().encode(DECISION_HISTORY_SIGNING_CONTEXT + canonicalize(history));
}

export function signDecisionHistory(history: DecisionHistory, seed: Uint8Array): SignedDecisionHistoryFile {
  return {
    format: SIGNED_DECISION_HISTORY_FORMAT,
    signingKey: Buffer.from(ed25519PublicFromSeed(seed)).toString('base64'),
    signature: Buffer.from(ed25519Sign(seed, decisionHistorySigningBytes(history))).toString('base64'),
    history,
  };
}

export function serializeDecisionHistory(file: SignedDecisionHistoryFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export interface HistorySigner {
  name: string;
  role: ParticipantRole;
  signingKey: string;
}

/**
 * A panel's import: verifies the file is signed by a central-office contact and unchanged, and returns what the
 * checker's consistency rule reads. Throws only RecordError ('history-malformed', 'history-untrusted-signer',
 * 'history-tampered').
 */
export function verifyDecisionHistory(
  input: string | Uint8Array,
  trustedContacts: readonly HistorySigner[],
): { history: DecisionHistory; outcomes: HistoricalOutcome[]; signer: HistorySigner } {
  let value: unknown;
  try {
    value = JSON.parse(typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input));
  } catch {
    throw new RecordError('history-malformed', 'This is not a decision history file: it is not readable JSON.');
  }
  const shell = SignedDecisionHistory.safeParse(value);
  if (!shell.success) throw new RecordError('history-malformed', 'This is not a signed decision history file.');
  const signer = trustedContacts.find((contact) => contact.signingKey === shell.data.signingKey);
  if (!signer || signer.role !== 'central-office') {
    throw new RecordError('history-untrusted-signer', 'This decision history is not signed by a central-office contact in your address book.');
  }
  let bytes: Uint8Array;
  try {
    bytes = decisionHistorySigningBytes(shell.data.history);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new RecordError('history-malformed', `This decision history is malformed (${error.message}).`);
    throw error;
  }
  if (!ed25519Verify(Buffer.from(shell.data.signingKey, 'base64'), bytes, Buffer.from(shell.data.signature, 'base64'))) {
    throw new RecordError('history-tampered', `This decision history does not match ${signer.name}'s signature: it was changed after signing.`);
  }
  const history = DecisionHistory.safeParse(shell.data.history);
  if (!history.success) throw new RecordError('history-malformed', 'This signed decision history is not valid.');
  const outcomes = history.data.outcomes.map((outcome) => HistoricalOutcome.parse(outcome));
  return { history: history.data, outcomes, signer };
}
