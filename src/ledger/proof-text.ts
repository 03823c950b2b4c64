// C2SP tlog-proof@v1 (c2sp.org/tlog-proof): an offline-verifiable inclusion proof with its checkpoint.
import { base64Decode, base64Encode, isUint, parseCanonicalDecimal } from './bytes.js';
import { openCheckpoint } from './checkpoint.js';
import type { OpenedCheckpoint } from './checkpoint.js';
import type { LedgerCrypto } from './crypto.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE, MAX_PROOF_LENGTH, verifyInclusion } from './merkle.js';
import { parseNote } from './note.js';
import type { NoteVerifier } from './note.js';

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';

export interface TlogProof {
  readonly index: number;
  /** Inclusion proof, leaf's sibling first (RFC 6962 §2.1.1). */
  readonly proof: readonly Uint8Array[];
  /** The signed checkpoint note, verbatim (cosignatures included). */
  readonly checkpoint: string;
  /** Opaque, unauthenticated application data. */
  readonly extra?: Uint8Array;
}

// tlog-proof §Format: header line, optional "extra <base64>", "index <n>", one base64 hash per line,
// an empty line, then the checkpoint verbatim.
export function formatTlogProof(p: TlogProof): string {
  if (!isUint(p.index)) throw new LedgerError('INVALID_ARGUMENT', 'index must be a non-negative safe integer');
  for (const h of p.proof) if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new LedgerError('INVALID_ARGUMENT', 'proof hashes are 32 bytes');
  parseNote(p.checkpoint); // must be a signed note
  let out = `${TLOG_PROOF_HEADER}\n`;
  if (p.extra !== undefined) out += `extra ${base64Encode(p.extra)}\n`;
  out += `index ${p.index}\n`;
  for (const h of p.proof) out += base64Encode(h) + '\n';
  return out + '\n' + p.checkpoint;
}

/** Parses a tlog-proof strictly; the checkpoint is NOT verified here (see `verifyTlogProof`). */
export function parseTlogProof(text: string): TlogProof {
  if (typeof text !== 'string') throw new LedgerError('MALFORMED_PROOF', 'tlog-proof must be text');
  let pos = 0;
  const next = (): string => {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) throw new LedgerError('MALFORMED_PROOF', 'tlog-proof is truncated');
    const line = text.slice(pos, nl);
    pos = nl + 1;
    return line;
  };
  if (next() !== TLOG_PROOF_HEADER) throw new LedgerError('MALFORMED_PROOF', `tlog-proof must start with ${TLOG_PROOF_HEADER}`);
  let line = next();
  let extra: Uint8Array | undefined;
  if (line.startsWith('extra ')) {
    extra = base64Decode(line.slice('extra '.length), 'MALFORMED_PROOF', 'extra');
    line = next();
  }
  if (!line.startsWith('index ')) throw new LedgerError('MALFORMED_PROOF', 'tlog-proof has no index line');
  const index = parseCanonicalDecimal(line.slice('index '.length));
  if (index === undefined) throw new LedgerError('MALFORMED_PROOF', 'index is not a canonical decimal below 2^53');
  const proof: Uint8Array[] = [];
  for (line = next(); line !== ''; line = next()) {
    if (proof.length === MAX_PROOF_LENGTH) throw new LedgerError('MALFORMED_PROOF', 'too many proof hashes');
    const h = base64Decode(line, 'MALFORMED_PROOF', 'proof hash');
    if (h.length !== HASH_SIZE) throw new LedgerError('MALFORMED_PROOF', 'proof hashes are 32 bytes');
    proof.push(h);
  }
  const checkpoint = text.slice(pos);
  if (checkpoint.length === 0) throw new LedgerError('MALFORMED_PROOF', 'tlog-proof has no checkpoint');
  return extra === undefined ? { index, proof, checkpoint } : { index, proof, checkpoint, extra };
}

// tlog-proof §Verifying a tlog proof: steps 2-4 (step 1, the leaf hash, is the caller's).
/** Verifies the checkpoint (log keys, origin, optional witnesses) and the inclusion of `leafHash` at the proof's index. */
export function verifyTlogProof(
  crypto: LedgerCrypto,
  text: string,
  leafHash: Uint8Array,
  logVerifiers: readonly NoteVerifier[],
  origin: string,
  witnessVerifiers: readonly NoteVerifier[] = [],
): { readonly index: number; readonly opened: OpenedCheckpoint } {
  const p = parseTlogProof(text);
  const opened = openCheckpoint(p.checkpoint, logVerifiers, origin, witnessVerifiers);
  verifyInclusion(crypto, p.index, opened.checkpoint.size, leafHash, p.proof, opened.checkpoint.rootHash);
  return { index: p.index, opened };
}
