import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { adapters, hex, toHex, utf8 } from './fixtures.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { LedgerError, formatVerifierKey, isWeakEd25519PublicKey, noteVerifier, parseVerifierKey } from '../../src/ledger/index.js';
import { nobleCrypto } from '../../src/ledger/noble-crypto.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';

// RFC 8032 §7.1 test vectors 1 and 2 (Ed25519).
const RFC8032 = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pub: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    msg: '',
    sig: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pub: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    msg: '72',
    sig: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe.each(adapters)('LedgerCrypto adapter %s', (_name, crypto) => {
  it('reproduces the RFC 8032 §7.1 vectors', () => {
    for (const v of RFC8032) {
      expect(toHex(crypto.ed25519PublicKey(hex(v.seed)))).toBe(v.pub);
      expect(toHex(crypto.ed25519Sign(hex(v.seed), hex(v.msg)))).toBe(v.sig);
      expect(crypto.ed25519Verify(hex(v.pub), hex(v.msg), hex(v.sig))).toBe(true);
      expect(crypto.ed25519Verify(hex(v.pub), utf8('other'), hex(v.sig))).toBe(false);
    }
  });

  it('hashes SHA-256 (FIPS 180-2 "abc")', () => {
    expect(toHex(crypto.sha256(utf8('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('answers false, never throws, for malformed keys and signatures', () => {
    const v = RFC8032[0]!;
    const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010'); // group order, little-endian
    const sWithL = Uint8Array.from([...hex(v.sig).subarray(0, 32), ...L]);
    for (const [pub, sig] of [
      [new Uint8Array(31), hex(v.sig)],
      [hex(v.pub), new Uint8Array(63)],
      [new Uint8Array(32).fill(0xff), hex(v.sig)], // not a point
      [hex(v.pub), new Uint8Array(64)],
      [hex(v.pub), sWithL], // S = L: non-canonical scalar (malleability)
    ] as const) {
      expect(crypto.ed25519Verify(pub, hex(v.msg), sig)).toBe(false);
    }
    expect(() => crypto.ed25519Sign(new Uint8Array(31), utf8('x'))).toThrow();
  });
});

describe('node:crypto and @noble agree', () => {
  it('on keys, signatures and hashes for random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 200 }), (seed, msg) => {
        const pub = nodeCrypto.ed25519PublicKey(seed);
        expect(toHex(nobleCrypto.ed25519PublicKey(seed))).toBe(toHex(pub));
        const sig = nodeCrypto.ed25519Sign(seed, msg);
        expect(toHex(nobleCrypto.ed25519Sign(seed, msg))).toBe(toHex(sig));
        expect(nobleCrypto.ed25519Verify(pub, msg, sig)).toBe(true);
        expect(toHex(nobleCrypto.sha256(msg))).toBe(toHex(nodeCrypto.sha256(msg)));
      }),
      { numRuns: 40 },
    );
  });

  it('on random (mostly invalid) signatures', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (pub, sig) => {
        expect(nobleCrypto.ed25519Verify(pub, utf8('m'), sig)).toBe(nodeCrypto.ed25519Verify(pub, utf8('m'), sig));
      }),
      { numRuns: 100 },
    );
  });
});

describe('weak Ed25519 public keys', () => {
  const blocklist = [
    '0000000000000000000000000000000000000000000000000000000000000000',
    '0100000000000000000000000000000000000000000000000000000000000000',
    '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
    'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
    'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  ];

  it('flags exactly the small-order points (checked with @noble) and non-canonical encodings', () => {
    for (const h of blocklist) {
      for (const signBit of [0, 0x80]) {
        const b = hex(h);
        b[31] = b[31]! | signBit;
        expect(isWeakEd25519PublicKey(b), h).toBe(true);
        let small = true;
        try {
          small = ed25519.Point.fromBytes(b, true).isSmallOrder();
        } catch {
          small = true; // not even decodable
        }
        expect(small, h).toBe(true);
      }
    }
    expect(isWeakEd25519PublicKey(hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(true); // y = p
    expect(isWeakEd25519PublicKey(hex('f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'))).toBe(true); // y > p
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        expect(isWeakEd25519PublicKey(nodeCrypto.ed25519PublicKey(seed))).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('attack: a party registers the identity point as its key, under which anyone can sign anything', () => {
    const identity = hex('0100000000000000000000000000000000000000000000000000000000000000');
    // With A = identity, (R = s·B, s) verifies for every message under OpenSSL; the key itself is refused.
    const vkey = `evil.example+00000000+${Buffer.from([1, ...identity]).toString('base64')}`;
    expect(() => parseVerifierKey(nodeCrypto, vkey)).toThrow(expect.objectContaining({ code: 'MALFORMED_KEY' }));
    expect(() => formatVerifierKey(nodeCrypto, 'evil.example', identity)).toThrow(expect.objectContaining({ code: 'MALFORMED_KEY' }));
    expect(() => noteVerifier(nodeCrypto, { name: 'evil.example', keyId: 0, type: 1, publicKey: identity })).toThrow(LedgerError);
  });
});
