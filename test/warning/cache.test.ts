import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident } from '../../src/app/records.js';
import type { WarningView } from '../../src/app/warning.js';
import { warningEvents, warningView } from '../../src/app/warning.js';
import type { Principal } from '../../src/domain/principal.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import type { Callers, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';

const AS_OF = '2025-11-15T00:00:00Z';
const DELEGATE: Principal = { kind: 'user', name: 'pak1', role: 'delegate', party: 'PAK' } as Principal;
const MEDIATOR: Principal = { kind: 'user', name: 'med1', role: 'mediator', party: 'QAT' } as Principal;

/** A Pakistani strike in Afghanistan before AS_OF, seen only at `visibility`. */
const strike = (id: string, visibility: 'parties' | 'mediators', day: string) => ({
  id,
  title: `Strike ${id}`,
  occurred: { local: day, zone: 'Asia/Kabul', precision: 'day' },
  location: { country: 'AFG', admin1: 'Paktika', admin2: 'Barmal', place: 'Barmal', lat: 32.9, lon: 69.3, geo_precision: 2 },
  event_type: 'Explosions/Remote violence',
  sub_event_type: 'Air/drone strike',
  actors: [{ actor: 'PAK-PAF', role: 'perpetrator' }],
  sources: ['SRC-RUSI-20251112'],
  visibility,
});

/** What the caller's view must say, read straight from the store with no cache in the way. */
async function uncachedEventCount(t: TestApp, p: Principal): Promise<number> {
  return (await warningEvents(t.app, p)).filter((e) => e.at < Date.parse(AS_OF)).length;
}

describe('the early-warning caches', () => {
  let t: TestApp;
  let server: FastifyInstance;
  let callers: Callers;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { places: false });
    server = await makeServer(t.app);
    callers = await makeCallers(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('answers a repeated request the same, and a new incident changes the next answer', async () => {
    const first = await warningView(t.app, SYSTEM, { asOf: AS_OF });
    expect(await warningView(t.app, SYSTEM, { asOf: AS_OF })).toEqual(first);
    await createIncident(t.app, SYSTEM, strike('INC-CACHE-1', 'parties', '2025-11-10'));
    const after = await warningView(t.app, SYSTEM, { asOf: AS_OF });
    expect(after.events).toBe(first.events + 1);
    expect(after.model!.fitted_on.events).toBe(first.model!.fitted_on.events + 1);
    expect(after.events).toBe(await uncachedEventCount(t, SYSTEM));
  });

  it('never serves one scope its neighbour’s cached events, model or alerts', async () => {
    await createIncident(t.app, SYSTEM, strike('INC-CACHE-2', 'mediators', '2025-11-12'));
    // Interleaved at one log size, widest scope first so that a leak would show in the narrower ones.
    const order: [string, Principal][] = [['system', SYSTEM], ['anonymous', ANONYMOUS], ['delegate', DELEGATE], ['mediator', MEDIATOR], ['anonymous again', ANONYMOUS], ['delegate again', DELEGATE]];
    const seen = new Map<string, WarningView>();
    for (const [name, p] of order) {
      const v = await warningView(t.app, p, { asOf: AS_OF });
      const expected = await uncachedEventCount(t, p);
      expect(v.events, name).toBe(expected);
      expect(v.model!.fitted_on.events, name).toBe(expected);
      seen.set(name, v);
    }
    expect(seen.get('anonymous')!.events).toBeLessThan(seen.get('delegate')!.events);
    expect(seen.get('delegate')!.events).toBeLessThan(seen.get('system')!.events);
    expect(seen.get('mediator')).toEqual(seen.get('system'));
    expect(seen.get('anonymous again')).toEqual(seen.get('anonymous'));
    expect(seen.get('delegate again')).toEqual(seen.get('delegate'));
    const ids = (v: WarningView) => new Set([...v.alerts.flatMap((a) => a.events), ...v.chains.flatMap((c) => c.events)]);
    expect(ids(seen.get('anonymous')!)).not.toContain('INC-CACHE-1');
    expect(ids(seen.get('delegate')!)).not.toContain('INC-CACHE-2');
  });

  it('keeps principals apart over HTTP too', async () => {
    const get = async (who: 'mediator1' | 'analyst1' | 'pak1') =>
      (await server.inject({ method: 'GET', url: `/api/v1/warning?as_of=${AS_OF}`, headers: auth(callers[who]) })).json<WarningView>();
    const mediator = await get('mediator1');
    const analyst = await get('analyst1');
    const delegate = await get('pak1');
    expect(mediator.events).toBe(await uncachedEventCount(t, MEDIATOR));
    expect(analyst.events).toBe(await uncachedEventCount(t, ANONYMOUS));
    expect(delegate.events).toBe(await uncachedEventCount(t, DELEGATE));
    expect(new Set([mediator.events, analyst.events, delegate.events]).size).toBe(3);
    expect((await get('analyst1')).model).toEqual(analyst.model);
  });
});
