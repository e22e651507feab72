// The chair's X.509 certificate for the decision letter's PDF signature. PDF readers (and pdfsig, through NSS)
// verify only X.509/CMS signatures, and not with Ed25519, so the chair gets a P-256 key pair of its own whose
// self-signed certificate names the Hearing Desk identity it belongs to: the subject's serialNumber is the
// fingerprint, and the subjectAltName carries the fingerprint and the Ed25519 signing key as URNs.
//
// The DER is written by hand (a few dozen lines) instead of pulling in an ASN.1 library: node:crypto signs,
// and the same small encoder and reader build the CMS structure in pades.ts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { AppError } from '../../../shared/errors';

export const CERTIFICATE_VALIDITY_YEARS = 5;

export const OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;

export type CertificateErrorCode = 'certificate-identity-invalid' | 'certificate-malformed';

export class CertificateError extends AppError {
  declare readonly code: CertificateErrorCode;
  constructor(code: CertificateErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'CertificateError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// DER encoding (X.690), only the types a certificate and a CMS SignedData need.

export const der = {
  tlv(tag: number, content: Uint8Array): Uint8Array {
    const length = content.length;
    let header: number[];
    if (length < 0x80) header = [tag, length];
    else {
      const bytes: number[] = [];
      for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
      header = [tag, 0x80 | bytes.length, ...bytes];
    }
    const out = new Uint8Array(header.length + length);
    out.set(header, 0);
    out.set(content, header.length);
    return out;
  },
  sequence(...items: Uint8Array[]): Uint8Array {
    return der.tlv(0x30, Buffer.concat(items));
  },
  /** SET OF: DER orders the elements by their encodings. */
  set(...items: Uint8Array[]): Uint8Array {
    return der.tlv(0x31, Buffer.concat([...items].sort((a, b) => Buffer.compare(a, b))));
  },
  /** A non-negative INTEGER from big-endian magnitude bytes. */
  unsignedInteger(magnitude: Uint8Array): Uint8Array {
    let start = 0;
    while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
    const trimmed = magnitude.subarray(start);
    const body = trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
    return der.tlv(0x02, body);
  },
  smallInteger(value: number): Uint8Array {
    return der.unsignedInteger(Uint8Array.of(value));
  },
  oid(dotted: string): Uint8Array {
    const arcs = dotted.split('.').map(Number);
    const bytes: number[] = [40 * arcs[0]! + arcs[1]!];
    for (const arc of arcs.slice(2)) {
      const groups: number[] = [arc & 0x7f];
      for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift((rest & 0x7f) | 0x80);
      bytes.push(...groups);
    }
    return der.tlv(0x06, Uint8Array.from(bytes));
  },
  octetString(bytes: Uint8Array): Uint8Array {
    return der.tlv(0x04, bytes);
  },
  bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
    return der.tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
  },
  boolean(value: boolean): Uint8Array {
    return der.tlv(0x01, Uint8Array.of(value ? 0xff : 0x00));
  },
  utf8String(text: string): Uint8Array {
    return der.tlv(0x0c, Buffer.from(text, 'utf8'));
  },
  printableString(text: string): Uint8Array {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) throw new RangeError('Not a PrintableString.');
    return der.tlv(0x13, Buffer.from(text, 'ascii'));
  },
  ia5String(text: string): Uint8Array {
    if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError('Not an IA5String.');
    return der.tlv(0x16, Buffer.from(text, 'ascii'));
  },
  /** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. Whole seconds, UTC. */
  time(date: Date): Uint8Array {
    const iso = date.toISOString(); // 2026-04-27T10:11:12.345Z
    const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // 20260427101112Z
    const year = date.getUTCFullYear();
    return year < 2050 ? der.tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : der.tlv(0x18, Buffer.from(digits, 'ascii'));
  },
  /** [n] EXPLICIT: a constructed context tag around a whole encoding. */
  explicit(tagNumber: number, inner: Uint8Array): Uint8Array {
    return der.tlv(0xa0 | tagNumber, inner);
  },
  /** [n] IMPLICIT: the inner encoding's tag replaced, its content kept. */
  implicit(tagNumber: number, inner: Uint8Array, constructed: boolean): Uint8Array {
    return der.tlv((constructed ? 0xa0 : 0x80) | tagNumber, readElement(inner, 0).content);
  },
};

// ---------------------------------------------------------------------------------------------------------
// DER reading: enough to walk a certificate we are given (ours, or one the vault returns) without trusting it.

export interface DerElement {
  tag: number;
  /** The whole element, header included. */
  encoded: Uint8Array;
  content: Uint8Array;
  /** Offset just past the element in the buffer it was read from. */
  end: number;
}

export function readElement(bytes: Uint8Array, offset: number): DerElement {
  const fail = (): never => {
    throw new CertificateError('certificate-malformed', 'The certificate is not valid DER.');
  };
  if (offset + 2 > bytes.length) fail();
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) fail(); // multi-byte tags never occur in what we read
  let length = bytes[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || offset + 2 + count > bytes.length) fail();
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + bytes[offset + 2 + index]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > bytes.length) fail();
  return { tag, encoded: bytes.subarray(offset, end), content: bytes.subarray(offset + header, end), end };
}

/** The children of a constructed element. */
export function readChildren(element: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < element.content.length; ) {
    const child = readElement(element.content, offset);
    children.push(child);
    offset = child.end;
  }
  return children;
}

// ---------------------------------------------------------------------------------------------------------

export interface ChairIdentity {
  /** The chair's name as on their Hearing Desk profile: the certificate's common name. */
  name: string;
  /** The Hearing Desk fingerprint (XXXX-XXXX-XXXX-XXXX-XXXX). */
  fingerprint: string;
  /** The chair's Ed25519 signing public key, base64 (32 bytes). */
  signingKeyBase64: string;
}

export interface ChairCertificate {
  certificatePem: string;
  /** PKCS#8 DER of the P-256 private key: the caller keeps it in the vault, never on disk in the clear. */
  privateKeyPkcs8Der: Uint8Array;
}

const FINGERPRINT = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/;
const ED25519_PUBLIC_KEY_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/** Issues a self-signed certificate for the chair's identity, valid for five years from `now`. */
export function issueChairCertificate(identity: ChairIdentity, now: Date): ChairCertificate {
  const name = identity.name.trim();
  if (name.length === 0 || name.length > 120 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new CertificateError('certificate-identity-invalid', 'The chair needs a name of 1 to 120 characters without control characters.');
  }
  if (!FINGERPRINT.test(identity.fingerprint)) {
    throw new CertificateError('certificate-identity-invalid', 'The chair\'s fingerprint is not a Hearing Desk fingerprint.');
  }
  if (!ED25519_PUBLIC_KEY_BASE64.test(identity.signingKeyBase64)) {
    throw new CertificateError('certificate-identity-invalid', 'The chair\'s signing key is not an Ed25519 public key.');
  }
  if (Number.isNaN(now.getTime())) throw new CertificateError('certificate-identity-invalid', 'The issue time is not a date.');

  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const keyIdentifier = subjectKeyIdentifier(spki);

  // Most significant first, as directory names are conventionally encoded (readers show them reversed).
  const subject = der.sequence(
    rdn(OID.organizationName, der.utf8String('Hearing Desk')),
    rdn(OID.organizationalUnitName, der.utf8String('Disputes panel chair')),
    rdn(OID.serialNumber, der.printableString(identity.fingerprint)),
    rdn(OID.commonName, der.utf8String(name)),
  );
  const serial = new Uint8Array(randomBytes(16));
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive and exactly 16 bytes (RFC 5280: at most 20 octets)
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);

  const signingKeyUrl = Buffer.from(identity.signingKeyBase64, 'base64').toString('base64url');
  const extensions = der.sequence(
    extension(OID.basicConstraints, true, der.sequence()),
    // digitalSignature (bit 0) and nonRepudiation / contentCommitment (bit 1): "I stand behind this content".
    extension(OID.keyUsage, true, der.bitString(Uint8Array.of(0xc0), 6)),
    extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier)),
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicit(0, der.octetString(keyIdentifier), false))),
    extension(
      OID.subjectAltName,
      false,
      der.sequence(
        der.implicit(6, der.ia5String(`urn:hearing-desk:fingerprint:${identity.fingerprint}`), false),
        der.implicit(6, der.ia5String(`urn:hearing-desk:ed25519:${signingKeyUrl}`), false),
      ),
    ),
  );
  const signatureAlgorithm = der.sequence(der.oid(OID.ecdsaWithSha256));
  const tbs = der.sequence(
    der.explicit(0, der.smallInteger(2)), // v3
    der.unsignedInteger(serial),
    signatureAlgorithm,
    subject, // issuer: self-signed
    der.sequence(der.time(notBefore), der.time(notAfter)),
    subject,
    spki,
    der.explicit(3, extensions),
  );
  // node:crypto writes ECDSA signatures as DER Ecdsa-Sig-Value, which is what X.509 carries.
  const signature = new Uint8Array(sign('sha256', tbs, privateKey));
  const certificate = der.sequence(tbs, signatureAlgorithm, der.bitString(signature));
  return {
    certificatePem: toPem(certificate),
    privateKeyPkcs8Der: new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}

function rdn(type: string, value: Uint8Array): Uint8Array {
  return der.set(der.sequence(der.oid(type), value));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return der.sequence(der.oid(oid), ...(critical ? [der.boolean(true)] : []), der.octetString(value));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function subjectKeyIdentifier(spki: Uint8Array): Uint8Array {
  const [, subjectPublicKey] = readChildren(readElement(spki, 0));
  return new Uint8Array(createHash('sha1').update(subjectPublicKey!.content.subarray(1)).digest());
}

export function toPem(certificateDer: Uint8Array): string {
  const base64 = Buffer.from(certificateDer).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

// ---------------------------------------------------------------------------------------------------------

/** The parts of a certificate a CMS signer needs, read from its DER. */
export interface CertificateParts {
  der: Uint8Array;
  /** The issuer Name, as encoded (for IssuerAndSerialNumber and ESSCertIDv2). */
  issuer: Uint8Array;
  /** The serialNumber INTEGER, as encoded. */
  serialNumber: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

export function parseCertificatePem(pem: string): CertificateParts {
  const match = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new CertificateError('certificate-malformed', 'The certificate is not a PEM "CERTIFICATE" block.');
  const bytes = new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
  const certificate = readElement(bytes, 0);
  if (certificate.tag !== 0x30 || certificate.end !== bytes.length) {
    throw new CertificateError('certificate-malformed', 'The certificate is not a single DER structure.');
  }
  const [tbs] = readChildren(certificate);
  if (!tbs || tbs.tag !== 0x30) throw new CertificateError('certificate-malformed', 'The certificate has no to-be-signed part.');
  const fields = readChildren(tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // the version is optional (v1)
  const [serialNumber, , issuer, validity, , spki] = fields.slice(offset);
  if (serialNumber?.tag !== 0x02 || issuer?.tag !== 0x30 || validity?.tag !== 0x30 || spki?.tag !== 0x30) {
    throw new CertificateError('certificate-malformed', 'The certificate is missing its serial number, issuer, validity or key.');
  }
  const [notBefore, notAfter] = readChildren(validity).map(readTime);
  if (!notBefore || !notAfter) throw new CertificateError('certificate-malformed', 'The certificate\'s validity is incomplete.');
  return { der: bytes, issuer: issuer.encoded, serialNumber: serialNumber.encoded, subjectPublicKeyInfo: spki.encoded, notBefore, notAfter };
}

function readTime(element: DerElement): Date {
  const text = Buffer.from(element.content).toString('ascii');
  const match = element.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : element.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!match) throw new CertificateError('certificate-malformed', 'The certificate\'s validity dates are not in DER form.');
  let year = Number(match[1]);
  if (element.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])));
}

/** True when the PKCS#8 private key is the one the certificate's public key belongs to. */
export function privateKeyMatchesCertificate(privateKeyPkcs8Der: Uint8Array, certificate: CertificateParts): boolean {
  try {
    const key = createPrivateKey({ key: Buffer.from(privateKeyPkcs8Der), format: 'der', type: 'pkcs8' });
    const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
    return Buffer.compare(spki, Buffer.from(certificate.subjectPublicKeyInfo)) === 0;
  } catch {
    return false;
  }
}
