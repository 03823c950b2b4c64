import { z } from 'zod';
import type { RouteDef } from '../route.js';
import { route } from '../route.js';

export const healthRoutes: RouteDef[] = [
  route({
    method: 'GET',
    url: '/api/v1/health',
    summary: 'Liveness and the state of the store and log',
    tag: 'system',
    access: 'public',
    response: z.object({ status: z.literal('ok'), store: z.string(), log_size: z.number().int(), origin: z.string() }),
    handler: async ({ app }) => ({ status: 'ok' as const, store: app.store.dialect, log_size: await app.log.size(), origin: app.log.origin }),
  }),
];
