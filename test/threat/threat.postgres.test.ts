import { describe, it } from 'vitest';
import { postgresAvailable } from '../support/env.js';
import { threatSuite } from './threat.suite.js';

// Its own file so that it runs in parallel with the SQLite run.
// Absent PostgreSQL: skipped on a developer machine, a failure under CI=true (postgresAvailable throws).
if (await postgresAvailable()) threatSuite('postgres');
else describe('joint threat definition on postgres', () => it.todo('needs PostgreSQL at 127.0.0.1:5432'));
