import { expect } from 'vitest';
import type { MatrixCase, MatrixSetup, Who } from './types.js';
import { uid } from './types.js';

/** Link ids the setup finds: one per caller allowed to confirm/undo, so neither sees the other's change. */
const links: Partial<Record<Who, string>> = {};
const linkFor = (w: Who) => links[w] ?? links.mediator1 ?? 'none';
let phones = 0;
const freshPhone = () => `+92 300 ${String(1_000_000 + ++phones * 7919).slice(0, 7)}`;

const report = (visibility: 'parties' | 'mediators', publish_request = false) => ({ idempotency_key: uid('idem-key'), place: 'Barmal', occurred_local: '2025-10-17T20:30', what: 'AIR', killed: 3, visibility, publish_request });

/** Authorization-matrix rows for the monitors module's routes (in the order they should run). */
export const monitorsMatrix: Record<string, MatrixCase> = {
  'POST /api/v1/monitors': {
    req: () => ({ url: '/api/v1/monitors', body: { id: uid('MON'), pseudonym: 'Elder', districts: ['Barmal'], languages: ['ps'], zone: 'Asia/Kabul', identity: { name: 'Someone', phone: freshPhone() } } }),
    allowed: ['mediator1'],
  },
  'GET /api/v1/monitors': { req: () => ({ url: '/api/v1/monitors' }), allowed: ['mediator1'] },
  'GET /api/v1/monitors/:id/reliability': { req: () => ({ url: '/api/v1/monitors/MON-M/reliability' }), allowed: ['mediator1'] },
  'POST /api/v1/monitors/:id/messages': { req: () => ({ url: '/api/v1/monitors/MON-M/messages', body: { text: 'The mediator found the strike substantiated.' } }), allowed: ['mediator1'] },
  'POST /api/v1/monitors/broadcast': { req: () => ({ url: '/api/v1/monitors/broadcast', body: { district: 'Barmal', text: 'The Doha ceasefire was extended.' } }), allowed: ['mediator1'] },
  'GET /api/v1/outbox': { req: () => ({ url: '/api/v1/outbox' }), allowed: ['mediator1'] },
  'GET /api/v1/reports': { req: () => ({ url: '/api/v1/reports' }), allowed: ['admin1', 'mediator1', 'pak1', 'afg1', 'monitor1'] },
  'POST /api/v1/reports': { req: () => ({ url: '/api/v1/reports', body: report('mediators') }), allowed: ['monitor1'] },
  // RPT-1 has `parties` visibility and is monitor1's own.
  'GET /api/v1/reports/:id': { req: () => ({ url: '/api/v1/reports/RPT-1' }), allowed: ['admin1', 'mediator1', 'pak1', 'afg1', 'monitor1'] },
  'GET /api/v1/report-links': { req: () => ({ url: '/api/v1/report-links' }), allowed: ['mediator1', 'analyst1'] },
  'POST /api/v1/report-links/:id/confirm': { req: (w) => ({ url: `/api/v1/report-links/${linkFor(w)}/confirm` }), allowed: ['mediator1', 'analyst1'] },
  'POST /api/v1/report-links/:id/undo': { req: (w) => ({ url: `/api/v1/report-links/${linkFor(w)}/undo` }), allowed: ['mediator1', 'analyst1'] },
  'POST /api/v1/reports/:id/publish': { req: () => ({ url: '/api/v1/reports/RPT-2/publish', body: {} }), allowed: ['mediator1'] },
  'POST /api/v1/reports/:id/assessments': { req: () => ({ url: '/api/v1/reports/RPT-1/assessments', body: { outcome: 'corroborated' } }), allowed: ['mediator1'] },
  'POST /api/v1/monitors/:id/revoke': { req: () => ({ url: '/api/v1/monitors/MON-R/revoke' }), allowed: ['mediator1'] },
  'POST /api/v1/monitors/:id/erase': { req: () => ({ url: '/api/v1/monitors/MON-E/erase' }), allowed: ['mediator1'] },
  // The gateway authenticates by HMAC signature, not by account: unsigned posts are refused for everyone.
  'POST /api/v1/intake/sms': { req: () => ({ url: '/api/v1/intake/sms', body: { From: '+93700000000', Body: 'STATUS 1', MessageId: uid('SM') } }), allowed: [], refused: [400] },
  'POST /api/v1/intake/sms/outbox': { req: () => ({ url: '/api/v1/intake/sms/outbox', body: { nonce: uid('nonce-xyz') } }), allowed: [], refused: [400] },
  'POST /api/v1/intake/sms/status': { req: () => ({ url: '/api/v1/intake/sms/status', body: { id: 'OUT-none', status: 'delivered' } }), allowed: [], refused: [400] },
};

export const monitorsSetup: MatrixSetup = async (_t, as) => {
  const reg = (id: string, account?: string) =>
    as('mediator1', 'POST', '/api/v1/monitors', { id, pseudonym: id, districts: ['Barmal'], languages: ['ps'], zone: 'Asia/Kabul', ...(account ? { account } : {}), identity: { name: `Name of ${id}`, phone: freshPhone() } });
  for (const [id, account] of [['MON-M', 'monitor1'], ['MON-R'], ['MON-E']] as const) expect((await reg(id, account)).statusCode).toBe(201);
  // RPT-2 asks for publication, so a mediator may publish it.
  for (let i = 0; i < 2; i++) expect((await as('monitor1', 'POST', '/api/v1/reports', report('parties', i === 1))).statusCode).toBe(201);
  const list = JSON.parse((await as('mediator1', 'GET', '/api/v1/report-links')).body) as { items: { id: string; report_id: string }[] };
  links.mediator1 = list.items.find((l) => l.report_id === 'RPT-1')?.id;
  links.analyst1 = list.items.find((l) => l.report_id === 'RPT-2')?.id;
  expect(links.mediator1 && links.analyst1, 'the setup reports should have candidate links to the Barmal strike').toBeTruthy();
};
