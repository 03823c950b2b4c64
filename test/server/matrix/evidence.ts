import { addEvidence } from '../../../src/app/evidence.js';
import { SYSTEM } from '../../../src/domain/principal.js';
import type { MatrixCase, MatrixSetup, Who } from './types.js';
import { EVERYONE } from './types.js';

let sample = '';
let monitorSample = '';

/**
 * Authorization-matrix rows for evidence files and party webhooks. Each caller uploads its own
 * bytes (the body is the JSON of its sample), so every allowed upload creates a file.
 */
export const evidenceMatrix: Record<string, MatrixCase> = {
  // Monitors attach photos to their reports (and read no one's files, not even their own).
  'POST /api/v1/evidence': { req: (w) => ({ url: '/api/v1/evidence?filename=statement.json', body: { statement: `witness statement recorded by ${w}` } }), allowed: ['pak1', 'afg1', 'mediator1', 'admin1', 'monitor1'] },
  'GET /api/v1/evidence/:sha256': { req: () => ({ url: `/api/v1/evidence/${sample}` }), allowed: ['pak1', 'afg1', 'mediator1', 'admin1'] },
  'POST /api/v1/parties/:id/webhook': { req: () => ({ url: '/api/v1/parties/PAK/webhook', body: { url: 'https://hooks.pak.example/mizan' } }), allowed: ['admin1', 'pak1'] },
  'GET /api/v1/parties/:id/webhook': { req: () => ({ url: '/api/v1/parties/PAK/webhook' }), allowed: ['admin1', 'pak1'] },
  'GET /api/v1/parties/:id/webhook/deliveries': { req: () => ({ url: '/api/v1/parties/PAK/webhook/deliveries' }), allowed: ['admin1', 'pak1'] },
  // Rows run in order: the webhook set above is there to be removed by each allowed caller (a second removal reports cleared: false).
  'DELETE /api/v1/parties/:id/webhook': { req: () => ({ url: '/api/v1/parties/PAK/webhook' }), allowed: ['admin1', 'pak1'] },
};

/**
 * A file a monitor uploaded, fetched by each caller: mediators only. Delegates and admins, who may
 * read other files, get 404 — to them it does not exist — so a party cannot fetch a photo that
 * could place a monitor; roles the policy refuses get 403, anonymous callers 401.
 */
export const monitorFileRows = (): { url: string; expected: Record<Who, number> } => ({
  url: `/api/v1/evidence/${monitorSample}`,
  expected: { anonymous: 401, admin1: 404, mediator1: 200, pak1: 404, afg1: 404, monitor1: 403, analyst1: 403 },
});

export const evidenceSetup: MatrixSetup = async (t, as) => {
  sample = (await addEvidence(t.app, SYSTEM, Buffer.from(`matrix sample for ${EVERYONE.length} callers`), { mediaType: 'text/plain' })).sha256;
  const r = await as('monitor1', 'POST', '/api/v1/evidence?filename=photo.json', { photo: 'taken by a monitor at Barmal' });
  if (r.statusCode !== 201) throw new Error(`the monitor's upload failed: ${r.body}`);
  monitorSample = (JSON.parse(r.body) as { sha256: string }).sha256;
};
