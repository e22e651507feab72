// The decision letter, built from an outcome record and signed with the chair's certificate, judged by tools
// that share no code with ours: poppler's pdfsig (NSS) for the PAdES signature, qpdf for structure, pdftotext
// for what a reader sees, pdfdetach for the attached record, pdftoppm for the rendered first page.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/canonical-json';
import { issueChairCertificate, readChildren, readElement, type ChairCertificate, type DerElement } from '../../electron/services/records/certificate';
import { buildDecisionLetter, LETTER_ATTACHMENT_NAME, type DecisionLetter } from '../../electron/services/records/letter';
import { signPdfPades, type PadesSigningOptions } from '../../electron/services/records/pades';
import { tempDir } from '../helpers/temp';
import { CRITERIA, longRecord, signaturesFor, threeAllegationRecord } from '../fixtures/records/letter-record';

const SCREENS = join(process.cwd(), 'test-results', 'screens');
const CHAIR = { name: 'Rosalind Achterberg', fingerprint: 'A1B2-C3D4-E5F6-G7H8-J9K0', signingKeyBase64: Buffer.alloc(32, 0x5a).toString('base64') };
const ISSUED = new Date('2026-04-27T09:00:00Z');
const SIGNED = new Date('2026-04-27T15:30:00Z');
const A4_HEIGHT = 841.89;

function run(command: string, args: string[]): { status: number | null; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** pdftotext with runs of whitespace collapsed, so wrapped sentences can be searched whole. */
function textOf(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}
const flat = (text: string) => text.replace(/\s+/g, ' ');

function signingOptions(certificate: ChairCertificate, overrides: Partial<PadesSigningOptions> = {}): PadesSigningOptions {
  return {
    ...certificate,
    reason: 'Decision of the National Constitutional Committee',
    name: CHAIR.name,
    location: 'London',
    signingTime: SIGNED,
    ...overrides,
  };
}

function oidText(element: DerElement): string {
  const bytes = [...element.content];
  const arcs = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const byte of bytes.slice(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

describe('decision letter with a PAdES signature', () => {
  const dir = tempDir('hd-letter-');
  const record = threeAllegationRecord();
  let certificate: ChairCertificate;
  let letter: DecisionLetter;
  let signed: Uint8Array;
  let signedPath: string;

  beforeAll(async () => {
    certificate = issueChairCertificate(CHAIR, ISSUED);
    letter = await buildDecisionLetter(record, { criteria: CRITERIA, signatures: signaturesFor(record), createdAt: SIGNED });
    signed = await signPdfPades(letter.pdf, signingOptions(certificate));
    signedPath = join(dir.path, 'decision.pdf');
    writeFileSync(signedPath, signed);
  });
  afterAll(() => dir.cleanup());

  it('carries a signature pdfsig reports valid, by the chair, covering the whole file', () => {
    const { out } = run('pdfsig', [signedPath]);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain(`Signer Certificate Common Name: ${CHAIR.name}`);
    expect(out).toContain(`serialNumber=${CHAIR.fingerprint}`);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Total document signed');
    // Self-issued: nobody vouches for the certificate, and pdfsig says exactly that (not that it is broken).
    expect(out).toContain('Certificate issuer is unknown');
  });

  it('passes qpdf --check', () => {
    const { status, out } = run('qpdf', ['--check', signedPath]);
    expect(out).toContain('No syntax or stream encoding errors found');
    expect(status).toBe(0);
  });

  it('shows the case reference, every allegation and finding, the sanction, the orders and the signers', () => {
    const text = flat(textOf(signedPath));
    expect(text).toContain('Decision of the National Constitutional Committee');
    expect(text).toContain('NCC/2026/0417');
    for (const allegation of record.allegations) {
      expect(text).toContain(`Allegation ${allegation.number}`);
      expect(text).toContain(flat(allegation.reasons));
    }
    expect(text).toMatch(/Allegation 1 .*Finding Proven .*Allegation 2 .*Finding Proven .*Allegation 3 .*Finding Not proven/);
    expect(text).toContain('Allegations 1 and 2 proven. Allegation 3 not proven.');
    expect(text).toContain('Suspension (term 6 months; suspended from Membership)');
    expect(text).toContain('The respondent must complete the education course by 22 May 2026.');
    expect(text).toContain('Right of appeal');
    for (const signature of signaturesFor(record)) {
      const person = record.participants.find((entry) => entry.fingerprint === signature.fingerprint)!;
      expect(text).toMatch(new RegExp(`${person.name} .*${signature.fingerprint}`));
    }
    expect(text).toContain(`Page 1 of ${letter.pageCount}`);
    expect(text).toContain(`Page ${letter.pageCount} of ${letter.pageCount}`);
    expect(letter.substitutedCharacters).toBe(0);
  });

  it('has the canonical outcome record attached, byte for byte', () => {
    const list = run('pdfdetach', ['-list', signedPath]).out;
    const entry = new RegExp(`^(\\d+): ${LETTER_ATTACHMENT_NAME.replace('.', '\\.')}$`, 'm').exec(list);
    expect(list).toContain('1 embedded files');
    expect(entry?.[1]).toBe('1');
    const saved = join(dir.path, 'extracted.json');
    execFileSync('pdfdetach', ['-save', entry![1]!, '-o', saved, signedPath]);
    const bytes = readFileSync(saved);
    const expected = canonicalize(record);
    expect(bytes.toString('utf8')).toBe(expected);
    expect(Buffer.compare(bytes, Buffer.from(letter.canonicalRecord))).toBe(0);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(record)));
  });

  it('is reported invalid once any signed byte changes, before or after the signature', () => {
    const byteRange = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(Buffer.from(signed).toString('latin1'))!.slice(1).map(Number);
    const [, firstLength, secondStart, secondLength] = byteRange as [number, number, number, number];
    for (const [label, offset] of [
      ['inside the page content', Math.floor(firstLength / 2)],
      ['after the signature', secondStart + Math.floor(secondLength / 2)],
    ] as const) {
      const tampered = Buffer.from(signed);
      tampered[offset] = tampered[offset]! ^ 0x01;
      const path = join(dir.path, `tampered-${offset}.pdf`);
      writeFileSync(path, tampered);
      const { out } = run('pdfsig', [path]);
      expect(out, label).not.toContain('Signature is Valid');
      expect(out, label).toMatch(/Digest Mismatch|Signature is Invalid/);
    }
  });

  it('signs with the PAdES baseline attributes: content type, message digest and the signing certificate, no CMS signing time', () => {
    const pdf = Buffer.from(signed);
    const latin = pdf.toString('latin1');
    const [start1, length1, start2, length2] = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+)\]/.exec(latin)!.slice(1).map(Number) as [number, number, number, number];
    const cms = Buffer.from(latin.slice(start1 + length1 + 1, start2 - 1), 'hex');
    const signedData = readChildren(readChildren(readChildren(readElement(cms, 0))[1]!)[0]!);
    const signerInfo = readChildren(readChildren(signedData[signedData.length - 1]!)[0]!);
    const attributes = new Map(
      readChildren(signerInfo.find((element) => element.tag === 0xa0)!).map((attribute) => {
        const [type, values] = readChildren(attribute) as [DerElement, DerElement];
        return [oidText(type), readChildren(values)[0]!] as const;
      }),
    );
    expect([...attributes.keys()].sort()).toEqual(['1.2.840.113549.1.9.16.2.47', '1.2.840.113549.1.9.3', '1.2.840.113549.1.9.4']);
    const digest = createHash('sha256').update(pdf.subarray(start1, start1 + length1)).update(pdf.subarray(start2, start2 + length2)).digest();
    expect(Buffer.from(attributes.get('1.2.840.113549.1.9.4')!.content).equals(digest)).toBe(true);
    const certificateDer = new X509Certificate(certificate.certificatePem).raw;
    const essCertId = readChildren(readChildren(readChildren(attributes.get('1.2.840.113549.1.9.16.2.47')!)[0]!)[0]!);
    expect(Buffer.from(essCertId[0]!.content).equals(createHash('sha256').update(certificateDer).digest())).toBe(true);
    expect(latin).toContain('/SubFilter /ETSI.CAdES.detached');
  });

  it('issues a five-year certificate naming the chair, their fingerprint and their Ed25519 key', () => {
    const x509 = new X509Certificate(certificate.certificatePem);
    expect(x509.subject).toContain(`CN=${CHAIR.name}`);
    expect(x509.subject).toContain(`serialNumber=${CHAIR.fingerprint}`);
    expect(x509.subjectAltName).toContain(`URI:urn:hearing-desk:fingerprint:${CHAIR.fingerprint}`);
    expect(x509.subjectAltName).toContain(`URI:urn:hearing-desk:ed25519:${Buffer.from(CHAIR.signingKeyBase64, 'base64').toString('base64url')}`);
    expect(new Date(x509.validFrom).toISOString()).toBe(ISSUED.toISOString());
    expect(new Date(x509.validTo).toISOString()).toBe('2031-04-27T09:00:00.000Z');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(x509.ca).toBe(false);
    // keyUsage, critical, digitalSignature + nonRepudiation: OID 2.5.29.15, TRUE, BIT STRING (6 unused) 0xC0.
    expect(Buffer.from(x509.raw).includes(Buffer.from('0603551d0f0101ff0404030206c0', 'hex'))).toBe(true);
  });

  it('renders a first page that looks like a letter (saved for review)', () => {
    mkdirSync(SCREENS, { recursive: true });
    const prefix = join(dir.path, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', '-singlefile', signedPath, prefix]);
    const png = readFileSync(`${prefix}.png`);
    writeFileSync(join(SCREENS, 'decision-letter-page1.png'), png);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(statSync(join(SCREENS, 'decision-letter-page1.png')).size).toBeGreaterThan(10_000);
  });
});

describe('a long decision letter', () => {
  const dir = tempDir('hd-letter-long-');
  afterAll(() => dir.cleanup());

  it('lays 20 allegations with long reasons over many pages, inside the margins, and still signs valid', async () => {
    const record = longRecord(20);
    const letter = await buildDecisionLetter(record, { criteria: CRITERIA, signatures: signaturesFor(record), createdAt: SIGNED });
    const signed = await signPdfPades(letter.pdf, signingOptions(issueChairCertificate(CHAIR, ISSUED)));
    const path = join(dir.path, 'long.pdf');
    writeFileSync(path, signed);

    expect(letter.pageCount).toBeGreaterThan(10);
    const text = flat(textOf(path));
    expect(text).toContain('Allegation 20');
    expect(text).toContain("The panel's finding on allegation 20 rests on these reasons.");
    expect(text).toContain(`Page ${letter.pageCount} of ${letter.pageCount}`);
    // Ł, ź and the emoji have no WinAnsi form: shown as '?', counted, and kept exactly in the attachment.
    expect(letter.substitutedCharacters).toBe(20 * 3);
    expect(Buffer.from(letter.canonicalRecord).toString('utf8')).toContain('Łódź');

    // Every word lies inside the text block, or in the footer band below it: nothing runs off a page.
    const bbox = execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' });
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">/g)].map((match) => match.slice(1).map(Number));
    expect(words.length).toBeGreaterThan(5_000);
    const outside = words.filter(([xMin, yMin, xMax, yMax]) => {
      const inColumn = xMin! >= 55.5 && xMax! <= 595.28 - 55.5;
      const inBody = yMin! >= 50 && yMax! <= A4_HEIGHT - 64 + 1;
      const inFooter = yMin! >= A4_HEIGHT - 50 && yMax! <= A4_HEIGHT - 25;
      return !inColumn || !(inBody || inFooter);
    });
    expect(outside).toEqual([]);

    expect(run('pdfsig', [path]).out).toContain('Signature is Valid');
    expect(run('qpdf', ['--check', path]).status).toBe(0);
  });
});

describe('refusing what cannot be a letter or a signature', () => {
  const record = threeAllegationRecord();
  const options = { criteria: CRITERIA, signatures: signaturesFor(record), createdAt: SIGNED };
  let certificate: ChairCertificate;
  let unsigned: Uint8Array;

  beforeAll(async () => {
    certificate = issueChairCertificate(CHAIR, ISSUED);
    unsigned = (await buildDecisionLetter(record, options)).pdf;
  });

  it('refuses a record with an undecided allegation, naming the field', async () => {
    const undecided = structuredClone(record);
    (undecided.allegations[2] as { finding: unknown }).finding = null;
    await expect(buildDecisionLetter(undecided, options)).rejects.toMatchObject({ code: 'letter-record-invalid', details: { path: ['allegations', 2, 'finding'] } });
  });

  it('refuses labels from criteria the record was not decided under', async () => {
    await expect(buildDecisionLetter(record, { ...options, criteria: { ...CRITERIA, version: '2027.1' } })).rejects.toMatchObject({ code: 'letter-criteria-mismatch' });
  });

  it('refuses a signature by someone not named in the record', async () => {
    const signatures = [...options.signatures, { fingerprint: 'Z9Y8-X7W6-V5T4-S3R2-Q1P0', purpose: 'decision' as const }];
    await expect(buildDecisionLetter(record, { ...options, signatures })).rejects.toMatchObject({ code: 'letter-unknown-signer' });
  });

  it('stops at the page limit instead of growing without bound', async () => {
    await expect(buildDecisionLetter(longRecord(20), { ...options, maxPages: 5 })).rejects.toMatchObject({ code: 'letter-too-long' });
  });

  it('will not sign twice (a pdf-lib re-save would break the first signature)', async () => {
    const signed = await signPdfPades(unsigned, signingOptions(certificate));
    await expect(signPdfPades(signed, signingOptions(certificate))).rejects.toMatchObject({ code: 'pdf-already-signed' });
  });

  it('refuses a private key that does not belong to the certificate', async () => {
    const other = issueChairCertificate(CHAIR, ISSUED);
    await expect(signPdfPades(unsigned, signingOptions(certificate, { privateKeyPkcs8Der: other.privateKeyPkcs8Der }))).rejects.toMatchObject({
      code: 'certificate-key-mismatch',
    });
  });

  it('refuses a signing time outside the certificate validity', async () => {
    await expect(signPdfPades(unsigned, signingOptions(certificate, { signingTime: new Date('2031-05-01T00:00:00Z') }))).rejects.toMatchObject({
      code: 'certificate-not-valid-at-signing-time',
    });
    await expect(signPdfPades(unsigned, signingOptions(certificate, { signingTime: new Date('2026-04-26T00:00:00Z') }))).rejects.toMatchObject({
      code: 'certificate-not-valid-at-signing-time',
    });
  });

  it('refuses a damaged certificate and bytes that are not a PDF', async () => {
    const pem = certificate.certificatePem.replace(/[A-Za-z]{8}\n/, '\n');
    await expect(signPdfPades(unsigned, signingOptions(certificate, { certificatePem: pem }))).rejects.toMatchObject({ code: 'certificate-malformed' });
    await expect(signPdfPades(unsigned, signingOptions(certificate, { certificatePem: 'not a certificate' }))).rejects.toMatchObject({ code: 'certificate-malformed' });
    await expect(signPdfPades(new TextEncoder().encode('%PDF-1.7\nnothing else'), signingOptions(certificate))).rejects.toMatchObject({ code: 'pdf-unreadable' });
    await expect(signPdfPades(unsigned.subarray(0, 0), signingOptions(certificate))).rejects.toMatchObject({ code: 'pdf-unreadable' });
  });

  it('keeps parentheses, backslashes and non-Latin letters in the signer\'s details from breaking the signature', async () => {
    const dir = tempDir('hd-letter-hostile-');
    try {
      const name = 'Zoë Łukasiewicz-O’Brien (acting) \\ chair) 中';
      const chairCertificate = issueChairCertificate({ ...CHAIR, name }, ISSUED);
      const signed = await signPdfPades(unsigned, signingOptions(chairCertificate, { name, reason: 'Decision) /Contents <00> (', location: 'Tŷ Newydd\n\u0000' }));
      const path = join(dir.path, 'hostile.pdf');
      writeFileSync(path, signed);
      const { out } = run('pdfsig', [path]);
      expect(out).toContain('Signature is Valid');
      // NSS prints the backslash escaped, as in a distinguished name; the rest comes through as UTF-8.
      expect(out).toContain('Signer Certificate Common Name: Zoë Łukasiewicz-O’Brien (acting) ');
      expect(run('qpdf', ['--check', path]).status).toBe(0);
      const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=acroform', path], { encoding: 'utf8' })) as { acroform: { fields: { fieldtype: string }[] } };
      expect(json.acroform.fields.map((field) => field.fieldtype)).toEqual(['/Sig']);
      expect(Buffer.from(signed).toString('latin1')).toContain("/Name (Zo\xeb Lukasiewicz-O'Brien \\(acting\\) \\\\ chair\\) ?)");
    } finally {
      dir.cleanup();
    }
  });

  it('refuses to issue a certificate for an identity that is not one', () => {
    expect(() => issueChairCertificate({ ...CHAIR, fingerprint: 'not-a-fingerprint' }, ISSUED)).toThrow(expect.objectContaining({ code: 'certificate-identity-invalid' }));
    expect(() => issueChairCertificate({ ...CHAIR, signingKeyBase64: 'AAAA' }, ISSUED)).toThrow(expect.objectContaining({ code: 'certificate-identity-invalid' }));
    expect(() => issueChairCertificate({ ...CHAIR, name: ' ' }, ISSUED)).toThrow(expect.objectContaining({ code: 'certificate-identity-invalid' }));
  });
});
