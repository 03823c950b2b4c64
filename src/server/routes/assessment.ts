import { z } from 'zod';
import { assessAll, assessIncidents } from '../../app/assessment.js';
import { AssessmentRow, SEVERITY } from '../../domain/assessment/index.js';
import type { RouteDef } from '../route.js';
import { IdParams, route } from '../route.js';

export const assessmentRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/incidents/:id/assessment',
    summary: 'The incident assessed against every obligation of every agreement: status, reasoning steps and open questions',
    tag: 'assessment',
    access: 'public',
    params: IdParams,
    response: z.array(AssessmentRow),
    handler: async ({ app, principal, params }) => {
      await app.get(principal, 'incidents', params.id);
      return assessIncidents(app, principal, [params.id]);
    },
  }),
  route({
    method: 'GET',
    url: '/api/v1/assessments',
    summary: 'All assessment rows the caller may see, most severe first',
    tag: 'assessment',
    access: 'public',
    query: z.strictObject({
      status: z
        .string()
        .max(200)
        .transform((s) => s.split(',').filter(Boolean))
        .pipe(z.array(z.enum(SEVERITY as unknown as [string, ...string[]])))
        .optional(),
      agreement: z.string().max(128).optional(),
    }),
    response: z.object({ items: z.array(AssessmentRow) }),
    handler: async ({ app, principal, query }) => ({ items: await assessAll(app, principal, { ...(query.status ? { status: query.status } : {}), ...(query.agreement ? { agreement: query.agreement } : {}) }) }),
  }),
];
