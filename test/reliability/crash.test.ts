import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openApp } from '../../src/cli/open.js';
import { storeLogSource } from '../../src/cli/verify.js';
import type { AuditState } from '../../src/ledger/audit.js';
import { auditLog } from '../../src/ledger/audit.js';
import { base64Encode, parseCheckpoint, parseNote } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { sqlitePath } from '../../src/store/data-dir.js';
import { makeCallers, makeTestApp } from '../support/app.js';
import { REPO_ROOT } from '../support/env.js';

/** How many kill/restart cycles: 20 in the suite, 200 in `npm run bench:crash`. */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);

/** Waits for the banner of `mizan serve --port 0` and returns the URL it names. */
async function waitForServer(child: ChildProcess): Promise<string> {
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    const m = /Mizan is serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not come up: ${out}`);
}

describe('durability under SIGKILL', () => {
  it(`keeps every acknowledged write and a consistent log across ${CYCLES} kills`, async () => {
    const t = await makeTestApp('sqlite', { scenario: false });
    const { loadScenario } = await import('../../src/app/records.js');
    const { SYSTEM } = await import('../../src/domain/principal.js');
    await loadScenario(t.app, SYSTEM, {
      parties: [
        { id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' },
        { id: 'AFG', name: 'Afghanistan', kind: 'de_facto_authority', country: 'AFG' },
        { id: 'QAT', name: 'Qatar', kind: 'mediator', country: 'QAT' },
      ],
    });
    const { pak1 } = await makeCallers(t.app);
    const logKey = t.app.log.verifierKey;
    await t.app.close();
    const acked: string[] = [];
    let served: AuditState | undefined;
    let seq = 0;
    try {
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        // Port 0: a random fixed port can collide with the OS's ephemeral ports under a busy suite.
        const child = spawn(process.execPath, [`${REPO_ROOT}/bin/mizan.js`, 'serve', '--data', t.dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } });
        const url = await waitForServer(child);
        let stop = false;
        const writer = (async () => {
          while (!stop) {
            const id = `CRASH-${cycle}-${seq++}`;
            try {
              const r = await fetch(`${url}/api/v1/incidents`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${pak1.token}` },
                body: JSON.stringify({ id, occurred: { from: '2025-10-20T00:00:00Z', to: '2025-10-20T01:00:00Z' }, location: { country: 'PAK' }, event_type: 'Battles', sub_event_type: 'Armed clash' }),
              });
              if (r.status === 201) acked.push(id);
            } catch {
              return; // the server died under us: this write was never acknowledged
            }
          }
        })();
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 450));
        // Remember the last checkpoint the server handed out before it dies.
        try {
          const note = await (await fetch(`${url}/log/checkpoint`)).text();
          const cp = parseCheckpoint(parseNote(note).text);
          served = { origin: cp.origin, size: cp.size, root: base64Encode(cp.rootHash) };
        } catch {
          // keep the previous one
        }
        await new Promise((r) => setTimeout(r, Math.random() * 100));
        child.kill('SIGKILL');
        stop = true;
        await new Promise((r) => child.once('exit', r));
        await writer;

        const raw = new Database(sqlitePath(t.dataDir), { readonly: true });
        const have = new Set((raw.prepare('SELECT id FROM incidents').all() as { id: string }[]).map((r) => r.id));
        const entries = raw.prepare('SELECT count(*) AS n, max(idx) AS hi FROM log_entries').get() as { n: number; hi: number };
        const logged = raw.prepare("SELECT count(*) AS n FROM log_entries WHERE kind = 'incident'").get() as { n: number };
        raw.close();
        expect(acked.filter((id) => !have.has(id)), `cycle ${cycle}: acknowledged writes lost`).toEqual([]);
        expect(entries.n).toBe(entries.hi + 1);
        expect(logged.n).toBe(have.size);
        const app = await openApp({ dataDir: t.dataDir, places: false });
        try {
          const audit = await auditLog(storeLogSource(app), { crypto: nodeCrypto, logKey, state: served });
          expect(audit, `cycle ${cycle}`).toMatchObject({ ok: true });
        } finally {
          await app.close();
        }
      }
      expect(acked.length).toBeGreaterThan(CYCLES);
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
