import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, postgresAvailable, REPO_ROOT } from '../support/env.js';

const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mizan-cli-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function mizan(args: string[]) {
  return spawnSync(process.execPath, [MIZAN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
}

describe('mizan CLI (compiled)', () => {
  it('start on an empty data dir: loads the scenario, prints working demo accounts, serves the API', async () => {
    const data = join(tmp(), 'data');
    const child = spawn(process.execPath, [MIZAN, 'start', '--data', data, '--port', '0'], { env: { ...process.env, DATABASE_URL: '' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!out.includes('Press Ctrl+C') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const port = /Mizan is serving http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
      expect(Number(port), out).toBeGreaterThan(0);
      expect(out).toMatch(/Log key: +\S+\+[0-9a-f]{8}\+\S+/);
      const incidents = (await (await fetch(`http://127.0.0.1:${port}/api/v1/incidents`)).json()) as { total: number; items: { id: string }[] };
      expect(incidents.total).toBeGreaterThanOrEqual(8);
      expect(incidents.items.map((i) => i.id)).toContain('INC-20251009-KABUL');
      const m = /delegate +delegate-pak +(\S+)/.exec(out);
      expect(m).not.toBeNull();
      const login = await fetch(`http://127.0.0.1:${port}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'delegate-pak', password: m![1] }) });
      expect(login.status).toBe(200);
      expect(login.headers.get('set-cookie')).toMatch(/mizan_session=.*HttpOnly; SameSite=Strict/);
      expect(((await login.json()) as { user: { party: string } }).user.party).toBe('PAK');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // A second start reuses the directory: no second scenario, no new passwords.
    expect(existsSync(join(data, 'mizan.sqlite'))).toBe(true);
  });

  it('init refuses a non-empty directory with DATA_DIR_NOT_EMPTY', () => {
    const data = tmp();
    writeFileSync(join(data, 'something'), 'x');
    const r = mizan(['init', '--data', data, '--scenario', 'empty']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('DATA_DIR_NOT_EMPTY');
  });

  it('init rejects a bad scenario naming the path, and writes nothing', () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const file = join(dir, 'bad.json');
    const doc = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'scenarios', 'af-pk-2025.json'), 'utf8'));
    doc.incidents[3].locaton = doc.incidents[3].location;
    writeFileSync(file, JSON.stringify(doc));
    const r = mizan(['init', '--data', data, '--scenario', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('incidents[3].locaton: unknown field');
    expect(existsSync(data)).toBe(false);
  });

  it('init accepts a scenario file, load appends one, verify passes, a dangling load changes nothing', () => {
    const dir = tmp();
    const data = join(dir, 'data');
    const first = join(dir, 'first.json');
    writeFileSync(first, JSON.stringify({ parties: [{ id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' }] }));
    expect(mizan(['init', '--data', data, '--scenario', first]).status).toBe(0);
    const second = join(dir, 'second.json');
    writeFileSync(second, JSON.stringify({ actors: [{ id: 'TTP', names: ['TTP'], controlled_by: null }], designations: [{ actor: 'TTP', by: 'PAK', position: 'terrorist', collective_action: 'support' }] }));
    const loaded = mizan(['load', second, '--data', data]);
    expect(loaded.stdout).toContain('1 actors, 1 designations');
    const dangling = join(dir, 'dangling.json');
    writeFileSync(dangling, JSON.stringify({ designations: [{ actor: 'BLA', by: 'PAK', position: 'terrorist', collective_action: 'support' }] }));
    const bad = mizan(['load', dangling, '--data', data]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('designations[0].actor: no actor with id "BLA"');
    const verified = mizan(['verify', '--data', data]);
    expect(verified.stdout).toMatch(/OK: .* 4 entries/);
  });

  it('backs up a data directory and restores it into an empty one with a verified log', () => {
    const dir = tmp();
    const data = join(dir, 'data');
    expect(mizan(['init', '--data', data]).status).toBe(0);
    const file = join(dir, 'backup.mizan');
    const b = mizan(['backup', '--data', data, '--to', file]);
    expect(b.status, b.stderr).toBe(0);
    expect(mizan(['backup', '--data', data, '--to', file]).stderr).toContain('refusing to overwrite');
    const restored = join(dir, 'restored');
    const r = mizan(['restore', file, '--data', restored]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/OK: log .* verified/);
    expect(mizan(['log', 'key', '--data', restored]).stdout).toBe(mizan(['log', 'key', '--data', data]).stdout);
    expect(mizan(['restore', file, '--data', restored]).stderr).toContain('DATA_DIR_NOT_EMPTY');
  });

  it('backs up a PostgreSQL store with pg_dump and restores it into an empty database', async () => {
    if (!(await postgresAvailable())) return;
    const source = await freshPostgresDatabase();
    const target = await freshPostgresDatabase();
    try {
      const dir = tmp();
      const data = join(dir, 'data');
      const pgEnv = (url: string) => ({ ...process.env, DATABASE_URL: url });
      const run = (args: string[], url: string) => spawnSync(process.execPath, [MIZAN, ...args], { encoding: 'utf8', env: pgEnv(url) });
      // init loads the built-in scenario, so the dump carries a few hundred log entries.
      expect(run(['init', '--data', data], source.url).status).toBe(0);
      const file = join(dir, 'pg.mizan');
      const b = run(['backup', '--data', data, '--to', file], source.url);
      expect(b.status, b.stderr).toBe(0);
      expect(b.stdout).toContain('PostgreSQL');
      const restored = join(dir, 'restored');
      // A PostgreSQL backup needs a database to go into.
      expect(mizan(['restore', file, '--data', restored]).stderr).toContain('set DATABASE_URL');
      const r = run(['restore', file, '--data', restored], target.url);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/OK: log .* verified/);
      const checkpoint = (url: string, d: string) => run(['log', 'checkpoint', '--data', d], url).stdout;
      expect(checkpoint(target.url, restored)).toMatch(/^test|\n\d+\n/);
      expect(checkpoint(target.url, restored)).toBe(checkpoint(source.url, data));
      // The target is no longer empty: a second restore is refused before anything is written.
      const again = run(['restore', file, '--data', join(dir, 'again')], target.url);
      expect(again.stderr).toContain('not empty');
    } finally {
      await source.drop();
      await target.drop();
    }
  });

  it('prints the scenario JSON Schema, and help for every command and subcommand', async () => {
    const schema = JSON.parse(mizan(['schema', 'scenario']).stdout);
    expect(schema.properties.incidents.type).toBe('array');
    // The compiled binary answers --help (one process is enough to show the path works)...
    const r = mizan(['serve', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: mizan serve');
    expect(r.stdout).toContain('MIZAN_EVIDENCE_QUOTA_MIB');
    // ...and every command of the tree has a description and a usage line, read in this process
    // rather than by starting Node forty times.
    const { buildCli } = await import('../../src/cli/main.js');
    type Cmd = ReturnType<typeof buildCli>;
    const walk = (c: Cmd, path: string[]): [string, Cmd][] => c.commands.flatMap((sub) => [[[...path, sub.name()].join(' '), sub] as [string, Cmd], ...walk(sub, [...path, sub.name()])]);
    const all = walk(buildCli(), []);
    expect(all.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'serve', 'init', 'load', 'schema', 'verify', 'user', 'token', 'log', 'keys', 'party', 'witness', 'submit', 'backup', 'restore']));
    for (const [name, c] of all) {
      expect(c.description(), name).not.toBe('');
      expect(c.helpInformation(), name).toContain(`Usage: mizan ${name}`);
    }
  });
});
