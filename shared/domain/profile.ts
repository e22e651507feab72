import { z } from 'zod';

export const PARTICIPANT_ROLES = ['clerk', 'panellist', 'chair', 'external-lawyer', 'central-office'] as const;
export const ParticipantRole = z.enum(PARTICIPANT_ROLES);
export type ParticipantRole = z.infer<typeof ParticipantRole>;

export const ROLE_LABELS: Record<ParticipantRole, string> = {
  clerk: 'Clerk',
  panellist: 'Panellist',
  chair: 'Chair',
  'external-lawyer': 'External lawyer',
  'central-office': 'Central office',
};

export const PersonName = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(120, 'Names are limited to 120 characters.')
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Names cannot contain control characters.');

/** age X25519 recipient, bech32 with the "age" prefix. */
export const AgeRecipient = z.string().regex(/^age1[02-9ac-hj-np-z]{58}$/, 'Not an age X25519 recipient.');
/** Raw 32-byte Ed25519 public key, base64 (standard, padded). */
export const SigningPublicKey = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'Not an Ed25519 public key.');
/** Short, human-comparable fingerprint: five groups of four characters, Crockford base32. */
export const Fingerprint = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);

/** The public half of an identity: what people exchange and compare aloud. */
export const ParticipantCard = z.strictObject({
  format: z.literal('hearing-desk/participant-card@1'),
  name: PersonName,
  role: ParticipantRole,
  ageRecipient: AgeRecipient,
  signingKey: SigningPublicKey,
  createdAt: z.iso.datetime(),
  /** Ed25519 signature by signingKey over the card's canonical JSON without this field: proves possession. */
  selfSignature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
});
export type ParticipantCard = z.infer<typeof ParticipantCard>;

export const ProfileSummary = z.strictObject({
  id: z.string(),
  name: PersonName,
  role: ParticipantRole,
  fingerprint: Fingerprint,
  createdAt: z.iso.datetime(),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

export const Contact = z.strictObject({
  id: z.string(),
  name: PersonName,
  role: ParticipantRole,
  ageRecipient: AgeRecipient,
  signingKey: SigningPublicKey,
  fingerprint: Fingerprint,
  /** Set when the user confirmed the fingerprint matched what its owner read aloud. */
  verifiedAt: z.iso.datetime().nullable(),
  importedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof Contact>;

export const Settings = z.strictObject({
  idleLockMinutes: z.number().int().min(1).max(240),
});
export type Settings = z.infer<typeof Settings>;
export const DEFAULT_SETTINGS: Settings = { idleLockMinutes: 10 };

export const Passphrase = z.string().min(1, 'Enter your passphrase.').max(1024, 'Passphrases are limited to 1024 characters.');
