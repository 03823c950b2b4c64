// Issue 9 §2 through the store: differently worded reports of one strike, ingested from separate
// sources, land on one incident; every report keeps its own claims; a link can be undone.
import { afterEach, describe, expect, it } from 'vitest';
import { decideLink } from '../../src/app/monitors.js';
import { ingestExtraction, reportsOfIncident, runLinker } from '../../src/app/ingest.js';
import { loadScenario } from '../../src/app/records.js';
import { SYSTEM, type Principal } from '../../src/domain/principal.js';
import { MizanError } from '../../src/domain/errors.js';
import { loadGeo } from '../../src/geo/index.js';
import { placeEntries } from '../../src/intake/extract/index.js';
import { postgresAvailable } from '../support/env.js';
import { builtinScenario, makeTestApp, type StoreKind, type TestApp } from '../support/app.js';

const places = placeEntries(loadGeo().places());

// One strike (Barmal, Paktika, evening of Friday 17 October 2025) told four ways.
const STRIKE = [
  { title: 'Kabul wire, 22 Oct', published: '2025-10-22', text: 'Pakistani jets bombed homes in Barmal district of Paktika on Friday evening, killing 10 civilians, Taliban officials said.' },
  { title: 'Rawalpindi statement, 19 Oct', published: '2025-10-19', text: 'ISPR said precision strikes hit TTP hideouts in Bermal early on October 18, killing more than 30 militants.' },
  { title: 'Local radio, 18 Oct', published: '2025-10-18', text: 'An air strike hit houses in برمل on 17 October, residents said; at least five people were killed.' },
  { title: 'Regional daily, 20 Oct', published: '2025-10-20', text: 'Residents of Barmal in Paktika said an airstrike destroyed three houses late on Friday, killing seven people, including women.' },
];

const stores: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const figures = (claims: readonly { asserts: { fatalities?: unknown } }[]) => claims.map((c) => c.asserts.fatalities ?? null);

describe.each(stores)('ingesting and linking reports (%s)', (kind) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function ingestAll(p: Principal = SYSTEM) {
    const out = [];
    for (const s of STRIKE) out.push(await ingestExtraction(t!.app, p, { text: s.text, published: s.published, source: { title: s.title } }, places));
    return out;
  }

  it('four wordings of the Barmal strike all link to the scenario incident, each source keeping its own figures', async () => {
    t = await makeTestApp(kind);
    const ingested = await ingestAll();
    expect(ingested.map((i) => i.reports.length)).toEqual([1, 1, 1, 1]);
    expect(ingested.map((i) => i.links[0]?.incident)).toEqual(Array(4).fill('INC-20251017-BARMAL'));
    expect(ingested.every((i) => i.links[0]?.decision === 'linked')).toBe(true);
    const held = await reportsOfIncident(t.app, SYSTEM, 'INC-20251017-BARMAL');
    expect(held.map((h) => h.report.source).sort()).toEqual(ingested.map((i) => i.source).sort());
    // no merge: four sources, four sets of figures, each by its own source
    expect(held.map((h) => figures(h.report.claims))).toEqual([[{ best: 10 }], [{ low: 31 }], [{ low: 5 }], [{ best: 7 }]]);
    for (const h of held) expect(h.report.claims.every((c) => c.by === h.report.source)).toBe(true);
    expect(held[0]!.report.claims[0]!.stated_by.id).toBe('AFG');
    expect(held[1]!.report.claims[0]!.stated_by.id).toBe('PAK');
    // everything the ingest made is mediators-only until reviewed
    const src = await t.app.store.db.selectFrom('sources').select(['id', 'visibility']).where('id', '=', ingested[0]!.source).executeTakeFirstOrThrow();
    expect(src.visibility).toBe('mediators');
    const rows = await t.app.store.db.selectFrom('extract_reports').select(['visibility', 'status']).execute();
    expect(rows).toEqual(Array(4).fill({ visibility: 'mediators', status: 'linked' }));
    // the matcher finds nothing left to do
    expect(await runLinker(t.app, SYSTEM)).toEqual([]);
    // a person confirms one link: the link records who, the report and its claims are unchanged
    const mediator = { kind: 'user', userId: 'u-med', name: 'mediator1', role: 'mediator', party: 'QAT' } as Principal;
    await decideLink(t.app, mediator, held[0]!.link.id, 'confirm');
    const after = await reportsOfIncident(t.app, SYSTEM, 'INC-20251017-BARMAL');
    expect(after[0]!.link).toMatchObject({ status: 'confirmed', decided_by: 'mediator1' });
    expect(after.map((h) => h.report)).toEqual(held.map((h) => h.report));
    // a person reading mediator-only reports leaves an audit row naming them
    await reportsOfIncident(t.app, mediator, 'INC-20251017-BARMAL');
    const audit = await t.app.store.db.selectFrom('audit').select(['user_id', 'action', 'target']).where('action', '=', 'read reports of incident').execute();
    expect(audit).toEqual([{ user_id: 'u-med', action: 'read reports of incident', target: expect.stringContaining(held[0]!.report.id) }]);
  });

  it('with no incident yet, the first report makes a provisional incident and the others link to it', async () => {
    t = await makeTestApp(kind, { scenario: false });
    const s = builtinScenario() as Record<string, unknown>;
    await loadScenario(t.app, SYSTEM, { parties: s.parties, actors: s.actors, sources: s.sources, agreements: s.agreements });
    const ingested = await ingestAll();
    const decisions = ingested.map((i) => i.links[0]!);
    expect(decisions[0]!.decision).toBe('new');
    const made = decisions[0]!.incident!;
    expect(made).toMatch(/^INC-SRC-X-/);
    expect(decisions.slice(1).map((d) => [d.incident, d.decision])).toEqual(Array(3).fill([made, 'linked']));
    const incidents = await t.app.store.db.selectFrom('incidents').select(['id', 'visibility']).execute();
    expect(incidents).toEqual([{ id: made, visibility: 'mediators' }]);
    const held = await reportsOfIncident(t.app, SYSTEM, made);
    expect(held).toHaveLength(4);
    expect(held.flatMap((h) => figures(h.report.claims))).toHaveLength(4);
  });

  it('a report unlinked from its provisional incident gets another one, never the same id twice', async () => {
    t = await makeTestApp(kind, { scenario: false });
    const s = builtinScenario() as Record<string, unknown>;
    await loadScenario(t.app, SYSTEM, { parties: s.parties, actors: s.actors, sources: s.sources });
    const r = await ingestExtraction(t.app, SYSTEM, { text: STRIKE[0]!.text, published: STRIKE[0]!.published, source: { title: 'wire' } }, places);
    const first = r.links[0]!.incident!;
    const link = await t.app.store.db.selectFrom('monitor_links').select('id').where('report_id', '=', r.reports[0]!.id).executeTakeFirstOrThrow();
    await decideLink(t.app, { kind: 'user', userId: 'u-med', name: 'mediator1', role: 'mediator', party: 'QAT' }, link.id, 'undo');
    const again = await runLinker(t.app, SYSTEM);
    expect(again).toEqual([expect.objectContaining({ report: r.reports[0]!.id, decision: 'new', incident: `${first}.2` })]);
    expect((await t.app.store.db.selectFrom('incidents').select('id').orderBy('id').execute()).map((x) => x.id)).toEqual([first, `${first}.2`]);
  });

  it('the same file under the same title is refused and writes nothing; under another title it is a second source', async () => {
    t = await makeTestApp(kind);
    const body = { text: STRIKE[0]!.text, published: STRIKE[0]!.published, source: { title: STRIKE[0]!.title } };
    const first = await ingestExtraction(t.app, SYSTEM, body, places);
    const size = await t.app.log.size();
    const again = await ingestExtraction(t.app, SYSTEM, body, places).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(MizanError);
    expect((again as MizanError).code).toBe('DUPLICATE_ID');
    expect((again as MizanError).message).toContain(first.source);
    expect(await t.app.log.size()).toBe(size);
    const other = await ingestExtraction(t.app, SYSTEM, { ...body, source: { title: 'A re-publication' } }, places);
    expect(other.source).not.toBe(first.source);
  });

  it('text with no incident is refused; a bad date names its field', async () => {
    t = await makeTestApp(kind);
    const none = await ingestExtraction(t.app, SYSTEM, { text: 'The weather was mild.', published: '2025-10-22', source: { title: 'x' } }, places).catch((e: unknown) => e);
    expect((none as MizanError).code).toBe('VALIDATION_FAILED');
    const bad = await ingestExtraction(t.app, SYSTEM, { text: STRIKE[0]!.text, published: '2025-02-30', source: { title: 'x' } }, places).catch((e: unknown) => e);
    expect((bad as MizanError).fields[0]?.path).toEqual(['published']);
  });

  it('an undone link frees the report; the matcher does not propose the refused incident again; --dry-run writes nothing', async () => {
    t = await makeTestApp(kind);
    const [first] = await ingestAll();
    const link = await t.app.store.db.selectFrom('monitor_links').select(['id', 'incident_id']).where('report_id', '=', first!.reports[0]!.id).executeTakeFirstOrThrow();
    const mediator = { kind: 'user', userId: 'u-med', name: 'mediator1', role: 'mediator', party: 'QAT' } as Principal;
    await decideLink(t.app, mediator, link.id, 'undo');
    expect((await reportsOfIncident(t.app, SYSTEM, 'INC-20251017-BARMAL')).map((h) => h.report.id)).not.toContain(first!.reports[0]!.id);
    const size = await t.app.log.size();
    const dry = await runLinker(t.app, SYSTEM, { dryRun: true });
    expect(await t.app.log.size()).toBe(size);
    expect(dry.map((d) => d.report)).toEqual([first!.reports[0]!.id]);
    expect(dry[0]!.incident).not.toBe('INC-20251017-BARMAL');
    const real = await runLinker(t.app, SYSTEM);
    expect(real).toEqual(dry);
    expect(await t.app.log.size()).toBeGreaterThan(size);
    expect(await runLinker(t.app, SYSTEM)).toEqual([]);
  });

  it('an analyst may ingest and link but not create incidents: an unmatched report waits for a person', async () => {
    t = await makeTestApp(kind, { scenario: false });
    const s = builtinScenario() as Record<string, unknown>;
    await loadScenario(t.app, SYSTEM, { parties: s.parties, actors: s.actors, sources: s.sources });
    const analyst = { kind: 'user', userId: 'u-an', name: 'analyst1', role: 'analyst', party: null } as Principal;
    const r = await ingestExtraction(t.app, analyst, { text: STRIKE[0]!.text, published: STRIKE[0]!.published, source: { title: 'wire' }, visibility: 'public' }, places);
    expect(r.links[0]).toMatchObject({ decision: 'new', incident: null });
    expect(r.links[0]!.explanation).toMatch(/only a mediator creates incidents/);
    expect(await t.app.store.db.selectFrom('incidents').select('id').execute()).toEqual([]);
    const monitor = { kind: 'user', userId: 'u-m', name: 'm', role: 'monitor', party: null } as Principal;
    await expect(ingestExtraction(t.app, monitor, { text: 'x', published: '2025-10-22', source: { title: 'x' } }, places)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(runLinker(t.app, { kind: 'anonymous' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
