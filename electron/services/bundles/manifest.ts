// The clerk's signature over a bundle manifest. The manifest names every document's SHA-256, so once this
// signature verifies, each document can be trusted the moment its bytes hash right — long before the envelope's
// own signature at the very end of a large bundle has been reached.
import { CanonicalJsonError, canonicalize } from '../../../shared/canonical-json';
import { BundleManifest, MANIFEST_SIGNING_CONTEXT, SignedBundleManifest } from '../../../shared/domain/bundle';
import { AppError } from '../../../shared/errors';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from '../crypto/ed25519';

export class BundleError extends AppError {
  constructor(code: BundleErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'AppError';
  }
}

export type BundleErrorCode =
  | 'manifest-malformed'
  | 'manifest-signature-invalid'
  | 'sealer-mismatch'
  | 'sealer-untrusted'
  | 'document-hash-mismatch'
  | 'document-size-mismatch'
  | 'document-missing'
  | 'document-unexpected'
  | 'bundle-expired'
  | 'bundle-not-for-you'
  | 'bundle-already-imported'
  | 'bundle-cancelled'
  | 'bundle-too-large'
  | 'case-not-found'
  | 'document-not-found'
  | 'document-sealed'
  | 'draft-not-found'
  | 'draft-incomplete'
  | 'file-unreadable';

function signingBytes(manifest: BundleManifest): Buffer {
  return Buffer.from(MANIFEST_SIGNING_CONTEXT + canonicalize(manifest), 'utf8');
}

export function signManifest(manifest: BundleManifest, signingSeed: Uint8Array): SignedBundleManifest {
  const parsed = BundleManifest.parse(manifest);
  const publicKey = Buffer.from(ed25519PublicFromSeed(signingSeed)).toString('base64');
  if (publicKey !== parsed.sealedBy.signingKey) {
    throw new BundleError('sealer-mismatch', 'The manifest names a different sealer from the key signing it.');
  }
  return { manifest: parsed, signature: Buffer.from(ed25519Sign(signingSeed, signingBytes(parsed))).toString('base64') };
}

/** Parses a signed manifest's JSON and checks the clerk's signature; throws a BundleError on any defect. */
export function verifySignedManifest(json: string): SignedBundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new BundleError('manifest-malformed', 'The bundle’s table of contents is not readable.');
  }
  const parsed = SignedBundleManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
    throw new BundleError('manifest-malformed', `The bundle’s table of contents is not valid${where}: ${issue?.message ?? 'unknown problem'}.`);
  }
  const { manifest, signature } = parsed.data;
  let signed: Buffer;
  try {
    signed = signingBytes(manifest);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new BundleError('manifest-malformed', 'The bundle’s table of contents contains text that is not valid Unicode.');
    throw error;
  }
  const ok = ed25519Verify(Buffer.from(manifest.sealedBy.signingKey, 'base64'), signed, Buffer.from(signature, 'base64'));
  if (!ok) {
    throw new BundleError('manifest-signature-invalid', 'The clerk’s signature on this bundle does not verify: it has been altered since it was sealed. Nothing was imported.');
  }
  return parsed.data;
}
