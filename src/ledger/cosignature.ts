// C2SP tlog-cosignature (c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1" (signature type 0x04):
// a witness's timestamped statement that a checkpoint is the largest consistent one it has seen.
import { concatBytes, isUint, utf8Encode } from './bytes.js';
import { parseCheckpoint } from './checkpoint.js';
import type { LedgerCrypto } from './crypto.js';
import { ED25519_PUBLIC_KEY_SIZE, ED25519_SIGNATURE_SIZE } from './crypto.js';
import { LedgerError } from './errors.js';
import { SIGNATURE_TYPE_COSIGNATURE_V1, formatKeyId, isWeakEd25519PublicKey, formatSignatureLine, formatVerifierKey, keyId, parseSignatureLine, parseVerifierKey } from './note.js';
import type { NoteSignature, NoteVerifier, VerifierKey } from './note.js';

/** timestamped_signature: u64 big-endian timestamp || 64-byte Ed25519 signature. */
export const COSIGNATURE_SIZE = 8 + ED25519_SIGNATURE_SIZE;

// tlog-cosignature §Format: key ID = SHA-256(<name> || "\n" || 0x04 || 32-byte Ed25519 public key)[:4].
export function cosignatureKeyId(crypto: LedgerCrypto, name: string, publicKey: Uint8Array): number {
  return keyId(crypto, name, SIGNATURE_TYPE_COSIGNATURE_V1, publicKey);
}

// tlog-cosignature §Format: "Ed25519 public keys MAY be encoded as vkeys with signature type 0x04".
export function formatWitnessVerifierKey(crypto: LedgerCrypto, name: string, publicKey: Uint8Array): string {
  return formatVerifierKey(crypto, name, publicKey, SIGNATURE_TYPE_COSIGNATURE_V1);
}

// tlog-cosignature §Ed25519 signed message: "cosignature/v1\n", "time <T>\n" (decimal, no leading
// zeros), then the whole checkpoint note text including its final newline.
export function cosignatureMessage(checkpointText: string, time: number): Uint8Array {
  checkTime(time);
  return utf8Encode(`cosignature/v1\ntime ${time}\n${checkpointText}`, 'MALFORMED_CHECKPOINT', 'checkpoint');
}

/**
 * Cosigns a checkpoint's note text (the part above the blank line) at POSIX
 * time `time` (seconds) and returns the signature line to append to the signed
 * checkpoint: `— <witness name> base64(key ID || u64 time || signature)\n`.
 */
export function cosign(crypto: LedgerCrypto, checkpointText: string, witnessName: string, seed: Uint8Array, time: number): string {
  parseCheckpoint(checkpointText); // a witness signs checkpoints, nothing else
  const pub = crypto.ed25519PublicKey(seed);
  const id = cosignatureKeyId(crypto, witnessName, pub);
  const sig = crypto.ed25519Sign(seed, cosignatureMessage(checkpointText, time));
  return formatSignatureLine(witnessName, id, concatBytes(encodeU64(time), sig));
}

/**
 * A NoteVerifier for a witness vkey (type 0x04), for `openNote` /
 * `openCheckpoint`: it checks the timestamped signature over the
 * cosignature/v1 message built from the note text.
 */
export function cosignatureVerifier(crypto: LedgerCrypto, key: string | VerifierKey): NoteVerifier {
  const k = typeof key === 'string' ? parseVerifierKey(crypto, key) : key;
  if (k.type !== SIGNATURE_TYPE_COSIGNATURE_V1 || k.publicKey.length !== ED25519_PUBLIC_KEY_SIZE || isWeakEd25519PublicKey(k.publicKey)) {
    throw new LedgerError('MALFORMED_KEY', 'not an Ed25519 cosignature (0x04) key');
  }
  const pub = k.publicKey;
  const header = (time: number): Uint8Array => utf8Encode(`cosignature/v1\ntime ${time}\n`, 'MALFORMED_COSIGNATURE', 'header');
  return {
    name: k.name,
    keyId: k.keyId,
    verify(message, signature) {
      if (signature.length !== COSIGNATURE_SIZE) return false;
      const time = decodeU64(signature.subarray(0, 8));
      if (time === undefined) return false;
      return crypto.ed25519Verify(pub, concatBytes(header(time), message), signature.subarray(8));
    },
  };
}

/** The timestamp inside a verified cosignature (seconds since the Epoch). */
export function cosignatureTime(signature: NoteSignature): number {
  if (signature.signature.length !== COSIGNATURE_SIZE) throw new LedgerError('MALFORMED_COSIGNATURE', `a cosignature is ${COSIGNATURE_SIZE} bytes`);
  const t = decodeU64(signature.signature.subarray(0, 8));
  if (t === undefined) throw new LedgerError('MALFORMED_COSIGNATURE', 'timestamp is beyond 2^53 - 1');
  return t;
}

/**
 * Verifies one cosignature line over a checkpoint's note text with a witness
 * vkey and returns its timestamp. Throws UNKNOWN_KEY if the line is by another
 * (name, key ID), BAD_SIGNATURE if it does not verify.
 */
export function verifyCosignature(crypto: LedgerCrypto, checkpointText: string, signatureLine: string, witnessKey: string | VerifierKey): { readonly name: string; readonly time: number } {
  parseCheckpoint(checkpointText);
  const v = cosignatureVerifier(crypto, witnessKey);
  const sig = parseSignatureLine(signatureLine);
  // Name and key ID are attacker-chosen: compared as literals against the configured key.
  if (sig.name !== v.name || sig.keyId !== v.keyId) {
    throw new LedgerError('UNKNOWN_KEY', `cosignature is not by ${v.name}+${formatKeyId(v.keyId)}`);
  }
  const time = cosignatureTime(sig);
  if (!v.verify(utf8Encode(checkpointText, 'MALFORMED_CHECKPOINT', 'checkpoint'), sig.signature)) {
    throw new LedgerError('BAD_SIGNATURE', 'cosignature does not verify');
  }
  return { name: sig.name, time };
}

function checkTime(time: number): void {
  // The spec allows up to 2^63 - 1; a JavaScript number is exact up to 2^53 - 1, which is far enough.
  if (!isUint(time)) throw new LedgerError('INVALID_ARGUMENT', 'cosignature time must be a non-negative safe integer (seconds)');
}

function encodeU64(n: number): Uint8Array {
  checkTime(n);
  const out = new Uint8Array(8);
  const hi = Math.floor(n / 2 ** 32);
  const lo = n % 2 ** 32;
  out[0] = hi >>> 24;
  out[1] = (hi >>> 16) & 0xff;
  out[2] = (hi >>> 8) & 0xff;
  out[3] = hi & 0xff;
  out[4] = lo >>> 24;
  out[5] = (lo >>> 16) & 0xff;
  out[6] = (lo >>> 8) & 0xff;
  out[7] = lo & 0xff;
  return out;
}

function decodeU64(b: Uint8Array): number | undefined {
  const hi = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  const lo = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  if (hi > 0x1fffff) return undefined; // beyond Number.MAX_SAFE_INTEGER
  return hi * 2 ** 32 + lo;
}
