import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerKey } from '../../src/app/keys.js';
import type { Mizan } from '../../src/app/mizan.js';
import { openApp } from '../../src/cli/open.js';
import { Witness } from '../../src/cli/witness.js';
import { SYSTEM } from '../../src/domain/principal.js';
import { cosignatureVerifier, formatWitnessVerifierKey, noteVerifier, openCheckpoint, parseSignerKey, formatSignerKey, SIGNATURE_TYPE_COSIGNATURE_V1 } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { makeServer, makeTestApp } from '../support/app.js';

async function listen(app: Mizan): Promise<{ server: FastifyInstance; url: string }> {
  const server = await makeServer(app);
  await server.listen({ port: 0, host: '127.0.0.1' });
  return { server, url: `http://127.0.0.1:${(server.server.address() as { port: number }).port}` };
}

describe('witnesses', () => {
  const seed = randomBytes(32);
  const name = 'witness.pak.test';
  const key = parseSignerKey(nodeCrypto, formatSignerKey(nodeCrypto, name, seed, SIGNATURE_TYPE_COSIGNATURE_V1));
  const vkey = formatWitnessVerifierKey(nodeCrypto, name, nodeCrypto.ed25519PublicKey(seed));
  const cleanup: (() => Promise<void>)[] = [];
  let a: Mizan;
  let b: Mizan;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    // Two copies of one log with the same keys and origin, so they can be made to diverge.
    const t = await makeTestApp('sqlite');
    await registerKey(t.app, SYSTEM, 'PAK', { vkey, purpose: 'witness' });
    await t.app.log.signCheckpoint();
    await t.app.close();
    const copy = join(mkdtempSync(join(tmpdir(), 'mizan-fork-')), 'data');
    cpSync(t.dataDir, copy, { recursive: true });
    a = await openApp({ dataDir: t.dataDir });
    b = await openApp({ dataDir: copy });
    const sa = await listen(a);
    const sb = await listen(b);
    urlA = sa.url;
    urlB = sb.url;
    cleanup.push(async () => {
      await sa.server.close();
      await sb.server.close();
      await a.close();
      await b.close();
      rmSync(t.dataDir, { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    });
  });
  afterAll(async () => {
    for (const c of cleanup) await c();
  });

  it('cosigns, and the served checkpoint carries the cosignature', async () => {
    const w = new Witness({ logUrl: urlA, logKey: a.log.verifierKey, key, crypto: nodeCrypto });
    expect((await w.step()).kind).toBe('cosigned');
    const note = await (await fetch(`${urlA}/log/checkpoint`)).text();
    const opened = openCheckpoint(note, [noteVerifier(nodeCrypto, a.log.verifierKey)], a.log.origin, [cosignatureVerifier(nodeCrypto, vkey)]);
    expect(opened.cosignatures.map((c) => c.name)).toEqual([name]);
    expect((await w.step()).kind).toBe('skipped');

    await a.write(SYSTEM, (s) => void s.statement('test.note', { n: 1 }));
    await a.log.signCheckpoint();
    expect(await w.step()).toEqual({ kind: 'cosigned', size: await a.log.size() });
  });

  it('refuses a fork: two roots for one size, a smaller tree, or a larger tree that does not extend', async () => {
    const w = new Witness({ logUrl: urlA, logKey: a.log.verifierKey, key, crypto: nodeCrypto });
    expect((await w.step()).kind).toBe('cosigned');
    const seen = w.last!.size;

    // B diverges from A: the same number of entries, different content.
    const missing = seen - (await b.log.size());
    await b.write(SYSTEM, (s) => {
      for (let i = 0; i < missing; i++) s.statement('test.other', { i });
    });
    await b.log.signCheckpoint();
    expect(await b.log.size()).toBe(seen);
    const fork = new Witness({ logUrl: urlB, logKey: b.log.verifierKey, key, crypto: nodeCrypto });
    Object.assign(fork, { state: w.last });
    const same = await fork.step();
    expect(same.kind).toBe('refused');
    if (same.kind === 'refused') expect(same.reason).toContain('two roots');

    // B grows past A's size: the consistency proof from A's root cannot hold.
    await b.write(SYSTEM, (s) => void s.statement('test.other', { more: true }));
    await b.log.signCheckpoint();
    const grown = await fork.step();
    expect(grown.kind).toBe('refused');
    if (grown.kind === 'refused') expect(grown.reason).toContain('does not extend');

    // A witness that saw a bigger tree refuses a smaller one.
    Object.assign(fork, { state: { ...w.last!, size: seen + 100 } });
    const smaller = await fork.step();
    expect(smaller.kind).toBe('refused');
    if (smaller.kind === 'refused') expect(smaller.reason).toContain('shrank');
  });

  it('the log accepts only cosignatures that verify under a registered witness key', async () => {
    const size = await a.log.size();
    const other = parseSignerKey(nodeCrypto, formatSignerKey(nodeCrypto, 'witness.stranger', randomBytes(32), SIGNATURE_TYPE_COSIGNATURE_V1));
    const stranger = new Witness({ logUrl: urlA, logKey: a.log.verifierKey, key: other, crypto: nodeCrypto });
    const r = await stranger.step();
    expect(r.kind).toBe('refused');
    const forged = await fetch(`${urlA}/log/cosignatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ size, cosignature: `— ${name} AAAA${'A'.repeat(96)}` }) });
    expect(forged.status).toBeGreaterThanOrEqual(400);
  });
});
