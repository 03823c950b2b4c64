import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProposal } from '../../src/app/threat.js';
import type { ThreatMatrix } from '../../src/app/threat.js';
import type { Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { REPO_ROOT } from '../support/env.js';

/** The module's store-backed behaviour, run against each store (threat.sqlite.test.ts, threat.postgres.test.ts). */
export function threatSuite(kind: StoreKind): void {
describe(`joint threat definition on ${kind}`, () => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  const call = async (w: keyof Callers, method: 'GET' | 'POST', url: string, body?: object) => {
    const r = await server.inject({ method, url, ...(body ? { payload: body } : {}), headers: auth(who[w]) });
    return { status: r.statusCode, json: r.json<Record<string, unknown> & { error?: { code: string } }>() };
  };
  const logSize = () => t.app.log.size();

  beforeAll(async () => {
    t = await makeTestApp(kind, { places: false });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  it("shows the scenario's situation: TTP contested, ISKP a threat to both, mediators not counted", async () => {
    const r = await call('anonymous', 'GET', '/api/v1/threat-matrix');
    expect(r.status).toBe(200);
    const m = r.json as unknown as ThreatMatrix;
    expect(m.parties).toEqual(['PAK', 'AFG']);
    const row = (id: string) => m.actors.find((a) => a.actor === id)!;
    expect(row('TTP').status).toBe('contested');
    expect(row('TTP').differences.map((d) => d.on)).toEqual(['position', 'collective_action']);
    expect(row('TTP').positions.PAK).toMatchObject({ position: 'terrorist', collective_action: 'support' });
    expect(row('TTP').positions.AFG).toMatchObject({ position: 'not_terrorist', collective_action: 'oppose' });
    expect(row('TTP').names.find((n) => n.name === 'Fitna al-Khawarij')?.used_by).toEqual(['PAK']);
    expect(row('ISKP').status).toBe('agreed_collective_action');
    expect(row('BLA').status).toBe('unknown');
    expect(row('HQN').status).toBe('unknown');
    expect(m.actors.some((a) => a.actor === 'PAK-AF')).toBe(false);
    const paths = Object.keys(((await call('anonymous', 'GET', '/api/v1/openapi.json')).json as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/threat-matrix', '/api/v1/export/stix', '/api/v1/threat/proposals/{id}/responses']));
  });

  it('a new designation supersedes the earlier one in the view and both stay in the history', async () => {
    const before = await logSize();
    const r = await call('afg1', 'POST', '/api/v1/designations', { actor: 'BLA', by: 'AFG', position: 'under_review', collective_action: 'undecided', basis: 'Kabul has not stated a position.' });
    expect(r.status).toBe(201);
    const r2 = await call('afg1', 'POST', '/api/v1/designations', { actor: 'BLA', by: 'AFG', position: 'terrorist', collective_action: 'undecided' });
    expect(r2.status).toBe(201);
    expect(await logSize()).toBe(before + 2);
    const m = (await call('anonymous', 'GET', '/api/v1/threat-matrix')).json as unknown as ThreatMatrix;
    const bla = m.actors.find((a) => a.actor === 'BLA')!;
    expect(bla.positions.AFG).toMatchObject({ position: 'terrorist', collective_action: 'undecided' });
    expect(bla.status).toBe('contested');
    expect(bla.differences).toEqual([{ on: 'collective_action', by: { PAK: 'support', AFG: 'undecided' } }]);
    const h = (await call('anonymous', 'GET', '/api/v1/threat-matrix/history')).json as { changes: { actor: string; from: string; to: string }[] };
    expect(h.changes.filter((c) => c.actor === 'BLA').map((c) => c.to)).toEqual(['contested']);
    expect(h.changes.filter((c) => c.actor === 'TTP').map((c) => c.to)).toEqual(['contested']);
  });

  it('finds name candidates across spellings and scripts without merging', async () => {
    const r = await call('anonymous', 'GET', `/api/v1/threat/name-candidates?q=${encodeURIComponent('Tehreek-i-Taleban Pakistan')}`);
    expect((r.json.candidates as { actor: string; score: number }[])[0]).toMatchObject({ actor: 'TTP', score: 1 });
    const ar = await call('anonymous', 'GET', `/api/v1/threat/name-candidates?q=${encodeURIComponent('تحريك طالبان پاكستان')}`);
    expect((ar.json.candidates as { actor: string; score: number }[])[0]).toMatchObject({ actor: 'TTP', score: 1 });
  });

  it('a mediator links two actor records and undoes it; both are log entries and nothing is merged', async () => {
    await call('admin1', 'POST', '/api/v1/actors', { id: 'TTP-ALT', names: ['Tehreek-e-Taliban Pakistan (alternate record)'], controlled_by: null });
    const before = await logSize();
    const link = await call('mediator1', 'POST', '/api/v1/threat/same-as', { a: 'TTP', b: 'TTP-ALT', reason: 'Same group, duplicate record from an import.' });
    expect(link.status, JSON.stringify(link.json)).toBe(201);
    expect(link.json).toMatchObject({ a: 'TTP', b: 'TTP-ALT', active: true, decided_by: 'mediator1 (QAT)' });
    expect((await call('mediator1', 'POST', '/api/v1/threat/same-as', { a: 'TTP-ALT', b: 'TTP', reason: 'again' })).json.error?.code).toBe('CONFLICT');
    expect((await call('pak1', 'POST', '/api/v1/threat/same-as', { a: 'TTP', b: 'TTP-ALT', reason: 'x' })).status).toBe(403);
    let m = (await call('anonymous', 'GET', '/api/v1/threat-matrix')).json as unknown as ThreatMatrix;
    expect(m.actors.find((a) => a.actor === 'TTP-ALT')).toMatchObject({ status: 'contested', same_as: ['TTP'] });
    const undo = await call('mediator1', 'POST', `/api/v1/threat/same-as/${String(link.json.id)}/undo`, { reason: 'Turned out to be a splinter group.' });
    expect(undo.status).toBe(200);
    expect(undo.json).toMatchObject({ active: false, undone: { reason: 'Turned out to be a splinter group.' } });
    expect((await call('mediator1', 'POST', `/api/v1/threat/same-as/${String(link.json.id)}/undo`, { reason: 'again' })).json.error?.code).toBe('ILLEGAL_TRANSITION');
    expect(await logSize()).toBe(before + 2);
    m = (await call('anonymous', 'GET', '/api/v1/threat-matrix')).json as unknown as ThreatMatrix;
    expect(m.actors.find((a) => a.actor === 'TTP-ALT')).toMatchObject({ status: 'unknown', same_as: [] });
    expect(await t.app.get({ kind: 'anonymous' }, 'actors', 'TTP-ALT')).toMatchObject({ id: 'TTP-ALT' });
  });

  it('imports the reference designations file once (one log entry each) and shows them in the matrix', async () => {
    const file = JSON.parse(readFileSync(join(REPO_ROOT, 'data', 'reference', 'un-sanctions.json'), 'utf8')) as { references: unknown[] };
    const before = await logSize();
    expect((await call('analyst1', 'POST', '/api/v1/threat/references', file)).status).toBe(403);
    const r = await call('mediator1', 'POST', '/api/v1/threat/references', file);
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ imported: file.references.length, unchanged: 0 });
    expect(await logSize()).toBe(before + file.references.length);
    expect((await call('admin1', 'POST', '/api/v1/threat/references', file)).json).toEqual({ imported: 0, unchanged: file.references.length });
    const bad = await call('admin1', 'POST', '/api/v1/threat/references', { references: [{ id: 'X1', actor: 'NOPE', authority: 'a', list: 'l', listed_on: '2020-01-01', source: 's' }] });
    expect(bad.json.error?.code).toBe('DANGLING_REFERENCE');
    const m = (await call('anonymous', 'GET', '/api/v1/threat-matrix')).json as unknown as ThreatMatrix;
    expect(m.actors.find((a) => a.actor === 'TTP')!.references.map((x) => x.reference)).toEqual(['QDe.132']);
    expect(m.actors.find((a) => a.actor === 'ISKP')!.references[0]).toMatchObject({ reference: 'QDe.161', listed_on: '2019-05-14' });
  });

  it('runs a mediator proposal through acceptance to an agreed list adopted as an annex', async () => {
    const proposal = { id: 'JTD-1', title: 'Joint definition, first reading', criteria: 'Groups that carry out armed attacks on either party or its civilians from the other side of the border.', actors: ['ISKP', 'TTP', 'AQ'] };
    expect((await call('pak1', 'POST', '/api/v1/threat/proposals', proposal)).status).toBe(403);
    const created = await call('mediator1', 'POST', '/api/v1/threat/proposals', proposal);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ state: 'open', parties: ['PAK', 'AFG'], agreed_list: [] });
    expect((await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-1/adopt', { agreement: 'AGR-DOHA-2025' })).json.error?.code).toBe('ILLEGAL_TRANSITION');
    // A delegate answers only for its own party.
    expect((await call('pak1', 'POST', '/api/v1/threat/proposals/JTD-1/responses', { by: 'AFG', items: [{ actor: 'TTP', decision: 'reject', reason: 'x' }] })).status).toBe(403);
    const pak = await call('pak1', 'POST', '/api/v1/threat/proposals/JTD-1/responses', {
      items: [
        { actor: 'ISKP', decision: 'accept', reason: 'Transnational threat.' },
        { actor: 'TTP', decision: 'accept', reason: 'Our main adversary.' },
        { actor: 'AQ', decision: 'accept', reason: 'Cooperates with the TTP.' },
      ],
    });
    expect(pak.status).toBe(201);
    expect(pak.json.state).toBe('under_consideration');
    const before = await logSize();
    const afg = await call('afg1', 'POST', '/api/v1/threat/proposals/JTD-1/responses', {
      items: [
        { actor: 'ISKP', decision: 'accept', reason: 'Fights the Islamic Emirate.' },
        { actor: 'TTP', decision: 'reject', reason: "Pakistan's internal matter." },
        { actor: 'AQ', decision: 'accept', reason: 'No presence permitted.' },
      ],
    });
    expect(afg.json).toMatchObject({ state: 'partially_accepted', agreed_list: ['ISKP', 'AQ'] });
    // The response and the state change are both logged.
    expect(await logSize()).toBe(before + 2);
    expect((await call('afg1', 'POST', '/api/v1/threat/proposals/JTD-1/adopt', { agreement: 'AGR-DOHA-2025' })).status).toBe(403);
    const annex = await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-1/adopt', { agreement: 'AGR-DOHA-2025', note: 'Annex to the Doha ceasefire.' });
    expect(annex.status).toBe(201);
    expect(annex.json).toMatchObject({ agreement: 'AGR-DOHA-2025', actors: ['ISKP', 'AQ'] });
    expect((await getProposal(t.app, 'JTD-1')).state).toBe('adopted');
    expect((await call('pak1', 'POST', '/api/v1/threat/proposals/JTD-1/responses', { items: [{ actor: 'TTP', decision: 'accept', reason: 'x' }] })).json.error?.code).toBe('ILLEGAL_TRANSITION');
    const list = await call('anonymous', 'GET', '/api/v1/threat/agreed-list/AGR-DOHA-2025');
    expect(list.json.actors).toEqual(['ISKP', 'AQ']);
    expect((await call('anonymous', 'GET', '/api/v1/threat/proposals')).json.items).toHaveLength(1);
  });

  it('assesses a no_support obligation on the agreed list as adopted at each incident, through the store', async () => {
    const agreement = {
      id: 'AGR-LIST',
      title: 'Ceasefire with a joint list',
      parties: ['PAK', 'AFG'],
      mediators: ['QAT'],
      windows: [{ from: '2025-11-01T00:00:00Z', to: null }],
      obligations: [
        { id: 'LIST-NS', type: 'no_support', bearer: 'AFG', actors: 'agreed_list', text: 'No support to any actor on the agreed list.' },
        { id: 'PAK-NS', type: 'no_support', bearer: 'AFG', against: 'PAK' },
      ],
    };
    expect((await call('mediator1', 'POST', '/api/v1/agreements', { ...agreement, id: 'AGR-NEITHER', obligations: [{ id: 'X', type: 'no_support', bearer: 'AFG' }] })).json.error?.code).toBe('VALIDATION_FAILED');
    expect((await call('mediator1', 'POST', '/api/v1/agreements', agreement)).status).toBe(201);
    const incident = async (id: string, day: string, perpetrator: string) => {
      const r = await call('pak1', 'POST', '/api/v1/incidents', {
        id,
        title: 'Attack on a checkpoint',
        occurred: { local: `${day}T06:15`, zone: 'Asia/Karachi', precision: 'exact' },
        location: { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram', place: 'Parachinar', lat: 33.89968, lon: 70.10012, geo_precision: 2 },
        event_type: 'Battles',
        sub_event_type: 'Armed clash',
        actors: [{ actor: perpetrator, role: 'perpetrator' }],
      });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
    };
    await incident('INC-L-BEFORE', '2025-11-08', 'TTP');
    await incident('INC-L-DURING', '2025-11-12', 'TTP');
    await incident('INC-L-AFTER', '2025-11-22', 'TTP');
    const agreeOn = async (id: string, actors: string[], at: string) => {
      expect((await call('mediator1', 'POST', '/api/v1/threat/proposals', { id, title: id, criteria: 'Groups that attack across the border.', actors })).status).toBe(201);
      for (const w of ['pak1', 'afg1'] as const) {
        const r = await call(w, 'POST', `/api/v1/threat/proposals/${id}/responses`, { items: actors.map((actor) => ({ actor, decision: 'accept', reason: 'Agreed at the talks.' })), at });
        expect(r.status, JSON.stringify(r.json)).toBe(201);
      }
    };
    await agreeOn('JTD-L1', ['TTP', 'ISKP'], '2025-11-05T00:00:00Z');
    // An annex cannot take effect before the parties agreed to it, nor in the future.
    const early = await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L1/adopt', { agreement: 'AGR-LIST', adopted_at: '2025-11-04T00:00:00Z' });
    expect(early.json.error?.code).toBe('VALIDATION_FAILED');
    const future = await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L1/adopt', { agreement: 'AGR-LIST', adopted_at: '2999-01-01T00:00:00Z' });
    expect(future.json.error?.code).toBe('VALIDATION_FAILED');
    const a1 = await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L1/adopt', { agreement: 'AGR-LIST', adopted_at: '2025-11-10T00:00:00Z' });
    expect(a1.status, JSON.stringify(a1.json)).toBe(201);
    expect(a1.json).toMatchObject({ id: 'AGR-LIST.annex.JTD-L1', adopted_at: '2025-11-10T00:00:00.000Z', actors: ['TTP', 'ISKP'] });
    // TTP leaves the list: a new joint definition without it replaces the first annex.
    await agreeOn('JTD-L2', ['ISKP'], '2025-11-15T00:00:00Z');
    expect((await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L2/adopt', { agreement: 'AGR-LIST', adopted_at: '2025-11-20T00:00:00Z', replaces: 'NO-SUCH-ANNEX' })).json.error?.code).toBe('DANGLING_REFERENCE');
    const a2 = await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L2/adopt', { agreement: 'AGR-LIST', adopted_at: '2025-11-20T00:00:00Z', replaces: 'AGR-LIST.annex.JTD-L1' });
    expect(a2.status, JSON.stringify(a2.json)).toBe(201);

    const listAt = async (at?: string) => (await call('anonymous', 'GET', `/api/v1/threat/agreed-list/AGR-LIST${at ? `?at=${at}` : ''}`)).json;
    expect(await listAt('2025-11-09T00:00:00Z')).toMatchObject({ version: null, actors: [] });
    expect(await listAt('2025-11-12T00:00:00Z')).toMatchObject({ version: 1, actors: ['TTP', 'ISKP'] });
    expect(await listAt()).toMatchObject({ version: 2, actors: ['ISKP'], versions: [{ version: 1 }, { version: 2, annex: 'AGR-LIST.annex.JTD-L2' }] });
    expect((await call('anonymous', 'GET', '/api/v1/threat/agreed-list/AGR-LIST?at=yesterday')).status).toBe(400);

    type Row = { obligation: string; status: string; against: string | null; steps: { rule: string; text: string; facts: Record<string, unknown> }[] };
    const rowOf = async (incidentId: string, obligation = 'LIST-NS') => {
      const r = await server.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/assessment` });
      expect(r.statusCode).toBe(200);
      return r.json<Row[]>().find((x) => x.obligation === obligation)!;
    };
    const listStep = (r: Row) => r.steps.find((x) => x.rule === 'fact.agreed_list')!;
    // While TTP was listed (version 1): TTP is linked to AFG in the scenario, so a contingent violation.
    const during = await rowOf('INC-L-DURING');
    expect(during).toMatchObject({ status: 'contingent_violation', against: null });
    expect(listStep(during).facts).toMatchObject({ actor: 'TTP', listed: 'listed', annex: 'AGR-LIST.annex.JTD-L1', versions: [{ version: 1 }], later: { version: 2, listed: false } });
    expect(listStep(during).text).toContain("was on AGR-LIST's agreed list when the incident happened: version 1 (annex AGR-LIST.annex.JTD-L1");
    // Before the first annex, and after TTP was removed: the list form does not apply; the against form does.
    const before = await rowOf('INC-L-BEFORE');
    expect(before.status).toBe('no_violation');
    expect(listStep(before).facts).toMatchObject({ listed: 'not_listed', versions: [null], later: { version: 1, listed: true } });
    const after = await rowOf('INC-L-AFTER');
    expect(after.status).toBe('no_violation');
    expect(listStep(after).facts).toMatchObject({ listed: 'not_listed', versions: [{ version: 2, annex: 'AGR-LIST.annex.JTD-L2' }] });
    expect((await rowOf('INC-L-AFTER', 'PAK-NS')).status).toBe('contingent_violation');
    // An annex is replaced once.
    await agreeOn('JTD-L3', ['ISKP'], '2025-11-21T00:00:00Z');
    expect((await call('mediator1', 'POST', '/api/v1/threat/proposals/JTD-L3/adopt', { agreement: 'AGR-LIST', replaces: 'AGR-LIST.annex.JTD-L1' })).json.error?.code).toBe('CONFLICT');
  });

  it('refuses hostile or malformed input with field paths', async () => {
    const r = await call('mediator1', 'POST', '/api/v1/threat/proposals', { id: 'JTD-2', title: 't', criteria: 'c', actors: ['ISKP'], parties: ['QAT'] });
    expect(r.json.error?.code).toBe('VALIDATION_FAILED');
    const u = await call('mediator1', 'POST', '/api/v1/threat/proposals', { id: 'JTD-3', title: 't', criteria: 'c', actors: ['ISKP'], extra: 1 });
    expect(u.json.error?.code).toBe('VALIDATION_FAILED');
    expect((await call('anonymous', 'POST', '/api/v1/threat/proposals', { id: 'JTD-4' })).status).toBe(401);
  });
});
}
