#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (npm start and npm test build it).
// A closed pipe (mizan … | head) is a normal way for output to end, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
import('../dist/src/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`mizan: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
