// What a decision call needs to know about its case, read fresh from the vault on every call: the case file from
// the clerk-signed manifest, who the chair is, who the user is in the case, and the scribe the chair named.
import type { Database } from 'better-sqlite3';
import type { BundleManifest } from '../../../shared/domain/bundle';
import type { CaseFile, CaseParticipant } from '../../../shared/domain/case';
import { DecisionError } from './errors';

export interface CaseContext {
  caseId: string;
  bundleId: string;
  reference: string;
  manifest: BundleManifest;
  caseFile: CaseFile;
  /** The user, as a participant of this case (matched by fingerprint); null when they are not one. */
  me: CaseParticipant | null;
  myFingerprint: string;
  chair: CaseParticipant | null;
  /** The scribe the chair named, when still a participant of the case. */
  scribe: CaseParticipant | null;
}

/** Roles a chair may name as scribe: someone who sits, or the clerk. The lawyer advises and does not write the decision. */
export const SCRIBE_ROLES: readonly string[] = ['panellist', 'clerk'];

export function loadCaseContext(db: Database, caseId: string, myFingerprint: string, today: string): CaseContext {
  const row = db.prepare("SELECT id, bundle_id, reference, manifest_json, expires_on FROM cases WHERE id = ? AND status = 'ready'").get(caseId) as
    | { id: string; bundle_id: string; reference: string; manifest_json: string; expires_on: string }
    | undefined;
  if (!row) throw new DecisionError('case-not-found', 'That case is no longer in your vault.');
  if (row.expires_on < today) {
    throw new DecisionError('case-not-found', `Case ${row.reference} expired on ${row.expires_on}; its decision can no longer be opened. Wipe the case.`);
  }
  // The manifest was verified against the clerk's signature on import and is read back as stored.
  const manifest = JSON.parse(row.manifest_json) as BundleManifest;
  const caseFile = manifest.case;
  const chair = caseFile.participants.find((p) => p.role === 'chair') ?? null;
  const scribeRow = db.prepare('SELECT scribe_participant_id FROM decision_editors WHERE bundle_id = ?').get(row.bundle_id) as
    | { scribe_participant_id: string | null }
    | undefined;
  const scribeId = scribeRow?.scribe_participant_id ?? null;
  const scribe = scribeId ? (caseFile.participants.find((p) => p.id === scribeId && SCRIBE_ROLES.includes(p.role)) ?? null) : null;
  return {
    caseId: row.id,
    bundleId: row.bundle_id,
    reference: row.reference,
    manifest,
    caseFile,
    me: caseFile.participants.find((p) => p.fingerprint === myFingerprint) ?? null,
    myFingerprint,
    chair,
    scribe,
  };
}

export function isChair(context: CaseContext, participant: CaseParticipant | null): boolean {
  return participant !== null && context.chair !== null && participant.id === context.chair.id;
}

export function isScribe(context: CaseContext, participant: CaseParticipant | null): boolean {
  return participant !== null && context.scribe !== null && participant.id === context.scribe.id;
}

/** The chair, or the scribe the chair named. */
export function isEditor(context: CaseContext, participant: CaseParticipant | null): boolean {
  return isChair(context, participant) || isScribe(context, participant);
}

export function participantByFingerprint(context: CaseContext, fingerprint: string): CaseParticipant | null {
  return context.caseFile.participants.find((p) => p.fingerprint === fingerprint) ?? null;
}
