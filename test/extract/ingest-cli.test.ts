// `mizan extract FILE --ingest` and `mizan link` against a data directory (in-process commander).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExtractCommands } from '../../src/cli/extract.js';
import { MizanError } from '../../src/domain/errors.js';
import { makeTestApp, type TestApp } from '../support/app.js';
import { REPO_ROOT } from '../support/env.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerExtractCommands(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'mizan', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'mizan-ingest-cli-'));
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp('sqlite');
  await t.app.close(); // the CLI opens the data directory itself
});
afterAll(async () => {
  await t.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const files = [
  ['afghan.md', '2025-10-22', '# Kabul\n\nPakistani jets bombed homes in **Barmal** district of Paktika on Friday evening, killing 10 civilians, Taliban officials said.\n'],
  ['pakistan.txt', '2025-10-19', 'ISPR said precision strikes hit TTP hideouts in Bermal early on October 18, killing more than 30 militants.\n'],
] as const;

describe('mizan extract --ingest, mizan link', () => {
  it('ingests two files as two sources whose reports land on the Barmal incident; a second ingest is refused', async () => {
    const sources: string[] = [];
    for (const [name, published, text] of files) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const out = JSON.parse(await run(['extract', file, '--published', published, '--ingest', '--source-title', name, '--json', '--data', t.dataDir])) as { source: string; reports: { claims: unknown[] }[]; links: { incident: string; decision: string }[] };
      expect(out.links).toEqual([expect.objectContaining({ incident: 'INC-20251017-BARMAL', decision: 'linked' })]);
      expect(out.reports[0]!.claims).toHaveLength(1);
      sources.push(out.source);
    }
    expect(new Set(sources).size).toBe(2);
    const again = await run(['extract', join(dir, files[0][0]), '--published', files[0][1], '--ingest', '--source-title', files[0][0], '--data', t.dataDir]).catch((e: unknown) => e);
    expect((again as MizanError).code).toBe('DUPLICATE_ID');
    // nothing left to link
    expect(JSON.parse(await run(['link', '--json', '--data', t.dataDir]))).toEqual([]);
  });

  it('--ingest without --source-title is refused before anything is opened', async () => {
    const e = await run(['extract', join(dir, files[0][0]), '--published', '2025-10-22', '--ingest', '--data', join(dir, 'nowhere')]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MizanError);
    expect((e as MizanError).message).toMatch(/--source-title/);
  });
});

// The compiled entry point (needs `npx tsc -p tsconfig.json` first, like test/cli): exit codes and stderr.
describe('bin/mizan.js extract --ingest and link', () => {
  const mizan = (args: string[]) => spawnSync(process.execPath, [join(REPO_ROOT, 'bin', 'mizan.js'), ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });

  it('prints help, ingests, refuses the repeat on stderr with a non-zero exit, and links nothing twice', () => {
    for (const cmd of ['extract', 'link']) expect(mizan([cmd, '--help']).stdout).toContain(`Usage: mizan ${cmd}`);
    const data = join(dir, 'compiled-data');
    expect(mizan(['init', '--data', data]).status).toBe(0);
    const file = join(dir, 'compiled.txt');
    writeFileSync(file, 'An air strike hit houses in Bermal on 17 October, residents said; at least five people were killed.\n');
    const first = mizan(['extract', file, '--published', '2025-10-18', '--ingest', '--source-title', 'Radio', '--data', data]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/linked\s+INC-20251017-BARMAL/);
    const again = mizan(['extract', file, '--published', '2025-10-18', '--ingest', '--source-title', 'Radio', '--data', data]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('DUPLICATE_ID');
    const link = mizan(['link', '--json', '--dry-run', '--data', data]);
    expect(link.status, link.stderr).toBe(0);
    expect(JSON.parse(link.stdout)).toEqual([]);
  });
});
