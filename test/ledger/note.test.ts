import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  MAX_NOTE_SIGNATURES,
  formatSignatureLine,
  formatSignerKey,
  formatVerifierKey,
  isValidKeyName,
  keyId,
  noteSigner,
  noteVerifier,
  openCheckpoint,
  openNote,
  parseCheckpoint,
  parseSignerKey,
  parseVerifierKey,
  rootFromLeafHashes,
  hashLeaf,
  signNote,
  base64Encode,
} from '../../src/ledger/index.js';
import type { LedgerCrypto, NoteVerifier } from '../../src/ledger/index.js';
import { adapters, flipBit, haveVectors, listJson, readJson, readVector, requireVectors, utf8, vectorsDir } from './fixtures.js';

interface VectorCase {
  description: string;
  source?: string;
  expect: 'valid' | 'invalid';
  vkeys: string[];
  origin?: string;
  note_only?: boolean;
  checkpoint?: string;
  checkpoint_file?: string;
  leaves_text?: string[];
}

/** Runs a tlogverify-format case with the TypeScript code (only the fields the public cases use). */
function runCase(crypto: LedgerCrypto, c: VectorCase, file: string): void {
  const verifiers = c.vkeys.map((k) => noteVerifier(crypto, k));
  const text = c.checkpoint_file ? readVector(path.relative(vectorsDir, path.resolve(path.dirname(file), c.checkpoint_file))) : c.checkpoint!;
  if (c.note_only) {
    openNote(text, verifiers);
    return;
  }
  // Cases without an origin accept any: read it from the (verified) note first.
  const origin = c.origin ?? parseCheckpoint(openNote(text, verifiers).text).origin;
  const { checkpoint } = openCheckpoint(text, verifiers, origin);
  if (c.leaves_text) {
    const root = rootFromLeafHashes(crypto, c.leaves_text.map((l) => hashLeaf(crypto, utf8(l))));
    if (c.leaves_text.length !== checkpoint.size || base64Encode(root) !== base64Encode(checkpoint.rootHash)) {
      throw new LedgerError('BAD_PROOF', 'leaves do not give the checkpoint root');
    }
  }
}

const SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const OTHER_SEED = Uint8Array.from({ length: 32 }, (_, i) => 200 - i);

describe.each(adapters)('signed notes with %s', (_name, crypto) => {
  describe('public vectors (cases/signed-note, cases/checkpoint, cases/serverless-log; provenance in each case\'s "source")', () => {
    requireVectors();
    const files = haveVectors ? ['signed-note', 'checkpoint', 'serverless-log'].flatMap((d) => listJson(path.join(vectorsDir, 'cases', d))) : [];
    it.runIf(haveVectors)(`gives the expected verdict on all ${files.length} cases`, () => {
      expect(files.length).toBeGreaterThanOrEqual(28);
      for (const f of files) {
        const c = readJson<VectorCase>(path.relative(vectorsDir, f));
        let verdict: 'valid' | 'invalid' = 'valid';
        try {
          runCase(crypto, c, f);
        } catch (e) {
          expect(e, `${f}: only LedgerError`).toBeInstanceOf(LedgerError);
          verdict = 'invalid';
        }
        expect(verdict, `${path.basename(f)}: ${c.description}`).toBe(c.expect);
      }
    });

    it.runIf(haveVectors)('reproduces the key IDs of the C2SP, x/mod, sum.golang.org and serverless-log keys', () => {
      const vkeys = [
        ...readJson<VectorCase>('cases/signed-note/c2sp-example.json').vkeys,
        ...readJson<VectorCase>('cases/signed-note/xmod-peterneumann.json').vkeys,
        ...readJson<VectorCase>('cases/signed-note/xmod-two-sigs-enoch-only.json').vkeys,
        ...readJson<VectorCase>('cases/checkpoint/sum-golang-org-6476701.json').vkeys,
        ...readJson<VectorCase>('cases/serverless-log/checkpoint-15-leaves.json').vkeys,
      ];
      expect(vkeys.map((v) => v.split('+').slice(0, 2).join('+'))).toEqual([
        'example.com/foo+530d903a',
        'PeterNeumann+c74f20a3',
        'EnochRoot+af0cfe78',
        'sum.golang.org+033de0ae',
        'astra+cad5a3d2',
      ]);
      for (const v of vkeys) {
        const k = parseVerifierKey(crypto, v); // checks SHA-256(name || 0x0A || 0x01 || pub)[:4]
        expect(formatVerifierKey(crypto, k.name, k.publicKey)).toBe(v);
      }
    });

    // serverless-log testdata/build_log.sh publishes the log's private key, and Ed25519 is
    // deterministic: signing the same checkpoint text must give the very same file, byte for byte.
    it.runIf(haveVectors)('re-signs the 16 serverless-log checkpoints byte for byte with the published astra key', () => {
      const script = readVector('serverless-log/testdata/build_log.sh');
      const skey = /SERVERLESS_LOG_PRIVATE_KEY="([^"]+)"/.exec(script)![1]!;
      const vkey = /SERVERLESS_LOG_PUBLIC_KEY="([^"]+)"/.exec(script)![1]!;
      const k = parseSignerKey(crypto, skey);
      expect(formatVerifierKey(crypto, k.name, k.publicKey)).toBe(vkey);
      expect(formatSignerKey(crypto, k.name, k.seed)).toBe(skey);
      const signer = noteSigner(crypto, k);
      const names = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eit', 'nain', 'ten', 'ileven', 'twelf', 'threeten', 'fourten', 'fivten'];
      for (let n = 0; n <= 15; n++) {
        const file = readVector(`serverless-log/testdata/log/checkpoint.${n}`);
        const { text } = openNote(file, [noteVerifier(crypto, vkey)]);
        expect(signNote(text, [signer])).toBe(file);
        const cp = parseCheckpoint(text);
        expect(cp.size).toBe(n);
        expect(base64Encode(cp.rootHash)).toBe(base64Encode(rootFromLeafHashes(crypto, names.slice(0, n).map((s) => hashLeaf(crypto, utf8(s))))));
      }
    });
  });

  describe('keys', () => {
    it('round-trips signer and verifier keys', () => {
      const skey = formatSignerKey(crypto, 'mizan.example/log', SEED);
      expect(skey).toMatch(/^PRIVATE\+KEY\+mizan\.example\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
      const k = parseSignerKey(crypto, skey);
      const vkey = formatVerifierKey(crypto, k.name, k.publicKey);
      expect(vkey.startsWith(`mizan.example/log+${skey.split('+')[3]}+`)).toBe(true);
      expect(parseVerifierKey(crypto, vkey).keyId).toBe(k.keyId);
      expect(keyId(crypto, k.name, 0x01, k.publicKey)).toBe(k.keyId);
    });

    it('rejects a verifier key whose key ID does not match its key (substituted key)', () => {
      const vkey = formatVerifierKey(crypto, 'a.example', crypto.ed25519PublicKey(SEED));
      const other = formatVerifierKey(crypto, 'a.example', crypto.ed25519PublicKey(OTHER_SEED));
      const forged = vkey.split('+').slice(0, 2).join('+') + '+' + other.split('+').slice(2).join('+');
      expect(() => parseVerifierKey(crypto, forged)).toThrow(expect.objectContaining({ code: 'MALFORMED_KEY' }));
    });

    it('rejects malformed verifier keys', () => {
      const good = formatVerifierKey(crypto, 'a.example', crypto.ed25519PublicKey(SEED));
      const [name, id, b64] = good.split('+') as [string, string, string];
      for (const bad of [
        '',
        name,
        `${name}+${id}`,
        `${name}+${id.toUpperCase()}+${b64}`, // key IDs are lowercase hex
        `${name}+${id}+${b64.slice(0, -1)}`, // truncated base64
        `${name}+${id}+${b64}=`, // extra padding
        ` ${good}`, // leading space
        `${name} x+${id}+${b64}`, // space in the name
        `+${id}+${b64}`, // empty name
        `${name}+${id}+${Buffer.from([0x02, ...crypto.ed25519PublicKey(SEED)]).toString('base64')}`, // unknown signature type
        `${name}+${id}+${Buffer.from([0x01, 1, 2, 3]).toString('base64')}`, // short key
      ]) {
        expect(() => parseVerifierKey(crypto, bad), bad).toThrow(expect.objectContaining({ code: 'MALFORMED_KEY' }));
      }
    });

    it('applies the key-name rules: non-empty, no Unicode spaces, no plus', () => {
      expect(isValidKeyName('example.com/log42')).toBe(true);
      expect(isValidKeyName('مِيزان.example/سجل')).toBe(true);
      for (const bad of ['', 'a b', 'a+b', 'a\u00a0b', 'a\u2003b', 'a\u3000b', 'a\tb', 'a\u0085b', 'a\u2028b', 'a\ud800b']) {
        expect(isValidKeyName(bad), JSON.stringify(bad)).toBe(false);
      }
      // U+FEFF is not a Unicode space (Go's unicode.IsSpace agrees), unlike JavaScript's \s.
      expect(isValidKeyName('a\ufeffb')).toBe(true);
    });
  });

  describe('signing and opening', () => {
    const signer = noteSigner(crypto, formatSignerKey(crypto, 'mizan.example/log', SEED));
    const verifier = noteVerifier(crypto, formatVerifierKey(crypto, 'mizan.example/log', crypto.ed25519PublicKey(SEED)));
    const other = noteSigner(crypto, formatSignerKey(crypto, 'witness.example', OTHER_SEED));
    const otherVerifier = noteVerifier(crypto, formatVerifierKey(crypto, 'witness.example', crypto.ed25519PublicKey(OTHER_SEED)));
    const text = 'hello\n\nwith a blank line inside\n';
    const note = signNote(text, [signer, other]);

    it('writes the exact C2SP layout: text, blank line, em-dash signature lines of 68 bytes', () => {
      const lines = note.slice(text.length + 1).split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[2]).toBe('');
      expect(lines[0]).toMatch(/^\u2014 mizan\.example\/log [A-Za-z0-9+/]{91}=$/);
      expect(Buffer.from(lines[0]!.split(' ')[2]!, 'base64')).toHaveLength(68);
    });

    it('opens with either key, splitting at the last blank line, and reports the other signature as unverified', () => {
      const opened = openNote(note, [verifier]);
      expect(opened.text).toBe(text);
      expect(opened.signatures.map((s) => s.name)).toEqual(['mizan.example/log']);
      expect(opened.unverified.map((s) => s.name)).toEqual(['witness.example']);
      expect(openNote(utf8(note), [verifier, otherVerifier]).signatures).toHaveLength(2);
    });

    it('refuses text that does not end in a newline or has control characters', () => {
      expect(() => signNote('no newline', [signer])).toThrow(expect.objectContaining({ code: 'MALFORMED_NOTE' }));
      expect(() => signNote('cr\r\n', [signer])).toThrow(expect.objectContaining({ code: 'MALFORMED_NOTE' }));
    });

    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(LedgerError);
        return (e as LedgerError).code;
      }
      return 'accepted';
    };

    it('rejects a tampered text (BAD_SIGNATURE) and a note no known key signed (UNKNOWN_KEY)', () => {
      expect(code(() => openNote(note.replace('hello', 'hellO'), [verifier]))).toBe('BAD_SIGNATURE');
      expect(code(() => openNote(signNote(text, [other]), [verifier]))).toBe('UNKNOWN_KEY');
      expect(code(() => openNote(note, []))).toBe('UNKNOWN_KEY');
    });

    it('rejects a note after any single bit flip in its signature (key ID bits: UNKNOWN_KEY, signature bits: BAD_SIGNATURE)', () => {
      const single = signNote(text, [signer]);
      const [head, b64] = single.slice(text.length + 1, -1).split(/ (?=[^ ]+$)/) as [string, string];
      const raw = Uint8Array.from(Buffer.from(b64, 'base64'));
      fc.assert(
        fc.property(fc.nat(raw.length * 8 - 1), (bit) => {
          const flipped = flipBit(raw, bit);
          const forged = `${text}\n${head} ${base64Encode(flipped)}\n`;
          expect(code(() => openNote(forged, [verifier]))).toBe(bit < 32 ? 'UNKNOWN_KEY' : 'BAD_SIGNATURE');
        }),
        { numRuns: 200 },
      );
    });

    it('attack: a forged line for a known key next to a good one rejects the whole note', () => {
      const forged = formatSignatureLine(signer.name, signer.keyId, new Uint8Array(64));
      expect(code(() => openNote(note + forged, [verifier]))).toBe('BAD_SIGNATURE');
      expect(code(() => openNote(note.replace(text + '\n', text + '\n' + forged), [verifier]))).toBe('BAD_SIGNATURE');
    });

    it('attack: a key with the same name but another key ID (or same ID, other name) is ignored, not trusted', () => {
      const sameName = formatSignatureLine(signer.name, (signer.keyId + 1) >>> 0, other.sign(utf8(text)));
      const sameId = formatSignatureLine('mizan.example/log2', signer.keyId, signer.sign(utf8(text)));
      expect(code(() => openNote(`${text}\n${sameName}${sameId}`, [verifier]))).toBe('UNKNOWN_KEY');
    });

    it('attack: signature lines smuggled into the text are treated as text, split at the LAST blank line', () => {
      // The attacker moves a genuine signature line above a fresh blank line: it becomes part of the text.
      const smuggled = note + '\n' + formatSignatureLine(other.name, other.keyId, other.sign(utf8('x\n')));
      expect(code(() => openNote(smuggled, [verifier]))).toBe('UNKNOWN_KEY');
      // A blank line between two signature lines: the first one becomes text, so the second no longer verifies.
      const line = note.slice(text.length + 1).split('\n')[0]!;
      expect(code(() => openNote(text + '\n' + line + '\n\n' + line + '\n', [verifier]))).toBe('BAD_SIGNATURE');
    });

    it('rejects malformed notes (MALFORMED_NOTE)', () => {
      const sig = note.slice(text.length + 1);
      const line = sig.split('\n')[0]!;
      const cases: Record<string, string | Uint8Array> = {
        'no blank line': text + line + '\n',
        'no signature': text + '\n',
        'signature block without final newline': note.slice(0, -1),
        'en dash instead of em dash': text + '\n' + line.replace('\u2014', '\u2013') + '\n',
        'two spaces after the dash': text + '\n' + line.replace('\u2014 ', '\u2014  ') + '\n',
        'CRLF line endings': note.replace(/\n/g, '\r\n'),
        'NUL byte in the text': 'a\u0000b\n\n' + line + '\n',
        'non-canonical base64 (pad bits set)': text + '\n' + line.replace(/.=$/, (m) => String.fromCharCode(m.charCodeAt(0) + 1) + '=') + '\n',
        'base64 without padding': text + '\n' + line.replace(/=$/, '') + '\n',
        'signature shorter than key ID + 1 byte': text + '\n\u2014 a.example AAAAAA==\n',
        'empty signature': text + '\n\u2014 a.example \n',
        'name with a plus': text + '\n' + line.replace('mizan.example/log', 'mizan+log') + '\n',
        'invalid UTF-8': Uint8Array.from([...utf8('caf'), 0xc3, 0x28, ...utf8('\n\n' + line + '\n')]),
        'UTF-8 overlong encoding of "/"': Uint8Array.from([0xc0, 0xaf, ...utf8('\n\n' + line + '\n')]),
        'lone surrogate': 'a\ud800\n\n' + line + '\n',
        [`more than ${MAX_NOTE_SIGNATURES} signatures`]: text + '\n' + (line + '\n').repeat(MAX_NOTE_SIGNATURES + 1),
        'note over 1 MB': 'a'.repeat(1_000_001) + '\n\n' + line + '\n',
      };
      for (const [what, bad] of Object.entries(cases)) expect(code(() => openNote(bad, [verifier])), what).toBe('MALFORMED_NOTE');
    });

    it('accepts 16 signatures (the spec minimum) and duplicate identical lines', () => {
      const many = Array.from({ length: 15 }, (_, i) => noteSigner(crypto, formatSignerKey(crypto, `w${i}.example`, Uint8Array.from({ length: 32 }, () => i))));
      const n = signNote(text, [signer, ...many]);
      expect(openNote(n, [verifier]).unverified).toHaveLength(15);
      const line = note.slice(text.length + 1).split('\n')[0]!;
      expect(openNote(note + line + '\n', [verifier]).signatures).toHaveLength(1);
    });

    it('refuses two different verifiers that claim the same name and key ID', () => {
      const a: NoteVerifier = { ...verifier };
      expect(code(() => openNote(note, [verifier, a]))).toBe('INVALID_ARGUMENT');
    });
  });
});
