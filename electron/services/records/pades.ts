// PAdES baseline (B-B) signature on a PDF made by pdf-lib: a signature field whose value is a detached CMS
// SignedData (SubFilter ETSI.CAdES.detached) over the file's byte ranges, so any PDF reader's signature panel
// shows who signed and whether the file changed since.
//
// ETSI EN 319 142-1 (PAdES) and EN 319 122-1 (CAdES) B-B require, in the signed attributes: content-type,
// message-digest and the ESS signing-certificate-v2 (binding the signer's certificate into what is signed),
// and forbid the CMS signing-time attribute: the claimed signing time is the signature dictionary's /M.
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { PDFDict, PDFDocument, PDFName, PDFRawStream, type PDFPage } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf, Signer } from '@signpdf/signpdf';
import { AppError } from '../../../shared/errors';
import { CertificateError, der, OID, parseCertificatePem, privateKeyMatchesCertificate, type CertificateParts } from './certificate';

export const PADES_SUBFILTER = 'ETSI.CAdES.detached';
/** Bytes reserved for the CMS in /Contents. Ours is about 1 KB (P-256 certificate + signature); RSA-3072 about 2 KB. */
const SIGNATURE_RESERVE_BYTES = 6_144;
const RSA_SHA256 = '1.2.840.113549.1.1.11';

export type PadesErrorCode = 'pdf-unreadable' | 'pdf-already-signed' | 'certificate-malformed' | 'certificate-key-mismatch' | 'certificate-not-valid-at-signing-time' | 'signing-key-unsupported' | 'signing-input-invalid';

export class PadesError extends AppError {
  declare readonly code: PadesErrorCode;
  constructor(code: PadesErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'PadesError';
  }
}

export interface PadesSigningOptions {
  certificatePem: string;
  privateKeyPkcs8Der: Uint8Array;
  /** Shown by readers as the reason for signing (e.g. "Decision of the panel"). */
  reason: string;
  /** The signer's name as the signature dictionary states it. */
  name: string;
  location: string;
  contactInfo?: string;
  /** The claimed signing time (/M); it must fall within the certificate's validity. */
  signingTime: Date;
}

/**
 * Signs a PDF that has no signature yet. The input is re-saved once (adding the field, without object streams,
 * so the placeholder stays in plain bytes); the result must not be re-saved by pdf-lib, which would break the
 * signature (a later signature needs an incremental update).
 */
export async function signPdfPades(pdfBytes: Uint8Array, options: PadesSigningOptions): Promise<Uint8Array> {
  for (const key of ['reason', 'name', 'location'] as const) {
    if (typeof options[key] !== 'string' || options[key].length > 500) {
      throw new PadesError('signing-input-invalid', `The signature's ${key} must be text of at most 500 characters.`);
    }
  }
  if (!(options.signingTime instanceof Date) || Number.isNaN(options.signingTime.getTime())) {
    throw new PadesError('signing-input-invalid', 'The signing time is not a date.');
  }
  let certificate: CertificateParts;
  try {
    certificate = parseCertificatePem(options.certificatePem);
  } catch (error) {
    if (error instanceof CertificateError) throw new PadesError('certificate-malformed', error.message);
    throw error;
  }
  if (!privateKeyMatchesCertificate(options.privateKeyPkcs8Der, certificate)) {
    throw new PadesError('certificate-key-mismatch', 'The private key does not belong to the certificate: the signature would not verify.');
  }
  if (options.signingTime < certificate.notBefore || options.signingTime > certificate.notAfter) {
    throw new PadesError(
      'certificate-not-valid-at-signing-time',
      `The certificate is valid from ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}, not at the signing time ${options.signingTime.toISOString()}.`,
    );
  }
  const privateKey = createPrivateKey({ key: Buffer.from(options.privateKeyPkcs8Der), format: 'der', type: 'pkcs8' });
  const signatureAlgorithm = signatureAlgorithmFor(privateKey);

  let doc: PDFDocument;
  let firstPage: PDFPage | undefined;
  let alreadySigned: boolean;
  try {
    doc = await PDFDocument.load(pdfBytes, { updateMetadata: false });
    // pdf-lib parses leniently and fails later, on first use of a missing catalog or page tree.
    firstPage = doc.getPages()[0];
    alreadySigned = hasSignature(doc);
  } catch (error) {
    throw new PadesError('pdf-unreadable', 'The PDF could not be read, so it cannot be signed.', { cause: String(error).slice(0, 300) });
  }
  if (alreadySigned) {
    throw new PadesError('pdf-already-signed', 'The PDF already carries a signature; signing it again this way would invalidate that one.');
  }
  if (!firstPage) throw new PadesError('pdf-unreadable', 'The PDF has no pages.');
  pdflibAddPlaceholder({
    pdfPage: firstPage,
    reason: pdfLiteralText(options.reason),
    contactInfo: pdfLiteralText(options.contactInfo ?? ''),
    name: pdfLiteralText(options.name),
    location: pdfLiteralText(options.location),
    signingTime: options.signingTime,
    signatureLength: SIGNATURE_RESERVE_BYTES,
    subFilter: PADES_SUBFILTER,
    appName: 'Hearing Desk',
  });
  const prepared = await doc.save({ useObjectStreams: false });
  const signer = new CadesDetachedSigner(certificate, privateKey, signatureAlgorithm);
  return new Uint8Array(await new SignPdf().sign(Buffer.from(prepared), signer));
}

/**
 * pdf-lib writes PDFString values between parentheses verbatim, and the placeholder passes our text straight in:
 * an unbalanced ")" or a backslash in a name would break the signature dictionary. So the text is escaped here,
 * and kept to what PDFDocEncoding shares with Latin-1 (accents folded where possible, otherwise "?"): the exact
 * name is in the certificate anyway.
 */
const LATIN_STAND_INS: Record<string, string> = {
  'Ł': 'L', 'ł': 'l', 'Đ': 'D', 'đ': 'd', 'ı': 'i', 'Œ': 'OE', 'œ': 'oe',
  '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...',
};

export function pdfLiteralText(text: string): string {
  let latin = '';
  for (const char of text.normalize('NFC')) {
    if (char.codePointAt(0)! <= 0xff) latin += char;
    else {
      const folded = LATIN_STAND_INS[char] ?? char.normalize('NFKD').replace(/\p{M}/gu, '');
      latin += /^[\x20-\x7e\xa0-\xff]+$/.test(folded) ? folded : '?';
    }
  }
  let out = '';
  for (const char of latin) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += ' ';
    else if (char === '\\' || char === '(' || char === ')') out += `\\${char}`;
    else out += char;
  }
  return out;
}

/** Any signature dictionary (or field) in the file: a second pdf-lib save would break it. */
function hasSignature(doc: PDFDocument): boolean {
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFDict ? object : object instanceof PDFRawStream ? object.dict : undefined;
    if (!dict) continue;
    if (dict.get(PDFName.of('ByteRange')) || dict.get(PDFName.of('FT')) === PDFName.of('Sig')) return true;
  }
  return false;
}

interface SignatureAlgorithm {
  identifier: Uint8Array;
}

function signatureAlgorithmFor(key: KeyObject): SignatureAlgorithm {
  // What BoringSSL signs and NSS (behind pdfsig and most readers) verifies.
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { identifier: der.sequence(der.oid(OID.ecdsaWithSha256)) };
  }
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) {
    return { identifier: der.sequence(der.oid(RSA_SHA256), der.tlv(0x05, new Uint8Array())) };
  }
  throw new PadesError('signing-key-unsupported', 'PDF signatures need an ECDSA P-256 or RSA (2048 bits or more) key.');
}

/** Builds the CMS for @signpdf: it hands over the bytes outside /Contents and embeds what we return. */
class CadesDetachedSigner extends Signer {
  constructor(
    private readonly certificate: CertificateParts,
    private readonly privateKey: KeyObject,
    private readonly algorithm: SignatureAlgorithm,
  ) {
    super();
  }

  override async sign(signedContent: Buffer): Promise<Buffer> {
    return Buffer.from(buildCadesSignedData(signedContent, this.certificate, this.privateKey, this.algorithm));
  }
}

function buildCadesSignedData(content: Uint8Array, certificate: CertificateParts, privateKey: KeyObject, algorithm: SignatureAlgorithm): Uint8Array {
  const sha256 = der.sequence(der.oid(OID.sha256));
  const digest = createHash('sha256').update(content).digest();
  const certificateHash = createHash('sha256').update(certificate.der).digest();

  // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }; ESSCertIDv2 with the default
  // hash algorithm (SHA-256, so omitted), the certificate's hash and IssuerSerial { GeneralNames, serial }.
  const issuerSerial = der.sequence(der.sequence(der.explicit(4, certificate.issuer)), certificate.serialNumber);
  const signingCertificateV2 = der.sequence(der.sequence(der.sequence(der.octetString(certificateHash), issuerSerial)));

  const attributes = [
    der.sequence(der.oid(OID.contentType), der.set(der.oid(OID.data))),
    der.sequence(der.oid(OID.messageDigest), der.set(der.octetString(digest))),
    der.sequence(der.oid(OID.signingCertificateV2), der.set(signingCertificateV2)),
  ];
  // RFC 5652 §5.4: the signature covers the attributes encoded as a SET OF (tag 0x31), stored as [0] IMPLICIT.
  const signedAttributesSet = der.set(...attributes);
  const signature = sign('sha256', signedAttributesSet, privateKey);

  const signerInfo = der.sequence(
    der.smallInteger(1),
    der.sequence(certificate.issuer, certificate.serialNumber), // IssuerAndSerialNumber
    sha256,
    der.implicit(0, signedAttributesSet, true),
    algorithm.identifier,
    der.octetString(signature),
  );
  const signedData = der.sequence(
    der.smallInteger(1),
    der.set(sha256),
    der.sequence(der.oid(OID.data)), // detached: no eContent
    der.implicit(0, der.set(certificate.der), true),
    der.set(signerInfo),
  );
  return der.sequence(der.oid(OID.signedData), der.explicit(0, signedData));
}
