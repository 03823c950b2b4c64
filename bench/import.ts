// Entry of the import benchmark. `npm run bench` calls runImportBench from bench/run.ts; run it
// alone with `node dist/bench/import.js` after `npm run build:server`. BENCH_ROWS sets the row
// count (default 1,000,000), BENCH_SEED the generator's seed, BENCH_KEEP=1 keeps the temp directory.
import { fileURLToPath } from 'node:url';
import { formatImportBench, runImportBench } from './import/bench.js';

export { formatImportBench, runImportBench } from './import/bench.js';
export type { ImportBenchOptions, ImportBenchResult } from './import/bench.js';

/** Rows from BENCH_ROWS (default 1,000,000). */
export function benchRows(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.BENCH_ROWS ?? 1_000_000);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ROWS must be a positive whole number, not ${JSON.stringify(env.BENCH_ROWS)}`);
  return n;
}

/** Run with the environment's settings and print the result. */
export async function main(): Promise<void> {
  const result = await runImportBench({
    rows: benchRows(),
    seed: process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) : 20251019,
    keep: process.env.BENCH_KEEP === '1',
  });
  process.stdout.write(formatImportBench(result) + '\n');
  if (process.env.BENCH_JSON) process.stdout.write(JSON.stringify({ ...result, summary: { ...result.summary, rejections: result.summary.rejections.slice(0, 5) } }, null, 2) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
