// A full audit of a Mizan log from its public read path: the signed checkpoint, every tile and
// entry bundle. Pure (the source does the fetching), so the CLI, the server's own self-check and
// the browser verifier share it.
import { base64Decode, base64Encode, bytesEqual } from './bytes.js';
import { openCheckpoint } from './checkpoint.js';
import type { LedgerCrypto } from './crypto.js';
import { LedgerError, isLedgerError } from './errors.js';
import { hashLeaf, verifyConsistency } from './merkle.js';
import type { NoteVerifier } from './note.js';
import { noteVerifier, parseVerifierKey } from './note.js';
import { appendLeaves, nodeKey, rootFromFrontier } from './proof-plan.js';
import { decodeEntry, keyReference, verifyEntrySignatures } from './statement.js';
import { TILE_WIDTH, decodeEntryBundle, decodeTile, formatTilePath } from './tiles.js';

export interface LogSource {
  /** The latest checkpoint note, with any cosignatures. */
  checkpoint(): Promise<string>;
  /** Bytes at a C2SP path relative to the log prefix, e.g. `tile/0/x001/002.p/7`. */
  fetch(path: string): Promise<Uint8Array>;
  /** Consistency proof between two sizes, when the source can serve one. */
  consistency?(oldSize: number, newSize: number): Promise<Uint8Array[]>;
}

/** What a verifier remembers between runs: the last checkpoint it accepted. */
export interface AuditState {
  readonly origin: string;
  readonly size: number;
  readonly root: string;
}

export type AuditFailure =
  | 'BAD_CHECKPOINT'
  | 'LOG_SHRANK'
  | 'FORK'
  | 'INCONSISTENT'
  | 'BAD_TILE'
  | 'ENTRY_MISMATCH'
  | 'ROOT_MISMATCH'
  | 'BAD_ENTRY'
  | 'BAD_ENTRY_SIGNATURE'
  | 'FETCH_FAILED';

export type AuditResult =
  | { readonly ok: true; readonly origin: string; readonly size: number; readonly root: string; readonly entries: number; readonly committed: number; readonly kinds: Readonly<Record<string, number>> }
  | { readonly ok: false; readonly code: AuditFailure; readonly message: string; readonly index: number | null };

class AuditStop extends Error {
  constructor(
    readonly code: AuditFailure,
    message: string,
    readonly index: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Keys that may sign entries, learned from the log itself: entry 0 (`log.genesis`) names the
 * operator key; `key.register` / `key.revoke` entries add and retire party keys. A signature
 * counts only if its key was registered at an earlier index and not yet revoked.
 */
class KeyRing {
  private readonly keys = new Map<string, NoteVerifier>();
  constructor(private readonly crypto: LedgerCrypto) {}
  add(vkey: string): void {
    const v = noteVerifier(this.crypto, vkey);
    this.keys.set(keyReference(v), v);
  }
  revoke(ref: string): void {
    this.keys.delete(ref);
  }
  resolve = (ref: string): NoteVerifier | undefined => this.keys.get(ref);
}

function stringField(body: unknown, field: string): string | undefined {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export interface AuditOptions {
  readonly crypto: LedgerCrypto;
  /** The log's verifier key (`name+hash+base64`); its name is the expected origin. */
  readonly logKey: string;
  readonly state?: AuditState | undefined;
  readonly onProgress?: (done: number, total: number) => void;
}

export async function auditLog(source: LogSource, opts: AuditOptions): Promise<AuditResult> {
  try {
    return await audit(source, opts);
  } catch (e) {
    if (e instanceof AuditStop) return { ok: false, code: e.code, message: e.message, index: e.index };
    if (isLedgerError(e)) return { ok: false, code: 'BAD_CHECKPOINT', message: e.message, index: null };
    throw e;
  }
}

async function get(source: LogSource, path: string): Promise<Uint8Array> {
  try {
    return await source.fetch(path);
  } catch (e) {
    throw new AuditStop('FETCH_FAILED', `cannot fetch ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function audit(source: LogSource, opts: AuditOptions): Promise<AuditResult> {
  const { crypto } = opts;
  const logKey = parseVerifierKey(crypto, opts.logKey);
  const origin = logKey.name;
  let opened;
  try {
    opened = openCheckpoint(await source.checkpoint(), [noteVerifier(crypto, logKey)], origin);
  } catch (e) {
    if (isLedgerError(e)) throw new AuditStop('BAD_CHECKPOINT', `checkpoint rejected: ${e.message}`);
    throw new AuditStop('FETCH_FAILED', `cannot fetch the checkpoint: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { size, rootHash } = opened.checkpoint;
  const prev = opts.state;
  if (prev) {
    if (prev.origin !== origin) throw new AuditStop('BAD_CHECKPOINT', `the saved state is for log ${prev.origin}, not ${origin}`);
    if (size < prev.size) throw new AuditStop('LOG_SHRANK', `the log shrank from ${prev.size} to ${size} entries`);
    if (size === prev.size && base64Encode(rootHash) !== prev.root) throw new AuditStop('FORK', `two different roots for size ${size}: the log forked`);
    if (source.consistency && prev.size > 0 && prev.size < size) {
      try {
        verifyConsistency(crypto, prev.size, size, await source.consistency(prev.size, size), base64Decode(prev.root, 'MALFORMED_PROOF', 'root'), rootHash);
      } catch (e) {
        throw new AuditStop('INCONSISTENT', `the log at ${size} is not an extension of the one seen at ${prev.size}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  const keys = new KeyRing(crypto);
  const kinds: Record<string, number> = {};
  let committed = 0;
  let frontier: Uint8Array[] = [];
  let grown = 0;
  const upper = new Map<string, Uint8Array>();
  const tiles = Math.ceil(size / TILE_WIDTH);
  for (let n = 0; n < tiles; n++) {
    const width = Math.min(TILE_WIDTH, size - n * TILE_WIDTH);
    const hashPath = formatTilePath({ kind: 'hashes', level: 0, index: n, width });
    const bundlePath = formatTilePath({ kind: 'entries', index: n, width });
    let hashes: Uint8Array[];
    let entries: Uint8Array[];
    try {
      hashes = decodeTile(await get(source, hashPath), width);
      entries = decodeEntryBundle(await get(source, bundlePath), width);
    } catch (e) {
      if (e instanceof AuditStop) throw e;
      throw new AuditStop('BAD_TILE', `${hashPath} or its entry bundle is malformed: ${e instanceof Error ? e.message : String(e)}`, n * TILE_WIDTH);
    }
    for (let i = 0; i < width; i++) {
      const index = n * TILE_WIDTH + i;
      const bytes = entries[i]!;
      if (!bytesEqual(hashLeaf(crypto, bytes), hashes[i]!)) throw new AuditStop('ENTRY_MISMATCH', `entry ${index} does not hash to its leaf in ${hashPath}`, index);
      checkEntry(bytes, index, keys, kinds, () => committed++);
    }
    // Grow the tree one tile at a time, stopping exactly at the remembered size to check its root.
    let leaves = hashes;
    if (prev && prev.size > grown && prev.size < grown + leaves.length) {
      const cut = prev.size - grown;
      const first = appendLeaves(crypto, grown, frontier, leaves.slice(0, cut));
      keepUpper(first.nodes, upper);
      frontier = first.frontier;
      grown += cut;
      leaves = leaves.slice(cut);
    }
    if (prev && grown === prev.size && prev.size > 0 && base64Encode(rootFromFrontier(crypto, frontier)) !== prev.root) {
      throw new AuditStop('INCONSISTENT', `the first ${prev.size} entries no longer give the root seen before`);
    }
    const next = appendLeaves(crypto, grown, frontier, leaves);
    keepUpper(next.nodes, upper);
    frontier = next.frontier;
    grown += leaves.length;
    opts.onProgress?.(grown, size);
  }
  if (prev && grown === prev.size && prev.size > 0 && base64Encode(rootFromFrontier(crypto, frontier)) !== prev.root) {
    throw new AuditStop('INCONSISTENT', `the first ${prev.size} entries no longer give the root seen before`);
  }
  const root = size === 0 ? crypto.sha256(new Uint8Array(0)) : rootFromFrontier(crypto, frontier);
  if (!bytesEqual(root, rootHash)) throw new AuditStop('ROOT_MISMATCH', `the tiles give root ${base64Encode(root)}, the checkpoint says ${base64Encode(rootHash)}`);
  await checkUpperTiles(source, size, upper);
  return { ok: true, origin, size, root: base64Encode(rootHash), entries: size, committed, kinds };
}

function keepUpper(nodes: readonly { node: { level: number; index: number }; hash: Uint8Array }[], into: Map<string, Uint8Array>): void {
  for (const n of nodes) if (n.node.level > 0 && n.node.level % 8 === 0) into.set(nodeKey(n.node), n.hash);
}

/** Higher tiles must hold exactly the subtree hashes the leaves give. */
async function checkUpperTiles(source: LogSource, size: number, computed: Map<string, Uint8Array>): Promise<void> {
  for (let level = 1; TILE_WIDTH ** level <= size; level++) {
    const count = Math.floor(size / TILE_WIDTH ** level);
    for (let n = 0; n * TILE_WIDTH < count; n++) {
      const width = Math.min(TILE_WIDTH, count - n * TILE_WIDTH);
      const path = formatTilePath({ kind: 'hashes', level, index: n, width });
      let hashes: Uint8Array[];
      try {
        hashes = decodeTile(await get(source, path), width);
      } catch (e) {
        if (e instanceof AuditStop) throw e;
        throw new AuditStop('BAD_TILE', `${path} is malformed`);
      }
      hashes.forEach((h, i) => {
        const want = computed.get(nodeKey({ level: level * 8, index: n * TILE_WIDTH + i }));
        if (!want || !bytesEqual(want, h)) throw new AuditStop('BAD_TILE', `${path} hash ${i} does not match the entries below it`);
      });
    }
  }
}

function checkEntry(bytes: Uint8Array, index: number, keys: KeyRing, kinds: Record<string, number>, onCommitted: () => void): void {
  let entry;
  try {
    entry = decodeEntry(bytes);
  } catch (e) {
    throw new AuditStop('BAD_ENTRY', `entry ${index} is malformed: ${e instanceof Error ? e.message : String(e)}`, index);
  }
  const st = entry.statement;
  if (index === 0) {
    // The genesis entry introduces the operator key that signs it and later server-attested entries.
    const operator = st.kind === 'log.genesis' ? stringField(st.body, 'operator_key') : undefined;
    if (!operator) throw new AuditStop('BAD_ENTRY', 'entry 0 is not a log.genesis statement naming the operator key', 0);
    try {
      keys.add(operator);
    } catch (e) {
      throw new AuditStop('BAD_ENTRY', `entry 0 names a malformed operator key: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
  }
  if (entry.signatures.length === 0) throw new AuditStop('BAD_ENTRY_SIGNATURE', `entry ${index} is not signed`, index);
  try {
    verifyEntrySignatures(entry, keys.resolve);
  } catch (e) {
    if (e instanceof LedgerError) throw new AuditStop('BAD_ENTRY_SIGNATURE', `entry ${index}: ${e.message}`, index);
    throw e;
  }
  kinds[st.kind] = (kinds[st.kind] ?? 0) + 1;
  if (st.commitment !== undefined) onCommitted();
  if (st.kind === 'key.register' && stringField(st.body, 'purpose') !== 'witness') {
    const vkey = stringField(st.body, 'vkey');
    try {
      if (vkey) keys.add(vkey);
    } catch (e) {
      throw new AuditStop('BAD_ENTRY', `entry ${index} registers a malformed key: ${e instanceof Error ? e.message : String(e)}`, index);
    }
  } else if (st.kind === 'key.revoke') {
    const ref = stringField(st.body, 'key');
    if (ref) keys.revoke(ref);
  }
}
