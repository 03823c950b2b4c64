import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchRows } from '../../bench/import.js';
import { generateAcledCsv } from '../../bench/import/generate.js';
import { openSourceRows } from '../../src/intake/index.js';
import { GAZETTEER } from './support.js';

describe('the import benchmark’s generator', () => {
  it('writes the same file for the same seed, and a file the importer reads without rejections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mizan-gen-'));
    try {
      const a = join(dir, 'a.csv');
      const b = join(dir, 'b.csv');
      await generateAcledCsv(a, 3000, 42, GAZETTEER);
      await generateAcledCsv(b, 3000, 42, GAZETTEER);
      const hash = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
      expect(hash(a)).toBe(hash(b));
      let rows = 0;
      for await (const item of await openSourceRows(readFileSync(a, 'utf8'), 'acled')) {
        expect(item.kind).toBe('row');
        rows++;
      }
      expect(rows).toBe(3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes its row count from BENCH_ROWS', () => {
    expect(benchRows({})).toBe(1_000_000);
    expect(benchRows({ BENCH_ROWS: '20000' })).toBe(20_000);
    expect(() => benchRows({ BENCH_ROWS: 'lots' })).toThrow(/BENCH_ROWS/);
  });
});
