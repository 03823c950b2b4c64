// RFC 6962 §2.1 Merkle Tree Hash and RFC 9162 §2.1.3 / §2.1.4 proof verification.
//
// Tree sizes and indexes are JavaScript numbers and must be safe integers
// (< 2^53); all bit arithmetic is done with division, never with the 32-bit
// bitwise operators.
import { bytesEqual, isUint } from './bytes.js';
import type { LedgerCrypto } from './crypto.js';
import { LedgerError } from './errors.js';

export const HASH_SIZE = 32;

/** A proof longer than this cannot belong to a tree of fewer than 2^64 leaves: refused before hashing. */
export const MAX_PROOF_LENGTH = 64;

// RFC 6962 §2.1: MTH({d(0)}) = SHA-256(0x00 || d(0)).
export function hashLeaf(crypto: LedgerCrypto, entry: Uint8Array): Uint8Array {
  const b = new Uint8Array(entry.length + 1);
  b[0] = 0x00;
  b.set(entry, 1);
  return crypto.sha256(b);
}

// RFC 6962 §2.1: SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
export function hashChildren(crypto: LedgerCrypto, left: Uint8Array, right: Uint8Array): Uint8Array {
  const b = new Uint8Array(1 + left.length + right.length);
  b[0] = 0x01;
  b.set(left, 1);
  b.set(right, 1 + left.length);
  return crypto.sha256(b);
}

// RFC 6962 §2.1: the hash of an empty list is the hash of an empty string, MTH({}) = SHA-256().
export function emptyRoot(crypto: LedgerCrypto): Uint8Array {
  return crypto.sha256(new Uint8Array(0));
}

// RFC 6962 §2.1 MTH over already-hashed leaves. Pairing level by level and
// promoting an unpaired last node builds exactly the tree of the RFC's
// recursive definition (split at the largest power of two below n).
export function rootFromLeafHashes(crypto: LedgerCrypto, leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return emptyRoot(crypto);
  leafHashes.forEach((h, i) => checkHash(h, `leaf hash ${i}`, 'INVALID_ARGUMENT'));
  let level: readonly Uint8Array[] = leafHashes;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i]!;
      const right = level[i + 1];
      next.push(right === undefined ? left : hashChildren(crypto, left, right));
    }
    level = next;
  }
  return level[0]!;
}

// RFC 9162 §2.1.3.2 steps 2-5, returning the computed root instead of comparing it.
/** The root that `proof` leads to for the leaf at `index` in a tree of `size` leaves; throws if the proof has the wrong length. */
export function rootFromInclusionProof(
  crypto: LedgerCrypto,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkSizes(index, size);
  checkHash(leafHash, 'leaf hash', 'MALFORMED_PROOF');
  checkProof(proof);
  // Step 1: the index must be inside the tree.
  if (index >= size) throw new LedgerError('INDEX_OUT_OF_RANGE', `leaf index ${index} is not below tree size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new LedgerError('BAD_PROOF', 'inclusion proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(crypto, p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(crypto, r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new LedgerError('BAD_PROOF', 'inclusion proof is too short');
  return r;
}

// RFC 9162 §2.1.3.2: verifying an inclusion proof.
/** Throws BAD_PROOF (or INDEX_OUT_OF_RANGE / MALFORMED_PROOF) unless `proof` proves `leafHash` at `index` under `root`. */
export function verifyInclusion(
  crypto: LedgerCrypto,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkHash(root, 'root hash', 'MALFORMED_PROOF');
  const computed = rootFromInclusionProof(crypto, index, size, leafHash, proof);
  if (!bytesEqual(computed, root)) throw new LedgerError('BAD_PROOF', 'inclusion proof does not lead to the root hash');
}

// RFC 9162 §2.1.4.2: verifying a consistency proof. The edge cases the RFC
// leaves to the caller follow transparency-dev/merkle and Go's sumdb/tlog:
// size1 > size2 fails; size1 == 0 fails (a proof from the empty tree is
// meaningless, every tree extends it); size1 == size2 needs an empty proof and
// equal roots.
/** Throws BAD_PROOF (or INDEX_OUT_OF_RANGE / MALFORMED_PROOF) unless the tree (size2, root2) extends (size1, root1). */
export function verifyConsistency(
  crypto: LedgerCrypto,
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSizes(size1, size2);
  checkHash(root1, 'first root', 'MALFORMED_PROOF');
  checkHash(root2, 'second root', 'MALFORMED_PROOF');
  checkProof(proof);
  if (size1 > size2) throw new LedgerError('INDEX_OUT_OF_RANGE', `first size ${size1} is larger than second size ${size2}`);
  if (size1 === 0) throw new LedgerError('BAD_PROOF', 'a consistency proof from the empty tree is meaningless');
  if (size1 === size2) {
    if (proof.length !== 0) throw new LedgerError('BAD_PROOF', 'sizes are equal but the proof is not empty');
    if (!bytesEqual(root1, root2)) throw new LedgerError('BAD_PROOF', 'sizes are equal but the roots differ');
    return;
  }
  // Step 1.
  if (proof.length === 0) throw new LedgerError('BAD_PROOF', 'consistency proof is empty');
  // Step 2: if size1 is an exact power of two, prepend first_hash.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  // Steps 3-4.
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 5.
  let fr = path[0]!;
  let sr = path[0]!;
  // Step 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) throw new LedgerError('BAD_PROOF', 'consistency proof is too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(crypto, c, fr);
      sr = hashChildren(crypto, c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(crypto, sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // Step 7.
  if (sn !== 0) throw new LedgerError('BAD_PROOF', 'consistency proof is too short');
  if (!bytesEqual(fr, root1)) throw new LedgerError('BAD_PROOF', 'consistency proof does not lead to the first root');
  if (!bytesEqual(sr, root2)) throw new LedgerError('BAD_PROOF', 'consistency proof does not lead to the second root');
}

export function isPowerOfTwo(n: number): boolean {
  if (n < 1) return false;
  while (n % 2 === 0) n /= 2;
  return n === 1;
}

function checkSizes(a: number, b: number): void {
  // Indexes and sizes may come straight from a URL or JSON: refuse negatives, fractions, NaN and values past 2^53.
  if (!isUint(a) || !isUint(b)) throw new LedgerError('MALFORMED_PROOF', 'tree sizes and indexes must be non-negative safe integers');
}

function checkProof(proof: readonly Uint8Array[]): void {
  // The proof comes from outside, so its type is a claim to check. Checked through an unknown
  // alias: Array.isArray on `proof` itself would narrow it to any[].
  const given: unknown = proof;
  if (!Array.isArray(given)) throw new LedgerError('MALFORMED_PROOF', 'proof must be a list of hashes');
  if (proof.length > MAX_PROOF_LENGTH) throw new LedgerError('MALFORMED_PROOF', `proof has more than ${MAX_PROOF_LENGTH} hashes`);
  proof.forEach((p, i) => checkHash(p, `proof[${i}]`, 'MALFORMED_PROOF'));
}

function checkHash(h: Uint8Array, what: string, code: 'MALFORMED_PROOF' | 'INVALID_ARGUMENT'): void {
  if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new LedgerError(code, `${what} must be ${HASH_SIZE} bytes`);
}
