import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { LedgerCrypto, SignerKey } from '../ledger/index.js';
import { base64Decode, cosign, noteVerifier, openCheckpoint, parseVerifierKey } from '../ledger/index.js';
import type { WitnessState } from '../ledger/witness.js';
import { witnessCheck, witnessVerifyProof } from '../ledger/witness.js';

export interface WitnessOptions {
  readonly logUrl: string;
  readonly logKey: string;
  readonly key: SignerKey;
  readonly crypto: LedgerCrypto;
  /** Where the last cosigned checkpoint is remembered across restarts (in memory when absent). */
  readonly stateFile?: string;
  readonly now?: () => number;
}

export type WitnessOutcome = { kind: 'cosigned'; size: number } | { kind: 'skipped'; reason: string } | { kind: 'refused'; reason: string };

/**
 * A witness: cosigns a checkpoint only if it is consistent with the last one it cosigned and
 * refuses a fork (two roots for one size, or a smaller tree). State survives restarts.
 */
export class Witness {
  private state: WitnessState | null;
  private readonly base: string;

  constructor(private readonly opts: WitnessOptions) {
    this.base = opts.logUrl.replace(/\/+$/, '').replace(/\/log$/, '');
    this.state = opts.stateFile && existsSync(opts.stateFile) ? (JSON.parse(readFileSync(opts.stateFile, 'utf8')) as WitnessState) : null;
  }

  get last(): WitnessState | null {
    return this.state;
  }

  async step(): Promise<WitnessOutcome> {
    const { crypto } = this.opts;
    const origin = parseVerifierKey(crypto, this.opts.logKey).name;
    const note = await (await fetch(`${this.base}/log/checkpoint`)).text();
    const opened = openCheckpoint(note, [noteVerifier(crypto, this.opts.logKey)], origin);
    const cp = opened.checkpoint;
    const decision = witnessCheck(this.state, cp);
    if (decision.action === 'refuse') return { kind: 'refused', reason: decision.reason };
    if (decision.action === 'skip') return { kind: 'skipped', reason: decision.reason };
    if (decision.needsProof && this.state) {
      const r = await fetch(`${this.base}/log/proof/consistency?old=${decision.from}&new=${cp.size}`);
      if (!r.ok) return { kind: 'refused', reason: `no consistency proof from ${decision.from} to ${cp.size} (HTTP ${r.status})` };
      const proof = ((await r.json()) as { proof: string[] }).proof.map((p) => base64Decode(p, 'MALFORMED_PROOF', 'proof'));
      try {
        witnessVerifyProof(crypto, this.state, cp, proof, base64Decode(this.state.root, 'MALFORMED_PROOF', 'root'));
      } catch (e) {
        return { kind: 'refused', reason: `the checkpoint of size ${cp.size} does not extend the one cosigned at ${this.state.size}: ${e instanceof Error ? e.message : ''}` };
      }
    }
    const time = Math.floor((this.opts.now?.() ?? Date.now()) / 1000);
    const line = cosign(crypto, opened.text, this.opts.key.name, this.opts.key.seed, time);
    const post = await fetch(`${this.base}/log/cosignatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ size: cp.size, cosignature: line }) });
    if (!post.ok) return { kind: 'refused', reason: `the log did not accept the cosignature: HTTP ${post.status} ${await post.text()}` };
    this.state = { origin, size: cp.size, root: Buffer.from(cp.rootHash).toString('base64') };
    if (this.opts.stateFile) writeFileSync(this.opts.stateFile, JSON.stringify(this.state, null, 2) + '\n');
    return { kind: 'cosigned', size: cp.size };
  }
}
