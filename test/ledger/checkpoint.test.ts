import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT_BASE64,
  base64Encode,
  cosign,
  cosignatureTime,
  cosignatureVerifier,
  emptyRoot,
  formatCheckpoint,
  formatSignerKey,
  formatVerifierKey,
  formatWitnessVerifierKey,
  hashLeaf,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  parseCheckpoint,
  parseNote,
  parseSignatureLine,
  parseVerifierKey,
  signCheckpoint,
  verifyCosignature,
  cosignatureMessage,
} from '../../src/ledger/index.js';
import { adapters, utf8, codeOf } from './fixtures.js';

const LOG_SEED = Uint8Array.from({ length: 32 }, (_, i) => i * 3);
const WITNESS_SEED = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const ORIGIN = 'mizan.example/log';


describe.each(adapters)('checkpoints and cosignatures with %s', (_name, crypto) => {
  const root = hashLeaf(crypto, utf8('root'));
  const logSigner = noteSigner(crypto, formatSignerKey(crypto, ORIGIN, LOG_SEED));
  const logVerifier = noteVerifier(crypto, formatVerifierKey(crypto, ORIGIN, crypto.ed25519PublicKey(LOG_SEED)));
  const witnessVkey = formatWitnessVerifierKey(crypto, 'witness.example/w1', crypto.ed25519PublicKey(WITNESS_SEED));
  const witnessVerifier = cosignatureVerifier(crypto, witnessVkey);

  describe('checkpoint body (c2sp.org/tlog-checkpoint)', () => {
    it('formats origin, size, padded base64 root and extension lines, each ending in a newline', () => {
      const text = formatCheckpoint({ origin: ORIGIN, size: 1234, rootHash: root, extensions: ['ext one'] });
      expect(text).toBe(`${ORIGIN}\n1234\n${base64Encode(root)}\next one\n`);
      expect(parseCheckpoint(text)).toEqual({ origin: ORIGIN, size: 1234, rootHash: root, extensions: ['ext one'] });
      expect(formatCheckpoint({ origin: ORIGIN, size: 0, rootHash: emptyRoot(crypto) })).toBe(`${ORIGIN}\n0\n${EMPTY_ROOT_BASE64}\n`);
    });

    it('rejects malformed checkpoint text', () => {
      const r = base64Encode(root);
      const cases: Record<string, string> = {
        'no final newline': `${ORIGIN}\n1\n${r}`,
        'two lines': `${ORIGIN}\n1\n`,
        'empty origin': `\n1\n${r}\n`,
        'leading zero in size': `${ORIGIN}\n01\n${r}\n`,
        'signed size': `${ORIGIN}\n+1\n${r}\n`,
        'negative size': `${ORIGIN}\n-1\n${r}\n`,
        'size with spaces': `${ORIGIN}\n 1\n${r}\n`,
        'hex size': `${ORIGIN}\n0x10\n${r}\n`,
        'size past 2^53': `${ORIGIN}\n9007199254740992\n${r}\n`,
        'size of 20 digits': `${ORIGIN}\n18446744073709551615\n${r}\n`,
        'unpadded root': `${ORIGIN}\n1\n${r.replace(/=$/, '')}\n`,
        'URL-safe base64 root': `${ORIGIN}\n1\n${'_'.repeat(42)}A=\n`,
        '31-byte root': `${ORIGIN}\n1\n${base64Encode(root.subarray(1))}\n`,
        '33-byte root': `${ORIGIN}\n1\n${base64Encode(new Uint8Array(33))}\n`,
        'empty extension line': `${ORIGIN}\n1\n${r}\n\n`,
        'empty tree with a non-empty root': `${ORIGIN}\n0\n${r}\n`,
        'carriage return': `${ORIGIN}\r\n1\n${r}\n`,
      };
      for (const [what, text] of Object.entries(cases)) expect(codeOf(() => parseCheckpoint(text)), what).toBe('MALFORMED_CHECKPOINT');
    });

    it('refuses to format what it could not parse back', () => {
      expect(codeOf(() => formatCheckpoint({ origin: 'a\nb', size: 1, rootHash: root }))).toBe('MALFORMED_CHECKPOINT');
      expect(codeOf(() => formatCheckpoint({ origin: ORIGIN, size: -1, rootHash: root }))).toBe('MALFORMED_CHECKPOINT');
      expect(codeOf(() => formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: root.subarray(2) }))).toBe('MALFORMED_CHECKPOINT');
      expect(codeOf(() => formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: root, extensions: [''] }))).toBe('MALFORMED_CHECKPOINT');
    });
  });

  describe('signed checkpoints', () => {
    const note = signCheckpoint({ origin: ORIGIN, size: 7, rootHash: root }, [logSigner]);

    it('opens with the log key and the expected origin', () => {
      const opened = openCheckpoint(note, [logVerifier], ORIGIN);
      expect(opened.checkpoint.size).toBe(7);
      expect(opened.logSignatures).toHaveLength(1);
    });

    it('attack: the right key but another log origin (ORIGIN_MISMATCH)', () => {
      expect(codeOf(() => openCheckpoint(note, [logVerifier], 'mizan.example/other'))).toBe('ORIGIN_MISMATCH');
    });

    it('attack: a checkpoint signed only by a trusted witness, not by the log (UNKNOWN_KEY)', () => {
      const text = formatCheckpoint({ origin: ORIGIN, size: 7, rootHash: root });
      const onlyWitness = text + '\n' + cosign(crypto, text, 'witness.example/w1', WITNESS_SEED, 1_700_000_000);
      expect(codeOf(() => openCheckpoint(onlyWitness, [logVerifier], ORIGIN, [witnessVerifier]))).toBe('UNKNOWN_KEY');
    });

    it('attack: size edited after signing (BAD_SIGNATURE)', () => {
      expect(codeOf(() => openCheckpoint(note.replace('\n7\n', '\n8\n'), [logVerifier], ORIGIN))).toBe('BAD_SIGNATURE');
    });
  });

  describe('cosignatures (c2sp.org/tlog-cosignature, Ed25519 type 0x04)', () => {
    const text = formatCheckpoint({ origin: ORIGIN, size: 7, rootHash: root });
    const note = signCheckpoint({ origin: ORIGIN, size: 7, rootHash: root }, [logSigner]);
    const line = cosign(crypto, text, 'witness.example/w1', WITNESS_SEED, 1679315147);

    it('signs "cosignature/v1\\ntime <T>\\n" + checkpoint text, with a type-0x04 key ID and a u64 timestamp', () => {
      expect(new TextDecoder().decode(cosignatureMessage(text, 1679315147))).toBe(`cosignature/v1\ntime 1679315147\n${text}`);
      const sig = parseSignatureLine(line);
      const k = parseVerifierKey(crypto, witnessVkey);
      expect(k.type).toBe(0x04);
      expect(sig.keyId).toBe(k.keyId);
      expect(sig.signature).toHaveLength(72);
      expect(Buffer.from(sig.signature.subarray(0, 8)).readBigUInt64BE()).toBe(1679315147n);
      expect(crypto.ed25519Verify(k.publicKey, cosignatureMessage(text, 1679315147), sig.signature.subarray(8))).toBe(true);
      // The type-0x04 key ID differs from the 0x01 one for the same name and key.
      expect(formatVerifierKey(crypto, 'witness.example/w1', k.publicKey).split('+')[1]).not.toBe(witnessVkey.split('+')[1]);
    });

    it('verifies alone and inside the cosigned checkpoint', () => {
      expect(verifyCosignature(crypto, text, line, witnessVkey)).toEqual({ name: 'witness.example/w1', time: 1679315147 });
      const opened = openCheckpoint(note + line, [logVerifier], ORIGIN, [witnessVerifier]);
      expect(opened.cosignatures).toHaveLength(1);
      expect(cosignatureTime(opened.cosignatures[0]!)).toBe(1679315147);
    });

    it('reads the timestamp of the example cosignature in the spec (1679315147)', () => {
      const example = '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
      expect(cosignatureTime(parseSignatureLine(example))).toBe(1679315147);
    });

    it('attack: the timestamp is changed (BAD_SIGNATURE)', () => {
      const sig = parseSignatureLine(line);
      const moved = Uint8Array.from(sig.signature);
      moved[7] = moved[7]! ^ 1;
      const forged = `\u2014 ${sig.name} ${base64Encode(Uint8Array.from([...Buffer.from(line.split(' ')[2]!.trim(), 'base64').subarray(0, 4), ...moved]))}\n`;
      expect(codeOf(() => verifyCosignature(crypto, text, forged, witnessVkey))).toBe('BAD_SIGNATURE');
      expect(codeOf(() => openCheckpoint(note + forged, [logVerifier], ORIGIN, [witnessVerifier]))).toBe('BAD_SIGNATURE');
    });

    it('attack: a cosignature replayed onto another checkpoint (BAD_SIGNATURE)', () => {
      const other = formatCheckpoint({ origin: ORIGIN, size: 8, rootHash: root });
      expect(codeOf(() => verifyCosignature(crypto, other, line, witnessVkey))).toBe('BAD_SIGNATURE');
    });

    it('attack: a plain Ed25519 note signature by the witness key posing as a cosignature', () => {
      const asNote = noteSigner(crypto, formatSignerKey(crypto, 'witness.example/w1', WITNESS_SEED));
      const plain = parseNote(signCheckpoint({ origin: ORIGIN, size: 7, rootHash: root }, [asNote])).signatures[0]!;
      const line01 = `\u2014 ${plain.name} ${base64Encode(Uint8Array.from([...parseKeyIdBytes(plain.keyId), ...plain.signature]))}\n`;
      // Different key ID (type byte 0x01 vs 0x04): not this witness.
      expect(codeOf(() => verifyCosignature(crypto, text, line01, witnessVkey))).toBe('UNKNOWN_KEY');
    });

    it('refuses to cosign something that is not a checkpoint, and timestamps that are not safe integers', () => {
      expect(codeOf(() => cosign(crypto, 'hello\n', 'w', WITNESS_SEED, 1))).toBe('MALFORMED_CHECKPOINT');
      expect(codeOf(() => cosign(crypto, text, 'w', WITNESS_SEED, -1))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => cosign(crypto, text, 'w', WITNESS_SEED, 2 ** 53))).toBe('INVALID_ARGUMENT');
    });

    it('refuses an Ed25519 (0x01) vkey where a witness (0x04) key is expected', () => {
      expect(codeOf(() => cosignatureVerifier(crypto, formatVerifierKey(crypto, 'w', crypto.ed25519PublicKey(WITNESS_SEED))))).toBe('MALFORMED_KEY');
    });
  });
});

function parseKeyIdBytes(id: number): number[] {
  return [(id >>> 24) & 0xff, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
}
