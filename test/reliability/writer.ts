// Child process for the concurrency test: opens the shared data directory against PostgreSQL and
// makes `count` writes, `parallel` at a time, each its own transaction with one log entry.
import { openApp } from '../../src/cli/open.js';
import { SYSTEM } from '../../src/domain/principal.js';

const [dataDir, databaseUrl, who, countArg, parallelArg] = process.argv.slice(2);
const count = Number(countArg);
const parallel = Number(parallelArg ?? 8);
const app = await openApp({ dataDir: dataDir!, databaseUrl, places: false });
let next = 0;
async function worker(): Promise<void> {
  while (next < count) {
    const n = next++;
    await app.write(SYSTEM, (w) => void w.statement('test.concurrent', { writer: who, n }));
  }
}
await Promise.all(Array.from({ length: parallel }, worker));
await app.close();
process.stdout.write(`done ${who}\n`);
