// The audit trail: one hash-chained log per vault of everything done to cases on this device. Pure: no Node,
// no DOM. The hashing lives in electron/services/audit.ts; what is hashed is defined here (auditHashedFields), so
// anyone holding the entries can recompute the chain with any SHA-256 and an RFC 8785 canonicaliser.
import { z } from 'zod';
import { Fingerprint } from './profile';

/** Every action the trail records (issue 6), plus the clerk's own. Never rename one: stored entries name them. */
export const AUDIT_ACTIONS = [
  'profile-created',
  'case-created',
  'bundle-sealed',
  'bundle-opened',
  'bundle-imported',
  'document-viewed',
  'annotation-created',
  'annotation-changed',
  'annotation-deleted',
  'pack-imported',
  'draft-imported',
  'check-run',
  'warning-acknowledged',
  'decision-finalised',
  'signature-added',
  'record-exported',
  'notes-destroyed',
  'case-wiped',
  'course-completion-recorded',
  'letter-certificate-replaced',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

export const AUDIT_ACTION_LABELS: Record<AuditAction, string> = {
  'profile-created': 'Profile created',
  'case-created': 'Case created',
  'bundle-sealed': 'Bundle sealed',
  'bundle-opened': 'Bundle opened',
  'bundle-imported': 'Bundle imported',
  'document-viewed': 'Document viewed',
  'annotation-created': 'Annotation created',
  'annotation-changed': 'Annotation changed',
  'annotation-deleted': 'Annotation deleted',
  'pack-imported': 'Pack imported',
  'draft-imported': 'Draft imported',
  'check-run': 'Check run',
  'warning-acknowledged': 'Warning acknowledged',
  'decision-finalised': 'Decision finalised',
  'signature-added': 'Signature added',
  'record-exported': 'Record exported',
  'notes-destroyed': 'Private notes destroyed',
  'case-wiped': 'Case wiped',
  'course-completion-recorded': 'Education course completion recorded',
  'letter-certificate-replaced': 'Damaged letter certificate replaced',
};

/** Lower-case hex SHA-256. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'A SHA-256 hash is 64 lower-case hexadecimal digits.');

/** The previous hash of the first entry: there is nothing before it. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Counters are stored as SQLite integers and must stay exact in a JavaScript number. */
export const AuditCounter = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const MAX_AUDIT_OBJECT_CHARS = 1_000;
export const MAX_AUDIT_DETAIL_KEYS = 32;
export const MAX_AUDIT_DETAIL_CHARS = 2_000;

// A key must start with a letter: keeps "__proto__" and friends out of every object built from details.
const DETAIL_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const DETAIL_KEY_RULE = 'Detail names start with a letter and use letters, digits, "_", "-" and "." (at most 64).';
const DetailValue = z.union([z.string().max(MAX_AUDIT_DETAIL_CHARS), z.number().refine(Number.isFinite, 'Numbers must be finite.'), z.boolean(), z.null()]);

/** Small facts about the action (a page number, a warning's rule id). Not a place for case text. */
export const AuditDetails = z
  // Checked on the input's own keys first: z.record silently drops a "__proto__" key, and a detail must never vanish.
  .custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).every((key) => DETAIL_KEY.test(key)),
    DETAIL_KEY_RULE,
  )
  .pipe(z.record(z.string().regex(DETAIL_KEY, DETAIL_KEY_RULE), DetailValue))
  .refine((details) => Object.keys(details).length <= MAX_AUDIT_DETAIL_KEYS, `At most ${MAX_AUDIT_DETAIL_KEYS} details.`);
export type AuditDetails = z.infer<typeof AuditDetails>;

/** What a caller gives `AuditTrail.append`; the trail adds actor, time, counter and hashes. */
export const AuditAppendInput = z.strictObject({
  caseId: z.string().min(1).max(200).nullable(),
  action: AuditAction,
  /** What the action was done to: a document id, an annotation id, a file name. */
  object: z.string().max(MAX_AUDIT_OBJECT_CHARS),
  details: AuditDetails.optional(),
});
export type AuditAppendInput = z.input<typeof AuditAppendInput>;

export const AuditEntry = z.strictObject({
  /** Per-device, strictly increasing by one from 1 across the whole vault. */
  counter: AuditCounter,
  caseId: z.string().min(1).max(200).nullable(),
  action: AuditAction,
  object: z.string().max(MAX_AUDIT_OBJECT_CHARS),
  /** Fingerprint of the profile that did it. */
  actor: Fingerprint,
  /** The device's clock when appended (ISO 8601, UTC). Informative only: the counter orders entries. */
  deviceTime: z.iso.datetime(),
  details: AuditDetails,
  previousHash: Sha256Hex,
  /** SHA-256 of the canonical JSON (RFC 8785) of every other field. */
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Exactly what an entry's hash covers: the entry without its own hash. */
export function auditHashedFields(entry: Omit<AuditEntry, 'hash'>): Omit<AuditEntry, 'hash'> {
  return {
    counter: entry.counter,
    caseId: entry.caseId,
    action: entry.action,
    object: entry.object,
    actor: entry.actor,
    deviceTime: entry.deviceTime,
    details: entry.details,
    previousHash: entry.previousHash,
  };
}

export const AuditHead = z.strictObject({ counter: AuditCounter, hash: Sha256Hex });
export type AuditHead = z.infer<typeof AuditHead>;

export const AuditEntriesQuery = z.strictObject({
  caseId: z.string().min(1).max(200).optional(),
  /** Default 100, at most 1,000. */
  limit: z.number().int().min(1).max(1_000).optional(),
  /** Only entries with a counter below this (the next page of a newest-first list). */
  before: z.number().int().min(1).optional(),
});
export type AuditEntriesQuery = z.infer<typeof AuditEntriesQuery>;

export const AUDIT_BREAK_REASONS = [
  /** The entry's fields no longer hash to its stored hash: it was changed after it was written. */
  'hash-mismatch',
  /** The entry does not point at the entry before it: that one (or this link) was replaced. */
  'previous-mismatch',
  /** One or more entries are missing before this counter. */
  'counter-gap',
  /** A stored field is not a valid value at all (wrong type, unknown action, non-canonical details). */
  'malformed',
  /** The log ends before the recorded head: its last entries were removed. */
  'truncated',
  /** The log's end does not match the recorded head (entries added or replaced outside the app). */
  'head-mismatch',
] as const;
export const AuditBreakReason = z.enum(AUDIT_BREAK_REASONS);
export type AuditBreakReason = z.infer<typeof AuditBreakReason>;

export const AuditVerification = z.discriminatedUnion('ok', [
  z.strictObject({
    ok: z.literal(true),
    count: z.number().int().min(0),
    /** Hash of the last entry (AUDIT_GENESIS_HASH for an empty log): what an outcome record quotes. */
    headHash: Sha256Hex,
  }),
  z.strictObject({
    ok: z.literal(false),
    /** Counter of the first entry found broken (for a missing entry: the counter it should have had). */
    brokenAt: z.number().int().min(0),
    reason: AuditBreakReason,
    /** Plain words for the person at the screen. */
    message: z.string(),
  }),
]);
export type AuditVerification = z.infer<typeof AuditVerification>;
