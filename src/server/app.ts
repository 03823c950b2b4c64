import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Mizan } from '../app/mizan.js';
import { MizanError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import { ANONYMOUS } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { errorBody, HTTP_STATUS, toMizanError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { securityHeaders } from './security.js';
import { addStreamedBodyParsers } from './streamed-body.js';
import type { RouteDef } from './route.js';
import { allRoutes } from './routes/index.js';

export interface ServerOptions {
  readonly app: Mizan;
  /** Resolves who is calling; the accounts module supplies it. */
  readonly authenticate?: (req: FastifyRequest, reply: FastifyReply) => Promise<Principal>;
  readonly logger?: boolean | object;
  readonly extraRoutes?: readonly RouteDef[];
  /** Extra plugins registered on the instance (log serving, static web app). */
  readonly plugins?: readonly ((f: FastifyInstance) => Promise<void> | void)[];
  readonly version?: string;
}

const MAX_BODY = 2 * 1024 * 1024;

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const f = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: MAX_BODY,
    // Ids and cursors come from the URL; keep them bounded.
    routerOptions: { maxParamLength: 300 },
    return503OnClosing: true,
  });
  const routes = [...allRoutes, ...(opts.extraRoutes ?? [])];
  const authenticate = opts.authenticate ?? (async () => ANONYMOUS);
  const openapi = openApiDocument(routes, opts.version ?? '0.1.0');

  securityHeaders(f);
  f.setErrorHandler((err, req, reply) => {
    const e = toMizanError(err, { mediaTypes: (req.routeOptions.config as { mediaTypes?: string[] } | undefined)?.mediaTypes, contentType: req.headers['content-type'] });
    if (e.code === 'INTERNAL') req.log.error({ err }, 'unhandled error');
    void reply.status(HTTP_STATUS[e.code]).send(errorBody(e));
  });
  f.setNotFoundHandler((req, reply) => {
    const e = new MizanError('NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`);
    void reply.status(404).send(errorBody(e));
  });

  const principals = new WeakMap<FastifyRequest, Principal>();
  f.get('/api/v1/openapi.json', async () => openapi);
  const addRoute = (scope: FastifyInstance, r: RouteDef) => {
    scope.route({
      method: r.method,
      url: r.url,
      // Read by the error handler to name what this route accepts in a 415.
      config: { mediaTypes: r.streamedBody?.mediaTypes ?? [] },
      // Who is calling is settled before the body is even parsed: an anonymous write gets 401, not 400.
      onRequest: async (request, reply) => {
        const principal = await authenticate(request, reply);
        if (r.access !== 'public' && principal.kind === 'anonymous') throw new MizanError('UNAUTHENTICATED', 'sign in first: this route needs an account');
        principals.set(request, principal);
      },
      handler: async (request, reply) => {
        const principal = principals.get(request) ?? ANONYMOUS;
        const params = r.params ? parseOrThrow(r.params, request.params, 'the path') : (request.params as Record<string, string>);
        const query = r.query ? parseOrThrow(r.query, request.query ?? {}, 'the query') : (request.query as Record<string, unknown>);
        const result = await r.handler({ app: opts.app, principal, params, query, body: request.body, request, reply });
        if (reply.sent) return reply;
        void reply.status(r.status ?? 200);
        return result;
      },
    });
  };
  // Routes that take something other than JSON get their own scope, so that only they accept it.
  for (const r of routes) {
    const { streamedBody: streamed, rawBody: raw } = r;
    if (streamed)
      await f.register(async (scope) => {
        addStreamedBodyParsers(scope, streamed.mediaTypes, streamed.limit);
        addRoute(scope, r);
      });
    else if (raw)
      // File uploads: any content type, as a byte-limited stream.
      await f.register(async (scope) => {
        scope.removeAllContentTypeParsers();
        addStreamedBodyParsers(scope, ['*'], raw.limit);
        addRoute(scope, r);
      });
    else addRoute(f, r);
  }
  for (const plugin of opts.plugins ?? []) await plugin(f);
  return f;
}

export { allRoutes };
