// Signed criteria: real Ed25519 signatures; every way a criteria file can be wrong gets its own error code,
// and verification returns nothing on failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CriteriaError,
  criteriaDigest,
  serializeSignedCriteria,
  signCriteria,
  signedSampleCriteria,
  verifySignedCriteria,
  type CriteriaErrorCode,
  type CriteriaSignerContact,
} from '../../electron/services/criteria';
import { ed25519PublicFromSeed, ed25519Sign, generateEd25519Seed } from '../../electron/services/crypto/ed25519';
import { criteriaSigningBytes, sampleCriteria, SIGNED_CRITERIA_FORMAT } from '../../shared/criteria';

const centralSeed = generateEd25519Seed();
const clerkSeed = generateEd25519Seed();
const strangerSeed = generateEd25519Seed();
const keyOf = (seed: Uint8Array) => Buffer.from(ed25519PublicFromSeed(seed)).toString('base64');
const contacts: CriteriaSignerContact[] = [
  { name: 'Central Office (Ines Marchetti)', role: 'central-office', signingKey: keyOf(centralSeed) },
  { name: 'Oswin Threlkeld', role: 'clerk', signingKey: keyOf(clerkSeed) },
];

function refusal(work: () => unknown): CriteriaErrorCode {
  try {
    work();
  } catch (error) {
    if (error instanceof CriteriaError) return error.code;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Signs arbitrary JSON as the central office would, without the schema check signCriteria makes. */
function signRaw(criteria: unknown, seed = centralSeed): string {
  const signature = Buffer.from(ed25519Sign(seed, criteriaSigningBytes(criteria))).toString('base64');
  return JSON.stringify({ format: SIGNED_CRITERIA_FORMAT, signingKey: keyOf(seed), signature, criteria });
}

describe('signed criteria', () => {
  const signed = signedSampleCriteria(centralSeed);
  const file = serializeSignedCriteria(signed);

  it('verify when signed by a central-office contact, from text, bytes or a parsed value', () => {
    for (const input of [file, new TextEncoder().encode(file), JSON.parse(file) as unknown]) {
      const verified = verifySignedCriteria(input, contacts);
      expect(verified.criteria).toEqual(sampleCriteria());
      expect(verified.signer.role).toBe('central-office');
      expect(verified.digest).toBe(criteriaDigest(sampleCriteria()));
    }
  });

  it('verify whatever the whitespace and key order (the signature covers canonical JSON)', () => {
    const reordered = JSON.stringify({ criteria: signed.criteria, signature: signed.signature, signingKey: signed.signingKey, format: signed.format });
    expect(verifySignedCriteria(reordered, contacts).criteria.version).toBe(signed.criteria.version);
  });

  it('verify against the version (and pinned digest) a bundle names', () => {
    const { id, version } = signed.criteria;
    expect(verifySignedCriteria(file, contacts, { expected: { id, version, digest: criteriaDigest(signed.criteria) } }).criteria.id).toBe(id);
  });

  it('refuse criteria that are not signed', () => {
    expect(refusal(() => verifySignedCriteria(JSON.stringify(sampleCriteria()), contacts))).toBe('criteria-unsigned');
    const { signature: _drop, ...withoutSignature } = signed;
    expect(refusal(() => verifySignedCriteria(withoutSignature, contacts))).toBe('criteria-unsigned');
    expect(refusal(() => verifySignedCriteria({ ...signed, signature: 'not base64' }, contacts))).toBe('criteria-unsigned');
  });

  it('refuse criteria changed after signing', () => {
    const tampered = structuredClone(signed);
    const course = tampered.criteria.rules.find((rule) => rule.check === 'education-course')!;
    if (course.check === 'education-course') course.dueWithinDays = 365;
    expect(refusal(() => verifySignedCriteria(tampered, contacts))).toBe('criteria-tampered');
    const relabelled = structuredClone(signed);
    relabelled.criteria.sample = false;
    expect(refusal(() => verifySignedCriteria(relabelled, contacts))).toBe('criteria-tampered');
    const otherSignature = { ...signed, signature: signedSampleCriteria(generateEd25519Seed()).signature };
    expect(refusal(() => verifySignedCriteria(otherSignature, contacts))).toBe('criteria-tampered');
  });

  it('refuse criteria signed by anyone but a central-office contact', () => {
    expect(refusal(() => verifySignedCriteria(serializeSignedCriteria(signedSampleCriteria(strangerSeed)), contacts))).toBe('criteria-untrusted-signer');
    const byClerk = serializeSignedCriteria(signedSampleCriteria(clerkSeed));
    expect(refusal(() => verifySignedCriteria(byClerk, contacts))).toBe('criteria-untrusted-signer');
    expect(() => verifySignedCriteria(byClerk, contacts)).toThrow(/Oswin Threlkeld, who is not a central-office contact/);
    expect(refusal(() => verifySignedCriteria(file, []))).toBe('criteria-untrusted-signer');
  });

  it('refuse files that are not criteria at all', () => {
    expect(refusal(() => verifySignedCriteria('{"format": "hearing-desk/sign', contacts))).toBe('criteria-malformed');
    expect(refusal(() => verifySignedCriteria(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), contacts))).toBe('criteria-malformed');
    expect(refusal(() => verifySignedCriteria('[1, 2, 3]', contacts))).toBe('criteria-malformed');
    expect(refusal(() => verifySignedCriteria('{"format": "hearing-desk/participant-card@1"}', contacts))).toBe('criteria-malformed');
    expect(refusal(() => verifySignedCriteria({ ...signed, extra: 1 }, contacts))).toBe('criteria-malformed');
  });

  it('refuse correctly signed criteria that break the schema (absurd values, dates out of order)', () => {
    const negative = structuredClone(sampleCriteria()) as any;
    negative.rules.find((rule: any) => rule.check === 'timescales').limits[0].maxDays = -14;
    expect(refusal(() => verifySignedCriteria(signRaw(negative), contacts))).toBe('criteria-invalid');
    const backwards = { ...sampleCriteria(), effectiveUntil: '2025-01-01' };
    expect(refusal(() => verifySignedCriteria(signRaw(backwards), contacts))).toBe('criteria-invalid');
    expect(() => verifySignedCriteria(signRaw(backwards), contacts)).toThrow(/effectiveUntil/);
  });

  it('refuse to sign criteria that break the schema', () => {
    expect(refusal(() => signCriteria({ ...sampleCriteria(), ladder: [] }, centralSeed))).toBe('criteria-invalid');
  });

  it('refuse a version other than the one the bundle names, or another text of it', () => {
    const { id } = signed.criteria;
    expect(refusal(() => verifySignedCriteria(file, contacts, { expected: { id, version: '2025.9' } }))).toBe('criteria-version-mismatch');
    expect(refusal(() => verifySignedCriteria(file, contacts, { expected: { id: 'other-criteria', version: signed.criteria.version } }))).toBe(
      'criteria-version-mismatch',
    );
    expect(refusal(() => verifySignedCriteria(file, contacts, { expected: { id, version: signed.criteria.version, digest: '0'.repeat(64) } }))).toBe(
      'criteria-digest-mismatch',
    );
  });

  it('refuse every single-byte change that alters the document, and accept only those that do not', () => {
    const bytes = new TextEncoder().encode(file);
    const original = JSON.stringify(sampleCriteria());
    fc.assert(
      fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const changed = bytes.slice();
        changed[at] = (changed[at]! + delta) & 0xff;
        try {
          const { criteria } = verifySignedCriteria(changed, contacts);
          // Only a change outside the signed content's meaning (whitespace between tokens) may pass.
          expect(JSON.stringify(criteria)).toBe(original);
        } catch (error) {
          expect(error).toBeInstanceOf(CriteriaError);
        }
      }),
      { numRuns: 2_000, interruptAfterTimeLimit: 15_000 },
    );
  });
});
