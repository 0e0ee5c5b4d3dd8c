// Harbour's service worker: after a first visit the app and the directory keep working
// without a connection — on the street, in a car, with no signal. It caches only the
// app's own files and directory reads; nothing else (and never a response the server
// marks no-store, such as anything showing a confidential address) is ever stored.
const VERSION = '{{HASH}}';
// The main module and what it imports at once; screens split into their own chunks
// (participants, referrals, dashboard, forms) are fetched when opened, online.
const SHELL = ['/', '{{ASSETS}}/web.js', '{{ASSETS}}/__wasm_split.js', '{{ASSETS}}/web_bg.wasm', '{{ASSETS}}/boot.js', '{{ASSETS}}/style.css'];
const SHELL_CACHE = `harbour-shell-${VERSION}`;
const DIRECTORY_CACHE = 'harbour-directory';
const DIRECTORY_READS = [/^\/api\/v1\/services(\/search|\/[^/]+)?$/, /^\/api\/v1\/taxonomy_terms$/, /^\/api\/v1\/regions$/, /^\/api\/v1\/instance$/];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('harbour-shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The network first, so partners always see the latest capacity; the saved copy when offline.
async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    const storable = response.ok && !(response.headers.get('Cache-Control') || '').includes('no-store');
    if (storable) await cache.put(key, response.clone());
    return response;
  } catch (offline) {
    const saved = await cache.match(key, { ignoreVary: true });
    if (saved) return saved;
    throw offline;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    if (DIRECTORY_READS.some((pattern) => pattern.test(url.pathname))) {
      // Keyed by URL alone: the same directory page, whoever's token asked for it.
      event.respondWith(networkFirst(request, DIRECTORY_CACHE, new Request(url.href)));
    }
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_CACHE, new Request('/')));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
