import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpLogSource, storeLogSource, verifyLog } from '../../src/cli/verify.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { auditLog } from '../../src/ledger/audit.js';
import { base64Decode, base64Encode, formatTilePath, hashLeaf, parseCheckpoint, parseNote, tilesForSize, verifyConsistency, verifyInclusion } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { sqlitePath } from '../../src/store/data-dir.js';
import type { TestApp } from '../support/app.js';
import { makeServer, makeTestApp } from '../support/app.js';
import { runTlogVerify, tlogVerifyBinary } from '../support/tlogverify.js';

interface ProofJson {
  leaf_hash: string;
  proof: string[];
}
const getJson = async (url: string): Promise<ProofJson> => (await fetch(url)).json() as Promise<ProofJson>;

/** Mirror everything a static host would serve for the current checkpoint into a directory. */
async function mirror(base: string, dir: string): Promise<{ checkpoint: string; size: number }> {
  const checkpoint = await (await fetch(`${base}/log/checkpoint`)).text();
  const { size } = parseCheckpoint(parseNote(checkpoint).text);
  writeFileSync(join(dir, 'checkpoint'), checkpoint);
  for (const tile of tilesForSize(size)) {
    for (const t of tile.kind === 'hashes' && tile.level === 0 ? [tile, { kind: 'entries' as const, index: tile.index, width: tile.width }] : [tile]) {
      const path = formatTilePath(t);
      const r = await fetch(`${base}/log/${path}`);
      expect(r.status, path).toBe(200);
      mkdirSync(join(dir, dirname(path)), { recursive: true });
      writeFileSync(join(dir, path), new Uint8Array(await r.arrayBuffer()));
    }
  }
  return { checkpoint, size };
}

describe('the served log', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let base: string;
  let oldSize = 0;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    oldSize = await t.app.log.size();
    await t.app.log.signCheckpoint();
    // Enough entries for a full level-0 tile, a partial one and an entry bundle of each kind.
    await t.app.write(SYSTEM, (w) => {
      for (let i = 0; i < 300; i++) w.statement('test.note', { n: i });
    });
    await t.app.log.signCheckpoint();
    server = await makeServer(t.app);
    await server.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('serves a checkpoint, proofs and tiles that our verifier accepts', async () => {
    const result = await verifyLog(httpLogSource(base), t.app.log.verifierKey);
    expect(result).toMatchObject({ ok: true, origin: 'test.mizan.local/log' });
    if (!result.ok) return;
    expect(result.size).toBe(await t.app.log.size());
    expect(result.kinds['log.genesis']).toBe(1);
    expect(result.kinds['incident']).toBeGreaterThanOrEqual(8);
  });

  it('serves inclusion and consistency proofs that verify against checkpoints', async () => {
    const cp = parseCheckpoint(parseNote(await (await fetch(`${base}/log/checkpoint`)).text()).text);
    const inc: ProofJson = await getJson(`${base}/log/proof/inclusion?index=7&size=${cp.size}`);
    const entry = new Uint8Array(await (await fetch(`${base}/log/entry/7`)).arrayBuffer());
    expect(inc.leaf_hash).toBe(base64Encode(hashLeaf(nodeCrypto, entry)));
    verifyInclusion(nodeCrypto, 7, cp.size, hashLeaf(nodeCrypto, entry), inc.proof.map((p: string) => base64Decode(p, 'MALFORMED_PROOF', 'p')), cp.rootHash);
    const oldRoot = await t.app.log.rootHash(50);
    const con: ProofJson = await getJson(`${base}/log/proof/consistency?old=50&new=${cp.size}`);
    verifyConsistency(nodeCrypto, 50, cp.size, con.proof.map((p: string) => base64Decode(p, 'MALFORMED_PROOF', 'p')), oldRoot, cp.rootHash);
    const text = await (await fetch(`${base}/log/proof/inclusion?index=7&size=${cp.size}`, { headers: { accept: 'text/plain' } })).text();
    expect(text.startsWith('c2sp.org/tlog-proof@v1\n')).toBe(true);
  });

  it('marks full tiles immutable and refuses hostile tile paths', async () => {
    const full = await fetch(`${base}/log/tile/0/000`);
    expect(full.status).toBe(200);
    expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/log/tile/0/000.p/5`)).headers.get('cache-control')).not.toContain('immutable');
    for (const bad of ['0/..%2F..%2Fetc', '0/1', '0/x001', '0/000.p/256', '0/000.p/0', '99/000', '0/999', 'entries/005', '0/00a']) {
      expect((await fetch(`${base}/log/tile/${bad}`)).status, bad).toBe(404);
    }
    expect((await fetch(`${base}/log/proof/inclusion?index=5&size=999999`)).status).toBe(404);
    expect((await fetch(`${base}/log/proof/inclusion?index=-1&size=3`)).status).toBe(400);
  });

  it('is accepted by the independent Go verifier, which rejects a tampered copy', async (ctx) => {
    const bin = tlogVerifyBinary();
    if (!bin) return ctx.skip();
    const dir = mkdtempSync(join(tmpdir(), 'mizan-mirror-'));
    try {
      const oldCheckpoint = await t.app.log.checkpointAt(oldSize);
      expect(oldCheckpoint).not.toBeNull();
      const { size } = await mirror(base, dir);
      const inc: ProofJson = await getJson(`${base}/log/proof/inclusion?index=42&size=${size}`);
      const entry = new Uint8Array(await (await fetch(`${base}/log/entry/42`)).arrayBuffer());
      const kase: Record<string, unknown> = {
        checkpoint_file: 'checkpoint',
        tiles_dir: '.',
        require_entry_bundles: true,
        inclusions: [{ leaf_b64: Buffer.from(entry).toString('base64'), index: 42, proof: inc.proof }],
      };
      kase.old_checkpoint = oldCheckpoint;
      kase.consistency_proof = (await getJson(`${base}/log/proof/consistency?old=${oldSize}&new=${size}`)).proof;
      writeFileSync(join(dir, 'case.json'), JSON.stringify(kase));
      const ok = runTlogVerify(bin, ['-vkey', t.app.log.verifierKey, '-origin', t.app.log.origin, join(dir, 'case.json')]);
      expect(ok.out).toContain('RESULT: VALID');
      expect(ok.status).toBe(0);

      // One flipped byte in an entry bundle must be caught.
      const bundle = join(dir, 'tile/entries/000');
      const bytes = new Uint8Array(await (await fetch(`${base}/log/tile/entries/000`)).arrayBuffer());
      bytes[100] = bytes[100]! ^ 1;
      writeFileSync(bundle, bytes);
      const bad = runTlogVerify(bin, ['-vkey', t.app.log.verifierKey, '-origin', t.app.log.origin, join(dir, 'case.json')]);
      expect(bad.status).toBe(1);
      expect(bad.out).toContain('RESULT: INVALID');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tampering with the store', () => {
  it('makes mizan verify fail at the edited entry, and the Go verifier too', async (ctx) => {
    const t = await makeTestApp('sqlite');
    try {
      await t.app.log.signCheckpoint();
      const key = t.app.log.verifierKey;
      expect((await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: key })).ok).toBe(true);
      // Someone with database access rewrites what entry 9 said.
      const raw = new Database(sqlitePath(t.dataDir));
      const row = raw.prepare('SELECT entry FROM log_entries WHERE idx = 9').get() as { entry: Buffer };
      const edited = Buffer.from(row.entry.toString('utf8').replace(/"kind":"(\w+)"/, '"kind":"$1x"'));
      raw.prepare('UPDATE log_entries SET entry = ? WHERE idx = 9').run(edited);
      raw.close();
      const result = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: key });
      expect(result).toMatchObject({ ok: false, code: 'ENTRY_MISMATCH', index: 9 });

      // Rewriting the leaf hash too (to hide the edit) changes the root, which the signed checkpoint pins.
      const raw2 = new Database(sqlitePath(t.dataDir));
      raw2.prepare('UPDATE log_nodes SET hash = ? WHERE level = 0 AND idx = 9').run(Buffer.from(hashLeaf(nodeCrypto, new Uint8Array(edited))));
      raw2.close();
      const hidden = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: key });
      expect(hidden.ok).toBe(false);
      if (!hidden.ok) expect(['ROOT_MISMATCH', 'BAD_ENTRY_SIGNATURE']).toContain(hidden.code);

      const bin = tlogVerifyBinary();
      if (!bin) return ctx.skip();
      const dir = mkdtempSync(join(tmpdir(), 'mizan-tamper-'));
      try {
        const server = await makeServer(t.app);
        await server.listen({ port: 0, host: '127.0.0.1' });
        await mirror(`http://127.0.0.1:${(server.server.address() as { port: number }).port}`, dir);
        await server.close();
        writeFileSync(join(dir, 'case.json'), JSON.stringify({ checkpoint_file: 'checkpoint', tiles_dir: '.', require_entry_bundles: true }));
        const r = runTlogVerify(bin, ['-vkey', key, '-origin', t.app.log.origin, join(dir, 'case.json')]);
        expect(r.status).toBe(1);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } finally {
      await t.close();
    }
  });

  it('a verifier with saved state refuses a forked history', async () => {
    const t = await makeTestApp('sqlite');
    try {
      await t.app.log.signCheckpoint();
      const first = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      const state = { origin: first.origin, size: first.size, root: base64Encode(new Uint8Array(32).fill(7)) };
      const forked = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey, state });
      expect(forked).toMatchObject({ ok: false, code: 'FORK' });
      const shrank = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey, state: { ...state, size: first.size + 10 } });
      expect(shrank).toMatchObject({ ok: false, code: 'LOG_SHRANK' });
      await t.app.write(SYSTEM, (w) => void w.statement('test.note', { more: true }));
      await t.app.log.signCheckpoint();
      const grown = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey, state: { origin: first.origin, size: first.size, root: first.root } });
      expect(grown.ok).toBe(true);
      const lied = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey, state: { origin: first.origin, size: first.size - 1, root: first.root } });
      expect(lied).toMatchObject({ ok: false, code: 'INCONSISTENT' });
    } finally {
      await t.close();
    }
  });
});
