import { randomBytes } from 'node:crypto';
import type { Visibility } from '../domain/common.js';
import { MizanError } from '../domain/errors.js';
import type { JsonObject, LedgerCrypto, NodeId, NoteSigner, SignerKey, Statement } from '../ledger/index.js';
import {
  appendLeaves,
  assemble,
  assembleRoot,
  consistencyProofPlan,
  canonicalJson,
  createEntry,
  encodeEntry,
  hexEncode,
  isLedgerError,
  keyReference,
  encodeEntryBundle,
  encodeTile,
  formatVerifierKey,
  hashLeaf,
  inclusionProofPlan,
  makeCommitment,
  neededNodes,
  noteSigner,
  perfectSubtrees,
  rootPlan,
  signCheckpoint,
  tileNodes,
} from '../ledger/index.js';
import { nodeCrypto } from '../ledger/node-crypto.js';
import type { Db, Store, Tx } from './store.js';

export interface StatementAuthor {
  readonly user?: string;
  readonly party?: string;
}

export interface AppendInput {
  readonly kind: string;
  readonly recordId: string | null;
  readonly body: object;
  readonly visibility: Visibility;
  readonly author: StatementAuthor;
  readonly at: string;
  /** Entry bytes already signed by a party's own key (a signed submission); used as they are. */
  readonly presigned?: Uint8Array;
}

/** Appends within one store transaction; `flush` writes entries and tree nodes before commit. */
export interface LogAppender {
  append(input: AppendInput): number;
  /** The index the next append will get. */
  nextIndex(): number;
  flush(): Promise<void>;
}

export interface LogKeys {
  readonly origin: string;
  /** Signs checkpoints; its name is the origin. */
  readonly log: SignerKey;
  /** Attests writes made through the server (web UI, API with session or token). */
  readonly operator: SignerKey;
}

const CHECKPOINT_INTERVAL_MS = 1000;

/**
 * The verifiable log over the store: appends inside write transactions, persists the hashes of
 * complete subtrees so that appends and proofs are O(log n), and signs checkpoints.
 */
export class LogService {
  readonly origin: string;
  readonly verifierKey: string;
  readonly operatorVerifierKey: string;
  private readonly logSigner: NoteSigner;
  private readonly operatorSigner: NoteSigner;
  private timer: NodeJS.Timeout | null = null;
  private lastSigned = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly keys: LogKeys,
    readonly crypto: LedgerCrypto = nodeCrypto,
  ) {
    this.origin = keys.origin;
    this.logSigner = noteSigner(crypto, keys.log);
    this.operatorSigner = noteSigner(crypto, keys.operator);
    this.verifierKey = formatVerifierKey(crypto, keys.log.name, keys.log.publicKey);
    this.operatorVerifierKey = formatVerifierKey(crypto, keys.operator.name, keys.operator.publicKey);
  }

  async begin(tx: Tx): Promise<LogAppender> {
    // size and frontier advance at each flush, so a long write may flush repeatedly in one transaction.
    let size = await treeSize(tx);
    const frontierIds = perfectSubtrees(0, size);
    const stored = await fetchNodes(tx, frontierIds);
    let frontier = frontierIds.map((id) => stored.get(key(id))!);
    const crypto = this.crypto;
    const keys = this.keys;
    const operatorSigner = this.operatorSigner;
    const pending: { idx: number; entry: Uint8Array; leaf: Uint8Array; kind: string; recordId: string | null; salt: Uint8Array | null; visibility: Visibility; body: string | null }[] = [];
    return {
      nextIndex: () => size + pending.length,
      append(input: AppendInput): number {
        const idx = size + pending.length;
        // Tiles are public: anything not public enters the log only as a salted commitment.
        if (input.presigned) {
          // A party-signed submission enters the log byte for byte as the party signed it.
          pending.push({ idx, entry: input.presigned, leaf: hashLeaf(crypto, input.presigned), kind: input.kind, recordId: input.recordId, salt: null, visibility: input.visibility, body: null });
          return idx;
        }
        const salt = input.visibility === 'public' ? null : randomBytes(32);
        const body = JSON.parse(JSON.stringify(input.body)) as JsonObject;
        const head = { v: 1 as const, kind: input.kind, author: { ...input.author, key: keyReference(keys.operator) }, at: input.at.replace(/\.\d+Z$/, 'Z') };
        const entry = encodeStatement(salt ? { ...head, commitment: makeCommitment(crypto, body, salt) } : { ...head, body }, crypto, operatorSigner);
        pending.push({ idx, entry, leaf: hashLeaf(crypto, entry), kind: input.kind, recordId: input.recordId, salt, visibility: input.visibility, body: salt ? canonicalJson(body) : null });
        return idx;
      },
      async flush(): Promise<void> {
        if (pending.length === 0) return;
        const grown = appendLeaves(
          crypto,
          size,
          frontier,
          pending.map((p) => p.leaf),
        );
        const entries = pending.map((p) => ({ idx: p.idx, leaf_hash: Buffer.from(p.leaf), entry: Buffer.from(p.entry), kind: p.kind, record_id: p.recordId }));
        const nodes = grown.nodes.map((n) => ({ level: n.node.level, idx: n.node.index, hash: Buffer.from(n.hash) }));
        const salts = pending.filter((p) => p.salt).map((p) => ({ idx: p.idx, salt: Buffer.from(p.salt!), visibility: p.visibility, body: p.body }));
        for (let i = 0; i < entries.length; i += 500) await tx.insertInto('log_entries').values(entries.slice(i, i + 500)).execute();
        for (let i = 0; i < nodes.length; i += 1000) await tx.insertInto('log_nodes').values(nodes.slice(i, i + 1000)).execute();
        for (let i = 0; i < salts.length; i += 1000) await tx.insertInto('log_salts').values(salts.slice(i, i + 1000)).execute();
        pending.length = 0;
        size = grown.size;
        frontier = grown.frontier;
      },
    };
  }

  size(): Promise<number> {
    return treeSize(this.store.db);
  }

  /** After a commit: sign a new checkpoint soon, at most once a second. */
  afterCommit(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastSigned + CHECKPOINT_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.signCheckpoint().catch(() => undefined);
    }, wait);
    this.timer.unref();
  }

  async rootHash(size: number, db: Db | Tx = this.store.db): Promise<Uint8Array> {
    const nodes = await fetchNodes(db, neededNodes(rootPlan(size)));
    return assembleRoot(this.crypto, size, (n) => nodes.get(key(n)));
  }

  /** Sign a checkpoint for the current size (idempotent for a size: Ed25519 is deterministic). */
  async signCheckpoint(): Promise<string> {
    const size = await this.size();
    const latest = await this.store.db.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1).executeTakeFirst();
    if (latest && latest.size === size) return latest.note;
    const note = signCheckpoint({ origin: this.origin, size, rootHash: await this.rootHash(size) }, [this.logSigner]);
    await this.store.db
      .insertInto('log_checkpoints')
      .values({ size, note, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('size').doNothing())
      .execute();
    this.lastSigned = Date.now();
    return note;
  }

  /** The latest signed checkpoint with the witness cosignatures collected for it. */
  async latestCheckpoint(): Promise<{ size: number; note: string }> {
    let row = await this.store.db.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1).executeTakeFirst();
    if (!row) {
      await this.signCheckpoint();
      row = await this.store.db.selectFrom('log_checkpoints').select(['size', 'note']).orderBy('size', 'desc').limit(1).executeTakeFirstOrThrow();
    }
    const cosigs = await this.store.db.selectFrom('log_cosignatures').select('line').where('size', '=', row.size).orderBy('witness').execute();
    return { size: row.size, note: row.note + cosigs.map((c) => c.line + '\n').join('') };
  }

  async checkpointAt(size: number): Promise<string | null> {
    const row = await this.store.db.selectFrom('log_checkpoints').select('note').where('size', '=', size).executeTakeFirst();
    return row?.note ?? null;
  }

  async inclusionProof(index: number, size: number): Promise<{ leafHash: Uint8Array; proof: Uint8Array[] }> {
    await this.requireSize(size);
    if (!(index < size)) throw new MizanError('VALIDATION_FAILED', `index ${index} is not below size ${size}`);
    const plan = inclusionProofPlan(index, size);
    const nodes = await fetchNodes(this.store.db, [...neededNodes(plan), { level: 0, index }]);
    return { leafHash: nodes.get(key({ level: 0, index }))!, proof: assemble(this.crypto, plan, (n) => nodes.get(key(n))) };
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    await this.requireSize(newSize);
    const plan = consistencyProofPlan(oldSize, newSize);
    const nodes = await fetchNodes(this.store.db, neededNodes(plan));
    return assemble(this.crypto, plan, (n) => nodes.get(key(n)));
  }

  /** A tile's bytes; level 0 holds leaf hashes, level L the level-8L subtree hashes. */
  async tile(level: number, index: number, width: number): Promise<Uint8Array> {
    const ids = tileNodes(level, index, width);
    const nodes = await fetchNodes(this.store.db, ids);
    return encodeTile(ids.map((id) => nodes.get(key(id))!));
  }

  async entryBundle(index: number, width: number): Promise<Uint8Array> {
    const rows = await this.store.db
      .selectFrom('log_entries')
      .select(['idx', 'entry'])
      .where('idx', '>=', index * 256)
      .where('idx', '<', index * 256 + width)
      .orderBy('idx')
      .execute();
    if (rows.length !== width) throw new MizanError('NOT_FOUND', 'that entry bundle does not exist yet');
    return encodeEntryBundle(rows.map((r) => new Uint8Array(r.entry)));
  }

  async entry(index: number): Promise<Uint8Array | null> {
    const row = await this.store.db.selectFrom('log_entries').select('entry').where('idx', '=', index).executeTakeFirst();
    return row ? new Uint8Array(row.entry) : null;
  }

  private async requireSize(size: number): Promise<void> {
    const current = await this.size();
    if (size > current) throw new MizanError('NOT_FOUND', `the log has ${current} entries, not ${size}`);
  }

  /** Stop the timer; a checkpoint still owed for the last writes is signed now. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      await this.signCheckpoint();
    }
  }
}

/**
 * Sign and encode one statement. An entry is at most 65,535 bytes (entry bundles prefix a 16-bit
 * length), so a larger public body enters the log by its SHA-256; the full record stays in the store.
 */
function encodeStatement(statement: Statement, crypto: LedgerCrypto, signer: NoteSigner): Uint8Array {
  try {
    return encodeEntry(createEntry(statement, [signer]));
  } catch (e) {
    if (!isLedgerError(e, 'ENTRY_TOO_LARGE') || statement.body === undefined) throw e;
    const canonical = new TextEncoder().encode(canonicalJson(statement.body));
    const digest = hexEncode(crypto.sha256(canonical));
    const { body: _omitted, ...head } = statement;
    return encodeEntry(createEntry({ ...head, body: { content_sha256: digest, content_bytes: canonical.length } }, [signer]));
  }
}

const key = (n: NodeId) => `${n.level}/${n.index}`;

export async function treeSize(db: Db | Tx): Promise<number> {
  const row = await db.selectFrom('log_entries').select((eb) => eb.fn.max('idx').as('m')).executeTakeFirst();
  const m = row?.m as number | null | undefined;
  return m === null || m === undefined ? 0 : Number(m) + 1;
}

/** Fetch stored subtree hashes in one query per 500 nodes. */
export async function fetchNodes(db: Db | Tx, ids: readonly NodeId[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await db
      .selectFrom('log_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or(chunk.map((n) => eb.and([eb('level', '=', n.level), eb('idx', '=', n.index)]))))
      .execute();
    for (const r of rows) out.set(`${r.level}/${r.idx}`, new Uint8Array(r.hash));
  }
  for (const id of ids) if (!out.has(key(id))) throw new MizanError('LOG_INCONSISTENT', `the log store is missing tree node ${key(id)}`);
  return out;
}
