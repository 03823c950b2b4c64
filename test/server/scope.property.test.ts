import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/app/records.js';
import { SYSTEM } from '../../src/domain/principal.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';

const LEVELS = ['public', 'parties', 'mediators'] as const;
type Level = (typeof LEVELS)[number];
const SCOPE: Record<string, Level[]> = {
  anonymous: ['public'],
  analyst1: ['public'],
  monitor1: ['public'],
  pak1: ['public', 'parties'],
  afg1: ['public', 'parties'],
  admin1: ['public', 'parties'],
  mediator1: ['public', 'parties', 'mediators'],
};

let batch = 0;

describe('scope: no response contains anything above the caller’s scope (property)', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;

  beforeAll(async () => {
    t = await makeTestApp('sqlite', { scenario: false });
    await loadScenario(t.app, SYSTEM, {
      parties: [
        { id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' },
        { id: 'AFG', name: 'Afghanistan', kind: 'de_facto_authority', country: 'AFG' },
        { id: 'QAT', name: 'Qatar', kind: 'mediator', country: 'QAT' },
      ],
    });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it('holds for random incidents and claims with random visibilities', async () => {
    const records = fc.array(
      fc.record({
        visibility: fc.constantFrom(...LEVELS),
        // null: the claim gives no visibility and inherits its incident's.
        claimVisibilities: fc.array(fc.constantFrom(null, ...LEVELS), { maxLength: 3 }),
        word: fc.constantFrom('alpha', 'bravo', 'charlie'),
      }),
      { minLength: 1, maxLength: 6 },
    );
    const seen: { id: string; visibility: Level; claims: { id: string; visibility: Level }[] }[] = [];
    await fc.assert(
      fc.asyncProperty(records, async (recs) => {
        const b = ++batch;
        const incidents = recs.map((r, i) => ({
          id: `P${b}-${i}`,
          title: `${r.word} event ${b}`,
          occurred: { from: `2025-10-${String(10 + (i % 15)).padStart(2, '0')}T00:00:00Z`, to: `2025-10-${String(10 + (i % 15)).padStart(2, '0')}T01:00:00Z` },
          location: { country: 'PAK' },
          event_type: 'Battles',
          sub_event_type: 'Armed clash',
          visibility: r.visibility,
        }));
        const claims = recs.flatMap((r, i) =>
          r.claimVisibilities.map((v, j) => ({ id: `P${b}-${i}-c${j}`, incident: `P${b}-${i}`, by: 'PAK', basis: 'alleged', asserts: { text: `${r.word} secret ${v ?? 'inherited'} P${b}-${i}-c${j}` }, ...(v ? { visibility: v } : {}) })),
        );
        const tooWide = recs.some((r) => r.claimVisibilities.some((v) => v !== null && LEVELS.indexOf(v) < LEVELS.indexOf(r.visibility)));
        if (tooWide) {
          // A claim may not show more than its incident: the whole batch is refused, nothing written.
          const size = await t.app.log.size();
          await expect(loadScenario(t.app, SYSTEM, { incidents, claims })).rejects.toMatchObject({ fields: expect.arrayContaining([expect.objectContaining({ code: 'wider_than_incident' })]) });
          expect(await t.app.log.size()).toBe(size);
          return;
        }
        await loadScenario(t.app, SYSTEM, { incidents, claims });
        recs.forEach((r, i) => seen.push({ id: `P${b}-${i}`, visibility: r.visibility, claims: r.claimVisibilities.map((v, j) => ({ id: `P${b}-${i}-c${j}`, visibility: v ?? r.visibility })) }));

        // Only public entries carry their body in the log; a hidden claim's text never appears there.
        const hidden = claims.filter((c) => (c.visibility ?? incidents.find((x) => x.id === c.incident)!.visibility) !== 'public').map((c) => c.asserts.text);
        const entries = (await t.app.store.db.selectFrom('log_entries').select('entry').execute()).map((e) => Buffer.from(e.entry).toString('utf8'));
        for (const text of hidden) for (const e of entries) expect(e).not.toContain(JSON.stringify(text));

        for (const [name, scope] of Object.entries(SCOPE)) {
          const h = auth(who[name as keyof Callers]);
          const visible = seen.filter((s) => scope.includes(s.visibility));
          const list = (await server.inject({ method: 'GET', url: '/api/v1/incidents?limit=500', headers: h })).json();
          expect(list.total).toBe(visible.length);
          for (const item of list.items) expect(scope).toContain(item.visibility);
          for (const word of ['alpha', 'bravo', 'charlie', 'secret']) {
            const found = (await server.inject({ method: 'GET', url: `/api/v1/incidents?q=${word}&limit=500`, headers: h })).json();
            for (const item of found.items) expect(scope).toContain(item.visibility);
            // "secret" is only in claim texts: a hit must come from a claim the caller may see.
            if (word === 'secret') {
              for (const item of found.items) {
                const rec = seen.find((s) => s.id === item.id);
                if (rec) expect(rec.claims.some((c) => scope.includes(c.visibility))).toBe(true);
              }
            }
          }
          const probe = seen[seen.length - 1]!;
          const one = await server.inject({ method: 'GET', url: `/api/v1/incidents/${probe.id}`, headers: h });
          expect(one.statusCode).toBe(scope.includes(probe.visibility) ? 200 : 404);
          if (one.statusCode === 200) {
            const cl = (await server.inject({ method: 'GET', url: `/api/v1/incidents/${probe.id}/claims`, headers: h })).json();
            expect(cl.total).toBe(probe.claims.filter((c) => scope.includes(c.visibility)).length);
            for (const c of cl.items) expect(scope).toContain(c.visibility);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
