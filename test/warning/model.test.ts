import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warningView } from '../../src/app/warning.js';
import { runWarning, storedAlerts } from '../../src/app/warning-alerts.js';
import type { Principal } from '../../src/domain/principal.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import { treeSize } from '../../src/store/log-store.js';
import type { WarningEvent } from '../../src/warning/index.js';
import { dyadModel, eventsToFit, FIT_WINDOW_DAYS, forecastAlerts, MAX_MODEL_DYADS, peaceIndicators, renderCap, weeklyHistory } from '../../src/warning/index.js';
import type { TestApp } from '../support/app.js';
import { makeServer, makeTestApp } from '../support/app.js';
import { REPO_ROOT, requireOrSkip } from '../support/env.js';

const XSD = join(REPO_ROOT, 'test', 'fixtures', 'warning', 'cap12.xsd');
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;
const AS_OF = '2025-10-16T00:00:00Z';
const LATER = '2025-11-15T00:00:00Z';
const DAY = 86_400_000;
const DELEGATE: Principal = { kind: 'user', name: 'pak1', role: 'delegate', party: 'PAK' } as Principal;

describe('the Hawkes model and peace indicators in GET /api/v1/warning', () => {
  let t: TestApp;
  let server: FastifyInstance;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { places: false });
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('fits the dyads of the visible events and forecasts each with an ordered 90% interval', async () => {
    const r = await server.inject({ method: 'GET', url: `/api/v1/warning?as_of=${LATER}` });
    expect(r.statusCode).toBe(200);
    const m = r.json().model as {
      kind: string; dyads: string[]; mu_per_day: number[]; excitation: number[][]; decay_hours: number; spectral_radius: number;
      fitted_on: { events: number; from: string; to: string }; forecast: { horizon_days: number; items: { dyad: string; expected: number; low: number; high: number }[] };
    };
    expect(m.kind).toBe('hawkes-exp');
    expect(m.dyads).toContain('PAK→AFG');
    expect(m.dyads).toContain('AFG→PAK');
    const n = m.dyads.length;
    expect(m.mu_per_day).toHaveLength(n);
    expect(m.excitation).toHaveLength(n);
    m.excitation.forEach((row) => expect(row).toHaveLength(n));
    expect(m.excitation.flat().every((x) => x >= 0)).toBe(true);
    expect(m.decay_hours).toBeGreaterThan(0);
    expect(m.spectral_radius).toBeGreaterThanOrEqual(0);
    expect(m.fitted_on.events).toBe(r.json().events);
    // The span of the data: up to the last visible event, before as_of.
    expect(Date.parse(m.fitted_on.to)).toBeLessThan(Date.parse('2025-11-15T00:00:00.000Z'));
    expect(Date.parse(m.fitted_on.to)).toBeGreaterThanOrEqual(Date.parse(m.fitted_on.from));
    expect(m.forecast.horizon_days).toBe(7);
    expect(m.forecast.items.map((i) => i.dyad)).toEqual(m.dyads);
    for (const i of m.forecast.items) {
      expect(i.low).toBeLessThanOrEqual(i.high);
      expect(i.expected).toBeGreaterThanOrEqual(0);
    }
    // Same request, same interval (seeded by the instant).
    const again = await server.inject({ method: 'GET', url: `/api/v1/warning?as_of=${LATER}` });
    expect(again.json().model).toEqual(m);
  });

  it('is null with too few events to fit', async () => {
    const v = await warningView(t.app, SYSTEM, { asOf: '2025-10-09T00:00:00Z' });
    expect(v.events).toBeLessThan(5);
    expect(v.model).toBeNull();
  });

  it('counts PEACE reports and crossings reported reopened, scoped to the caller', async () => {
    const doc = (id: string, what: string, text: string, at: string, admin1: string) =>
      JSON.stringify({ id, report: { what, text, occurred: { from: at }, place: { query: 'x', candidates: [{ id: 'g', name: 'x', country: 'AFG', admin1, admin2: null, lat: 31, lon: 66, score: 1 }] } } });
    const row = (id: string, n: number, visibility: string, status: string, what: string, text: string, at: string) => ({
      id, number: 9000 + n, monitor_id: 'MON-T', channel: 'sms', visibility, status, doc: doc(id, what, text, at, 'Kandahar'),
      supersedes: null, idempotency_key: null, message_id: null, incident_id: null, log_index: 0, recorded_at: at,
    });
    // Through a write, as every real change is: the warning caches key on the log size it grows.
    await t.app.write(SYSTEM, async (w) => {
      w.statement('test.reports', {}, 'mediators');
      await w.tx.insertInto('monitor_reports').values([
        row('R-1', 1, 'parties', 'received', 'PEACE', 'jirga agreed', '2025-10-14T08:00:00Z'),
        row('R-2', 2, 'parties', 'received', 'CROSSING', 'Spin Boldak reopened for trade', '2025-10-01T08:00:00Z'),
        row('R-3', 3, 'parties', 'received', 'CROSSING', 'closed again', '2025-10-15T08:00:00Z'),
        row('R-4', 4, 'parties', 'published', 'PEACE', 'ceasefire holds', '2025-10-15T09:00:00Z'),
        row('R-5', 5, 'mediators', 'received', 'PEACE', 'talks', '2025-10-15T10:00:00Z'),
        row('R-6', 6, 'parties', 'superseded', 'PEACE', 'old', '2025-10-15T11:00:00Z'),
      ]).execute();
    });
    const peace = async (p: Principal) => (await warningView(t.app, p, { asOf: AS_OF })).peace;
    const all = await peace(SYSTEM);
    expect(all).toContainEqual({ scope: 'all', kind: 'peace_report', last_7d: 3, last_28d: 3 });
    expect(all).toContainEqual({ scope: 'AFG/Kandahar', kind: 'crossing_reopened', last_7d: 0, last_28d: 1 });
    expect(all[0]!.scope).toBe('all');
    // A delegate reads reports of `parties` visibility, not the mediators' one.
    expect(await peace(DELEGATE)).toContainEqual({ scope: 'all', kind: 'peace_report', last_7d: 2, last_28d: 2 });
    // Anyone else sees only what was published (a public incident anyway).
    expect(await peace(ANONYMOUS)).toEqual([
      { scope: 'all', kind: 'peace_report', last_7d: 1, last_28d: 1 },
      { scope: 'AFG/Kandahar', kind: 'peace_report', last_7d: 1, last_28d: 1 },
    ]);
    await t.app.write(SYSTEM, async (w) => {
      w.statement('test.reports.removed', {}, 'mediators');
      await w.tx.deleteFrom('monitor_reports').where('monitor_id', '=', 'MON-T').execute();
    });
  });
});

describe('the forecast rule', () => {
  const ev = (i: number, at: number, a = 'PAK', b = 'AFG', visibility: WarningEvent['visibility'] = 'public'): WarningEvent => ({
    id: `E${i}`, at, dyad: { a, b, directed: true }, district: 'AFG/Kabul', fatalities: 0, lat: 34.5, lon: 69.2, visibility,
  });
  const asOf = Date.parse('2025-10-16T00:00:00Z');
  const model = (expected: number, events = 40) => ({
    kind: 'hawkes-exp' as const, dyads: ['PAK→AFG'], mu_per_day: [0.1], excitation: [[0.5]], decay_hours: 48, spectral_radius: 0.5,
    fitted_on: { events, from: '2025-01-01T00:00:00.000Z', to: '2025-10-16T00:00:00.000Z' },
    omitted_dyads: 0,
    forecast: { horizon_days: 7 as const, items: [{ dyad: 'PAK→AFG', expected, low: 1, high: 9 }] },
  });

  it('fits the most active dyads of the year before as_of only, and says how many it left out', () => {
    // 20 dyads with 20 down to 1 events in the last year, and a busy dyad whose events are all older.
    const evs: WarningEvent[] = [];
    let n = 0;
    for (let d = 0; d < 20; d++) for (let i = 0; i < 20 - d; i++) evs.push(ev(n++, asOf - (1 + i * 3 + d / 10) * DAY, `P${String(d).padStart(2, '0')}`, 'AFG'));
    for (let i = 0; i < 50; i++) evs.push(ev(n++, asOf - (FIT_WINDOW_DAYS + 1 + i) * DAY, 'OLD', 'AFG'));
    const { evs: fitted, omitted } = eventsToFit(evs, asOf);
    const dyads = [...new Set(fitted.map((e) => e.dyad.a))].sort();
    expect(dyads).toEqual(Array.from({ length: MAX_MODEL_DYADS }, (_, d) => `P${String(d).padStart(2, '0')}`));
    expect(omitted).toBe(20 - MAX_MODEL_DYADS);
    expect(fitted.every((e, i) => i === 0 || fitted[i - 1]!.at <= e.at)).toBe(true);
    const m = dyadModel(evs, asOf)!;
    expect(m.dyads).toHaveLength(MAX_MODEL_DYADS);
    expect(m.omitted_dyads).toBe(20 - MAX_MODEL_DYADS);
    expect(m.fitted_on.events).toBe(fitted.length);
    expect(m.excitation).toHaveLength(MAX_MODEL_DYADS);
  });

  it('weekly history counts 7-day windows back to the first event', () => {
    const evs = [ev(1, asOf - 1 * DAY), ev(2, asOf - 2 * DAY), ev(3, asOf - 9 * DAY), ev(4, asOf - 20 * DAY)];
    expect(weeklyHistory(evs, 'PAK→AFG', asOf)).toEqual([2, 1, 1]);
    expect(weeklyHistory(evs, 'AFG→PAK', asOf)).toEqual([]);
  });

  it('fires when the expected count is ≥ 1 and above the 90th percentile of the weekly history, on a model with enough events', () => {
    const evs = Array.from({ length: 20 }, (_, i) => ev(i, asOf - (i * 7 + 1) * DAY));
    // 20 weeks with one event each: the 90th percentile is 1.
    expect(forecastAlerts(model(3), evs, asOf).map((a) => a.id)).toEqual(['forecast-PAK_AFG-2025-10-16']);
    expect(forecastAlerts(model(1), evs, asOf)).toEqual([]);
    expect(forecastAlerts(model(3, 10), evs, asOf)).toEqual([]);
    expect(forecastAlerts(null, evs, asOf)).toEqual([]);
  });

  it('a party-only forecast alert is Restricted, addressed to both sides and the mediators', () => {
    const evs = Array.from({ length: 20 }, (_, i) => ev(i, asOf - (i * 7 + 1) * DAY, 'PAK', 'AFG', i === 3 ? 'parties' : 'public'));
    const [a] = forecastAlerts(model(3), evs, asOf);
    expect(a!.visibility).toBe('parties');
    const x = renderCap(a!, { sender: 'mizan-early-warning' });
    expect(x).toContain('<scope>Restricted</scope>');
    expect(x).toContain('<addresses>mizan:delegates:PAK mizan:delegates:AFG mizan:mediators</addresses>');
    expect(x).toContain('<event>Forecast of violence above its usual level</event>');
  });

  it('peace indicators ignore reports outside the 28 days and crossings that do not say they reopened', () => {
    const at = (d: number) => new Date(asOf - d * DAY).toISOString();
    const rows = peaceIndicators(
      [
        { at: at(1), what: 'CROSSING', text: 'Torkham re-opened', scope: 'PAK/Khyber' },
        { at: at(2), what: 'CROSSING', text: null, scope: 'PAK/Khyber' },
        { at: at(3), what: 'CROSSING', text: 'د تورخم لاره خلاصه شوه', scope: 'PAK/Khyber' },
        { at: at(40), what: 'PEACE', text: 'old', scope: 'PAK/Khyber' },
        { at: at(-1), what: 'PEACE', text: 'future', scope: 'PAK/Khyber' },
        { at: at(10), what: 'AIR', text: 'open', scope: 'PAK/Khyber' },
      ],
      asOf,
    );
    expect(rows).toEqual([
      { scope: 'all', kind: 'crossing_reopened', last_7d: 2, last_28d: 2 },
      { scope: 'PAK/Khyber', kind: 'crossing_reopened', last_7d: 2, last_28d: 2 },
    ]);
  });
});

describe('stored alerts: mizan warning run and the CAP feed', () => {
  let t: TestApp;
  let server: FastifyInstance;
  beforeAll(async () => {
    t = await makeTestApp('sqlite', { places: false });
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.close();
  });

  it('stores and logs each new alert once, in one write, and delivers it to the webhook', async () => {
    const before = await treeSize(t.app.store.db);
    const posted: { url: string; body: string; type: string }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      posted.push({ url, body: init.body as string, type: String((init.headers as Record<string, string>)['content-type']) });
      return new Response(null, { status: 204 });
    }) as unknown as typeof fetch;
    const r = await runWarning(t.app, { asOf: AS_OF, webhook: 'https://hooks.example/cap', fetch: fakeFetch });
    expect(r.computed).toBeGreaterThan(0);
    expect(r.stored).toHaveLength(r.computed);
    expect(r.stored).toContain('chain-PAK-AFG-INC-20251009-PAKTIKA-3');
    expect(await treeSize(t.app.store.db)).toBe(before + r.stored.length);
    expect(posted).toHaveLength(r.stored.length);
    expect(posted[0]!.type).toContain('application/cap+xml');
    expect(posted[0]!.body).toContain('<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">');
    expect(r.deliveries.every((d) => d.delivery === 'sent')).toBe(true);

    // Again: nothing new, nothing logged, nothing posted.
    const again = await runWarning(t.app, { asOf: AS_OF, webhook: 'https://hooks.example/cap', fetch: fakeFetch });
    expect(again.stored).toEqual([]);
    expect(await treeSize(t.app.store.db)).toBe(before + r.stored.length);
    expect(posted).toHaveLength(r.stored.length);
  });

  it('a failing webhook is reported and recorded, and the alerts stay stored', async () => {
    const failing = (async () => {
      throw new Error('connection refused');
    }) as unknown as typeof fetch;
    const reported: string[] = [];
    // A day on, the escalation alerts are new (their ids carry the day).
    const r = await runWarning(t.app, { asOf: '2025-10-17T00:00:00Z', webhook: 'https://hooks.example/cap', fetch: failing, report: (m) => reported.push(m) });
    expect(r.deliveries.every((d) => d.delivery.startsWith('failed: connection refused'))).toBe(true);
    expect(reported).toHaveLength(r.stored.length);
    const stored = await storedAlerts(t.app, SYSTEM);
    for (const id of r.stored) expect(stored.map((a) => a.id)).toContain(id);
  });

  it('alerts.xml serves the stored alerts the caller may see, each CAP document schema-valid', async (ctx) => {
    // A party-only alert among them.
    const hidden = { ...(await storedAlerts(t.app, SYSTEM))[0]!, id: 'test-parties-only', visibility: 'parties' as const, sides: ['PAK', 'AFG'] };
    await t.app.write(SYSTEM, (w) => {
      const logIndex = w.statement('warning.alert', hidden, 'parties', hidden.id);
      w.queue('alerts', { id: hidden.id, rule: hidden.rule, subject: hidden.subject, visibility: 'parties', as_of: hidden.as_of, doc: JSON.stringify(hidden), log_index: logIndex, recorded_at: w.recordedAt, delivery: null });
    });
    const anon = await server.inject({ method: 'GET', url: '/api/v1/warning/alerts.xml' });
    expect(anon.statusCode).toBe(200);
    expect(anon.headers['content-type']).toContain('application/atom+xml');
    expect(anon.body).toContain('chain-PAK-AFG-INC-20251009-PAKTIKA-3');
    expect(anon.body).not.toContain('test-parties-only');
    const all = await storedAlerts(t.app, SYSTEM);
    expect(all.map((a) => a.id)).toContain('test-parties-only');
    if (!requireOrSkip('xmllint (Debian libxml2-utils)', hasXmllint)) return ctx.skip();
    const caps = all.map((a) => renderCap(a, { sender: 'mizan-early-warning' }));
    expect(caps.some((x) => x.includes('<addresses>mizan:delegates:PAK mizan:delegates:AFG mizan:mediators</addresses>'))).toBe(true);
    const inline = [...anon.body.matchAll(/<content type="application\/cap\+xml">\n([\s\S]*?)<\/content>/g)].map((m) => `<?xml version="1.0" encoding="UTF-8"?>\n${m[1]}`);
    expect(inline.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'mizan-cap-'));
    try {
      const files = [...inline, ...caps].map((x, i) => {
        const f = join(dir, `a${i}.xml`);
        writeFileSync(f, x);
        return f;
      });
      const v = spawnSync('xmllint', ['--noout', '--schema', XSD, ...files], { encoding: 'utf8' });
      expect(`${v.stdout}${v.stderr}`.match(/validates/g)).toHaveLength(files.length);
      expect(v.status).toBe(0);
      const feed = join(dir, 'feed.xml');
      writeFileSync(feed, anon.body);
      expect(spawnSync('xmllint', ['--noout', feed]).status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
