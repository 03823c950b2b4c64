import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Caller, Callers, StoreKind, TestApp } from '../support/app.js';
import { auth, makeCallers, makeServer, makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

const kinds: StoreKind[] = ['sqlite'];
if (await postgresAvailable()) kinds.push('postgres');

describe.each(kinds)('allegation → reply → verification → finding on %s', (kind) => {
  let t: TestApp;
  let server: FastifyInstance;
  let who: Callers;
  let now = new Date('2025-10-20T08:00:00Z');

  beforeAll(async () => {
    t = await makeTestApp(kind, { clock: () => now });
    who = await makeCallers(t.app);
    server = await makeServer(t.app);
  });
  afterAll(async () => {
    await server?.close();
    await t?.close();
  });

  const post = (url: string, body: unknown, c: Caller) => server.inject({ method: 'POST', url, payload: body as object, headers: auth(c) });
  const get = (url: string, c?: Caller) => server.inject({ method: 'GET', url, headers: c ? auth(c) : {} });
  const allegation = (id: string) => ({
    id,
    agreement: 'AGR-TRUCE-48H',
    by: 'AFG',
    against: 'PAK',
    incidents: ['INC-20251017-URGUN'],
    text: 'Strikes on homes in Paktika during the truce.',
  });

  it('runs its whole course, every step in the log', async () => {
    const size0 = await t.app.log.size();
    const filed = await post('/api/v1/allegations', allegation('ALG-1'), who.afg1);
    expect(filed.statusCode, filed.body).toBe(201);
    const a = filed.json();
    expect(a).toMatchObject({ state: 'awaiting_reply', by: 'AFG', against: 'PAK' });
    // The engine's view at filing time is kept with the allegation.
    expect(a.assessment_at_filing.find((r: { obligation: string }) => r.obligation === 'TRUCE-PAK-CEASE')).toMatchObject({ status: 'alleged_violation' });
    // The truce's own reply window (24 h in the scenario) runs from the filing time.
    expect(Date.parse(a.reply_deadline) - now.getTime()).toBe(24 * 3_600_000);
    expect((await get('/api/v1/inbox', who.pak1)).json().items[0]).toMatchObject({ kind: 'allegation_filed', subject: 'ALG-1' });

    // Only the accused replies.
    expect((await post('/api/v1/allegations/ALG-1/reply', { kind: 'deny', text: 'x' }, who.afg1)).statusCode).toBe(403);
    const replied = await post('/api/v1/allegations/ALG-1/reply', { kind: 'deny', text: 'The strikes hit militant hideouts.' }, who.pak1);
    expect(replied.statusCode, replied.body).toBe(201);
    expect(replied.json().state).toBe('replied');
    expect((await post('/api/v1/allegations/ALG-1/reply', { kind: 'admit', text: 'again' }, who.pak1)).json().error.code).toBe('ILLEGAL_TRANSITION');

    // A delegate cannot issue a finding; a mediator verifies and decides, once.
    expect((await post('/api/v1/allegations/ALG-1/finding', { outcome: 'substantiated', reasoning: 'r' }, who.pak1)).statusCode).toBe(403);
    const task = await post('/api/v1/allegations/ALG-1/tasks', { kind: 'site_visit', assignees: ['QAT team'], due: '2025-10-25T00:00:00Z' }, who.mediator1);
    expect(task.json().state).toBe('under_review');
    const denial = await post('/api/v1/allegations/ALG-1/access-denials', { party: 'PAK', at: '2025-10-21T09:00:00Z', text: 'Team turned back at the crossing.' }, who.mediator1);
    expect(denial.statusCode).toBe(201);
    const outcome = await post('/api/v1/allegations/ALG-1/tasks/ALG-1.task1/outcome', { outcome: 'Damage to three homes confirmed.' }, who.mediator1);
    expect(outcome.statusCode).toBe(201);
    const finding = await post('/api/v1/allegations/ALG-1/finding', { outcome: 'substantiated', reasoning: 'Imagery and interviews agree.' }, who.mediator1);
    expect(finding.json()).toMatchObject({ state: 'finding', finding: { outcome: 'substantiated', by: 'QAT' } });
    expect((await post('/api/v1/allegations/ALG-1/finding', { outcome: 'inconclusive', reasoning: 'again' }, who.mediator1)).json().error.code).toBe('ILLEGAL_TRANSITION');

    // Each party records its opinion; remedies are tracked to completion.
    expect((await post('/api/v1/allegations/ALG-1/opinions', { position: 'disagree', text: 'We dispute the imagery.' }, who.pak1)).statusCode).toBe(201);
    expect((await post('/api/v1/allegations/ALG-1/opinions', { position: 'agree' }, who.afg1)).statusCode).toBe(201);
    const remedy = await post('/api/v1/allegations/ALG-1/remedies', { text: 'Compensation to the families' }, who.mediator1);
    expect(remedy.json().remedies[0]).toMatchObject({ id: 'ALG-1.remedy1', status: 'agreed' });
    const done = await post('/api/v1/allegations/ALG-1/remedies/ALG-1.remedy1/progress', { status: 'completed' }, who.mediator1);
    expect(done.json().remedies[0].status).toBe('completed');

    const final = (await get('/api/v1/allegations/ALG-1')).json();
    expect(final.history.map((h: { event: string }) => h.event)).toEqual(['filed', 'reply', 'task', 'access_denial', 'task_outcome', 'finding', 'opinion', 'opinion', 'remedy', 'remedy_progress']);
    expect(await t.app.log.size()).toBe(size0 + 10);
    expect((await get('/api/v1/access-denials')).json().items).toEqual([{ party: 'PAK', denials: 1 }]);
  });

  it('records no_reply once the deadline passes, and refuses a late reply', async () => {
    expect((await post('/api/v1/allegations', allegation('ALG-2'), who.afg1)).statusCode).toBe(201);
    const a = (await get('/api/v1/allegations/ALG-2')).json();
    now = new Date(Date.parse(a.reply_deadline) - 60_000);
    expect((await get('/api/v1/allegations/ALG-2')).json().state).toBe('awaiting_reply');
    // The truce's window is 24 h: the filing notice named the deadline, and no separate reminder follows it.
    const inbox = (await get('/api/v1/inbox', who.pak1)).json().items.filter((n: { subject: string }) => n.subject === 'ALG-2');
    expect(inbox.map((n: { kind: string }) => n.kind)).toEqual(['allegation_filed']);
    now = new Date(Date.parse(a.reply_deadline) + 1);
    const late = await post('/api/v1/allegations/ALG-2/reply', { kind: 'deny', text: 'late' }, who.pak1);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ALLEGATION_REPLY_OVERDUE');
    const after = (await get('/api/v1/allegations/ALG-2')).json();
    expect(after.state).toBe('reply_overdue');
    expect(after.history.map((h: { event: string }) => h.event)).toEqual(['filed', 'reply_overdue']);
    // The finding can now be issued without a reply.
    expect((await post('/api/v1/allegations/ALG-2/finding', { outcome: 'inconclusive', reasoning: 'No access, no reply.' }, who.mediator1)).statusCode).toBe(201);
  });

  it('rejects allegations that name no party of the agreement, or against oneself', async () => {
    const self = await post('/api/v1/allegations', { ...allegation('ALG-3'), against: 'AFG' }, who.afg1);
    expect(self.statusCode).toBe(400);
    expect(self.json().error.fields[0].path).toBe('/against');
    expect((await post('/api/v1/allegations', { ...allegation('ALG-3'), by: 'PAK' }, who.afg1)).statusCode).toBe(403);
    const badIncident = await post('/api/v1/allegations', { ...allegation('ALG-3'), incidents: ['NOPE'] }, who.afg1);
    expect(badIncident.json().error.fields[0].path).toBe('/incidents/0');
    expect((await get('/api/v1/allegations/ALG-3')).statusCode).toBe(404);
  });
});
