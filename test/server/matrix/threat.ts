import { createActor } from '../../../src/app/records.js';
import { createProposal, linkSameAs, respondToProposal } from '../../../src/app/threat.js';
import { SYSTEM } from '../../../src/domain/principal.js';
import type { MatrixCase, MatrixSetup } from './types.js';
import { EVERYONE, uid } from './types.js';

/** Authorization-matrix rows for the threat module's routes (in the order they should run). */
export const threatMatrix: Record<string, MatrixCase> = {
  'GET /api/v1/threat-matrix': { req: () => ({ url: '/api/v1/threat-matrix' }), allowed: EVERYONE },
  'GET /api/v1/threat-matrix/history': { req: () => ({ url: '/api/v1/threat-matrix/history' }), allowed: EVERYONE },
  'GET /api/v1/threat/name-candidates': { req: () => ({ url: '/api/v1/threat/name-candidates?q=Tehreek-e-Taleban' }), allowed: EVERYONE },
  'GET /api/v1/threat/same-as': { req: () => ({ url: '/api/v1/threat/same-as' }), allowed: EVERYONE },
  // Each caller links its own stand-in actor, so the allowed callers do not collide with each other.
  'POST /api/v1/threat/same-as': { req: (w) => ({ url: '/api/v1/threat/same-as', body: { a: `THR-L-${w}`, b: 'TTP', reason: 'Same leadership and claims.' } }), allowed: ['mediator1', 'analyst1'] },
  'POST /api/v1/threat/same-as/:id/undo': { req: (w) => ({ url: `/api/v1/threat/same-as/SA-M-${w}/undo`, body: { reason: 'Recorded in error.' } }), allowed: ['mediator1', 'analyst1'] },
  'GET /api/v1/threat/references': { req: () => ({ url: '/api/v1/threat/references' }), allowed: EVERYONE },
  'POST /api/v1/threat/references': {
    req: () => ({ url: '/api/v1/threat/references', body: { references: [{ id: uid('REF'), actor: 'BLA', authority: 'Test authority', list: 'Test list', listed_on: '2025-01-01', source: 'matrix test' }] } }),
    allowed: ['mediator1', 'admin1'],
  },
  'GET /api/v1/threat/proposals': { req: () => ({ url: '/api/v1/threat/proposals' }), allowed: EVERYONE },
  'GET /api/v1/threat/proposals/:id': { req: () => ({ url: '/api/v1/threat/proposals/PROP-M' }), allowed: EVERYONE },
  'POST /api/v1/threat/proposals': { req: () => ({ url: '/api/v1/threat/proposals', body: { id: uid('PROP'), title: 'ISKP', criteria: 'Attacks on both parties.', actors: ['ISKP'] } }), allowed: ['mediator1', 'admin1'] },
  'POST /api/v1/threat/proposals/:id/responses': { req: () => ({ url: '/api/v1/threat/proposals/PROP-M/responses', body: { items: [{ actor: 'ISKP', decision: 'accept', reason: 'Attacks us too.' }] } }), allowed: ['pak1', 'afg1'] },
  'POST /api/v1/threat/proposals/:id/adopt': { req: () => ({ url: '/api/v1/threat/proposals/PROP-A/adopt', body: { agreement: 'AGR-DOHA-2025' } }), allowed: ['mediator1'] },
  'GET /api/v1/threat/agreed-list/:id': { req: () => ({ url: '/api/v1/threat/agreed-list/AGR-DOHA-2025' }), allowed: EVERYONE },
  'GET /api/v1/export/stix': { req: () => ({ url: '/api/v1/export/stix' }), allowed: EVERYONE },
};

export const threatSetup: MatrixSetup = async (t) => {
  for (const w of EVERYONE) {
    await createActor(t.app, SYSTEM, { id: `THR-L-${w}`, names: [`Stand-in L ${w}`], controlled_by: null });
    await createActor(t.app, SYSTEM, { id: `THR-U-${w}`, names: [`Stand-in U ${w}`], controlled_by: null });
    await linkSameAs(t.app, SYSTEM, { id: `SA-M-${w}`, a: `THR-U-${w}`, b: 'TTP', reason: 'setup' });
  }
  await createProposal(t.app, SYSTEM, { id: 'PROP-M', title: 'ISKP', criteria: 'Attacks on both parties.', actors: ['ISKP', 'AQ'] });
  await createProposal(t.app, SYSTEM, { id: 'PROP-A', title: 'ISKP', criteria: 'Attacks on both parties.', actors: ['ISKP'] });
  for (const by of ['PAK', 'AFG']) await respondToProposal(t.app, SYSTEM, 'PROP-A', { by, items: [{ actor: 'ISKP', decision: 'accept', reason: 'A threat to us.' }] });
};
