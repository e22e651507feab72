// Who takes part in a case, with their keys where known: the bundle manifest's recipients carry keys; the case file's
// participants carry only fingerprints, whose keys may be in the address book. A fingerprint binds both keys, so a
// participant is recognised by keys whose fingerprint matches, wherever the keys came from.
import type { Database } from 'better-sqlite3';
import type { BundleManifest } from '../../../shared/domain/bundle';
import type { ParticipantRole } from '../../../shared/domain/profile';
import { fingerprintOf } from '../identities';

/** Roles that read and annotate a case together: a pack goes to them and only they may send one. */
export const SHARING_ROLES: readonly ParticipantRole[] = ['chair', 'panellist', 'external-lawyer'];

export interface CaseMember {
  name: string;
  role: ParticipantRole;
  fingerprint: string;
  signingKey: string | null;
  ageRecipient: string | null;
}

export function caseMembers(db: Database, manifest: BundleManifest): CaseMember[] {
  const members = new Map<string, CaseMember>();
  for (const recipient of manifest.recipients) {
    const fingerprint = fingerprintOf(recipient.signingKey, recipient.ageRecipient);
    members.set(fingerprint, { name: recipient.name, role: recipient.role, fingerprint, signingKey: recipient.signingKey, ageRecipient: recipient.ageRecipient });
  }
  for (const participant of manifest.case.participants) {
    const known = members.get(participant.fingerprint);
    // The case file's role is the clerk's statement of who sits in which seat; it wins over the copy's recipient list.
    if (known) {
      members.set(participant.fingerprint, { ...known, role: participant.role, name: participant.name });
      continue;
    }
    const contact = contactWithFingerprint(db, participant.fingerprint);
    members.set(participant.fingerprint, {
      name: participant.name,
      role: participant.role,
      fingerprint: participant.fingerprint,
      signingKey: contact?.signingKey ?? null,
      ageRecipient: contact?.ageRecipient ?? null,
    });
  }
  return [...members.values()];
}

function contactWithFingerprint(db: Database, fingerprint: string): { signingKey: string; ageRecipient: string } | null {
  const rows = db.prepare('SELECT signing_key, age_recipient FROM contacts WHERE fingerprint = ?').all(fingerprint) as { signing_key: string; age_recipient: string }[];
  // Recomputed rather than trusted from the stored column.
  const row = rows.find((r) => fingerprintOf(r.signing_key, r.age_recipient) === fingerprint);
  return row ? { signingKey: row.signing_key, ageRecipient: row.age_recipient } : null;
}

/** The member holding these keys: by signing key, or by the fingerprint the two keys make. */
export function memberWithKeys(members: readonly CaseMember[], signingKey: string, ageRecipient?: string): CaseMember | null {
  const bySigningKey = members.find((m) => m.signingKey === signingKey);
  if (bySigningKey) return bySigningKey;
  if (ageRecipient === undefined) return null;
  const fingerprint = fingerprintOf(signingKey, ageRecipient);
  return members.find((m) => m.fingerprint === fingerprint) ?? null;
}
