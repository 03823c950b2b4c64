// Verification in the browser with the same pure ledger code the server and CLI use
// (src/ledger, on @noble crypto). Nothing here trusts the server: the checkpoint's signature is
// checked against the log key, each entry's bytes are hashed here, and the inclusion proof is
// recomputed up to the signed root.
import { auditLog } from '../../../src/ledger/audit.js';
import type { AuditResult, AuditState } from '../../../src/ledger/audit.js';
import {
  base64Decode,
  base64Encode,
  bytesEqual,
  decodeEntry,
  hashLeaf,
  noteVerifier,
  openCheckpoint,
  cosignatureVerifier,
  formatKeyId,
  parseVerifierKey,
  verifyInclusion,
} from '../../../src/ledger/index.js';
import type { Checkpoint, Entry } from '../../../src/ledger/index.js';
import { nobleCrypto } from '../../../src/ledger/noble-crypto.js';
import { fetchBytes, fetchText } from '../api/client.js';

const crypto = nobleCrypto;
const PIN_KEY = 'mizan.logKey';
const STATE_KEY = 'mizan.auditState';

/** A key the reader pinned (from the operator, a printout, a colleague): it overrides /log/key. */
export function pinnedKey(): string | null {
  try {
    return localStorage.getItem(PIN_KEY);
  } catch {
    return null;
  }
}

export function pinKey(key: string | null): void {
  try {
    if (key) localStorage.setItem(PIN_KEY, key.trim());
    else localStorage.removeItem(PIN_KEY);
  } catch {
    // storage disabled
  }
}

/** Throws if the text is not a well-formed verifier key. */
export function checkKeyText(key: string): void {
  parseVerifierKey(crypto, key.trim());
}

export interface OpenedLog {
  readonly key: string;
  /** Where the key came from: pinned by the reader, or as served by this server. */
  readonly keySource: 'pinned' | 'served';
  /** The served key differs from the pinned one: someone swapped keys, or the reader pinned another log. */
  readonly servedKeyDiffers: boolean;
  readonly origin: string;
  readonly checkpoint: Checkpoint;
  readonly note: string;
  readonly rootBase64: string;
  /** Witness cosignatures verified here against the witnesses' registered keys. */
  readonly cosignatures: readonly { name: string; keyId: string; party?: string | undefined }[];
  /** Signature lines by keys we do not know: not checked. */
  readonly otherSignatures: readonly { name: string; keyId: string }[];
}

export interface WitnessKey {
  readonly vkey: string;
  readonly party: string;
}

/**
 * Fetch the log key and latest checkpoint, and verify the checkpoint's signature — and, given
 * the witnesses' keys, their C2SP cosignatures (a cosignature by a known witness that does not
 * verify makes the whole checkpoint fail, as signed-note requires).
 */
export async function openLog(signal?: AbortSignal, witnesses: readonly WitnessKey[] = []): Promise<OpenedLog> {
  const served = (await fetchText('/log/key', signal)).trim();
  const pinned = pinnedKey();
  const key = pinned ?? served;
  const vkey = parseVerifierKey(crypto, key);
  const note = await fetchText('/log/checkpoint', signal);
  const witnessVerifiers = [];
  const partyOf = new Map<string, string>();
  for (const w of witnesses) {
    try {
      const v = cosignatureVerifier(crypto, w.vkey);
      witnessVerifiers.push(v);
      partyOf.set(`${v.name}+${formatKeyId(v.keyId)}`, w.party);
    } catch {
      // Not a cosignature key: ignore it rather than fail the checkpoint.
    }
  }
  const opened = openCheckpoint(note, [noteVerifier(crypto, vkey)], vkey.name, witnessVerifiers);
  const cosignatures = opened.cosignatures.map((s) => ({ name: s.name, keyId: formatKeyId(s.keyId), party: partyOf.get(`${s.name}+${formatKeyId(s.keyId)}`) }));
  const otherSignatures = opened.unverified.map((s) => ({ name: s.name, keyId: formatKeyId(s.keyId) }));
  return {
    key,
    keySource: pinned ? 'pinned' : 'served',
    servedKeyDiffers: pinned !== null && pinned !== served,
    origin: vkey.name,
    checkpoint: opened.checkpoint,
    note,
    rootBase64: base64Encode(opened.checkpoint.rootHash),
    cosignatures,
    otherSignatures,
  };
}

export type EntryCheck =
  | { readonly ok: true; readonly index: number; readonly entry: Entry; readonly size: number }
  | { readonly ok: false; readonly index: number; readonly reason: 'not_yet_checkpointed' | 'mismatch' | 'bad_proof' | 'record_mismatch' | 'fetch_failed'; readonly message: string };

/**
 * RFC 9162 §2.1.3.2 in the browser: hash the entry's bytes into its leaf, walk the inclusion
 * proof to a root, and compare it with the signed checkpoint's root. `expectId` additionally
 * checks that the logged statement is about the record on the screen.
 */
export async function verifyEntry(log: OpenedLog, index: number, expectId?: string, signal?: AbortSignal): Promise<EntryCheck> {
  const size = log.checkpoint.size;
  if (index >= size) return { ok: false, index, reason: 'not_yet_checkpointed', message: `entry ${index} is newer than the signed checkpoint (size ${size})` };
  let proof: { index: number; size: number; leaf_hash: string; proof: string[] };
  let bytes: Uint8Array;
  try {
    const res = await fetch(`/log/proof/inclusion?index=${index}&size=${size}`, { headers: { accept: 'application/json' }, signal: signal ?? null });
    if (!res.ok) throw new Error(`the server answered ${res.status}`);
    proof = (await res.json()) as typeof proof;
    bytes = await fetchBytes(`/log/entry/${index}`, signal);
  } catch (e) {
    return { ok: false, index, reason: 'fetch_failed', message: e instanceof Error ? e.message : String(e) };
  }
  try {
    // The proof's own leaf hash is not trusted: we hash the bytes we were given.
    const leaf = hashLeaf(crypto, bytes);
    if (!bytesEqual(leaf, base64Decode(proof.leaf_hash, 'MALFORMED_PROOF', 'leaf hash'))) {
      return { ok: false, index, reason: 'mismatch', message: 'the entry does not hash to the leaf the proof is for' };
    }
    verifyInclusion(crypto, index, size, leaf, proof.proof.map((p) => base64Decode(p, 'MALFORMED_PROOF', 'proof hash')), log.checkpoint.rootHash);
    const entry = decodeEntry(bytes);
    const body = entry.statement.body as Record<string, unknown> | undefined;
    if (expectId !== undefined && body !== undefined && body['id'] !== undefined && body['id'] !== expectId) {
      return { ok: false, index, reason: 'record_mismatch', message: `entry ${index} is about ${typeof body['id'] === 'string' ? body['id'] : JSON.stringify(body['id'])}, not ${expectId}` };
    }
    return { ok: true, index, entry, size };
  } catch (e) {
    return { ok: false, index, reason: 'bad_proof', message: e instanceof Error ? e.message : String(e) };
  }
}

const SEEN_KEY = 'mizan.sizesSeen';

/** The log sizes this browser has seen, oldest first (the log's growth as observed from here). */
export function sizesSeen(origin: string): { at: string; size: number }[] {
  try {
    const all = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, { at: string; size: number }[]>;
    return Array.isArray(all[origin]) ? all[origin] : [];
  } catch {
    return [];
  }
}

export function rememberSize(origin: string, size: number): void {
  try {
    const all = JSON.parse(localStorage.getItem(SEEN_KEY) ?? '{}') as Record<string, { at: string; size: number }[]>;
    const list = Array.isArray(all[origin]) ? all[origin] : [];
    if (list.length > 0 && list[list.length - 1]!.size === size) return;
    all[origin] = [...list, { at: new Date().toISOString(), size }].slice(-200);
    localStorage.setItem(SEEN_KEY, JSON.stringify(all));
  } catch {
    // storage disabled
  }
}

let cached: { at: number; promise: Promise<OpenedLog> } | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One checkpoint per page view is enough for all the badges on it — unless a record on the page
 * is newer than it (just written): then fetch again; the server signs a new checkpoint within
 * about a second of a write.
 */
export async function sharedLog(minSize = 0): Promise<OpenedLog> {
  for (let attempt = 0; ; attempt++) {
    if (!cached || Date.now() - cached.at > 30_000) {
      const promise = openLog();
      cached = { at: Date.now(), promise };
      promise.catch(() => {
        cached = null;
      });
    }
    const log = await cached.promise;
    if (log.checkpoint.size >= minSize || attempt >= 4) return log;
    cached = null;
    await sleep(attempt === 0 ? 300 : 1000);
  }
}

export function savedAuditState(origin: string): AuditState | undefined {
  try {
    const raw = localStorage.getItem(STATE_KEY);
    if (!raw) return undefined;
    const s = JSON.parse(raw) as AuditState;
    return s.origin === origin && typeof s.size === 'number' && typeof s.root === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

function saveAuditState(s: AuditState): void {
  try {
    localStorage.setItem(STATE_KEY, JSON.stringify(s));
  } catch {
    // storage disabled
  }
}

export function forgetAuditState(): void {
  try {
    localStorage.removeItem(STATE_KEY);
  } catch {
    // storage disabled
  }
}

/**
 * Audit the whole log from its public tiles: every entry hashed, every signature checked, the
 * root recomputed and compared with the signed checkpoint, and — when this browser audited the
 * log before — proof that the log only grew since.
 */
export async function auditInBrowser(key: string, onProgress: (done: number, total: number) => void, signal?: AbortSignal): Promise<AuditResult & { previous?: AuditState | undefined }> {
  const origin = parseVerifierKey(crypto, key).name;
  const previous = savedAuditState(origin);
  const result = await auditLog(
    {
      checkpoint: () => fetchText('/log/checkpoint', signal),
      fetch: (path) => fetchBytes(`/log/${path}`, signal),
      consistency: async (oldSize, newSize) => {
        const res = await fetch(`/log/proof/consistency?old=${oldSize}&new=${newSize}`, { signal: signal ?? null });
        if (!res.ok) throw new Error(`the server answered ${res.status}`);
        const body = (await res.json()) as { proof: string[] };
        return body.proof.map((p) => base64Decode(p, 'MALFORMED_PROOF', 'proof hash'));
      },
    },
    { crypto, logKey: key, state: previous, onProgress },
  );
  if (result.ok) saveAuditState({ origin: result.origin, size: result.size, root: result.root });
  return { ...result, previous };
}
