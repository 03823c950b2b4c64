import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  STATEMENT_SIGNING_PREFIX,
  canonicalJson,
  checkCommitment,
  createEntry,
  decodeEntry,
  encodeEntry,
  formatSignerKey,
  formatVerifierKey,
  keyReference,
  makeCommitment,
  noteSigner,
  noteVerifier,
  signStatement,
  statementSigningBytes,
  validateStatement,
  verifyEntrySignatures,
} from '../../src/ledger/index.js';
import type { Entry, NoteVerifier, Statement } from '../../src/ledger/index.js';
import { adapters, flipBit, toHex, utf8, codeOf } from './fixtures.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

const PARTY_SEED = Uint8Array.from({ length: 32 }, (_, i) => i + 7);
const OPERATOR_SEED = Uint8Array.from({ length: 32 }, (_, i) => 99 - i);
const SALT = Uint8Array.from({ length: 32 }, (_, i) => i);

describe.each(adapters)('statements and entries with %s', (_name, crypto) => {
  const party = noteSigner(crypto, formatSignerKey(crypto, 'mizan.example/party/pk', PARTY_SEED));
  const operator = noteSigner(crypto, formatSignerKey(crypto, 'mizan.example/operator', OPERATOR_SEED));
  const verifiers = new Map<string, NoteVerifier>(
    [
      ['mizan.example/party/pk', PARTY_SEED],
      ['mizan.example/operator', OPERATOR_SEED],
    ].map(([n, s]) => {
      const v = noteVerifier(crypto, formatVerifierKey(crypto, n as string, crypto.ed25519PublicKey(s as Uint8Array)));
      return [keyReference(v), v];
    }),
  );
  const resolve = (k: string) => verifiers.get(k);

  const statement: Statement = {
    v: 1,
    kind: 'claim.created',
    author: { party: 'PK', user: 'u-17', key: keyReference(party) },
    at: '2025-10-19T12:00:00Z',
    body: { incident: 'inc-1', text: 'Ceasefire violated near Chaman — راپور', casualties: 3 },
  };

  it('signs "mizan-statement/v1\\n" + canonical JSON, and encodes the entry as canonical JSON', () => {
    expect(text(statementSigningBytes(statement))).toBe(STATEMENT_SIGNING_PREFIX + canonicalJson(statement));
    const entry = createEntry(statement, [party, operator]);
    const bytes = encodeEntry(entry);
    expect(text(bytes)).toBe(canonicalJson({ statement, signatures: entry.signatures }));
    expect(text(bytes).startsWith('{"signatures":[{"key":"mizan.example/party/pk+')).toBe(true);
    expect(decodeEntry(bytes)).toEqual(entry);
    expect(verifyEntrySignatures(decodeEntry(bytes), resolve)).toEqual([keyReference(party), keyReference(operator)]);
  });

  it('has one signature per key, 64 bytes, over the domain-separated bytes (not the bare JSON)', () => {
    const sig = signStatement(statement, party);
    const raw = Buffer.from(sig.sig, 'base64');
    expect(raw).toHaveLength(64);
    const pub = crypto.ed25519PublicKey(PARTY_SEED);
    expect(crypto.ed25519Verify(pub, statementSigningBytes(statement), raw)).toBe(true);
    expect(crypto.ed25519Verify(pub, utf8(canonicalJson(statement)), raw)).toBe(false);
  });

  describe('commitments', () => {
    const body = { monitor: 'Gul Khan', phone: '+93 700 000 000' };
    it('commits to SHA-256(salt || canonical JSON) and opens only with the same body and salt', () => {
      const c = makeCommitment(crypto, body, SALT);
      const expected = toHex(crypto.sha256(Uint8Array.from([...SALT, ...utf8('{"monitor":"Gul Khan","phone":"+93 700 000 000"}')])));
      expect(c).toBe(`sha256:${expected}`);
      expect(checkCommitment(crypto, c, { phone: '+93 700 000 000', monitor: 'Gul Khan' }, SALT)).toBe(true);
      expect(checkCommitment(crypto, c, { ...body, monitor: 'Gul Khan ' }, SALT)).toBe(false);
      expect(checkCommitment(crypto, c, body, flipBit(SALT, 3))).toBe(false);
      expect(checkCommitment(crypto, c.toUpperCase(), body, SALT)).toBe(false);
      expect(checkCommitment(crypto, c, body, SALT.subarray(1))).toBe(false);
      expect(() => makeCommitment(crypto, body, SALT.subarray(1))).toThrow(LedgerError);
    });

    it('puts only the commitment in the entry', () => {
      const committed: Statement = { v: 1, kind: 'monitor.registered', author: { key: keyReference(operator) }, at: '2025-10-20T08:30:00.5Z', commitment: makeCommitment(crypto, body, SALT) };
      const bytes = encodeEntry(createEntry(committed, [operator]));
      expect(text(bytes)).not.toContain('Gul Khan');
      expect(decodeEntry(bytes).statement).toEqual(committed);
    });
  });

  describe('validation', () => {
    it('requires the author key among the signers', () => {
      expect(codeOf(() => createEntry(statement, [operator]))).toBe('MALFORMED_ENTRY');
    });

    it('rejects malformed statements', () => {
      const { body: _b, ...head } = statement;
      const bad: Record<string, unknown> = {
        'version 2': { ...statement, v: 2 },
        'body and commitment': { ...statement, commitment: `sha256:${'0'.repeat(64)}` },
        'neither body nor commitment': head,
        'array body': { ...statement, body: [] },
        'null body': { ...statement, body: null },
        'unknown field': { ...statement, extra: 1 },
        'unknown author field': { ...statement, author: { ...statement.author, role: 'x' } },
        'author key without key ID': { ...statement, author: { key: 'mizan.example/party/pk' } },
        'author key with uppercase ID': { ...statement, author: { key: keyReference(party).toUpperCase() } },
        'empty party': { ...statement, author: { ...statement.author, party: '' } },
        'empty kind': { ...statement, kind: '' },
        'kind with a space': { ...statement, kind: 'claim created' },
        'local time': { ...statement, at: '2025-10-19T12:00:00+05:00' },
        'lowercase z': { ...statement, at: '2025-10-19T12:00:00z' },
        'date only': { ...statement, at: '2025-10-19' },
        '30 February': { ...statement, at: '2025-02-30T12:00:00Z' },
        '29 February 2025': { ...statement, at: '2025-02-29T12:00:00Z' },
        'hour 24': { ...statement, at: '2025-10-19T24:00:00Z' },
        'commitment in uppercase hex': { ...head, commitment: `sha256:${'A'.repeat(64)}` },
        'commitment with another hash': { ...head, commitment: `sha512:${'0'.repeat(64)}` },
        'a string': 'statement',
      };
      for (const [what, s] of Object.entries(bad)) expect(codeOf(() => validateStatement(s)), what).toBe('MALFORMED_STATEMENT');
      expect(validateStatement({ ...statement, at: '2024-02-29T23:59:59.123456789Z' }).at).toBe('2024-02-29T23:59:59.123456789Z');
    });

    it('refuses an entry over 65535 bytes (ENTRY_TOO_LARGE)', () => {
      const big: Statement = { ...statement, body: { text: 'x'.repeat(70_000) } };
      expect(codeOf(() => encodeEntry(createEntry(big, [party])))).toBe('ENTRY_TOO_LARGE');
      expect(codeOf(() => decodeEntry(new Uint8Array(65536)))).toBe('ENTRY_TOO_LARGE');
    });
  });

  describe('hostile entries', () => {
    const entry = createEntry(statement, [party, operator]);
    const good = text(encodeEntry(entry));

    it('attack: a signature moved from one statement to another (BAD_SIGNATURE)', () => {
      const other = createEntry({ ...statement, body: { ...statement.body, casualties: 30 } }, [party]);
      const swapped: Entry = { statement: other.statement, signatures: entry.signatures };
      expect(codeOf(() => verifyEntrySignatures(swapped, resolve))).toBe('BAD_SIGNATURE');
    });

    it('attack: a signature by a key the verifier does not know (UNKNOWN_KEY)', () => {
      expect(codeOf(() => verifyEntrySignatures(entry, (k) => (k === keyReference(party) ? resolve(k) : undefined)))).toBe('UNKNOWN_KEY');
    });

    it('attack: a resolver answering with another key for the reference (UNKNOWN_KEY)', () => {
      expect(codeOf(() => verifyEntrySignatures(entry, () => resolve(keyReference(operator))))).toBe('UNKNOWN_KEY');
    });

    it('attack: any single bit flipped in an entry makes it fail to decode or to verify', () => {
      const bytes = encodeEntry(entry);
      fc.assert(
        fc.property(fc.nat(bytes.length * 8 - 1), (bit) => {
          const c = codeOf(() => verifyEntrySignatures(decodeEntry(flipBit(bytes, bit)), resolve));
          expect(['MALFORMED_ENTRY', 'BAD_SIGNATURE', 'UNKNOWN_KEY']).toContain(c);
        }),
        { numRuns: 200 },
      );
    });

    it('rejects non-canonical spellings of a valid entry (one entry, one byte string)', () => {
      const variants: Record<string, string> = {
        'pretty-printed': JSON.stringify(JSON.parse(good), null, 1),
        'keys out of order': good.replace('{"signatures":', '{"statement":' + canonicalJson(statement) + ',"signatures":').replace(/,"statement":.*}$/, '}'),
        'duplicate key (last one wins in JSON.parse)': good.slice(0, -1) + ',"statement":' + canonicalJson(statement) + '}',
        'escaped ASCII': good.replace('"v":1', '"\\u0076":1'),
        '1.0 for 1': good.replace('"v":1', '"v":1.0'),
        'exponent for 3': good.replace('"casualties":3', '"casualties":3e0'),
        'leading BOM': '\ufeff' + good,
        'trailing newline': good + '\n',
        'trailing garbage': good + 'x',
      };
      for (const [what, v] of Object.entries(variants)) expect(codeOf(() => decodeEntry(utf8(v))), what).toBe('MALFORMED_ENTRY');
    });

    it('rejects invalid UTF-8, deep nesting and huge numbers as MALFORMED_ENTRY, never a crash', () => {
      expect(codeOf(() => decodeEntry(Uint8Array.from([0x7b, 0xff, 0x7d])))).toBe('MALFORMED_ENTRY');
      const deep = good.replace('"casualties":3', '"casualties":' + '['.repeat(20000) + ']'.repeat(20000));
      expect(codeOf(() => decodeEntry(utf8(deep)))).toBe('MALFORMED_ENTRY');
      expect(codeOf(() => decodeEntry(utf8(good.replace('"casualties":3', '"casualties":1e999'))))).toBe('MALFORMED_ENTRY');
      expect(codeOf(() => decodeEntry(utf8('{"__proto__":{"statement":1},"signatures":[]}')))).toBe('MALFORMED_ENTRY');
    });

    it('never throws anything but LedgerError on random bytes and random JSON', () => {
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.jsonValue().map((v) => utf8(JSON.stringify(v) ?? 'null'))), (b) => {
          expect(codeOf(() => decodeEntry(b))).toBe('MALFORMED_ENTRY');
        }),
        { numRuns: 400 },
      );
    });
  });
});
