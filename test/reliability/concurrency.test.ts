import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeLogSource } from '../../src/cli/verify.js';
import { auditLog } from '../../src/ledger/audit.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { makeTestApp } from '../support/app.js';
import { postgresAvailable, REPO_ROOT } from '../support/env.js';

const WRITER = join(REPO_ROOT, 'dist', 'test', 'reliability', 'writer.js');
const PROCESSES = 8;
const WRITES = 500;

function run(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, ...args]);
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`writer exited ${code}: ${out}`))));
  });
}

describe.runIf(await postgresAvailable())('log sequencing under concurrent writers (PostgreSQL)', () => {
  it(`${PROCESSES} processes × ${WRITES} concurrent writes: no gap, no duplicate, the log verifies`, async () => {
    expect(existsSync(WRITER), 'run `npm test` (it compiles the writer) or `npx tsc -p tsconfig.json` first').toBe(true);
    const t = await makeTestApp('postgres', { scenario: false });
    try {
      const before = await t.app.log.size();
      await Promise.all(Array.from({ length: PROCESSES }, (_, i) => run([t.dataDir, t.databaseUrl!, `w${i}`, String(WRITES)])));
      const size = await t.app.log.size();
      expect(size).toBe(before + PROCESSES * WRITES);
      const stats = await t.app.store.db.selectFrom('log_entries').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('idx').as('lo'), eb.fn.max('idx').as('hi')]).executeTakeFirstOrThrow();
      expect(Number(stats.n)).toBe(size);
      expect(Number(stats.lo)).toBe(0);
      expect(Number(stats.hi)).toBe(size - 1);
      const perWriter = await t.app.store.db.selectFrom('log_entries').select(['kind']).where('kind', '=', 'test.concurrent').execute();
      expect(perWriter).toHaveLength(PROCESSES * WRITES);
      await t.app.log.signCheckpoint();
      const audit = await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey });
      expect(audit).toMatchObject({ ok: true, size });
    } finally {
      await t.close();
    }
  }, 300_000);
});
