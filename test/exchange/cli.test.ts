import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { progressView, registerExchangeCommands } from '../../src/cli/exchange.js';
import { SYSTEM } from '../../src/domain/principal.js';
import type { TestApp } from '../support/app.js';
import { makeTestApp } from '../support/app.js';
import { acledCsv, acledRow, UCDP_PAKISTAN } from '../intake/support.js';

async function run(...args: string[]): Promise<{ out: string; err: string }> {
  const program = new Command('mizan').exitOverride();
  registerExchangeCommands(program);
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    await program.parseAsync(args, { from: 'user' });
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { out, err };
}

describe('mizan import / export', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    dir = mkdtempSync(join(tmpdir(), 'mizan-cli-exchange-'));
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports the UCDP Pakistan file and prints the summary', async () => {
    const { out, err } = await run('import', 'ucdp', UCDP_PAKISTAN, '--data', t.dataDir);
    expect(out).toContain('6416 rows read: 6416 imported, 0 updated, 0 unchanged, 0 rejected.');
    expect(out).toContain('fatalities_order 200');
    expect(out).toContain("HDX's HXL hashtag row (line 2) recognised and skipped.");
    expect(err).not.toContain('rejected rows written');
    expect(await t.app.get(SYSTEM, 'incidents', 'ucdp:59553')).toMatchObject({ id: 'ucdp:59553' });
  });

  it('--skip-invalid imports the good rows and writes the bad ones, with line and reason, to the rejects CSV', async () => {
    const file = join(dir, 'acled.csv');
    writeFileSync(file, acledCsv([acledRow({ event_id_cnty: 'CLI1' }), acledRow({ event_id_cnty: 'CLI2', latitude: 'north' }), acledRow({ event_id_cnty: 'CLI3', event_type: 'Parade' })]));
    const rejects = join(dir, 'rejects.csv');
    const { out, err } = await run('import', 'acled', file, '--skip-invalid', '--rejects', rejects, '--data', t.dataDir);
    expect(out).toContain('3 rows read: 1 imported');
    expect(out).toContain('Rejected by reason: invalid_coordinates 1, unknown_event_type 1.');
    expect(err).toContain(`2 rejected rows written to ${rejects}`);
    const rows = parse<Record<string, string>>(readFileSync(rejects, 'utf8'), { columns: true });
    expect(rows.map((r) => [r.line, r.reason, r.field, r.event_id_cnty])).toEqual([
      ['3', 'invalid_coordinates', 'latitude', 'CLI2'],
      ['4', 'unknown_event_type', 'event_type', 'CLI3'],
    ]);
  });

  it('without --skip-invalid a bad row fails the whole import', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, acledCsv([acledRow({ event_id_cnty: 'CLI4' }), acledRow({ event_id_cnty: 'CLI5', fatalities: 'lots' })]));
    await expect(run('import', 'acled', file, '--data', t.dataDir)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: ['line', 3, 'fatalities'], code: 'invalid_number' }] });
    await expect(t.app.get(SYSTEM, 'incidents', 'acled:CLI4')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('exports GeoJSON with filters to a file, public records only by default', async () => {
    const file = join(dir, 'out.geojson');
    const { err } = await run('export', '--format', 'geojson', '--country', 'PAK', '--from', '2021-01-01', '--out', file, '--data', t.dataDir);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features.length).toBeGreaterThan(0);
    expect(doc.features.every((f: { properties: { country: string; occurred_to: string } }) => f.properties.country === 'PAK' && f.properties.occurred_to > '2021-01-01')).toBe(true);
    expect(err).toContain(`Exported ${doc.features.length} incidents to ${file}.`);
    const all = await run('export', '--format', 'csv', '--data', t.dataDir);
    expect(all.out).not.toContain('INC-202510-TTP-CAMPS');
    expect((await run('export', '--format', 'csv', '--scope', 'all', '--data', t.dataDir)).out).toContain('INC-202510-TTP-CAMPS');
  });

  it('shows plain progress lines when stderr is not a terminal', () => {
    let written = '';
    const fake = { isTTY: false, write: (s: string) => ((written += s), true) } as unknown as NodeJS.WriteStream;
    const view = progressView(1000, fake, 0);
    view.update({ rows: 50, imported: 50, updated: 0, unchanged: 0, rejected: 0 }, 500);
    view.stop();
    expect(written).toMatch(/^importing: 50 rows, 50\.0%, \d+ rows\/s, ETA \d+s\n$/);
  });
});
