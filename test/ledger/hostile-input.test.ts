// Every parser of untrusted input must either succeed or throw LedgerError: never a TypeError,
// RangeError or a hang, whatever the bytes (random, or a valid object with random edits).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  base64Decode,
  cosign,
  cosignatureVerifier,
  decodeEntry,
  decodeEntryBundle,
  decodeTile,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  formatWitnessVerifierKey,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseNote,
  parseSignatureLine,
  parseSignerKey,
  parseTilePath,
  parseTlogProof,
  parseVerifierKey,
  signNote,
  verifyCosignature,
} from '../../src/ledger/index.js';
import { nodeCrypto as crypto } from '../../src/ledger/node-crypto.js';

function onlyLedgerErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof LedgerError)) throw e;
  }
}

const ORIGIN = 'mizan.example/log';
const SEED = new Uint8Array(32).fill(9);
const WSEED = new Uint8Array(32).fill(10);
const signer = noteSigner(crypto, formatSignerKey(crypto, ORIGIN, SEED));
const verifier = noteVerifier(crypto, formatVerifierKey(crypto, ORIGIN, crypto.ed25519PublicKey(SEED)));
const wkey = formatWitnessVerifierKey(crypto, 'w.example', crypto.ed25519PublicKey(WSEED));
const body = formatCheckpoint({ origin: ORIGIN, size: 42, rootHash: crypto.sha256(new Uint8Array(1)) });
const cosig = cosign(crypto, body, 'w.example', WSEED, 1_700_000_000);
const note = signNote(body, [signer]) + cosig;

// Random text biased towards the characters these formats are made of.
const formatChars = fc.constantFrom('\n', '\u2014', ' ', '+', '=', '/', 'A', 'a', '0', '1', 'x', '.', 'p', 'tile', '\u0000', '\r', '\ud800', 'é');
const nasty = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: formatChars, maxLength: 200 }));

/** A valid string with a few random edits: insertions, deletions, replacements. */
const mutated = (valid: string) =>
  fc
    .array(fc.tuple(fc.nat(valid.length), fc.nat(3), fc.string({ unit: formatChars, maxLength: 3 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      let s = valid;
      for (const [pos, del, ins] of edits) s = s.slice(0, pos % (s.length + 1)) + ins + s.slice((pos % (s.length + 1)) + del);
      return s;
    });

describe('parsers given hostile text', () => {
  const parsers: [string, (s: string) => unknown][] = [
    ['parseNote', (s) => parseNote(s)],
    ['openNote', (s) => openNote(s, [verifier])],
    ['openCheckpoint', (s) => openCheckpoint(s, [verifier], ORIGIN, [cosignatureVerifier(crypto, wkey)])],
    ['parseCheckpoint', (s) => parseCheckpoint(s)],
    ['parseSignatureLine', (s) => parseSignatureLine(s)],
    ['verifyCosignature', (s) => verifyCosignature(crypto, body, s, wkey)],
    ['parseVerifierKey', (s) => parseVerifierKey(crypto, s)],
    ['parseSignerKey', (s) => parseSignerKey(crypto, s)],
    ['parseTlogProof', (s) => parseTlogProof(s)],
    ['parseTilePath', (s) => parseTilePath(s)],
    ['base64Decode', (s) => base64Decode(s, 'MALFORMED_NOTE', 'x')],
  ];

  it.each(parsers)('%s throws only LedgerError on random strings', (_n, parse) => {
    fc.assert(fc.property(nasty, (s) => onlyLedgerErrors(() => parse(s))), { numRuns: 500 });
  });

  it('openCheckpoint throws only LedgerError on edited cosigned checkpoints', () => {
    fc.assert(fc.property(mutated(note), (s) => onlyLedgerErrors(() => openCheckpoint(s, [verifier], ORIGIN, [cosignatureVerifier(crypto, wkey)]))), { numRuns: 400 });
  });

  it('no edit of a signed checkpoint keeps a valid log signature unless it only touched the signature block harmlessly', () => {
    fc.assert(
      fc.property(mutated(note), (s) => {
        try {
          const opened = openCheckpoint(s, [verifier], ORIGIN);
          // Accepted: then the signed text must be exactly the original checkpoint.
          expect(opened.text).toBe(body);
        } catch (e) {
          expect(e).toBeInstanceOf(LedgerError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('verifier keys throw only LedgerError when edited', () => {
    fc.assert(fc.property(mutated(wkey), (s) => onlyLedgerErrors(() => parseVerifierKey(crypto, s))), { numRuns: 500 });
  });
});

describe('parsers given hostile bytes', () => {
  const bytes = fc.uint8Array({ maxLength: 400 });
  it.each([
    ['openNote', (b: Uint8Array) => openNote(b, [verifier])],
    ['openCheckpoint', (b: Uint8Array) => openCheckpoint(b, [verifier], ORIGIN)],
    ['decodeEntry', (b: Uint8Array) => decodeEntry(b)],
    ['decodeTile', (b: Uint8Array) => decodeTile(b)],
    ['decodeEntryBundle', (b: Uint8Array) => decodeEntryBundle(b)],
  ] as const)('%s throws only LedgerError on random bytes', (_n, parse) => {
    fc.assert(fc.property(bytes, (b) => onlyLedgerErrors(() => parse(b))), { numRuns: 500 });
  });

  it('non-strings and non-bytes where text or bytes are expected are refused, not crashed on', () => {
    for (const v of [null, undefined, 42, {}, [], new ArrayBuffer(4)]) {
      for (const fn of [
        () => openNote(v as never, [verifier]),
        () => parseCheckpoint(v as never),
        () => parseTilePath(v as never),
        () => parseTlogProof(v as never),
        () => parseVerifierKey(crypto, v as never),
        () => parseSignerKey(crypto, v as never),
        () => decodeEntry(v as never),
        () => decodeTile(v as never),
        () => decodeEntryBundle(v as never),
      ]) {
        expect(fn).toThrow(LedgerError);
      }
    }
  });
});
