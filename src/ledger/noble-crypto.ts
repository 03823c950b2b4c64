// LedgerCrypto on @noble (pure JavaScript): the adapter for the browser.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { LedgerCrypto } from './crypto.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SEED_SIZE, ED25519_SIGNATURE_SIZE } from './crypto.js';
import { LedgerError } from './errors.js';

function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_SIZE) {
    throw new LedgerError('MALFORMED_KEY', `an Ed25519 seed is ${ED25519_SEED_SIZE} bytes`);
  }
}

export const nobleCrypto: LedgerCrypto = {
  sha256(data) {
    return sha256(data);
  },
  ed25519PublicKey(seed) {
    checkSeed(seed);
    return ed25519.getPublicKey(seed);
  },
  ed25519Sign(seed, message) {
    checkSeed(seed);
    return ed25519.sign(message, seed);
  },
  ed25519Verify(publicKey, message, signature) {
    if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE || signature.length !== ED25519_SIGNATURE_SIZE) return false;
    try {
      // zip215: false = RFC 8032 strict decoding (canonical S and points), as OpenSSL and Go's crypto/ed25519 do.
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};
