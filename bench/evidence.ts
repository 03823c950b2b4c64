import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser } from '../src/app/accounts.js';
import { fileAllegation } from '../src/app/allegations.js';
import { addEvidence } from '../src/app/evidence.js';
import type { Mizan } from '../src/app/mizan.js';
import { loadScenario } from '../src/app/records.js';
import { setWebhook } from '../src/app/webhooks.js';
import { builtinScenarioPath } from '../src/cli/paths.js';
import { initDataDir, openApp } from '../src/cli/open.js';
import type { Principal } from '../src/domain/principal.js';
import { SYSTEM } from '../src/domain/principal.js';
import { latencySummary, line } from './stats.js';

/**
 * Evidence uploads against a bare hash + write + fsync of the same bytes; webhook latency from an
 * allegation's commit to its arrival at a local receiver, against a bare signed POST.
 */
export async function benchEvidence(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'mizan-bench-ev-'));
  const dir = join(root, 'data');
  process.stdout.write(`\nEvidence and webhooks (SQLite, ${dir})\n`);
  await initDataDir({ dataDir: dir, origin: 'bench.mizan.local/log' });
  const app = await openApp({ dataDir: dir, places: false });
  try {
    const { readFileSync } = await import('node:fs');
    await loadScenario(app, SYSTEM, JSON.parse(readFileSync(builtinScenarioPath(), 'utf8')));
    await benchUploads(app, root);
    await benchWebhooks(app);
  } finally {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchUploads(app: Mizan, root: string): Promise<void> {
  const sizes = [64 * 1024, 1024 * 1024, 25 * 1024 * 1024];
  for (const size of sizes) {
    const runs = size > 5_000_000 ? 5 : 20;
    const ref: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < runs; i++) {
      const bytes = randomBytes(size);
      let t0 = performance.now();
      createHash('sha256').update(bytes).digest('hex');
      const fh = await open(join(root, `ref-${i}`), 'w');
      await fh.writeFile(bytes);
      await fh.sync();
      await fh.close();
      ref.push(performance.now() - t0);
      t0 = performance.now();
      await addEvidence(app, SYSTEM, bytes, { mediaType: 'application/octet-stream', filename: `f${i}` });
      ours.push(performance.now() - t0);
    }
    const label = size < 1024 * 1024 ? `${size / 1024} KiB` : `${size / 1024 / 1024} MiB`;
    line(`upload ${label}: hash + write + fsync (reference)`, latencySummary(ref));
    line(`upload ${label}: addEvidence (file, row, log entry)`, latencySummary(ours));
  }
}

async function benchWebhooks(app: Mizan): Promise<void> {
  const n = Number(process.env.BENCH_WEBHOOKS ?? 100);
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { subject?: string };
      arrived.set(body.subject ?? '', performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    // Reference: sign and POST the same kind of body with nothing around it.
    const ref: number[] = [];
    for (let i = 0; i < n; i++) {
      const body = JSON.stringify({ id: `n_${i}`, party: 'PAK', kind: 'allegation_filed', subject: `REF-${i}`, text: 'x', at: new Date().toISOString() });
      const ts = String(Math.floor(Date.now() / 1000));
      const t0 = performance.now();
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-mizan-timestamp': ts, 'x-mizan-signature': `sha256=${createHmac('sha256', 'k'.repeat(32)).update(`${ts}.${body}`).digest('hex')}` }, body });
      ref.push(performance.now() - t0);
    }
    await addUser(app, SYSTEM, { name: 'bench-afg', role: 'delegate', party: 'AFG', password: 'correct horse battery staple' });
    await setWebhook(app, SYSTEM, 'PAK', { url });
    const afg: Principal = { kind: 'user', userId: 'bench', name: 'bench-afg', role: 'delegate', party: 'AFG' };
    const write: number[] = [];
    const delivery: number[] = [];
    for (let i = 0; i < n; i++) {
      const id = `ALG-BENCH-${i}`;
      const t0 = performance.now();
      await fileAllegation(app, afg, { id, agreement: 'AGR-DOHA-2025', by: 'AFG', against: 'PAK', incidents: ['INC-202510-KURRAM'], text: 'Bench.' });
      const committed = performance.now();
      write.push(committed - t0);
      while (!arrived.has(id)) await new Promise((r) => setTimeout(r, 1));
      delivery.push(arrived.get(id)! - committed);
    }
    line('signed POST to a local receiver (reference)', latencySummary(ref));
    line('file an allegation (write, with a webhook set)', latencySummary(write));
    line('commit → webhook received', latencySummary(delivery));
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
