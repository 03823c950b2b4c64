import type { FastifyInstance } from 'fastify';
import type { Mizan } from '../app/mizan.js';
import { buildServer } from './app.js';
import { authenticator } from './auth.js';
import { logRoutesPlugin } from './log-routes.js';
import { webAppPlugin } from './web.js';
import { taxiiPlugin } from './taxii.js';
import { smsFormBodyPlugin } from './routes/monitors.js';
import { join } from 'node:path';
import { packageRoot } from '../cli/paths.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly logger?: boolean | object;
}

/** Compose the HTTP server for an opened application and start listening. */
export async function createHttpServer(app: Mizan, logger: boolean | object = false): Promise<FastifyInstance> {
  return buildServer({ app, authenticate: authenticator(app), logger, plugins: [smsFormBodyPlugin, logRoutesPlugin(app), taxiiPlugin(app), webAppPlugin(join(packageRoot(), 'web', 'dist'))] });
}

export async function serve(app: Mizan, opts: ServeOptions): Promise<FastifyInstance> {
  const server = await createHttpServer(app, opts.logger ?? false);
  await server.listen({ port: opts.port, host: opts.host });
  return server;
}
