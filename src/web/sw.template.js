// chatdeck's service worker. tools/post_build.py fills in VERSION (a hash of the
// build) and FILES (everything in dist/) after each Trunk build: a hand-kept list
// would go stale as Trunk hashes file names.
const VERSION = '__VERSION__';
const FILES = __FILES__;
const CACHE = `chatdeck-${VERSION}`;

// Install: precache the whole build. The new worker then waits until the page
// asks it to take over, so a page never runs half on the old build, half on the new.
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

// Activate: drop the caches of older builds.
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('chatdeck-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

// Fetch: cache first for this build's files; the network for anything else (a
// knowledge base at another address, say); the app shell for navigations offline.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const hit = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
      if (hit) return hit;
      try {
        return await fetch(request);
      } catch (error) {
        if (request.mode === 'navigate') {
          const shell = await cache.match('./');
          if (shell) return shell;
        }
        throw error;
      }
    }),
  );
});
