import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/env.js';

const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');

describe('mizan token (compiled CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mizan-cli-tokens-'));
  const data = join(dir, 'data');
  const mizan = (...args: string[]) => spawnSync(process.execPath, [MIZAN, ...args, '--data', data], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates, lists and revokes a token; revoking again keeps the first time; an unknown id exits non-zero', () => {
    expect(mizan('init', '--scenario', 'empty').status).toBe(0);
    expect(mizan('user', 'add', '--name', 'ops', '--role', 'analyst').status).toBe(0);
    const created = mizan('token', 'create', '--user', 'ops', '--label', 'nightly export');
    expect(created.status, created.stderr).toBe(0);
    const id = /^Token (t_[0-9a-f]{12}) for ops/.exec(created.stdout)?.[1];
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(id).toBeDefined();

    const listed = mizan('token', 'list', '--user', 'ops');
    expect(listed.stdout).toMatch(new RegExp(`^${id}  created \\S+  active  nightly export\\n$`));
    expect(listed.stdout).not.toContain(token);

    const revoked = mizan('token', 'revoke', id!);
    const at = /revoked at (\S+)\.$/m.exec(revoked.stdout)?.[1];
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(mizan('token', 'revoke', id!).stdout).toBe(`Token ${id} revoked at ${at}.\n`);
    expect(mizan('token', 'list', '--user', 'ops').stdout).toContain(`revoked ${at}`);

    const unknown = mizan('token', 'revoke', 't_000000000000');
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('NOT_FOUND: no token t_000000000000');
  });
});
