import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildCli } from '../../src/cli/main.js';
import type { TestApp } from '../support/app.js';
import { makeTestApp } from '../support/app.js';
import { REPO_ROOT } from '../support/env.js';

const FILE = join(REPO_ROOT, 'test', 'fixtures', 'warning', 'ucdp_ged_pakistan_hdx_v22_1989-2021.csv');

/** Runs `mizan …` in-process and returns what it printed. */
async function mizan(...args: string[]): Promise<string> {
  let printed = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += chunk.toString();
    return true;
  });
  try {
    await buildCli().exitOverride().parseAsync(['node', 'mizan', ...args]);
  } finally {
    spy.mockRestore();
  }
  return printed;
}

describe('mizan warning', () => {
  let t: TestApp;
  const env = process.env.DATABASE_URL;
  beforeAll(async () => {
    delete process.env.DATABASE_URL;
    t = await makeTestApp('sqlite', { places: false });
  });
  afterAll(async () => {
    await t.close();
    if (env !== undefined) process.env.DATABASE_URL = env;
  });

  it('chains --json lists the October 2025 chain', async () => {
    const chains = JSON.parse(await mizan('warning', 'chains', '--data', t.dataDir, '--as-of', '2025-10-16', '--json')) as { length: number; events: string[] }[];
    expect(chains[0]!.length).toBeGreaterThanOrEqual(3);
    expect(chains[0]!.events).toContain('INC-20251011-BORDER-POSTS');
  });

  it('indicators and alerts print a table', async () => {
    expect(await mizan('warning', 'indicators', '--data', t.dataDir, '--as-of', '2025-10-16')).toContain('dyad');
    expect(await mizan('warning', 'alerts', '--data', t.dataDir, '--as-of', '2025-10-16')).toContain('Retaliation chain');
    expect(await mizan('warning', 'cap', '--data', t.dataDir, '--as-of', '2025-10-16')).toContain('<feed');
  });

  it('run stores and logs the new alerts once', async () => {
    const first = JSON.parse(await mizan('warn', 'run', '--data', t.dataDir, '--as-of', '2025-10-16', '--json')) as { computed: number; stored: string[]; deliveries: unknown[] };
    expect(first.stored).toContain('chain-PAK-AFG-INC-20251009-PAKTIKA-3');
    expect(first.stored).toHaveLength(first.computed);
    expect(first.deliveries).toEqual([]);
    expect(await mizan('warning', 'run', '--data', t.dataDir, '--as-of', '2025-10-16')).toContain('0 new');
  });

  it('backtest FILE --json reports the Hawkes model against both baselines, and the logistic model', async () => {
    // A bounded subset (8 weekly origins, one fit at a fixed decay) so the suite stays fast; the
    // full run, with the decay searched at every refit, is in docs/warning.md.
    const r = JSON.parse(await mizan('warn', 'backtest', FILE, '--from', '2019-01-07', '--to', '2019-03-04', '--samples', '100', '--decay-days', '12', '--json')) as {
      windows: number;
      model: { mean_loglik: number; coverage_90: number; refits: number; decay_days: { last: number } };
      baselines: { poisson_constant: { mean_loglik: number }; poisson_ma28: { mean_loglik: number } };
      verdict: string;
      logistic: { scores: { name: string; brier: number }[]; verdict: string };
    };
    expect(r.windows).toBe(8);
    expect(r.model.refits).toBe(1);
    expect(r.model.decay_days.last).toBeCloseTo(12, 10);
    for (const x of [r.model.mean_loglik, r.baselines.poisson_constant.mean_loglik, r.baselines.poisson_ma28.mean_loglik]) expect(Number.isFinite(x)).toBe(true);
    expect(r.model.coverage_90).toBeGreaterThanOrEqual(0);
    expect(r.model.coverage_90).toBeLessThanOrEqual(1);
    const best = Math.max(r.baselines.poisson_constant.mean_loglik, r.baselines.poisson_ma28.mean_loglik);
    expect(r.verdict.includes('NOT')).toBe(r.model.mean_loglik <= best);
    expect(r.logistic.scores.map((s) => s.name).join('\n')).toContain('same as last week');
    expect(r.logistic.scores.every((s) => Number.isFinite(s.brier))).toBe(true);
    expect(r.logistic.verdict.length).toBeGreaterThan(0);
  });
});
