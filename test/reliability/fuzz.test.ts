import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MizanError } from '../../src/domain/errors.js';
import { validateScenario } from '../../src/domain/scenario.js';
import { resolveOccurred, TimeError } from '../../src/domain/time.js';
import { decodeEntry, decodeEntryBundle, decodeTile, isLedgerError, openNote, parseCheckpoint, parseTilePath, parseTlogProof, parseVerifierKey } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { auditLog } from '../../src/ledger/audit.js';
import { storeLogSource } from '../../src/cli/verify.js';
import { allRoutes } from '../../src/server/routes/index.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, builtinScenario, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { IN_CI } from '../support/env.js';

/** A few hundred cases per parser here, at least 10,000 under CI=true. */
const RUNS = IN_CI ? 10_000 : 300;

function onlyCoded(fn: () => unknown, coded: (e: unknown) => boolean): void {
  try {
    fn();
  } catch (e) {
    if (!coded(e)) throw e;
  }
}

/** Mutate a JSON document at a random path: delete, replace with junk, or add an unknown key. */
const mutation = fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('delete', 'replace', 'add'), fc.jsonValue());
function mutate(doc: unknown, [a, b, op, junk]: [number, number, string, unknown]): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const sections = Object.keys(copy);
  const list = copy[sections[a % sections.length]!] as Record<string, unknown>[];
  const item = list[b % list.length];
  if (!item) return copy;
  const keys = Object.keys(item);
  const key = keys[(a + b) % keys.length]!;
  if (op === 'delete') delete item[key];
  else if (op === 'replace') item[key] = junk;
  else item[`x_${key}`] = junk;
  return copy;
}

describe(`fuzzing parsers of outside input (${RUNS} cases each)`, () => {
  // A slice of the built-in scenario: every section present, small enough to mutate 10,000 times.
  const full = builtinScenario() as Record<string, unknown[]>;
  const scenario = Object.fromEntries(Object.entries(full).map(([k, v]) => [k, v.slice(0, 3)]));

  it('scenario JSON: any value, and mutations of a valid file, give a coded error or a valid scenario', { timeout: 600_000 }, () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => onlyCoded(() => validateScenario(v), (e) => e instanceof MizanError)), { numRuns: RUNS });
    fc.assert(fc.property(mutation, (m) => onlyCoded(() => validateScenario(mutate(scenario, m)), (e) => e instanceof MizanError)), { numRuns: RUNS });
  });

  it('dates and times: any local form is resolved or refused with its field', () => {
    const forms = fc.oneof(
      fc.record({ local: fc.string(), zone: fc.constantFrom('Asia/Kabul', 'Asia/Karachi', 'UTC'), precision: fc.constantFrom('exact' as const, 'day' as const, 'month' as const) }),
      fc.record({ local_from: fc.string(), local_to: fc.string(), zone: fc.constantFrom('Asia/Kabul', 'Asia/Karachi') }),
    );
    fc.assert(fc.property(forms, (f) => onlyCoded(() => resolveOccurred(f), (e) => e instanceof TimeError)), { numRuns: RUNS });
  });

  it('log formats: notes, checkpoints, tile paths, tiles, bundles, entries, proofs, keys', { timeout: 600_000 }, () => {
    const coded = (e: unknown) => isLedgerError(e);
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('— ', '\n\n', 'tile/0/x001/002.p/7', 'c2sp.org/tlog-proof@v1\n'));
    fc.assert(
      fc.property(text, fc.uint8Array({ maxLength: 600 }), (s, bytes) => {
        onlyCoded(() => parseCheckpoint(s), coded);
        onlyCoded(() => openNote(s, []), coded);
        onlyCoded(() => parseTilePath(s), coded);
        onlyCoded(() => parseTlogProof(s), coded);
        onlyCoded(() => parseVerifierKey(nodeCrypto, s), coded);
        onlyCoded(() => decodeTile(bytes), coded);
        onlyCoded(() => decodeEntryBundle(bytes), coded);
        onlyCoded(() => decodeEntry(bytes), coded);
        onlyCoded(() => decodeEntry(new TextEncoder().encode(s)), coded);
      }),
      { numRuns: RUNS },
    );
  });
});

describe(`fuzzing API bodies (${RUNS} requests)`, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp('sqlite');
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('no crash, a coded error for every rejection, and no partial write', { timeout: 600_000 }, async () => {
    const posts = allRoutes.filter((r) => r.method === 'POST' && r.url !== '/api/v1/session');
    const callers = [who.pak1, who.afg1, who.mediator1, who.admin1, who.analyst1];
    let accepted = 0;
    const before = await t.app.log.size();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.oneof(fc.jsonValue(), fc.object()), async (ri, ci, body) => {
        const route = posts[ri % posts.length]!;
        const url = route.url.replace(/:id/g, 'INC-20251017-URGUN').replace(/:sub/g, 'x').replace(/:key/g, 'k');
        const r = await server.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...auth(callers[ci % callers.length]!) } });
        expect(r.statusCode, `${route.url}: ${r.body}`).toBeLessThan(500);
        if (r.statusCode >= 400) expect(r.json().error.code).toMatch(/^[A-Z_]+$/);
        else accepted++;
      }),
      { numRuns: RUNS },
    );
    // Whatever was accepted (a token, a logout) or refused, the log is whole and every record has its entry.
    const after = await t.app.log.size();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(accepted).toBeLessThan(RUNS);
    const orphans = await t.app.store.db.selectFrom('incidents').select('id').where('log_index', '>=', after).execute();
    expect(orphans).toEqual([]);
    await t.app.log.signCheckpoint();
    expect((await auditLog(storeLogSource(t.app), { crypto: nodeCrypto, logKey: t.app.log.verifierKey })).ok).toBe(true);
  });
});
