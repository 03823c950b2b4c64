import type { MatrixCase, MatrixSetup } from './types.js';
import { EVERYONE } from './types.js';

const AS_OF = '2025-10-16T00:00:00Z';

/** Authorization-matrix rows for the warning module's routes (in the order they should run). */
export const warningMatrix: Record<string, MatrixCase> = {
  'GET /api/v1/warning': { req: () => ({ url: `/api/v1/warning?as_of=${AS_OF}` }), allowed: EVERYONE },
  'GET /api/v1/warning/indicators': { req: () => ({ url: `/api/v1/warning/indicators?as_of=${AS_OF}` }), allowed: EVERYONE },
  'GET /api/v1/warning/chains': { req: () => ({ url: `/api/v1/warning/chains?as_of=${AS_OF}` }), allowed: EVERYONE },
  'GET /api/v1/warning/alerts': { req: () => ({ url: `/api/v1/warning/alerts?as_of=${AS_OF}` }), allowed: EVERYONE },
  'GET /api/v1/warning/cap': { req: () => ({ url: `/api/v1/warning/cap?as_of=${AS_OF}` }), allowed: EVERYONE },
  // Alert ids are derived from public records of the built-in scenario, so every caller sees this one.
  'GET /api/v1/warning/cap/:id': { req: () => ({ url: `/api/v1/warning/cap/chain-PAK-AFG-INC-20251009-PAKTIKA-3?as_of=${AS_OF}` }), allowed: EVERYONE },
  // Stored alerts are filtered to the caller's visibility levels, so every caller gets a feed.
  'GET /api/v1/warning/alerts.xml': { req: () => ({ url: '/api/v1/warning/alerts.xml' }), allowed: EVERYONE },
};

export const warningSetup: MatrixSetup = async () => {};
