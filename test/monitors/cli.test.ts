import { statSync } from 'node:fs';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { monitorsKeyPath } from '../../src/app/monitors.js';
import { registerMonitorsCommands } from '../../src/cli/monitors.js';
import { makeTestApp } from '../support/app.js';

async function run(args: string[]): Promise<{ out: string; code: number | undefined }> {
  const program = new Command().exitOverride();
  registerMonitorsCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'mizan', ...args]);
  } finally {
    spy.mockRestore();
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = undefined;
  return { out, code };
}

describe('mizan sms parse', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints the report with gazetteer candidates', async () => {
    const { out, code } = await run(['sms', 'parse', 'راپور برمل ۱۷/۱۰ ۲۰:۳۰ AIR K۱۰ W۱۲ CIV', '--received', '2025-10-18T10:00:00Z', '--json']);
    expect(code).toBeUndefined();
    const r = JSON.parse(out);
    expect(r).toMatchObject({ ok: true, report: { what: 'AIR', killed: 10, occurred: { local: '2025-10-17T20:30', zone: 'Asia/Kabul', precision: 'exact' } } });
    expect(r.report.place.candidates[0]).toMatchObject({ name: 'Barmal', country: 'AFG' });
  });

  it('prints a coded error with its position and exits 1', async () => {
    const { out, code } = await run(['sms', 'parse', 'R Barmal 17/10 DRONE', '--zone', 'Asia/Karachi', '--json', '--no-places']);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject({ ok: false, error: { code: 'BAD_WHAT', position: 15 } });
  });
});

describe('mizan monitor add|list|revoke', () => {
  it('registers, lists with identity, revokes; the key file is created mode 0600', async () => {
    const t = await makeTestApp('sqlite', { scenario: false, places: false });
    await t.app.close();
    try {
      const add = await run(['monitor', 'add', '--id', 'MON-CLI', '--pseudonym', 'Elder', '--name', 'Real Name', '--phone', '+92 300 1234567', '--lang', 'ur', '--zone', 'Asia/Karachi', '--data', t.dataDir]);
      expect(add.out).toContain('registered monitor MON-CLI');
      expect(statSync(monitorsKeyPath(t.dataDir)).mode & 0o777).toBe(0o600);
      const list = await run(['monitor', 'list', '--json', '--data', t.dataDir]);
      expect(JSON.parse(list.out).items[0]).toMatchObject({ id: 'MON-CLI', identity: { name: 'Real Name', phone: '+92 300 1234567' }, status: 'active' });
      expect((await run(['monitor', 'revoke', 'MON-CLI', '--data', t.dataDir])).out).toContain('revoked');
      expect((await run(['sms', 'gateway-secret', '--data', t.dataDir])).out).toMatch(/^[0-9a-f]{64}\n$/);
    } finally {
      const { rmSync } = await import('node:fs');
      rmSync(t.dataDir, { recursive: true, force: true });
    }
  });
});
