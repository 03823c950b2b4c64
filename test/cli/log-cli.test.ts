import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeEntry, formatVerifierKey, keyReference, noteVerifier, parseSignerKey, verifyEntrySignatures } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { sqlitePath } from '../../src/store/data-dir.js';
import { freshPostgresDatabase, postgresAvailable, REPO_ROOT } from '../support/env.js';

/**
 * The log's command-line tools end to end, through the compiled CLI (bin/mizan.js → dist/):
 * verify catching a tampered store, and a party's key from generation to a signed log entry.
 */
const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');
const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mizan-logcli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function mizan(args: string[]) {
  return spawnSync(process.execPath, [MIZAN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
}

const VKEY = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/;

describe('mizan verify on a tampered SQLite store', () => {
  it('passes on the untouched store, then exits non-zero naming the entry whose byte was changed', () => {
    const data = join(tmp(), 'data');
    const init = mizan(['init', '--data', data]);
    expect(init.status, init.stderr).toBe(0);
    // Enough entries for a full entry bundle (256) and a partial one after it.
    const more = join(data, '..', 'actors.json');
    writeFileSync(more, JSON.stringify({ actors: Array.from({ length: 250 }, (_, i) => ({ id: `ACT-CLI-${i}`, names: [`Group ${i}`], controlled_by: null })) }));
    expect(mizan(['load', more, '--data', data]).status).toBe(0);
    const ok = mizan(['verify', '--data', data]);
    expect(ok.status, ok.stderr).toBe(0);
    const size = Number(/— (\d+) entries/.exec(ok.stdout)?.[1]);
    expect(size, ok.stdout).toBeGreaterThan(256);

    // One entry in the first (full) entry bundle, one in the last (partial) one.
    for (const index of [37, size - 2]) {
      const db = new Database(sqlitePath(data));
      const original = (db.prepare('SELECT entry FROM log_entries WHERE idx = ?').get(index) as { entry: Buffer }).entry;
      // Someone with write access to the database changes one digit of the entry's time: still
      // valid, canonical JSON of the same length, so only the hashes can tell.
      const tampered = Buffer.from(original);
      const at = tampered.indexOf('"at":"') + '"at":"'.length + 3;
      const digit = tampered[at]!;
      expect(digit).toBeGreaterThanOrEqual(0x30);
      expect(digit).toBeLessThanOrEqual(0x39);
      tampered[at] = digit === 0x39 ? 0x30 : digit + 1;
      expect(tampered.length).toBe(original.length);
      expect([...tampered].filter((b, i) => b !== original[i])).toHaveLength(1);
      db.prepare('UPDATE log_entries SET entry = ? WHERE idx = ?').run(tampered, index);
      db.close();

      const bad = mizan(['verify', '--data', data]);
      expect(bad.status, `entry ${index}: ${bad.stdout}`).not.toBe(0);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain(`verification FAILED at entry ${index}: ENTRY_MISMATCH`);

      const restore = new Database(sqlitePath(data));
      restore.prepare('UPDATE log_entries SET entry = ? WHERE idx = ?').run(original, index);
      restore.close();
      expect(mizan(['verify', '--data', data]).status).toBe(0);
    }
  });
});

const incident = (id: string) => ({
  id,
  occurred: { local: '2025-10-23T04:00', zone: 'Asia/Karachi', precision: 'exact' },
  location: { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram' },
  event_type: 'Battles',
  sub_event_type: 'Armed clash',
});

describe.each(stores)('a party key from the command line to the log, on %s', (kind) => {
  it('keys generate → party add-key → submit: the record enters the log signed by the party; log key checks the log', async () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const pg = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
    const store = pg ? ['--database-url', pg.url] : [];
    let server: ReturnType<typeof spawn> | undefined;
    try {
      const init = mizan(['init', '--data', data, ...store]);
      expect(init.status, init.stderr).toBe(0);
      const logKey = /Log key: (\S+)/.exec(init.stdout)?.[1];
      const printedKey = mizan(['log', 'key', '--data', data, ...store]);
      expect(printedKey.status, printedKey.stderr).toBe(0);
      expect(printedKey.stdout).toBe(`${logKey}\n`);
      expect(logKey).toMatch(VKEY);

      // keys generate: a 0600 private key file, and its verifier key on stdout.
      const keyFile = join(dir, 'pak.key');
      const gen = mizan(['keys', 'generate', '--name', 'pak.mofa', '--out', keyFile]);
      expect(gen.status, gen.stderr).toBe(0);
      const vkey = gen.stdout.trim();
      expect(vkey).toMatch(VKEY);
      expect(vkey.startsWith('pak.mofa+')).toBe(true);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const secret = readFileSync(keyFile, 'utf8');
      // The verifier key's base64 may itself hold '+', so the key is everything after name and hash.
      expect(secret).not.toContain(vkey.split('+').slice(2).join('+'));
      const signer = parseSignerKey(nodeCrypto, secret.trim());
      expect(formatVerifierKey(nodeCrypto, signer.name, signer.publicKey)).toBe(vkey);
      const again = mizan(['keys', 'generate', '--name', 'pak.mofa', '--out', keyFile]);
      expect(again.status).not.toBe(0);
      expect(again.stderr).toContain('refusing to overwrite');
      expect(readFileSync(keyFile, 'utf8')).toBe(secret);

      const added = mizan(['party', 'add-key', '--party', 'PAK', '--vkey', vkey, '--data', data, ...store]);
      expect(added.status, added.stderr).toBe(0);
      expect(added.stdout).toMatch(new RegExp(`^Registered signing key ${keyReference(signer).replace(/[.+]/g, '\\$&')} for PAK \\(log entry \\d+\\)\\.\\n$`));

      // A key that was generated but never registered, to show registration is what counts.
      const strayFile = join(dir, 'stray.key');
      expect(mizan(['keys', 'generate', '--name', 'pak.stray', '--out', strayFile]).status).toBe(0);

      expect(mizan(['user', 'add', '--name', 'pak-cli', '--role', 'delegate', '--party', 'PAK', '--data', data, ...store]).status).toBe(0);
      const tok = mizan(['token', 'create', '--user', 'pak-cli', '--data', data, ...store]);
      expect(tok.status, tok.stderr).toBe(0);
      const token = tok.stdout.trim().split('\n').at(-1)!;
      expect(token).toMatch(/^mzt_/);

      server = spawn(process.execPath, [MIZAN, 'serve', '--data', data, '--port', '0', ...store], { env: { ...process.env, DATABASE_URL: '' } });
      let out = '';
      server.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      server.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      const deadline = Date.now() + 60_000;
      while (!out.includes('Press Ctrl+C') && Date.now() < deadline && server.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const base = `http://127.0.0.1:${/Mizan is serving http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]}`;
      expect(out).toContain(`Log key:    ${logKey}`);

      const file = join(dir, 'incident.json');
      writeFileSync(file, JSON.stringify({ kind: 'incident', body: incident('INC-CLI-SIGNED') }));
      // spawn, not spawnSync: the server runs in its own process, but keep this one responsive anyway.
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const c = spawn(process.execPath, [MIZAN, ...args], { env: { ...process.env, DATABASE_URL: '' } });
          let stdout = '';
          let stderr = '';
          c.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
          c.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
          c.once('exit', (status) => resolve({ status, stdout, stderr }));
        });

      const stray = await run(['submit', file, '--key', strayFile, '--party', 'PAK', '--url', base, '--token', token]);
      expect(stray.status).not.toBe(0);
      expect(stray.stderr).toMatch(/refused the submission \(HTTP 4\d\d\).*BAD_SIGNATURE.*pak\.stray\+[0-9a-f]{8} is not a registered/);
      expect((await fetch(`${base}/api/v1/incidents/INC-CLI-SIGNED`)).status).toBe(404);

      const sub = await run(['submit', file, '--key', keyFile, '--party', 'PAK', '--url', base, '--token', token]);
      expect(sub.status, sub.stderr).toBe(0);
      const m = /^Accepted incident INC-CLI-SIGNED as log entry (\d+), signed by (\S+)\.$/m.exec(sub.stdout);
      expect(m, sub.stdout).not.toBeNull();
      const index = Number(m![1]);
      expect(m![2]).toBe(keyReference(signer));

      // The entry in the public log is the party's statement under the party's own signature.
      const bytes = new Uint8Array(await (await fetch(`${base}/log/entry/${index}`)).arrayBuffer());
      const entry = decodeEntry(bytes);
      expect(entry.statement.author).toEqual({ party: 'PAK', key: keyReference(signer) });
      expect(entry.statement.kind).toBe('incident');
      expect((entry.statement.body as { id: string }).id).toBe('INC-CLI-SIGNED');
      expect(entry.signatures.map((s) => s.key)).toEqual([keyReference(signer)]);
      const v = noteVerifier(nodeCrypto, vkey);
      expect(verifyEntrySignatures(entry, (k) => (k === keyReference(signer) ? v : undefined))).toEqual([keyReference(signer)]);
      const rec = (await (await fetch(`${base}/api/v1/incidents/INC-CLI-SIGNED`)).json()) as { log_index: number };
      expect(rec.log_index).toBe(index);

      // The key `log key` printed is the one that checks the served log; another key does not.
      // The server signs a checkpoint about a second after a write; wait for one that covers the entry.
      const until = Date.now() + 20_000;
      while (Number((await (await fetch(`${base}/log/checkpoint`)).text()).split('\n')[1]) <= index && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      const verified = await run(['verify', '--url', base, '--key', logKey!]);
      expect(verified.status, verified.stderr).toBe(0);
      expect(verified.stdout).toMatch(new RegExp(`OK: log \\S+ verified — ${index + 1} entries`));
      const wrongKey = await run(['verify', '--url', base, '--key', vkey]);
      expect(wrongKey.status).not.toBe(0);
      expect(wrongKey.stderr).toContain('verification FAILED');
    } finally {
      if (server && server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server!.once('exit', r));
      }
      await pg?.drop();
    }
  });
});
