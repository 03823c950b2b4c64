import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { addUser } from '../../src/app/accounts.js';
import type { Mizan } from '../../src/app/mizan.js';
import { loadScenario } from '../../src/app/records.js';
import { initDataDir, openApp } from '../../src/cli/open.js';
import { SYSTEM } from '../../src/domain/principal.js';
import type { Role } from '../../src/domain/principal.js';
import { createHttpServer } from '../../src/server/main.js';
import { freshPostgresDatabase, REPO_ROOT } from './env.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface TestApp {
  readonly app: Mizan;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  close(): Promise<void>;
}

export const builtinScenario = (): unknown => JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'scenarios', 'af-pk-2025.json'), 'utf8'));

/** A new data directory (and, for PostgreSQL, a new database), optionally with the built-in scenario. */
export async function makeTestApp(kind: StoreKind = 'sqlite', opts: { scenario?: boolean; places?: boolean; clock?: () => Date } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mizan-test-'));
  rmSync(dataDir, { recursive: true });
  const db = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
  await initDataDir({ dataDir, databaseUrl: db?.url, origin: 'test.mizan.local/log' });
  const app = await openApp({ dataDir, databaseUrl: db?.url, places: opts.places ?? true, clock: opts.clock });
  if (opts.scenario !== false) await loadScenario(app, SYSTEM, builtinScenario());
  return {
    app,
    dataDir,
    databaseUrl: db?.url,
    async close() {
      await app.close();
      await db?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Caller {
  readonly name: string;
  readonly role: Role | 'anonymous';
  readonly party: string | null;
  readonly token: string | null;
}

/** One account per role (delegates of both parties), each with an API token. */
export type CallerName = 'anonymous' | 'admin1' | 'mediator1' | 'pak1' | 'afg1' | 'monitor1' | 'analyst1';
export type Callers = Record<CallerName, Caller>;

export async function makeCallers(app: Mizan): Promise<Callers> {
  const { createToken } = await import('../../src/app/accounts.js');
  const specs = [
    { name: 'admin1', role: 'admin' },
    { name: 'mediator1', role: 'mediator', party: 'QAT' },
    { name: 'pak1', role: 'delegate', party: 'PAK' },
    { name: 'afg1', role: 'delegate', party: 'AFG' },
    { name: 'monitor1', role: 'monitor' },
    { name: 'analyst1', role: 'analyst' },
  ] as const;
  const out: Partial<Callers> = { anonymous: { name: 'anonymous', role: 'anonymous', party: null, token: null } };
  for (const s of specs) {
    await addUser(app, SYSTEM, { ...s, password: 'correct horse battery staple' });
    const { token } = await createToken(app, SYSTEM, s.name);
    out[s.name] = { name: s.name, role: s.role, party: 'party' in s ? s.party : null, token };
  }
  return out as Callers;
}

export async function makeServer(app: Mizan): Promise<FastifyInstance> {
  const server = await createHttpServer(app);
  await server.ready();
  return server;
}

export function auth(c: Caller): Record<string, string> {
  return c.token ? { authorization: `Bearer ${c.token}` } : {};
}
