// LedgerCrypto on node:crypto (OpenSSL): the adapter for the server and the CLI.
// This is the only file of src/ledger that may import a node: module.
import { createHash, createPrivateKey, createPublicKey, hash as oneShotHash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { LedgerCrypto } from './crypto.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ED25519_SIGNATURE_SIZE } from './crypto.js';
import { LedgerError } from './errors.js';

// node:crypto only takes Ed25519 keys as KeyObjects; raw 32-byte keys are
// wrapped in the fixed DER headers of RFC 8410 (PKCS#8 for the seed, SPKI for
// the public key).
const PKCS8_ED25519_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

// Building a KeyObject costs more than verifying one signature, and a log
// verifies many signatures by the same few keys, so KeyObjects are cached.
// The cache is bounded because public keys can come from untrusted input.
const MAX_CACHED_KEYS = 1024;
const publicKeys = new Map<string, KeyObject | null>();
const privateKeys = new Map<string, KeyObject>();

function cacheKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= MAX_CACHED_KEYS) cache.clear();
  cache.set(key, value);
  return value;
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE) {
    throw new LedgerError('MALFORMED_KEY', `an Ed25519 seed is ${ED25519_SEED_SIZE} bytes`);
  }
  const k = cacheKey(seed);
  const cached = privateKeys.get(k);
  if (cached) return cached;
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  return remember(privateKeys, k, createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}

// null = OpenSSL refused the key (not a point): every signature under it is invalid.
function publicKeyObject(pub: Uint8Array): KeyObject | null {
  const k = cacheKey(pub);
  const cached = publicKeys.get(k);
  if (cached !== undefined) return cached;
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, pub]), format: 'der', type: 'spki' });
  } catch {
    key = null;
  }
  return remember(publicKeys, k, key);
}

function view(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

const sha256: (data: Uint8Array) => Uint8Array =
  typeof oneShotHash === 'function'
    ? (data) => view(oneShotHash('sha256', data, 'buffer'))
    : (data) => view(createHash('sha256').update(data).digest());

export const nodeCrypto: LedgerCrypto = {
  sha256,
  ed25519PublicKey(seed) {
    const der = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(der.length - ED25519_PUBLIC_KEY_SIZE));
  },
  ed25519Sign(seed, message) {
    return view(sign(null, message, privateKeyObject(seed)));
  },
  ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
    const key = publicKeyObject(publicKey);
    if (key === null) return false;
    try {
      return verify(null, message, key, signature);
    } catch {
      return false;
    }
  },
};
