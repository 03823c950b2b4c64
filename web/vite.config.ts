import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';

// The web app is a static bundle served by the Fastify server (src/server/web.ts) on the API's
// origin. Nothing here may point at another origin: the page loads only its own files.
const root = new URL('.', import.meta.url).pathname;

/**
 * Emits /sw.js (from web/sw/sw.js) with the list of files to keep for offline use: the page and
 * every built file except WOFF fonts (every browser that runs service workers reads WOFF2) and
 * the district boundaries (drawn only when zoomed in; 0.7 MB). The version is the digest of the
 * list, so a new build replaces the old cache.
 */
function offlineShell(): Plugin {
  return {
    name: 'mizan-offline-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && !f.endsWith('.woff') && !/adm2-[^/]*\.geojson$/.test(f) && !f.endsWith('.map'))
        .map((f) => `/${f}`)
        .sort();
      const precache = ['/index.html', ...files];
      const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 16);
      const template = readFileSync(new URL('./sw/sw.js', import.meta.url), 'utf8');
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: template.replace("'__MIZAN_VERSION__'", JSON.stringify(version)).replace('__MIZAN_PRECACHE__', JSON.stringify(precache)) });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  plugins: [react(), offlineShell()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Never inline assets as data: URLs — fonts and GeoJSON are fetched from 'self' under a strict CSP.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1100,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    port: 5173,
    // `npx vite --config web/vite.config.ts` during development, with `mizan serve --port 8080` running.
    proxy: { '/api': 'http://127.0.0.1:8080', '/log': 'http://127.0.0.1:8080' },
    fs: { allow: ['..'] },
  },
});
