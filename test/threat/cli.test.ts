import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../src/cli/main.js';
import type { TestApp } from '../support/app.js';
import { makeTestApp } from '../support/app.js';
import { REPO_ROOT } from '../support/env.js';

/** Run `mizan …` in-process and return what it printed. */
async function mizan(...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  try {
    await buildCli().exitOverride().parseAsync(['node', 'mizan', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('mizan threat commands', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { places: false });
    // The CLI opens the data directory itself.
    await t.app.close();
  });
  afterAll(() => rmSync(t.dataDir, { recursive: true, force: true }));

  it('imports the reference file once and prints the matrix as JSON', async () => {
    const file = join(REPO_ROOT, 'data', 'reference', 'un-sanctions.json');
    const n = (JSON.parse(readFileSync(file, 'utf8')) as { references: unknown[] }).references.length;
    expect(await mizan('designations', 'import', file, '--data', t.dataDir)).toContain(`imported ${n} reference designations (0 already present)`);
    expect(await mizan('designations', 'import', file, '--data', t.dataDir)).toContain(`imported 0 reference designations (${n} already present)`);
    const m = JSON.parse(await mizan('threat-matrix', '--json', '--data', t.dataDir)) as { actors: { actor: string; status: string; references: { reference?: string }[]; positions: Record<string, unknown>; differences: unknown[]; names: unknown[] }[] };
    const ttp = m.actors.find((a) => a.actor === 'TTP')!;
    expect(ttp.status).toBe('contested');
    expect(Object.keys(ttp.positions).sort()).toEqual(['AFG', 'PAK']);
    expect(ttp.references.map((r) => r.reference)).toEqual(['QDe.132']);
    expect(m.actors.find((a) => a.actor === 'ISKP')!.status).toBe('agreed_collective_action');
  });

  it('imports CSV with a header row; a formula-looking cell is kept as text, an unknown actor refuses the whole file', async () => {
    const csv = join(t.dataDir, 'refs.csv');
    writeFileSync(csv, 'id,actor,authority,list,reference,listed_on,source,note\nTEST-BLA-1,BLA,Test authority,Test list,T-1,2025-08-11,test fixture,"=HYPERLINK(""x"")"\n');
    expect(await mizan('designations', 'import', csv, '--data', t.dataDir)).toContain('imported 1 reference designations');
    const m = JSON.parse(await mizan('threat-matrix', '--json', '--data', t.dataDir)) as { actors: { actor: string; references: { id: string; note?: string }[] }[] };
    expect(m.actors.find((a) => a.actor === 'BLA')!.references).toMatchObject([{ id: 'TEST-BLA-1', note: '=HYPERLINK("x")' }]);
    writeFileSync(csv, 'id,actor,authority,list,listed_on,source\nTEST-2,BLA,a,l,2025-01-01,s\nTEST-3,NOBODY,a,l,2025-01-01,s\n');
    await expect(mizan('designations', 'import', csv, '--data', t.dataDir)).rejects.toMatchObject({ code: 'DANGLING_REFERENCE' });
    const again = JSON.parse(await mizan('threat-matrix', '--json', '--data', t.dataDir)) as { actors: { actor: string; references: { id: string }[] }[] };
    expect(again.actors.find((a) => a.actor === 'BLA')!.references.map((r) => r.id)).toEqual(['TEST-BLA-1']);
  });

  it('exports a STIX bundle', async () => {
    const bundle = JSON.parse(await mizan('stix', 'export', '--data', t.dataDir)) as { type: string; objects: { type: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.filter((o) => o.type === 'opinion').length).toBeGreaterThan(9);
  });

  it('export --format stix writes the same bundle as stix export (one implementation), to stdout or --out', async () => {
    const viaExport = await mizan('export', '--format', 'stix', '--data', t.dataDir);
    expect(viaExport).toBe(await mizan('stix', 'export', '--data', t.dataDir));
    const bundle = JSON.parse(viaExport) as { type: string; id: string; objects: { type: string }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.objects.some((o) => o.type === 'intrusion-set')).toBe(true);
    const out = join(t.dataDir, 'bundle.stix.json');
    expect(await mizan('export', '--format', 'stix', '--out', out, '--data', t.dataDir)).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(bundle);
  });

  it('export --format stix refuses the incident filters and --scope all rather than ignoring them', async () => {
    await expect(mizan('export', '--format', 'stix', '--country', 'PAK', '--data', t.dataDir)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('--country') });
    await expect(mizan('export', '--format', 'stix', '--scope', 'all', '--data', t.dataDir)).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('--scope all') });
  });

  it('export --help names stix', () => {
    // Commander wraps help to the terminal width; compare with the whitespace folded.
    const help = buildCli().commands.find((c) => c.name() === 'export')!.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('or stix (STIX 2.1 bundle) (choices: "csv", "geojson", "hxl", "stix")');
    expect(help).toContain('with --format stix, one STIX 2.1 bundle of the public record');
  });
});
