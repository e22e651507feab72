import * as typage from 'age-encryption';
import { bech32 } from '@scure/base';
import { describe, expect, it } from 'vitest';
import {
  AgeError,
  CHUNK_SIZE,
  decrypt,
  decryptStream,
  decryptWithPassphrase,
  encodeIdentity,
  encodeRecipient,
  encrypt,
  encryptStream,
  encryptWithPassphrase,
  generateIdentity,
  identityToRecipient,
  inspectHeader,
  openAge,
  parseIdentity,
  parseIdentityFile,
  parseRecipient,
  wrapFileKeyForRecipient,
  type ByteSource,
} from '../../electron/services/crypto/age';
import { decodeBase64Strict, encodeBase64NoPadding } from '../../electron/services/crypto/age-header';
import { collect, concat } from '../../electron/services/crypto/byte-reader';
import {
  ascii,
  chunked,
  craftAgeFile,
  fixture,
  fixtureIdentity,
  fixtureRecipient,
  flipBit,
  indexOfBytes,
  pattern,
  randomishBytes,
  replaceText,
  scryptStanza,
  specChunks,
  unknownStanza,
} from '../fixtures/age/builders';

const alice = generateIdentity();
const bob = generateIdentity();
const carol = generateIdentity();
const ENCRYPTED_CHUNK = CHUNK_SIZE + 16;

async function failureOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<AgeError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    if (error instanceof AgeError) return error;
    throw new Error(`expected an AgeError, got ${String(error)}`);
  }
  throw new Error('expected an AgeError, but the operation succeeded');
}

async function codeOf(work: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  return (await failureOf(work)).code;
}

function headerLength(file: Uint8Array): number {
  const macLine = indexOfBytes(file, '\n--- ');
  return indexOfBytes(file, '\n', macLine + 1) + 1;
}

/** Offset of chunk `index` (0-based) in a file from our encoder. */
function chunkOffset(file: Uint8Array, index: number): number {
  return headerLength(file) + 16 + index * ENCRYPTED_CHUNK;
}

describe('the test environment', () => {
  it("refuses node:crypto's chacha20-poly1305, as Electron does, so these tests prove the libsodium path", async () => {
    expect((globalThis as { __hdCipherGuard?: boolean }).__hdCipherGuard).toBe(true);
    const crypto = await import('node:crypto');
    expect(() => crypto.createCipheriv('chacha20-poly1305', Buffer.alloc(32), Buffer.alloc(12), { authTagLength: 16 })).toThrow(/refused/);
  });
});

describe('keys', () => {
  it('generates identities whose recipient is derived consistently, in the age text forms', () => {
    expect(alice.identity).toMatch(/^AGE-SECRET-KEY-1[023456789ACDEFGHJKLMNPQRSTUVWXYZ]{58}$/);
    expect(alice.recipient).toMatch(/^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/);
    expect(identityToRecipient(alice.identity)).toBe(alice.recipient);
    expect(alice.identity).not.toBe(bob.identity);
  });

  it('derives the same recipient as age-keygen for a key it generated', () => {
    expect(identityToRecipient(fixtureIdentity('reference-key-a.txt'))).toBe(fixtureRecipient('reference-key-a.txt'));
    expect(identityToRecipient(fixtureIdentity('reference-key-b.txt'))).toBe(fixtureRecipient('reference-key-b.txt'));
  });

  it('agrees with typage on key derivation both ways', async () => {
    expect(await typage.identityToRecipient(alice.identity)).toBe(alice.recipient);
    const theirs = await typage.generateIdentity();
    expect(identityToRecipient(theirs)).toBe(await typage.identityToRecipient(theirs));
  });

  it('round-trips raw key bytes through the text encodings', () => {
    const raw = randomishBytes(32, 7);
    expect(parseIdentity(encodeIdentity(raw))).toEqual(raw);
    expect(parseRecipient(encodeRecipient(raw))).toEqual(raw);
  });

  it('refuses malformed recipients and identities with specific codes', () => {
    const codeOfSync = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        return (error as AgeError).code;
      }
      return 'no error';
    };
    const lastCharSwapped = alice.recipient.slice(0, -1) + (alice.recipient.endsWith('q') ? 'p' : 'q');
    for (const bad of [
      '',
      alice.recipient.toUpperCase(),
      lastCharSwapped,
      ` ${alice.recipient}`,
      alice.identity,
      bech32.encode('age', bech32.toWords(new Uint8Array(31)), false),
      bech32.encode('agex', bech32.toWords(new Uint8Array(32)), false),
      bech32.encode('age', bech32.toWords(new Uint8Array(33)), false),
    ]) {
      expect(codeOfSync(() => parseRecipient(bad)), bad).toBe('invalid-recipient');
    }
    // The key is random, so the swapped character must differ from the one it replaces.
    const identityLastCharSwapped = alice.identity.slice(0, -1) + (alice.identity.endsWith('Q') ? 'P' : 'Q');
    for (const bad of ['', alice.identity.toLowerCase(), alice.recipient, identityLastCharSwapped, `${alice.identity}\n`]) {
      expect(codeOfSync(() => parseIdentity(bad)), bad).toBe('invalid-identity');
    }
  });

  it('reads age-keygen key files, comments and all', () => {
    const text = `# created: 2026-11-22\n# public key: ${alice.recipient}\n${alice.identity}\n\n${bob.identity}\r\n`;
    expect(parseIdentityFile(text)).toEqual([alice.identity, bob.identity]);
    expect(() => parseIdentityFile('# nothing here\n')).toThrow(AgeError);
  });
});

describe('strict base64', () => {
  it('accepts only the canonical unpadded form', () => {
    expect(decodeBase64Strict('AAAA')).toEqual(new Uint8Array(3));
    expect(decodeBase64Strict('AA')).toEqual(new Uint8Array(1));
    for (const bad of ['AA==', 'AB', 'A', 'AA AA', 'AA\n', 'AA-_', 'AAA=']) expect(decodeBase64Strict(bad), bad).toBeNull();
    expect(encodeBase64NoPadding(new Uint8Array([0xff]))).toBe('/w');
  });
});

describe('round trips', () => {
  const sizes = [0, 1, 100, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE, 3 * CHUNK_SIZE + 17];
  for (const size of sizes) {
    it(`${size} bytes, streamed through awkward source chunk sizes, with the exact ciphertext size`, async () => {
      const plaintext = randomishBytes(size, size + 1);
      const file = await collect(encryptStream(chunked(plaintext, [1, 7000, 65536, 3, 100_000]), [alice.recipient]));
      const chunks = Math.max(1, Math.ceil(size / CHUNK_SIZE));
      expect(file.length).toBe(headerLength(file) + 16 + size + 16 * chunks);
      const decrypted = await collect(decryptStream(chunked(file, [13, 65552, 1, 70_000]), [alice.identity]));
      expect(Buffer.from(decrypted).equals(Buffer.from(plaintext))).toBe(true);
    });
  }

  it('encrypts to several recipients, each of whom can decrypt, and no one else', async () => {
    const plaintext = ascii('Fictional panel papers for case 0001.');
    const file = await encrypt(plaintext, [alice.recipient, bob.recipient]);
    expect((await inspectHeader(file)).x25519Recipients).toBe(2);
    expect(await decrypt(file, [alice.identity])).toEqual(plaintext);
    expect(await decrypt(file, [bob.identity])).toEqual(plaintext);
    expect(await decrypt(file, [carol.identity, bob.identity])).toEqual(plaintext);
    expect(await codeOf(decrypt(file, [carol.identity]))).toBe('no-identity-matched');
  });

  it('round-trips with a passphrase', async () => {
    const plaintext = pattern(70_000);
    const file = await encryptWithPassphrase(plaintext, 'a fictional passphrase', { workFactor: 10 });
    expect((await inspectHeader(file)).scrypt).toEqual({ workFactor: 10 });
    expect(await decryptWithPassphrase(file, 'a fictional passphrase')).toEqual(plaintext);
    expect(await codeOf(decryptWithPassphrase(file, 'another passphrase'))).toBe('wrong-passphrase');
    expect(await codeOf(decrypt(file, [alice.identity]))).toBe('no-identity-matched');
    expect(await codeOf(decryptWithPassphrase(await encrypt(plaintext, [alice.recipient]), 'x'))).toBe('no-identity-matched');
  });

  it('produces a fresh file key and nonce every time', async () => {
    const a = await encrypt(ascii('same'), [alice.recipient]);
    const b = await encrypt(ascii('same'), [alice.recipient]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});

describe('interoperability in process (typage, the TypeScript reference)', () => {
  it('typage decrypts what we encrypt, across a chunk boundary', async () => {
    const plaintext = randomishBytes(CHUNK_SIZE + 5, 3);
    const decrypter = new typage.Decrypter();
    decrypter.addIdentity(alice.identity);
    expect(await decrypter.decrypt(await encrypt(plaintext, [bob.recipient, alice.recipient]))).toEqual(plaintext);
  });

  it('we decrypt what typage encrypts, to keys and to a passphrase', async () => {
    const plaintext = randomishBytes(2 * CHUNK_SIZE, 4);
    const encrypter = new typage.Encrypter();
    encrypter.addRecipient(alice.recipient);
    expect(await decrypt(await encrypter.encrypt(plaintext), [alice.identity])).toEqual(plaintext);

    const passphraseEncrypter = new typage.Encrypter();
    passphraseEncrypter.setPassphrase('fictional words');
    passphraseEncrypter.setScryptWorkFactor(10);
    expect(await decryptWithPassphrase(await passphraseEncrypter.encrypt(plaintext), 'fictional words')).toEqual(plaintext);
  });
});

describe('files made by the Go reference implementation (test/fixtures/age)', () => {
  const keyA = fixtureIdentity('reference-key-a.txt');
  const keyB = fixtureIdentity('reference-key-b.txt');
  for (const size of [0, 3, 65536, 70000]) {
    it(`pattern-${size}.age`, async () => {
      expect(await decrypt(fixture(`pattern-${size}.age`), [keyA])).toEqual(pattern(size));
      expect(await codeOf(decrypt(fixture(`pattern-${size}.age`), [keyB]))).toBe('no-identity-matched');
    });
  }
  it('two-recipients-pattern-1000.age opens with either key', async () => {
    expect(await decrypt(fixture('two-recipients-pattern-1000.age'), [keyA])).toEqual(pattern(1000));
    expect(await decrypt(fixture('two-recipients-pattern-1000.age'), [keyB])).toEqual(pattern(1000));
  });
  it('passphrase-pattern-100.age opens with its passphrase (scrypt work factor 18)', async () => {
    const file = fixture('passphrase-pattern-100.age');
    expect((await inspectHeader(file)).scrypt).toEqual({ workFactor: 18 });
    expect(await decryptWithPassphrase(file, 'fixture passphrase, protects nothing')).toEqual(pattern(100));
  });
});

describe('refusals, each with its own code', () => {
  const threeChunks = randomishBytes(2 * CHUNK_SIZE + 500, 9);
  let file3: Uint8Array;
  const file3Ready = encrypt(threeChunks, [alice.recipient]).then((file) => (file3 = file));
  const open3 = (file: Uint8Array) => decrypt(file, [alice.identity]);

  it('not an age file: empty, text, random bytes, ASCII armour', async () => {
    expect(await codeOf(open3(new Uint8Array(0)))).toBe('not-age-file');
    expect(await codeOf(open3(ascii('Dear panel,\nplease find attached…\n')))).toBe('not-age-file');
    expect(await codeOf(open3(randomishBytes(500, 5)))).toBe('not-age-file');
    expect(await codeOf(open3(ascii('-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n')))).toBe('not-age-file');
  });

  it('a future format version', async () => {
    await file3Ready;
    expect(await codeOf(open3(replaceText(file3, 'age-encryption.org/v1', 'age-encryption.org/v2')))).toBe('unsupported-version');
  });

  it('truncated inside the version line, the header, the MAC line, the nonce, and before any chunk', async () => {
    await file3Ready;
    const header = headerLength(file3);
    for (const cut of [5, 30, header - 10, header - 1, header, header + 8, header + 16]) {
      expect(await codeOf(open3(file3.subarray(0, cut))), `cut at ${cut}`).toBe('truncated');
    }
  });

  it('truncated at a chunk boundary (the final chunk missing)', async () => {
    await file3Ready;
    expect(await codeOf(open3(file3.subarray(0, chunkOffset(file3, 2))))).toBe('truncated');
    expect(await codeOf(open3(file3.subarray(0, chunkOffset(file3, 1))))).toBe('truncated');
    // Cut inside a tag: fewer than 16 bytes cannot be a chunk.
    expect(await codeOf(open3(file3.subarray(0, chunkOffset(file3, 2) + 10)))).toBe('truncated');
  });

  it('truncated mid-chunk: indistinguishable from damage, so reported as failed authentication', async () => {
    await file3Ready;
    const failure = await failureOf(open3(file3.subarray(0, chunkOffset(file3, 1) + 1000)));
    expect(failure.code).toBe('chunk-authentication-failed');
    expect(failure.details).toEqual({ chunk: 1 });
    expect(await codeOf(open3(file3.subarray(0, file3.length - 1)))).toBe('chunk-authentication-failed');
  });

  it('not addressed to me: wrong identity, and no X25519 stanza at all', async () => {
    await file3Ready;
    const failure = await failureOf(decrypt(file3, [bob.identity, carol.identity]));
    expect(failure.code).toBe('no-identity-matched');
    expect(failure.message).toMatch(/not addressed to you/);
    const fileKey = randomishBytes(16, 2);
    const onlyUnknown = craftAgeFile({ fileKey, stanzas: [unknownStanza()], chunks: specChunks(ascii('x')) });
    expect(await codeOf(decrypt(onlyUnknown, [alice.identity]))).toBe('no-identity-matched');
  });

  it('a flipped bit anywhere in the header, the MAC, the nonce, or the first, middle or last chunk', async () => {
    await file3Ready;
    const header = headerLength(file3);
    const shareAt = indexOfBytes(file3, '-> X25519 ') + 12;
    const bodyAt = indexOfBytes(file3, '\n', shareAt) + 5;
    const macAt = indexOfBytes(file3, '\n--- ') + 10;
    const cases: Array<[string, number, string[]]> = [
      ['version line', 3, ['not-age-file']],
      ['stanza type', shareAt - 5, ['no-identity-matched']],
      ['ephemeral share', shareAt, ['no-identity-matched', 'header-malformed']],
      ['wrapped file key', bodyAt, ['no-identity-matched', 'header-malformed']],
      ['header MAC', macAt, ['header-mac-mismatch', 'header-malformed']],
      ['payload nonce', header + 3, ['chunk-authentication-failed']],
      ['first chunk', chunkOffset(file3, 0) + 100, ['chunk-authentication-failed']],
      ['middle chunk', chunkOffset(file3, 1) + 65_000, ['chunk-authentication-failed']],
      ['last chunk tag', file3.length - 1, ['chunk-authentication-failed']],
    ];
    for (const [where, index, codes] of cases) {
      for (const bit of [0, 1, 6]) {
        expect(codes, `${where}, bit ${bit}`).toContain(await codeOf(open3(flipBit(file3, index, bit))));
      }
    }
    const middle = await failureOf(open3(flipBit(file3, chunkOffset(file3, 1) + 7)));
    expect(middle.message).toBe('The file is damaged, incomplete or has been altered: part 2 of its encrypted content does not check out. Nothing from it was kept; ask the sender for a fresh copy.');
  });

  it('a header MAC that is well-formed but wrong, or a header changed elsewhere (another recipient\'s stanza)', async () => {
    await file3Ready;
    const macText = /\n--- ([A-Za-z0-9+/]{43})\n/.exec(Buffer.from(file3).toString('latin1'))![1]!;
    const otherMac = encodeBase64NoPadding(flipBit(decodeBase64Strict(macText)!, 0));
    expect(await codeOf(open3(replaceText(file3, macText, otherMac)))).toBe('header-mac-mismatch');

    const twoRecipients = await encrypt(ascii('x'), [bob.recipient, alice.recipient]);
    const firstBody = indexOfBytes(twoRecipients, '\n', indexOfBytes(twoRecipients, '-> X25519 ')) + 1;
    const text = Buffer.from(twoRecipients).toString('latin1');
    const bobBody = text.slice(firstBody, text.indexOf('\n', firstBody));
    const alteredBody = encodeBase64NoPadding(flipBit(decodeBase64Strict(bobBody)!, 3));
    expect(await codeOf(decrypt(replaceText(twoRecipients, bobBody, alteredBody), [alice.identity]))).toBe('header-mac-mismatch');
  });

  it('two chunks swapped', async () => {
    await file3Ready;
    const first = file3.subarray(chunkOffset(file3, 0), chunkOffset(file3, 1));
    const second = file3.subarray(chunkOffset(file3, 1), chunkOffset(file3, 2));
    const swapped = concat([file3.subarray(0, chunkOffset(file3, 0)), second, first, file3.subarray(chunkOffset(file3, 2))]);
    expect(await codeOf(open3(swapped))).toBe('chunk-authentication-failed');
  });

  it('releases only authenticated chunks: the chunks before a damaged one, never the damaged one', async () => {
    await file3Ready;
    const received: Uint8Array[] = [];
    const failure = await failureOf(async () => {
      for await (const chunk of decryptStream(flipBit(file3, chunkOffset(file3, 1) + 5), [alice.identity])) received.push(chunk);
    });
    expect(failure.code).toBe('chunk-authentication-failed');
    expect(received.length).toBe(1);
    expect(Buffer.compare(received[0]!, threeChunks.subarray(0, CHUNK_SIZE))).toBe(0);
  });

  it('trailing data after a full final chunk is named; after a short final chunk it is damage', async () => {
    const fullLast = await encrypt(pattern(CHUNK_SIZE), [alice.recipient]);
    expect(await decrypt(fullLast, [alice.identity])).toEqual(pattern(CHUNK_SIZE));
    expect(await codeOf(decrypt(concat([fullLast, ascii('extra')]), [alice.identity]))).toBe('trailing-data');
    expect(await codeOf(decrypt(concat([fullLast, fullLast.subarray(-ENCRYPTED_CHUNK)]), [alice.identity]))).toBe('trailing-data');
    const shortLast = await encrypt(pattern(10), [alice.recipient]);
    expect(await codeOf(decrypt(concat([shortLast, ascii('extra')]), [alice.identity]))).toBe('chunk-authentication-failed');
  });

  it('an empty final chunk after a full one, and a chunk flagged last too early', async () => {
    const fileKey = randomishBytes(16, 11);
    const stanzas = [wrapFileKeyForRecipient(fileKey, alice.recipient)];
    const emptyLast = craftAgeFile({
      fileKey,
      stanzas,
      chunks: [{ plaintext: pattern(CHUNK_SIZE), last: false }, { plaintext: new Uint8Array(0), last: true }],
    });
    expect(await codeOf(decrypt(emptyLast, [alice.identity]))).toBe('payload-malformed');
    const earlyLast = craftAgeFile({
      fileKey,
      stanzas,
      chunks: [{ plaintext: pattern(CHUNK_SIZE), last: true }, { plaintext: pattern(5), last: true }],
    });
    expect(await codeOf(decrypt(earlyLast, [alice.identity]))).toBe('trailing-data');
    const wellFormed = craftAgeFile({ fileKey, stanzas, chunks: specChunks(pattern(CHUNK_SIZE + 5)) });
    expect(await decrypt(wellFormed, [alice.identity])).toEqual(pattern(CHUNK_SIZE + 5));
  });

  it('a scrypt stanza mixed with other stanzas', async () => {
    const fileKey = randomishBytes(16, 12);
    const mixed = craftAgeFile({
      fileKey,
      stanzas: [wrapFileKeyForRecipient(fileKey, alice.recipient), scryptStanza('10')],
      chunks: specChunks(ascii('x')),
    });
    expect(await codeOf(decrypt(mixed, [alice.identity]))).toBe('scrypt-not-alone');
    expect(await codeOf(decryptWithPassphrase(mixed, 'x'))).toBe('scrypt-not-alone');
    const twoScrypt = craftAgeFile({ fileKey, stanzas: [scryptStanza('10'), scryptStanza('10')], chunks: specChunks(ascii('x')) });
    expect(await codeOf(decryptWithPassphrase(twoScrypt, 'x'))).toBe('scrypt-not-alone');
  });

  it('an absurd scrypt work factor is refused before any work', async () => {
    const fileKey = randomishBytes(16, 13);
    for (const workFactor of ['21', '23', '64', '99']) {
      const file = craftAgeFile({ fileKey, stanzas: [scryptStanza(workFactor)], chunks: specChunks(ascii('x')) });
      const failure = await failureOf(decryptWithPassphrase(file, 'x'));
      expect(failure.code, workFactor).toBe('scrypt-too-expensive');
    }
    const file21 = craftAgeFile({ fileKey, stanzas: [scryptStanza('21')], chunks: specChunks(ascii('x')) });
    // Raising the ceiling lets 21 through to the (then wrong) passphrase check, without going past 22.
    await expect(decryptWithPassphrase(file21, 'x', { maxWorkFactor: 23 })).rejects.toThrow(RangeError);
    for (const malformed of ['0', '018', '+18', '0x12', '-1', '18446744073709551634', '']) {
      const file = craftAgeFile({ fileKey, stanzas: [{ ...scryptStanza('18'), args: [scryptStanza('18').args[0]!, malformed].filter(Boolean) }], chunks: specChunks(ascii('x')) });
      expect(await codeOf(decryptWithPassphrase(file, 'x')), JSON.stringify(malformed)).toBe('header-malformed');
    }
  });

  it('header syntax that the reference implementation rejects', async () => {
    await file3Ready;
    const fileKey = randomishBytes(16, 14);
    const stanzas = [wrapFileKeyForRecipient(fileKey, alice.recipient)];
    const good = craftAgeFile({ fileKey, stanzas, chunks: specChunks(ascii('x')) });
    expect(await decrypt(good, [alice.identity])).toEqual(ascii('x'));
    const text = Buffer.from(good).toString('latin1');
    const share = stanzas[0]!.args[0]!;
    const body = encodeBase64NoPadding(stanzas[0]!.body);
    const malformed: Array<[string, Uint8Array]> = [
      ['CRLF version line', replaceText(good, 'age-encryption.org/v1\n', 'age-encryption.org/v1\r\n')],
      ['CRLF stanza line', replaceText(good, `${share}\n`, `${share}\r\n`)],
      ['padded body', replaceText(good, `\n${body}\n`, `\n${body}=\n`)],
      ['padded share', replaceText(good, share, `${share}=`)],
      ['two spaces before share', replaceText(good, `X25519 ${share}`, `X25519  ${share}`)],
      ['extra argument', replaceText(good, `X25519 ${share}`, `X25519 ${share} extra`)],
      ['no arguments at all', replaceText(good, `-> X25519 ${share}`, '->')],
      ['no space after arrow', replaceText(good, '-> X25519', '->X25519')],
      ['MAC line with two spaces', replaceText(good, '--- ', '---  ')],
      ['MAC line without space', replaceText(good, '--- ', '---')],
      ['unknown line', replaceText(good, '--- ', 'hello\n--- ')],
      ['no stanza', concat([ascii('age-encryption.org/v1\n'), good.subarray(text.indexOf('---'))])],
      ['non-canonical spare bits in share', replaceText(good, share, share.slice(0, -1) + String.fromCharCode(share.charCodeAt(42) ^ 1))],
    ];
    for (const [what, file] of malformed) {
      const code = await codeOf(decrypt(file, [alice.identity]));
      expect(code, what).toBe('header-malformed');
    }
    // A body that is exactly one full line must be followed by an empty line.
    const fullLine = craftAgeFile({ fileKey, stanzas: [...stanzas, unknownStanza(new Uint8Array(48))], chunks: specChunks(ascii('x')) });
    expect(await decrypt(fullLine, [alice.identity])).toEqual(ascii('x'));
    const missingFinalLine = replaceText(fullLine, `${encodeBase64NoPadding(new Uint8Array(48))}\n\n`, `${encodeBase64NoPadding(new Uint8Array(48))}\n`);
    expect(await codeOf(decrypt(missingFinalLine, [alice.identity]))).toBe('header-malformed');
    const longLine = replaceText(fullLine, `${encodeBase64NoPadding(new Uint8Array(48))}\n\n`, `${encodeBase64NoPadding(new Uint8Array(51))}\n`);
    expect(await codeOf(decrypt(longLine, [alice.identity]))).toBe('header-malformed');
    expect(await codeOf(decrypt(concat([ascii(`age-encryption.org/v1\n-> ${'a'.repeat(1_100_000)}\n`)]), [alice.identity]))).toBe('header-malformed');
  });

  it('skips unknown stanza types, as the spec requires', async () => {
    const fileKey = randomishBytes(16, 15);
    const file = craftAgeFile({
      fileKey,
      stanzas: [unknownStanza(randomishBytes(100)), wrapFileKeyForRecipient(fileKey, alice.recipient), unknownStanza(new Uint8Array(0))],
      chunks: specChunks(pattern(10)),
    });
    expect(await decrypt(file, [alice.identity])).toEqual(pattern(10));
  });

  it('a low-order X25519 share in a file, and a low-order recipient when encrypting', async () => {
    const fileKey = randomishBytes(16, 16);
    const file = craftAgeFile({
      fileKey,
      stanzas: [{ type: 'X25519', args: [encodeBase64NoPadding(new Uint8Array(32))], body: new Uint8Array(32) }],
      chunks: specChunks(ascii('x')),
    });
    expect(await codeOf(decrypt(file, [alice.identity]))).toBe('header-malformed');
    expect(await codeOf(encrypt(ascii('x'), [encodeRecipient(new Uint8Array(32))]))).toBe('invalid-recipient');
  });

  it('bad arguments: no recipients, invalid recipient or identity, empty passphrase', async () => {
    expect(() => encryptStream(ascii('x'), [])).toThrow(expect.objectContaining({ code: 'no-recipients' }));
    expect(() => encryptStream(ascii('x'), ['age1nope'])).toThrow(expect.objectContaining({ code: 'invalid-recipient' }));
    expect(await codeOf(decrypt(ascii('x'), ['AGE-SECRET-KEY-1NOPE']))).toBe('invalid-identity');
    expect(await codeOf(decrypt(ascii('x'), []))).toBe('invalid-identity');
    expect(await codeOf(encryptWithPassphrase(ascii('x'), ''))).toBe('invalid-passphrase');
  });
});

describe('inspectHeader', () => {
  it('reports stanza types and counts without any key, from the first bytes only', async () => {
    const file = await encrypt(pattern(200_000), [alice.recipient, bob.recipient, carol.recipient]);
    const summary = await inspectHeader(file.subarray(0, headerLength(file)));
    expect(summary.version).toBe('age-encryption.org/v1');
    expect(summary.x25519Recipients).toBe(3);
    expect(summary.stanzas.map((stanza) => stanza.type)).toEqual(['X25519', 'X25519', 'X25519']);
    expect(summary.scrypt).toBeNull();
    expect(summary.headerBytes).toBe(headerLength(file));
    expect(await codeOf(inspectHeader(file.subarray(0, 60)))).toBe('truncated');
    expect(await codeOf(inspectHeader(ascii('PK\u0003\u0004 a zip file')))).toBe('not-age-file');
  });

  it('stops reading the source after the header', async () => {
    const file = await encrypt(pattern(500_000), [alice.recipient]);
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (const part of chunked(file, [1000])) {
          pulled += part.length;
          yield part;
        }
      } finally {
        closed = true;
      }
    }
    await inspectHeader(source());
    expect(pulled).toBeLessThanOrEqual(1000);
    expect(closed).toBe(true);
  });
});

describe('bounded memory', () => {
  /** An endless-looking lazy source that records how much has been pulled. */
  function meteredSource(total: number, partSize: number): { source: ByteSource; pulled: () => number } {
    let pulled = 0;
    const part = pattern(partSize);
    async function* generate(): AsyncGenerator<Uint8Array> {
      while (pulled < total) {
        const size = Math.min(partSize, total - pulled);
        pulled += size;
        yield part.subarray(0, size);
      }
    }
    return { source: generate(), pulled: () => pulled };
  }

  it('encryption reads its source only one chunk ahead of its output', async () => {
    const metered = meteredSource(64 * 1024 * 1024, 10_000);
    let outputChunks = 0;
    for await (const _ of encryptStream(metered.source, [alice.recipient])) {
      outputChunks++;
      // After header + k chunks, at most k+1 chunks of plaintext (plus one source part) have been read.
      expect(metered.pulled()).toBeLessThanOrEqual(outputChunks * CHUNK_SIZE + 10_000);
      if (outputChunks === 20) break;
    }
  });

  it('decryption reads its source only one chunk ahead of its output, and closes it when the consumer stops', async () => {
    const file = await collect(encryptStream(meteredSource(40 * CHUNK_SIZE, 50_000).source, [alice.recipient]));
    let pulled = 0;
    let closed = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (const part of chunked(file, [30_000])) {
          pulled += part.length;
          yield part;
        }
      } finally {
        closed = true;
      }
    }
    const opened = await openAge(source(), [alice.identity]);
    let released = 0;
    for await (const chunk of opened.payload) {
      released += chunk.length;
      expect(pulled - released).toBeLessThanOrEqual(opened.header.headerBytes + 16 + 2 * ENCRYPTED_CHUNK + 30_000);
      if (released >= 10 * CHUNK_SIZE) break;
    }
    expect(closed).toBe(true);
  });

  it('hands the consumer chunks it may keep (no buffer reuse behind its back)', async () => {
    const plaintext = randomishBytes(4 * CHUNK_SIZE + 3, 21);
    const kept: Uint8Array[] = [];
    for await (const chunk of decryptStream(await encrypt(plaintext, [alice.recipient]), [alice.identity])) kept.push(chunk);
    expect(concat(kept)).toEqual(plaintext);
  });
});
