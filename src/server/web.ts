import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pbf': 'application/x-protobuf',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serve the built web app (web/dist) at / on the same origin as the API, so the session cookie
 * and CSRF header work without CORS. Unknown paths get index.html (client-side routes).
 */
export function webAppPlugin(distDir: string) {
  const root = resolve(distDir);
  return async (f: FastifyInstance) => {
    if (!existsSync(join(root, 'index.html'))) {
      f.get('/', async (_req, reply) =>
        reply.type('text/html; charset=utf-8').send('<!doctype html><title>Mizan</title><p>The web app is not built. Run <code>npm run build:web</code>; the API is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>'),
      );
      return;
    }
    f.get('/*', async (req, reply) => {
      const raw = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
      // The API and the log answer unknown paths with their own JSON 404, never the app's page
      // (/log itself is the app's log page).
      if (/^(api|taxii2)(\/|$)|^log\//.test(raw)) {
        return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route GET /${raw}`, fields: [] } });
      }
      // The path is attacker-controlled: resolve it and refuse anything outside the dist directory.
      const file = resolve(root, normalize(raw));
      const inside = file === root || file.startsWith(root + sep);
      const target = inside && raw !== '' && existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
      const immutable = target.includes(`${sep}assets${sep}`);
      return reply
        .type(TYPES[extname(target)] ?? 'application/octet-stream')
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .send(createReadStream(target));
    });
  };
}
