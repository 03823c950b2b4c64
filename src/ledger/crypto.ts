/**
 * The only cryptography the ledger needs, behind a small synchronous port so the
 * same code runs on node:crypto (server, CLI: `node-crypto.ts`) and on @noble
 * (browser: `noble-crypto.ts`). Implementations must never throw on hostile
 * bytes in `ed25519Verify`: a malformed key or signature is simply `false`.
 */
export interface LedgerCrypto {
  /** SHA-256 (FIPS 180-4). */
  sha256(data: Uint8Array): Uint8Array;
  /** RFC 8032 §5.1.5: the 32-byte public key of a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  /** RFC 8032 §5.1.6: a 64-byte signature (deterministic). */
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /** RFC 8032 §5.1.7, strict (canonical S, canonical point encodings). */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

export const ED25519_SEED_SIZE = 32;
export const ED25519_PUBLIC_KEY_SIZE = 32;
export const ED25519_SIGNATURE_SIZE = 64;
