import { benchRows, formatImportBench, runImportBench } from './import.js';
import { benchLoad, loadBenchOptions } from './load.js';
import { benchExtract } from './extract.js';
import { benchLog } from './log.js';
import { benchEvidence } from './evidence.js';
import { benchWarning } from './warning.js';

/** `npm run bench`: figures next to their reference runs on this machine. Not a test. */
async function main(): Promise<void> {
  process.stdout.write(`Mizan benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  const only = process.argv[2];
  if (!only || only === 'log') await benchLog();
  if (!only || only === 'import') {
    process.stdout.write(formatImportBench(await runImportBench({ rows: benchRows() })) + '\n');
  }
  if (!only || only === 'load') await benchLoad(loadBenchOptions(only ? process.argv.slice(3) : []));
  if (!only || only === 'evidence') await benchEvidence();
  if (!only || only === 'extract') await benchExtract();
  if (!only || only === 'warning') await benchWarning();
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
