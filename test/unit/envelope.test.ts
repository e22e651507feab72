import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AgeError, decrypt, encrypt, generateIdentity, inspectHeader } from '../../electron/services/crypto/age';
import { collect, concat } from '../../electron/services/crypto/byte-reader';
import { ed25519PublicFromSeed, ed25519Sign, ed25519Verify, generateEd25519Seed } from '../../electron/services/crypto/ed25519';
import {
  EnvelopeError,
  openEnvelope,
  openEnvelopeBytes,
  sealEnvelope,
  sealEnvelopeBytes,
  type OpenEnvelopeOptions,
  type PayloadType,
} from '../../electron/services/crypto/envelope';
import { ascii, chunked, randomishBytes } from '../fixtures/age/builders';

const clerk = { ...generateIdentity(), seed: generateEd25519Seed() };
const panellist = generateIdentity();
const lawyer = generateIdentity();
const outsider = generateIdentity();
const clerkKey = Buffer.from(ed25519PublicFromSeed(clerk.seed)).toString('base64');
const CREATED = new Date('2026-11-22T10:15:00.000Z');

function sealBundle(payload: Uint8Array, overrides: Partial<Parameters<typeof sealEnvelopeBytes>[0]> = {}): Promise<Uint8Array> {
  return sealEnvelopeBytes({
    type: 'hearing-desk/bundle@1',
    payload,
    author: { signingSeed: clerk.seed, ageRecipient: clerk.recipient },
    recipients: [panellist.recipient, lawyer.recipient],
    createdAt: CREATED,
    ...overrides,
  });
}

function asPanellist(extra: Partial<OpenEnvelopeOptions> = {}): OpenEnvelopeOptions {
  return { identity: panellist.identity, expectedTypes: ['hearing-desk/bundle@1'], maxPayloadBytes: 1 << 30, ...extra };
}

async function failureOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<AgeError | EnvelopeError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof EnvelopeError || error instanceof AgeError) return error;
    throw new Error(`expected an EnvelopeError or AgeError, got ${String(error)}`);
  }
  throw new Error('expected a failure, but the operation succeeded');
}

async function codeOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  return (await failureOf(work)).code;
}

// --- an independent writer that follows docs/envelope.md literally ------------------------------------------

function specHeader(fields: { type: string; length: number; recipients: string[]; signingKey?: string; createdAt?: string }): string {
  return (
    `{"author":{"ageRecipient":"${clerk.recipient}","signingKey":"${fields.signingKey ?? clerkKey}"},` +
    `"createdAt":"${fields.createdAt ?? CREATED.toISOString()}","payloadLength":${fields.length},` +
    `"payloadType":"${fields.type}","recipients":${JSON.stringify([...fields.recipients].sort())}}`
  );
}

function specSign(seed: Uint8Array, type: string, header: Uint8Array, payload: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(header).update(payload).digest();
  const message = Buffer.concat([Buffer.from(`hearing-desk/envelope@1 ${type.length} ${type} 32 `), digest]);
  const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return new Uint8Array(sign(null, message, key));
}

function specPlaintext(options: {
  header: string;
  payload: Uint8Array;
  seed?: Uint8Array;
  signedType?: string;
  magic?: string;
  extra?: Uint8Array;
}): Uint8Array {
  const header = ascii(options.header);
  const type = options.signedType ?? (JSON.parse(options.header) as { payloadType: string }).payloadType;
  const signature = specSign(options.seed ?? clerk.seed, type, header, options.payload);
  return concat([ascii(options.magic ?? 'hearing-desk/envelope@1\n'), header, ascii('\n'), options.payload, signature, options.extra ?? new Uint8Array(0)]);
}

function splitPlaintext(plaintext: Uint8Array): { magic: string; header: Uint8Array; payload: Uint8Array; signature: Uint8Array } {
  const newline = plaintext.indexOf(0x0a, 24);
  const header = plaintext.subarray(24, newline);
  const length = (JSON.parse(Buffer.from(header).toString()) as { payloadLength: number }).payloadLength;
  return {
    magic: Buffer.from(plaintext.subarray(0, 24)).toString(),
    header,
    payload: plaintext.subarray(newline + 1, newline + 1 + length),
    signature: plaintext.subarray(newline + 1 + length),
  };
}

describe('ed25519 helpers', () => {
  it('sign and verify with raw keys, and reject anything else without throwing', () => {
    const seed = generateEd25519Seed();
    const message = ascii('a fictional decision');
    const signature = ed25519Sign(seed, message);
    const publicKey = ed25519PublicFromSeed(seed);
    expect(signature.length).toBe(64);
    expect(ed25519Verify(publicKey, message, signature)).toBe(true);
    expect(ed25519Verify(publicKey, ascii('another decision'), signature)).toBe(false);
    expect(ed25519Verify(ed25519PublicFromSeed(generateEd25519Seed()), message, signature)).toBe(false);
    expect(ed25519Verify(publicKey.subarray(1), message, signature)).toBe(false);
    expect(ed25519Verify(publicKey, message, signature.subarray(1))).toBe(false);
  });

  it('matches RFC 8032 test vector 1', () => {
    const seed = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
    expect(Buffer.from(ed25519PublicFromSeed(seed)).toString('hex')).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(Buffer.from(ed25519Sign(seed, new Uint8Array(0))).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });
});

describe('sealing and opening', () => {
  for (const size of [0, 1, 1000, 65_536 - 300, 65_536, 300_000]) {
    it(`${size} bytes, streamed both ways; verified only once the payload has been read`, async () => {
      const payload = randomishBytes(size, size + 5);
      const file = await collect(
        sealEnvelope({
          type: 'hearing-desk/bundle@1',
          payload: chunked(payload, [1, 4000, 70_000]),
          payloadLength: size,
          author: { signingSeed: clerk.seed, ageRecipient: clerk.recipient },
          recipients: [lawyer.recipient, panellist.recipient, lawyer.recipient],
          createdAt: CREATED,
        }),
      );
      const opened = await openEnvelope(chunked(file, [999, 65_552]), asPanellist());
      expect(opened.header).toEqual({
        author: { ageRecipient: clerk.recipient, signingKey: clerkKey },
        createdAt: '2026-11-22T10:15:00.000Z',
        payloadLength: size,
        payloadType: 'hearing-desk/bundle@1',
        recipients: [lawyer.recipient, panellist.recipient].sort(),
      });
      expect(opened.verified).toBe(false);
      const received = await collect(opened.payload);
      expect(opened.verified).toBe(true);
      expect(Buffer.compare(received, payload)).toBe(0);
    });
  }

  it('every listed recipient can open it; the author cannot unless listed', async () => {
    const file = await sealBundle(ascii('Fictional bundle for case 0042'));
    expect((await openEnvelopeBytes(file, asPanellist({ identity: lawyer.identity }))).payload).toEqual(ascii('Fictional bundle for case 0042'));
    expect(await codeOf(openEnvelopeBytes(file, asPanellist({ identity: clerk.identity })))).toBe('no-identity-matched');
    const ownCopy = await sealBundle(ascii('x'), { recipients: [panellist.recipient, clerk.recipient] });
    expect((await openEnvelopeBytes(ownCopy, asPanellist({ identity: clerk.identity }))).payload).toEqual(ascii('x'));
    expect((await inspectHeader(ownCopy)).x25519Recipients).toBe(2);
  });

  it('writes exactly the layout docs/envelope.md describes', async () => {
    const payload = randomishBytes(5000, 1);
    const plaintext = await decrypt(await sealBundle(payload), [panellist.identity]);
    const parts = splitPlaintext(plaintext);
    expect(parts.magic).toBe('hearing-desk/envelope@1\n');
    expect(Buffer.from(parts.header).toString()).toBe(
      specHeader({ type: 'hearing-desk/bundle@1', length: 5000, recipients: [panellist.recipient, lawyer.recipient] }),
    );
    expect(Buffer.compare(parts.payload, payload)).toBe(0);
    expect(parts.signature.length).toBe(64);
    const digest = createHash('sha256').update(parts.header).update(payload).digest();
    const message = Buffer.concat([Buffer.from('hearing-desk/envelope@1 21 hearing-desk/bundle@1 32 '), digest]);
    const publicKey = createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(clerkKey, 'base64')]), format: 'der', type: 'spki' });
    expect(verify(null, message, publicKey, parts.signature)).toBe(true);
  });

  it('opens an envelope written independently from the spec', async () => {
    const payload = ascii('Fictional outcome: formal warning, 18 months.');
    const recipients = [panellist.recipient, lawyer.recipient];
    const plaintext = specPlaintext({ header: specHeader({ type: 'hearing-desk/outcome@1', length: payload.length, recipients }), payload });
    const opened = await openEnvelopeBytes(await encrypt(plaintext, recipients), asPanellist({ expectedTypes: ['hearing-desk/outcome@1'] }));
    expect(opened.payload).toEqual(payload);
    expect(opened.header.payloadType).toBe('hearing-desk/outcome@1');
  });
});

describe('refusals, each with its own code', () => {
  const recipients = [panellist.recipient, lawyer.recipient];
  const payload = ascii('Fictional evidence bundle, 3 documents.');
  const bundleHeader = specHeader({ type: 'hearing-desk/bundle@1', length: payload.length, recipients });

  it('a payload type this version does not know', async () => {
    const header = specHeader({ type: 'hearing-desk/minutes@9', length: payload.length, recipients });
    const file = await encrypt(specPlaintext({ header, payload }), recipients);
    expect(await codeOf(openEnvelopeBytes(file, asPanellist()))).toBe('unknown-payload-type');
  });

  it('a payload of one type replayed where another is expected', async () => {
    const outcome = await sealBundle(payload, { type: 'hearing-desk/outcome@1' });
    const failure = await failureOf(openEnvelopeBytes(outcome, asPanellist()));
    expect(failure.code).toBe('unexpected-payload-type');
    expect(failure.message).toBe('This sealed file holds an outcome record, but a hearing bundle was expected here.');
    expect((await openEnvelopeBytes(outcome, asPanellist({ expectedTypes: ['hearing-desk/bundle@1', 'hearing-desk/outcome@1'] }))).payload).toEqual(payload);
  });

  it('a header re-labelled with another type by a recipient breaks the signature', async () => {
    const outcomeHeader = specHeader({ type: 'hearing-desk/outcome@1', length: payload.length, recipients });
    const signedAsOutcome = specPlaintext({ header: outcomeHeader, payload });
    const relabelled = Buffer.from(signedAsOutcome).toString('latin1').replace('hearing-desk/outcome@1', 'hearing-desk/bundle@1');
    const file = await encrypt(Buffer.from(relabelled, 'latin1'), recipients);
    expect(await codeOf(openEnvelopeBytes(file, asPanellist()))).toBe('signature-invalid');
    // Same header, signature computed over the other type: the type outside the digest is bound too.
    const crossSigned = specPlaintext({ header: bundleHeader, payload, signedType: 'hearing-desk/outcome@1' });
    expect(await codeOf(openEnvelopeBytes(await encrypt(crossSigned, recipients), asPanellist()))).toBe('signature-invalid');
  });

  it('a valid age file that is not an envelope, or a future envelope version', async () => {
    expect(await codeOf(openEnvelopeBytes(await encrypt(ascii('just a note'), recipients), asPanellist()))).toBe('not-an-envelope');
    expect(await codeOf(openEnvelopeBytes(await encrypt(new Uint8Array(0), recipients), asPanellist()))).toBe('not-an-envelope');
    const future = specPlaintext({ header: bundleHeader, payload, magic: 'hearing-desk/envelope@2\n' });
    expect(await codeOf(openEnvelopeBytes(await encrypt(future, recipients), asPanellist()))).toBe('unsupported-envelope-version');
  });

  it('a payload tampered with and re-encrypted by a recipient', async () => {
    const plaintext = await decrypt(await sealBundle(payload), [panellist.identity]);
    const tampered = plaintext.slice();
    tampered[splitPlaintext(plaintext).payload.byteOffset + 3]! ^= 1;
    const file = await encrypt(tampered, recipients);
    const failure = await failureOf(openEnvelopeBytes(file, asPanellist({ identity: lawyer.identity })));
    expect(failure.code).toBe('signature-invalid');
    expect(failure.message).toMatch(/altered or forged/);
  });

  it("a recipient forging another author's key", async () => {
    const forgerSeed = generateEd25519Seed();
    const forged = specPlaintext({
      header: specHeader({ type: 'hearing-desk/bundle@1', length: 19, recipients }),
      payload: ascii('Forged instructions'),
      seed: forgerSeed,
    });
    // The header names the clerk's signing key, but the forger can only sign with their own.
    expect(await codeOf(openEnvelopeBytes(await encrypt(forged, recipients), asPanellist()))).toBe('signature-invalid');
  });

  it('an author who is not among those expected', async () => {
    const file = await sealBundle(payload);
    expect(await codeOf(openEnvelopeBytes(file, asPanellist({ expectedAuthors: [Buffer.alloc(32, 1).toString('base64')] })))).toBe('unexpected-author');
    expect((await openEnvelopeBytes(file, asPanellist({ expectedAuthors: [clerkKey] }))).payload).toEqual(payload);
  });

  it('a reader not listed by the author (the file was passed on)', async () => {
    const plaintext = await decrypt(await sealBundle(payload), [panellist.identity]);
    const passedOn = await encrypt(plaintext, [outsider.recipient]);
    expect(await codeOf(openEnvelopeBytes(passedOn, asPanellist({ identity: outsider.identity })))).toBe('not-listed-recipient');
  });

  it('a file re-encrypted to more keys than the author listed', async () => {
    const plaintext = await decrypt(await sealBundle(payload), [panellist.identity]);
    const widened = await encrypt(plaintext, [panellist.recipient, lawyer.recipient, outsider.recipient]);
    expect(await codeOf(openEnvelopeBytes(widened, asPanellist()))).toBe('recipients-mismatch');
  });

  it('an absurd declared size, refused before any payload is read', async () => {
    const header = specHeader({ type: 'hearing-desk/bundle@1', length: 2 ** 50, recipients });
    const lying = await encrypt(specPlaintext({ header, payload }), recipients);
    expect(await codeOf(openEnvelopeBytes(lying, asPanellist()))).toBe('declared-size-absurd');
    expect(await codeOf(openEnvelopeBytes(await sealBundle(payload), asPanellist({ maxPayloadBytes: payload.length - 1 })))).toBe('declared-size-absurd');
  });

  it('a payload shorter or longer than declared, or data after the signature', async () => {
    const short = specPlaintext({ header: specHeader({ type: 'hearing-desk/bundle@1', length: payload.length + 40, recipients }), payload });
    expect(await codeOf(openEnvelopeBytes(await encrypt(short, recipients), asPanellist()))).toBe('length-mismatch');
    const extra = specPlaintext({ header: bundleHeader, payload, extra: ascii('!') });
    expect(await codeOf(openEnvelopeBytes(await encrypt(extra, recipients), asPanellist()))).toBe('length-mismatch');
    const noSignature = specPlaintext({ header: bundleHeader, payload }).subarray(0, -64);
    expect(await codeOf(openEnvelopeBytes(await encrypt(noSignature, recipients), asPanellist()))).toBe('length-mismatch');
  });

  it('sealing refuses a stream longer or shorter than its declared length', async () => {
    const seal = (declared: number) =>
      collect(
        sealEnvelope({
          type: 'hearing-desk/bundle@1',
          payload: chunked(payload, [5]),
          payloadLength: declared,
          author: { signingSeed: clerk.seed, ageRecipient: clerk.recipient },
          recipients,
        }),
      );
    expect(await codeOf(seal(payload.length - 1))).toBe('length-mismatch');
    expect(await codeOf(seal(payload.length + 1))).toBe('length-mismatch');
  });

  it('headers that are not in canonical form or break the rules', async () => {
    const variants: Array<[string, string]> = [
      ['whitespace', bundleHeader.replace('{"author":', '{ "author":')],
      ['keys out of order', bundleHeader.replace(/^\{"author":(\{[^}]*\}),("createdAt":"[^"]*"),/, '{$2,"author":$1,')],
      ['extra member', bundleHeader.replace('{"author"', '{"a":1,"author"')],
      ['unsorted recipients', bundleHeader.replace(/"recipients":\["(age1[a-z0-9]+)","(age1[a-z0-9]+)"\]/, '"recipients":["$2","$1"]')],
      ['duplicate recipients', bundleHeader.replace(/"recipients":\["(age1[a-z0-9]+)","(age1[a-z0-9]+)"\]/, '"recipients":["$1","$1"]')],
      ['short signing key', bundleHeader.replace(clerkKey, Buffer.alloc(31).toString('base64'))],
      ['fractional length', bundleHeader.replace(`"payloadLength":${payload.length}`, `"payloadLength":${payload.length}.0`)],
      ['local time', bundleHeader.replace('.000Z', '.000+01:00')],
      ['not JSON', bundleHeader.slice(0, -1)],
    ];
    for (const [what, header] of variants) {
      expect(header, what).not.toBe(bundleHeader);
      const file = await encrypt(specPlaintext({ header, payload, signedType: 'hearing-desk/bundle@1' }), recipients);
      expect(await codeOf(openEnvelopeBytes(file, asPanellist())), what).toBe('header-malformed');
    }
  });

  it('age-level damage surfaces as the AgeError it is', async () => {
    const file = await sealBundle(randomishBytes(100_000, 3));
    expect(await codeOf(openEnvelopeBytes(file.subarray(0, file.length - 20), asPanellist()))).toBe('chunk-authentication-failed');
    expect(await codeOf(openEnvelopeBytes(file.subarray(0, 150), asPanellist()))).toBe('truncated');
  });

  it('bad sealing arguments', async () => {
    const base = { payload, author: { signingSeed: clerk.seed, ageRecipient: clerk.recipient }, recipients };
    expect(() => sealEnvelope({ ...base, type: 'hearing-desk/minutes@9' as PayloadType })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => sealEnvelope({ ...base, type: 'hearing-desk/bundle@1', recipients: [] })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => sealEnvelope({ ...base, type: 'hearing-desk/bundle@1', recipients: ['age1nope'] })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => sealEnvelope({ ...base, type: 'hearing-desk/bundle@1', payload: chunked(payload, [3]) })).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => sealEnvelope({ ...base, type: 'hearing-desk/bundle@1', author: { signingSeed: new Uint8Array(31), ageRecipient: clerk.recipient } })).toThrow(
      expect.objectContaining({ code: 'invalid-argument' }),
    );
  });
});

describe('the streaming contract', () => {
  it('hands out payload before verification, then throws at the end if the signature fails', async () => {
    const recipients = [panellist.recipient];
    const big = randomishBytes(300_000, 8);
    const header = specHeader({ type: 'hearing-desk/bundle@1', length: big.length, recipients });
    const plaintext = specPlaintext({ header, payload: big });
    plaintext[plaintext.length - 1]! ^= 0x80; // the signature's last byte
    const opened = await openEnvelope(await encrypt(plaintext, recipients), asPanellist());
    let received = 0;
    const failure = await failureOf(async () => {
      for await (const part of opened.payload) received += part.length;
    });
    expect(failure.code).toBe('signature-invalid');
    expect(received).toBe(big.length);
    expect(opened.verified).toBe(false);
  });

  it('reads its source lazily and releases it when the reader stops early', async () => {
    const file = await sealBundle(randomishBytes(1_000_000, 4));
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (const part of chunked(file, [16_384])) {
          pulled += part.length;
          yield part;
        }
      } finally {
        closed = true;
      }
    }
    const opened = await openEnvelope(source(), asPanellist());
    for await (const part of opened.payload) {
      expect(part.length).toBeGreaterThan(0);
      break;
    }
    expect(pulled).toBeLessThan(3 * 65_552);
    expect(closed).toBe(true);
    expect(opened.verified).toBe(false);
  });
});
