// The service worker that lets the monitor's report page open without a network after one
// visit. Built by the offline-shell plugin in web/vite.config.ts, which replaces the two
// placeholders with the build's file list and its digest. Plain JavaScript: it runs as its own
// script under script-src 'self' (the server's CSP), and it touches only this origin.
//
// - The app's files (hashed, immutable) are kept at install and served from the cache first.
// - Pages (navigations) go to the network first, so an online visit always gets the current
//   app; offline, the cached index.html answers, with the CSP header it was served with.
// - The API, the log and TAXII are never cached or answered here: an offline request fails as
//   it would without a service worker, and the page's own queue takes over.
const VERSION = '__MIZAN_VERSION__';
const PRECACHE = __MIZAN_PRECACHE__;
const CACHE = `mizan-shell-${VERSION}`;
const SHELL = '/index.html';
const PASS_THROUGH = /^\/(api|log|taxii2)(\/|$)/;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('mizan-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin || PASS_THROUGH.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    event.respondWith(fetch(req).catch(() => caches.match(SHELL, { cacheName: CACHE }).then((r) => r || Response.error())));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(req, { cacheName: CACHE }).then((r) => r || fetch(req)));
  }
});
