// A criteria document as the central office publishes it: the document, the Ed25519 public key that
// signed it and the signature. Verifying needs Node's crypto, so it lives in electron/services/criteria.ts;
// what is signed (the exact bytes) is defined here, once, so every side computes the same bytes.
import { z } from 'zod';
import { canonicalize } from '../canonical-json';
import { CriteriaDocument } from '../domain/criteria';
import { SigningPublicKey } from '../domain/profile';

export const SIGNED_CRITERIA_FORMAT = 'hearing-desk/signed-criteria@1';
/** Domain separation: a criteria signature can never be replayed as a signature over anything else. */
export const CRITERIA_SIGNING_CONTEXT = 'hearing-desk/sanctions-criteria@1 signature\n';

const Signature = z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'Not an Ed25519 signature.');

/** The outer shape, read before the signature is checked: the document itself is still unvalidated data. */
export const SignedCriteriaShell = z.strictObject({
  format: z.literal(SIGNED_CRITERIA_FORMAT),
  /** Raw 32-byte Ed25519 public key (base64) of the central-office contact who signed. */
  signingKey: SigningPublicKey,
  /** Ed25519 signature (base64) over criteriaSigningBytes(criteria). */
  signature: Signature,
  criteria: z.unknown(),
});

export const SignedCriteria = SignedCriteriaShell.extend({ criteria: CriteriaDocument });
export type SignedCriteria = z.infer<typeof SignedCriteria>;

/** The bytes a signature covers: a fixed context line, then the criteria's canonical JSON (RFC 8785). */
export function criteriaSigningBytes(criteria: unknown): Uint8Array {
  return new TextEncoder().encode(CRITERIA_SIGNING_CONTEXT + canonicalize(criteria));
}
