// What a witness decides before it cosigns (C2SP tlog-witness semantics, pulled rather than
// pushed): never a smaller tree, never a second root for a size it has seen, and never a
// larger tree without a consistency proof from the last one it cosigned. Pure.
import { base64Encode } from './bytes.js';
import type { Checkpoint } from './checkpoint.js';
import type { LedgerCrypto } from './crypto.js';
import { verifyConsistency } from './merkle.js';

export interface WitnessState {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
}

export type WitnessDecision =
  | { readonly action: 'cosign'; readonly needsProof: false }
  | { readonly action: 'cosign'; readonly needsProof: true; readonly from: number }
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'refuse'; readonly reason: string };

/** First step: compare a fresh checkpoint with the last cosigned one. */
export function witnessCheck(prev: WitnessState | null, cp: Checkpoint): WitnessDecision {
  const root = base64Encode(cp.rootHash);
  if (!prev) return { action: 'cosign', needsProof: false };
  if (prev.origin !== cp.origin) return { action: 'refuse', reason: `origin ${cp.origin} is not the witnessed log ${prev.origin}` };
  if (cp.size < prev.size) return { action: 'refuse', reason: `the log shrank from ${prev.size} to ${cp.size}: a fork or a rollback` };
  if (cp.size === prev.size) {
    return root === prev.root ? { action: 'skip', reason: `already cosigned size ${cp.size}` } : { action: 'refuse', reason: `two roots for size ${cp.size}: the log forked` };
  }
  return prev.size === 0 ? { action: 'cosign', needsProof: false } : { action: 'cosign', needsProof: true, from: prev.size };
}

/** Second step, when a proof was needed: throws if the new tree does not extend the old one. */
export function witnessVerifyProof(crypto: LedgerCrypto, prev: WitnessState, cp: Checkpoint, proof: readonly Uint8Array[], prevRoot: Uint8Array): void {
  verifyConsistency(crypto, prev.size, cp.size, proof, prevRoot, cp.rootHash);
}
