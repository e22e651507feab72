// The chair's decision-letter certificate, kept in the vault (table chair_certificates, migration 10): one current
// certificate and P-256 key per identity, issued the first time a letter is signed and reused afterwards, so every
// letter a chair signs names the same certificate. An expired one is re-issued; the old row stays (letters signed
// earlier name it), marked superseded, its key overwritten.
//
// The private key exists outside the encrypted vault only in memory, lent to one signing call and wiped after it.
//
// A stored row that is damaged (unreadable certificate, a key that is not the certificate's, another identity's
// certificate) is refused with ChairCertificateError('chair-certificate-damaged'), never silently replaced. The
// vault's pages are authenticated by SQLCipher, so such a row was not written by a failing disk but by a bug or by
// someone holding the vault key; replacing it quietly would switch the identity letters are signed with and hide
// exactly that. Replacing it is a deliberate step (replaceDamaged), which keeps the damaged row as evidence.
import { X509Certificate } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';
import type { Session } from '../session';
import {
  issueChairCertificate,
  parseCertificatePem,
  privateKeyMatchesCertificate,
  readElement,
  toPem,
  type CertificateParts,
  type ChairCertificate,
  type ChairIdentity,
} from './certificate';

export type ChairCertificateErrorCode = 'chair-certificate-damaged' | 'chair-certificate-not-yet-valid' | 'chair-certificate-not-damaged';

export class ChairCertificateError extends AppError {
  declare readonly code: ChairCertificateErrorCode;
  constructor(code: ChairCertificateErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'ChairCertificateError';
  }
}

/** A stored certificate as anyone may see it: never its private key. */
export interface StoredChairCertificate {
  fingerprint: string;
  /** The certificate's serial number, upper-case hex (as node:crypto's X509Certificate and pdfsig print it). */
  serialHex: string;
  certificatePem: string;
  notBefore: string;
  notAfter: string;
  issuedAt: string;
  supersededAt: string | null;
  supersededReason: 'expired' | 'damaged' | null;
}

/** What a signing call borrows: the certificate, its key (wiped when the call returns) and its serial. */
export interface LentChairCertificate extends ChairCertificate {
  serialHex: string;
}

interface CertificateRow {
  seq: number;
  fingerprint: string;
  serial_hex: string;
  certificate_der: Buffer;
  private_key_pkcs8: Buffer | null;
  not_before: string;
  not_after: string;
  issued_at: string;
  superseded_at: string | null;
  superseded_reason: 'expired' | 'damaged' | null;
}

const COLUMNS = 'seq, fingerprint, serial_hex, certificate_der, private_key_pkcs8, not_before, not_after, issued_at, superseded_at, superseded_reason';

function serialHexOf(serialNumber: Uint8Array): string {
  return Buffer.from(readElement(serialNumber, 0).content).toString('hex').toUpperCase();
}

function damaged(reason: string, fingerprint: string): ChairCertificateError {
  return new ChairCertificateError(
    'chair-certificate-damaged',
    `The certificate your decision letters are signed with is damaged in your vault (${reason}). No letter was signed and nothing was replaced: ` +
      'letters you signed earlier name this certificate. Restore your vault from a backup, or replace the certificate deliberately.',
    { fingerprint, reason },
  );
}

export class ChairCertificateStore {
  constructor(
    private readonly session: Session,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private get db(): Database {
    return this.session.requireVault().db;
  }

  /**
   * Lends `use` the identity's current certificate, valid at `at` (the signing time), with its private key, and
   * wipes the key when `use` returns or throws. Issues one on first use and re-issues an expired one (the old row
   * kept, superseded). Throws ChairCertificateError for a damaged stored row or a clock earlier than the issue.
   */
  async withCertificate<T>(identity: ChairIdentity, at: Date, use: (certificate: LentChairCertificate) => T | Promise<T>): Promise<T> {
    const certificate = this.currentFor(identity, at);
    try {
      return await use(certificate);
    } finally {
      certificate.privateKeyPkcs8Der.fill(0);
    }
  }

  /** Every certificate issued for this identity, oldest first, without keys. */
  history(fingerprint: string): StoredChairCertificate[] {
    // Never the key column: what is not read cannot leak.
    const rows = this.db
      .prepare('SELECT fingerprint, serial_hex, certificate_der, not_before, not_after, issued_at, superseded_at, superseded_reason FROM chair_certificates WHERE fingerprint = ? ORDER BY seq')
      .all(fingerprint) as Omit<CertificateRow, 'seq' | 'private_key_pkcs8'>[];
    return rows.map((row) => ({
      fingerprint: row.fingerprint,
      serialHex: row.serial_hex,
      certificatePem: toPem(row.certificate_der),
      notBefore: row.not_before,
      notAfter: row.not_after,
      issuedAt: row.issued_at,
      supersededAt: row.superseded_at,
      supersededReason: row.superseded_reason,
    }));
  }

  /**
   * The deliberate way out of 'chair-certificate-damaged': marks the damaged current row superseded (kept, as the
   * evidence it is; its key overwritten) and issues a new certificate. Refuses when the current row is sound.
   */
  replaceDamaged(identity: ChairIdentity, at: Date): StoredChairCertificate {
    this.db
      .transaction(() => {
        const row = this.currentRow(identity.fingerprint);
        if (!row) throw new ChairCertificateError('chair-certificate-not-damaged', 'There is no certificate to replace: one is issued with the next letter.');
        try {
          this.checked(row, identity.fingerprint).privateKeyPkcs8Der.fill(0);
        } catch (error) {
          if (!(error instanceof ChairCertificateError) || error.code !== 'chair-certificate-damaged') throw error;
          this.supersede(row, 'damaged');
          this.issue(identity, at).privateKeyPkcs8Der.fill(0);
          return;
        }
        throw new ChairCertificateError('chair-certificate-not-damaged', 'Your letter certificate is intact; it is not replaced.');
      })
      .immediate();
    return this.history(identity.fingerprint).at(-1)!;
  }

  private currentFor(identity: ChairIdentity, at: Date): LentChairCertificate {
    // IMMEDIATE: the read and the issue that may follow it are one step even if another process (the CLI) writes.
    return this.db
      .transaction((): LentChairCertificate => {
        const row = this.currentRow(identity.fingerprint);
        if (!row) return this.issue(identity, at);
        const certificate = this.checked(row, identity.fingerprint);
        if (at.getTime() > Date.parse(row.not_after)) {
          certificate.privateKeyPkcs8Der.fill(0);
          this.supersede(row, 'expired');
          return this.issue(identity, at);
        }
        if (at.getTime() < Date.parse(row.not_before)) {
          certificate.privateKeyPkcs8Der.fill(0);
          throw new ChairCertificateError(
            'chair-certificate-not-yet-valid',
            `Your letter certificate was issued at ${row.not_before}, later than this computer's clock (${at.toISOString()}). Check the date and time settings; nothing was signed.`,
          );
        }
        return certificate;
      })
      .immediate();
  }

  private currentRow(fingerprint: string): CertificateRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM chair_certificates WHERE fingerprint = ? AND superseded_at IS NULL`).get(fingerprint) as CertificateRow | undefined;
  }

  /** The row's certificate and key, after checking they are whole, belong together and name this identity. */
  private checked(row: CertificateRow, fingerprint: string): LentChairCertificate {
    const key = row.private_key_pkcs8;
    try {
      if (!Buffer.isBuffer(row.certificate_der) || !Buffer.isBuffer(key)) throw damaged('a part of it is missing', fingerprint);
      const pem = toPem(row.certificate_der);
      let parts: CertificateParts;
      try {
        parts = parseCertificatePem(pem);
        new X509Certificate(row.certificate_der); // a second, independent reader (OpenSSL's)
        if (parts.notBefore.toISOString() !== row.not_before || parts.notAfter.toISOString() !== row.not_after) throw damaged('its validity is not the one recorded', fingerprint);
      } catch (error) {
        if (error instanceof ChairCertificateError) throw error;
        throw damaged('the certificate cannot be read', fingerprint);
      }
      if (serialHexOf(parts.serialNumber) !== row.serial_hex) throw damaged('its serial number is not the one recorded', fingerprint);
      if (!row.certificate_der.includes(Buffer.from(`urn:hearing-desk:fingerprint:${fingerprint}`, 'ascii'))) throw damaged('it names another identity', fingerprint);
      if (!privateKeyMatchesCertificate(key, parts)) throw damaged('its private key does not belong to it', fingerprint);
      return { certificatePem: pem, privateKeyPkcs8Der: new Uint8Array(key.buffer, key.byteOffset, key.length), serialHex: row.serial_hex };
    } catch (error) {
      key?.fill(0);
      throw error;
    }
  }

  private issue(identity: ChairIdentity, at: Date): LentChairCertificate {
    const issued = issueChairCertificate(identity, at);
    const parts = parseCertificatePem(issued.certificatePem);
    const serialHex = serialHexOf(parts.serialNumber);
    const key = Buffer.from(issued.privateKeyPkcs8Der);
    try {
      this.db
        .prepare(
          `INSERT INTO chair_certificates (fingerprint, serial_hex, certificate_der, private_key_pkcs8, not_before, not_after, issued_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(identity.fingerprint, serialHex, Buffer.from(parts.der), key, parts.notBefore.toISOString(), parts.notAfter.toISOString(), this.now().toISOString());
    } catch (error) {
      issued.privateKeyPkcs8Der.fill(0);
      throw error;
    } finally {
      key.fill(0);
    }
    return { ...issued, serialHex };
  }

  private supersede(row: CertificateRow, reason: 'expired' | 'damaged'): void {
    this.db
      .prepare('UPDATE chair_certificates SET superseded_at = ?, superseded_reason = ?, private_key_pkcs8 = NULL WHERE seq = ? AND superseded_at IS NULL')
      .run(this.now().toISOString(), reason, row.seq);
  }
}
