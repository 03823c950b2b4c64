// Shared helpers for the ledger tests: where the public test vectors live, and the two crypto adapters.
//
// Fixture provenance (all under ../shared/data/tlog-vectors, see its SOURCES.md):
//   rfc6962-kats.json            transparency-dev/merkle @417fb0c3 rfc6962_test.go + cmd/proofgen (RFC 6962
//                                8-leaf test tree), Apache-2.0                      -> merkle.test.ts
//   transparency-dev-merkle/     transparency-dev/merkle @417fb0c3 testdata/{inclusion,consistency}, generated
//                                by its cmd/proofgen, Apache-2.0                    -> merkle.test.ts
//   cases/signed-note/*.json     C2SP signed-note example (C2SP @5ba5ee83, CC BY 4.0) and golang/mod
//                                sumdb/note/note_test.go @fe2ec04f (BSD-3-Clause); negatives derived
//                                by the shared-tools authors                        -> note.test.ts
//   cases/checkpoint/*.json      real sum.golang.org tree head 6476701, quoted in transparency-dev/formats
//                                log/note_test.go @0b850f1a, Apache-2.0            -> note.test.ts
//   serverless-log/testdata/     transparency-dev/serverless-log @932106dc: 16 checkpoints signed by
//                                astra+cad5a3d2, leaves "one".."fivten", and the log's published private
//                                key in build_log.sh, Apache-2.0                  -> note.test.ts
// Vectors written into the tests themselves:
//   RFC 8032 §7.1 tests 1-2 (Ed25519), FIPS 180-2 "abc" (SHA-256)               -> crypto.test.ts
//   RFC 8785 Appendix B numbers, §3.2.3 sorting and §3.2.4 examples             -> canonical-json.test.ts
//   c2sp.org/tlog-cosignature example line (timestamp 1679315147)               -> checkpoint.test.ts
//   c2sp.org/tlog-tiles example: size 70000, index 1234067 -> x001/x234/067    -> tiles.test.ts
//   libsodium's small-order Ed25519 point blocklist, cross-checked with @noble  -> crypto.test.ts
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { LedgerCrypto } from '../../src/ledger/index.js';
import { LedgerError } from '../../src/ledger/index.js';
import { nobleCrypto } from '../../src/ledger/noble-crypto.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const vectorsDir = path.join(sharedDir, 'data', 'tlog-vectors');
export const haveVectors = existsSync(vectorsDir);
export const inCI = process.env['CI'] === 'true';

/**
 * The vectors live outside the repository (../shared). Locally a missing copy
 * skips the vector tests; under CI=true it is a failure, so CI cannot pass by
 * silently testing nothing.
 */
export function requireVectors(): void {
  it('has the shared test vectors, or is not running under CI=true', () => {
    if (!haveVectors && inCI) throw new Error(`test vectors not found at ${vectorsDir}`);
  });
}

export const adapters: readonly (readonly [string, LedgerCrypto])[] = [
  ['node:crypto', nodeCrypto],
  ['@noble', nobleCrypto],
];

export function readVector(...parts: string[]): string {
  return readFileSync(path.join(vectorsDir, ...parts), 'utf8');
}

export function readJson<T>(...parts: string[]): T {
  return JSON.parse(readVector(...parts)) as T;
}

export function listJson(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJson(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const b64 = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'base64'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A copy of `b` with one bit flipped. */
export function flipBit(b: Uint8Array, bit: number): Uint8Array {
  const c = Uint8Array.from(b);
  const i = Math.floor(bit / 8) % c.length;
  c[i] = c[i]! ^ (1 << (bit % 8));
  return c;
}

/** The error code a parser throws for this input ('accepted' when it does not throw); anything but a LedgerError fails. */
export const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    return (e as LedgerError).code;
  }
  return 'accepted';
};
