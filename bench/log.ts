import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerKey } from '../src/app/keys.js';
import { initDataDir, openApp } from '../src/cli/open.js';
import { SYSTEM } from '../src/domain/principal.js';
import type { Entry } from '../src/ledger/index.js';
import { canonicalJson, createEntry, decodeEntry, formatSignerKey, formatVerifierKey, hashLeaf, keyReference, noteSigner, noteVerifier, parseSignerKey, verifyEntrySignatures } from '../src/ledger/index.js';
import { nodeCrypto } from '../src/ledger/node-crypto.js';
import { latencySummary, line, rate } from './stats.js';

/**
 * The log's costs: appends of party-signed entries (signature check + hashing + commit) against a
 * bare node:crypto verify+hash loop over the same entries; proof latency on a large tree.
 */
export async function benchLog(): Promise<void> {
  const appendCount = Number(process.env.BENCH_APPENDS ?? 20_000);
  const bigSize = Number(process.env.BENCH_LOG_SIZE ?? 1_000_000);
  const dir = join(mkdtempSync(join(tmpdir(), 'mizan-bench-')), 'data');
  process.stdout.write(`\nLog (SQLite, ${dir})\n`);
  await initDataDir({ dataDir: dir, origin: 'bench.mizan.local/log' });
  const app = await openApp({ dataDir: dir, places: false });
  try {
    const key = parseSignerKey(nodeCrypto, formatSignerKey(nodeCrypto, 'pak.bench', randomBytes(32)));
    await registerKey(app, SYSTEM, (await ensureParty(app)), { vkey: formatVerifierKey(nodeCrypto, key.name, key.publicKey) });
    const signer = noteSigner(nodeCrypto, key);
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const entries: Uint8Array[] = [];
    for (let i = 0; i < appendCount; i++) {
      const e = createEntry({ v: 1, kind: 'bench.note', author: { party: 'PAK', key: keyReference(key) }, at, body: { n: i, text: 'Shelling reported near the crossing; two houses damaged.' } }, [signer]);
      entries.push(new TextEncoder().encode(canonicalJson(e)));
    }

    // Reference: the same work with nothing around it — decode, Ed25519 verify, RFC 6962 leaf hash.
    const verifier = noteVerifier(nodeCrypto, formatVerifierKey(nodeCrypto, key.name, key.publicKey));
    let t0 = performance.now();
    for (const bytes of entries) {
      verifyEntrySignatures(decodeEntry(bytes), () => verifier);
      hashLeaf(nodeCrypto, bytes);
    }
    const rawMs = performance.now() - t0;

    // Mizan: the same checks, then append and commit, in transactions of 1,000 entries.
    t0 = performance.now();
    for (let i = 0; i < entries.length; i += 1000) {
      const batch = entries.slice(i, i + 1000);
      await app.write(SYSTEM, (w) => {
        for (const bytes of batch) {
          const e: Entry = decodeEntry(bytes);
          verifyEntrySignatures(e, () => verifier);
          w.log.append({ kind: 'bench.note', recordId: null, body: {}, visibility: 'public', author: {}, at, presigned: bytes });
        }
      });
    }
    const appendMs = performance.now() - t0;
    line(`raw verify+hash loop (node:crypto), ${appendCount} entries`, rate(appendCount, rawMs));
    line(`Mizan append incl. verify, hashing, SQLite commit`, `${rate(appendCount, appendMs)}   ratio ${(appendMs / rawMs).toFixed(2)}× the raw loop`);
    t0 = performance.now();
    for (let i = 0; i < 200; i++) await app.write(SYSTEM, (w) => void w.log.append({ kind: 'bench.note', recordId: null, body: {}, visibility: 'public', author: {}, at, presigned: entries[i]! }));
    line('Mizan append, one entry per transaction (durable commit each)', rate(200, performance.now() - t0));

    // Grow the tree to the proof benchmark's size with operator-attested entries.
    const start = await app.log.size();
    t0 = performance.now();
    for (let n = start; n < bigSize; ) {
      const k = Math.min(20_000, bigSize - n);
      await app.write(SYSTEM, (w) => {
        for (let j = 0; j < k; j++) w.statement('bench.fill', { n: n + j });
      });
      n += k;
      if (process.stdout.isTTY) process.stdout.write(`\r  growing the log: ${n.toLocaleString('en-US')} / ${bigSize.toLocaleString('en-US')}`);
    }
    if (process.stdout.isTTY) process.stdout.write('\r' + ' '.repeat(60) + '\r');
    const size = await app.log.size();
    line(`operator-signed appends up to ${size.toLocaleString('en-US')} entries`, rate(size - start, performance.now() - t0));
    await app.log.signCheckpoint();
    const inc: number[] = [];
    const con: number[] = [];
    for (let i = 0; i < 500; i++) {
      const index = Math.floor(Math.random() * size);
      let s = performance.now();
      await app.log.inclusionProof(index, size);
      inc.push(performance.now() - s);
      const old = 1 + Math.floor(Math.random() * (size - 1));
      s = performance.now();
      await app.log.consistencyProof(old, size);
      con.push(performance.now() - s);
    }
    line(`inclusion proof at ${size.toLocaleString('en-US')} entries`, latencySummary(inc));
    line(`consistency proof at ${size.toLocaleString('en-US')} entries`, latencySummary(con));
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ensureParty(app: Awaited<ReturnType<typeof openApp>>): Promise<string> {
  const { loadScenario } = await import('../src/app/records.js');
  await loadScenario(app, SYSTEM, { parties: [{ id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' }] });
  return 'PAK';
}
