import type { MatrixCase } from './types.js';
import { uid } from './types.js';

const TEXT = 'Pakistani jets bombed homes in Barmal district of Paktika on Friday evening, killing 10 civilians, Taliban officials said.';

/** Authorization-matrix rows for extraction intake (issue 9 §2). Each caller ingests under its own title. */
export const extractMatrix: Record<string, MatrixCase> = {
  'POST /api/v1/extract/ingest': { req: () => ({ url: '/api/v1/extract/ingest', body: { text: TEXT, published: '2025-10-22', source: { title: uid('Matrix wire') } } }), allowed: ['analyst1', 'mediator1', 'admin1'] },
  'POST /api/v1/extract/link': { req: () => ({ url: '/api/v1/extract/link', body: { dry_run: true } }), allowed: ['analyst1', 'mediator1'] },
};
