import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreKind } from '../support/app.js';
import { freshPostgresDatabase, postgresAvailable, REPO_ROOT } from '../support/env.js';

const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');
const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

describe.each(kinds)('mizan allegation (compiled CLI) on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'mizan-cli-alleg-'));
  const data = join(dir, 'data');
  let databaseUrl = '';
  let drop: (() => Promise<void>) | undefined;

  function mizan(...args: string[]) {
    const r = spawnSync(process.execPath, [MIZAN, ...args, '--data', data], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  function ok(...args: string[]): string {
    const r = mizan(...args);
    expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r.stdout;
  }
  const json = <T = Record<string, unknown>>(...args: string[]): T => JSON.parse(ok(...args, '--json')) as T;

  beforeAll(async () => {
    if (kind === 'postgres') ({ url: databaseUrl, drop } = await freshPostgresDatabase());
    ok('init', '--scenario', 'builtin');
    ok('user', 'add', '--name', 'afg', '--role', 'delegate', '--party', 'AFG');
    ok('user', 'add', '--name', 'pak', '--role', 'delegate', '--party', 'PAK');
    ok('user', 'add', '--name', 'med', '--role', 'mediator', '--party', 'QAT');
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop?.();
  });

  it('runs file → reply → finding as the accounts that may do each step', () => {
    const photo = join(dir, 'crater.jpg');
    writeFileSync(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]));
    const digest = createHash('sha256').update(readFileSync(photo)).digest('hex');
    expect(ok('evidence', 'add', photo, '--as', 'afg').trim()).toBe(`sha256:${digest}`);
    expect(json('evidence', 'add', photo, '--as', 'pak')).toMatchObject({ sha256: digest, media_type: 'image/jpeg', filename: 'crater.jpg', party: 'AFG', created: false });
    const statement = join(dir, 'statement.txt');
    writeFileSync(statement, 'Witness: shells landed at 02:00.');

    const filed = json<{ id: string; by: string; against: string; state: string; evidence: string[]; log_index: number }>(
      'allegation', 'file', '--as', 'afg', '--id', 'ALG-CLI-1', '--agreement', 'AGR-DOHA-2025', '--against', 'PAK',
      '--incident', 'INC-202510-KURRAM', '--text', 'Shelling in Kurram after Doha.', '--evidence', `sha256:${digest}`, '--attach', statement,
    );
    // `by` defaults to the acting delegate's party; the attached file is uploaded and cited.
    expect(filed).toMatchObject({ id: 'ALG-CLI-1', by: 'AFG', against: 'PAK', state: 'awaiting_reply' });
    expect(filed.evidence).toEqual([`sha256:${digest}`, `sha256:${createHash('sha256').update(readFileSync(statement)).digest('hex')}`]);

    // The accuser cannot answer its own allegation; a delegate cannot decide it.
    const wrong = mizan('allegation', 'reply', 'ALG-CLI-1', '--as', 'afg', '--kind', 'deny', '--text', 'x');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('FORBIDDEN');

    const replyFile = join(dir, 'reply.json');
    writeFileSync(replyFile, JSON.stringify({ kind: 'partial', text: 'Return fire only, at militant positions.' }));
    const replied = json<{ state: string; reply: { kind: string; text: string } }>('allegation', 'reply', 'ALG-CLI-1', '--as', 'pak', '--input', replyFile);
    expect(replied.state).toBe('replied');
    expect(replied.reply).toMatchObject({ kind: 'partial', text: 'Return fire only, at militant positions.' });

    const delegateFinding = mizan('allegation', 'finding', 'ALG-CLI-1', '--as', 'pak', '--outcome', 'not_substantiated', '--reasoning', 'x');
    expect(delegateFinding.status).toBe(1);
    expect(delegateFinding.stderr).toContain('FORBIDDEN');
    expect(ok('allegation', 'finding', 'ALG-CLI-1', '--as', 'med', '--outcome', 'inconclusive', '--reasoning', 'Verifiers were refused access.')).toMatch(/^finding on ALG-CLI-1: inconclusive; log entry \d+/);

    const shown = json<{ state: string; finding: { outcome: string; by: string }; history: { event: string; by: string }[] }>('allegation', 'show', 'ALG-CLI-1');
    expect(shown).toMatchObject({ state: 'finding', finding: { outcome: 'inconclusive', by: 'QAT' } });
    expect(shown.history.map((h) => `${h.event}:${h.by}`)).toEqual(['filed:afg', 'reply:pak', 'finding:med']);
    expect(ok('allegation', 'show', 'ALG-CLI-1')).toContain('finding (');
    const listed = json<{ items: { id: string; state: string }[] }>('allegation', 'list', '--state', 'finding');
    expect(listed.items.map((a) => a.id)).toEqual(['ALG-CLI-1']);
    expect(ok('allegation', 'list')).toMatch(/ALG-CLI-1\tfinding\tAFG → PAK\tAGR-DOHA-2025/);

    // Every step is in the log, and the log still verifies.
    expect(mizan('verify').status).toBe(0);

    // A one-file backup (SQLite) carries the evidence files, and a restore checks them against their digests.
    if (kind === 'postgres') return;
    const backup = join(dir, 'backup.mizan');
    ok('backup', '--to', backup);
    const restored = join(dir, 'restored');
    const r = spawnSync(process.execPath, [MIZAN, 'restore', backup, '--data', restored], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(restored, 'evidence', digest)).equals(readFileSync(photo))).toBe(true);
  }, 120_000);

  it('explains bad input and unknown accounts with a code and a non-zero exit', () => {
    const missing = mizan('allegation', 'file', '--as', 'afg', '--id', 'ALG-CLI-2', '--agreement', 'AGR-DOHA-2025', '--against', 'PAK', '--incident', 'INC-202510-KURRAM');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('VALIDATION_FAILED');
    expect(missing.stderr).toMatch(/text: is required/);
    const notUploaded = mizan('allegation', 'file', '--as', 'afg', '--id', 'ALG-CLI-2', '--agreement', 'AGR-DOHA-2025', '--against', 'PAK', '--incident', 'INC-202510-KURRAM', '--text', 't', '--evidence', `sha256:${'0'.repeat(64)}`);
    expect(notUploaded.status).toBe(1);
    expect(notUploaded.stderr).toMatch(/evidence\[0\]: no evidence file sha256:0{64}/);
    const nobody = mizan('allegation', 'list', '--as', 'nobody');
    expect(nobody.status).toBe(1);
    expect(nobody.stderr).toContain('no account named "nobody"');
    expect(mizan('allegation', 'list', '--state', 'bogus').status).not.toBe(0);
    expect(mizan('allegation', 'reply', 'ALG-CLI-1', '--as', 'pak', '--input', join(dir, 'absent.json')).stderr).toMatch(/cannot read .*absent\.json: ENOENT/);
    expect(ok('allegation', '--help')).toMatch(/list[\s\S]*show[\s\S]*file[\s\S]*reply[\s\S]*finding/);
  }, 120_000);

  it('sets, shows (without the secret) and clears a party webhook', () => {
    const set = json<{ party: string; url: string; secret: string }>('party', 'webhook', 'set', 'PAK', '--as', 'pak', '--url', 'https://hooks.pak.example/mizan');
    expect(set).toMatchObject({ party: 'PAK', url: 'https://hooks.pak.example/mizan' });
    expect(set.secret).toMatch(/^[0-9a-f]{64}$/);
    const shown = ok('party', 'webhook', 'show', 'PAK', '--json');
    expect(JSON.parse(shown)).toMatchObject({ party: 'PAK', url: 'https://hooks.pak.example/mizan', set_by: 'pak' });
    expect(shown).not.toContain(set.secret);
    expect(mizan('party', 'webhook', 'set', 'PAK', '--as', 'afg', '--url', 'https://x.example/').stderr).toContain('FORBIDDEN');
    expect(ok('party', 'webhook', 'clear', 'PAK')).toContain('removed the webhook of PAK');
  }, 120_000);
});
