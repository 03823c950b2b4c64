import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one, which is a single worker on the 2-core CI
    // machine. Many files wait on child processes, PostgreSQL or Chromium, so two keep both cores busy.
    maxWorkers: 2,
  },
});
