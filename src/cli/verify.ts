import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Mizan } from '../app/mizan.js';
import type { AuditResult, AuditState, LogSource } from '../ledger/audit.js';
import { auditLog } from '../ledger/audit.js';
import { base64Decode, parseTilePath } from '../ledger/index.js';
import { nodeCrypto } from '../ledger/node-crypto.js';

/** The log's public read path over HTTP; `url` is the server root or its /log prefix. */
export function httpLogSource(url: string): LogSource {
  const base = url.replace(/\/+$/, '').replace(/\/log$/, '') + '/log';
  const getBytes = async (path: string): Promise<Uint8Array> => {
    const r = await fetch(`${base}/${path}`);
    if (!r.ok) throw new Error(`HTTP ${r.status} for ${base}/${path}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  return {
    checkpoint: async () => new TextDecoder().decode(await getBytes('checkpoint')),
    fetch: getBytes,
    consistency: async (oldSize, newSize) => {
      const r = await fetch(`${base}/proof/consistency?old=${oldSize}&new=${newSize}`);
      if (!r.ok) throw new Error(`HTTP ${r.status} for the consistency proof`);
      const body = (await r.json()) as { proof?: unknown };
      if (!Array.isArray(body.proof) || !body.proof.every((p) => typeof p === 'string')) throw new Error('the consistency proof is not a list of base64 hashes');
      return body.proof.map((p) => base64Decode(p, 'MALFORMED_PROOF', 'proof hash'));
    },
  };
}

/** The same read path straight from a data directory's store, for offline checks. */
export function storeLogSource(app: Mizan): LogSource {
  return {
    checkpoint: async () => (await app.log.latestCheckpoint()).note,
    fetch: async (path) => {
      const tile = parseTilePath(path);
      return tile.kind === 'entries' ? app.log.entryBundle(tile.index, tile.width) : app.log.tile(tile.level, tile.index, tile.width);
    },
    consistency: (a, b) => app.log.consistencyProof(a, b),
  };
}

export function readState(file: string | undefined): AuditState | undefined {
  if (!file || !existsSync(file)) return undefined;
  const s = JSON.parse(readFileSync(file, 'utf8')) as Partial<AuditState>;
  if (typeof s.origin !== 'string' || typeof s.size !== 'number' || typeof s.root !== 'string') throw new Error(`${file} is not a verifier state file`);
  return { origin: s.origin, size: s.size, root: s.root };
}

export async function verifyLog(source: LogSource, logKey: string, stateFile?: string, progress?: (done: number, total: number) => void): Promise<AuditResult> {
  const result = await auditLog(source, { crypto: nodeCrypto, logKey, state: readState(stateFile), onProgress: progress });
  if (result.ok && stateFile) writeFileSync(stateFile, JSON.stringify({ origin: result.origin, size: result.size, root: result.root }, null, 2) + '\n');
  return result;
}

export function describeResult(r: AuditResult): string {
  if (!r.ok) return `verification FAILED${r.index !== null ? ` at entry ${r.index}` : ''}: ${r.code}: ${r.message}`;
  const kinds = Object.entries(r.kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `OK: log ${r.origin} verified — ${r.size} entries (${r.committed} as commitments), root ${r.root}\n  ${kinds || 'no entries'}`;
}
