// chatdeck's service worker. tools/post_build.py fills in VERSION (a hash of the
// build) and the lists of files after each Trunk build: a hand-kept list would go
// stale as Trunk hashes file names.
const VERSION = '__VERSION__';
// The app shell, what the page loads to start: precached, served cache first.
const SHELL = __SHELL__;
// The default data files: each is fetched when its bot is first opened (not precached:
// the first visit downloads only what the bot on screen uses), served network first so
// that a file edited on the host reaches users at once, and kept for offline use.
const DATA = __DATA__;
// The rest of the build (icons, the manifest, the model worker): cached the first
// time something asks for it, so a first visit downloads only what it uses.
const ON_USE = __ON_USE__;
// Not cached here at all: the model, which the page keeps in a cache of its own.
const OWN_CACHE_PREFIXES = ['model/'];
const CACHE = `chatdeck-${VERSION}`;
// Filled by the page on a first visit (tools/post_build.py, step 1), emptied by install.
const PAGE_COPIES = 'chatdeck-files';
// Trunk names the code and styles after their content.
const CONTENT_NAMED = /-[0-9a-f]{16}(_bg\.wasm|\.js|\.css)$/;
// A data file slower than this is answered from the copy kept (the fresh one is
// still stored when it arrives): a slow network must not keep a bot loading.
const NETWORK_WAIT_MS = 4000;
// Data larger than this is not kept: the page refuses it anyway (the limit of a
// picked file, engine::faq::MAX_FILE_BYTES).
const MAX_DATA_BYTES = 20 * 1024 * 1024;
// When a kept copy was fetched (ms since 1970), stored with it.
const FETCHED_AT = 'x-chatdeck-fetched-at';
// Set on a kept copy served because the network failed: the page says so (src/web/fetch.rs).
const OFFLINE_COPY = 'x-chatdeck-offline-copy';

const scoped = (files) => new Set(files.map((f) => new URL(f, self.registration.scope).href));
const shell = scoped(SHELL);
const data = scoped(DATA);
const onUse = scoped(ON_USE);

/** A copy of `response` with extra headers; its body streams through `limit` bytes at most. */
function withHeaders(response, extra, limit = Infinity) {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  let body = response.body;
  if (body && limit < Infinity) {
    let seen = 0;
    body = body.pipeThrough(new TransformStream({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new Error('too large to keep'));
        else controller.enqueue(chunk);
      },
    }));
  }
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Stores a data file with the time it was fetched (a failure to store is harmless). */
function keep(cache, request, response) {
  return cache.put(request, withHeaders(response, { [FETCHED_AT]: String(Date.now()) }, MAX_DATA_BYTES)).catch(() => {});
}

// Install: precache the shell, and carry over the data files an older build kept (so
// an update keeps every bot working offline). The new worker then waits until the page
// asks it to take over, so a page never runs half on the old build, half on the new.
// On a first visit the page has already downloaded the shell: it leaves a copy of the
// wasm, the bulk of it, in PAGE_COPIES (a content-named file: same name, same bytes),
// taken here instead of downloading it again (WebKit's worker does not share the page's
// HTTP cache).
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    const copies = await caches.open(PAGE_COPIES);
    const missing = [];
    for (const url of shell) {
      const copy = CONTENT_NAMED.test(url) ? await copies.match(url) : undefined;
      if (copy) await cache.put(url, copy);
      else missing.push(url);
    }
    await cache.addAll(missing);
    await caches.delete(PAGE_COPIES);
    const build = /^chatdeck-[0-9a-f]{16}/;
    for (const key of (await caches.keys()).filter((k) => build.test(k) && k !== CACHE)) {
      const old = await caches.open(key);
      for (const url of data) {
        const copy = await old.match(url);
        if (copy && !(await cache.match(url))) await cache.put(url, copy);
      }
    }
  }));
});

// Activate: drop the caches of older builds (only those: other caches are not ours).
self.addEventListener('activate', (event) => {
  const build = /^chatdeck-[0-9a-f]{16}/;
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => build.test(k) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

/** Cache first; what is not cached yet is fetched and kept. */
async function cacheFirst(request, event) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') event.waitUntil(cache.put(request, response.clone()).catch(() => {}));
  return response;
}

/** A page of the app: the cached shell (whatever the query, `?orders=…` included),
 *  else the network, else (offline, another path) the shell. */
async function navigation(request) {
  const cache = await caches.open(CACHE);
  const hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  try {
    return await fetch(request);
  } catch (error) {
    const shellPage = await cache.match(new URL('./', self.registration.scope).href);
    if (shellPage) return shellPage;
    throw error;
  }
}

/** Network first for data: a fresh copy when the network answers (and it is kept),
 *  the kept copy, marked as such, when it fails or is slow. */
async function networkFirst(request, event) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (response.ok) event.waitUntil(keep(cache, request, response.clone()));
    return response;
  });
  const keptCopy = async () => {
    const copy = await cache.match(request);
    if (!copy) return null;
    const fetchedAt = copy.headers.get(FETCHED_AT) ?? String(Date.parse(copy.headers.get('date') ?? ''));
    return withHeaders(copy, { [OFFLINE_COPY]: fetchedAt });
  };
  let timer;
  const slow = new Promise((resolve) => { timer = setTimeout(resolve, NETWORK_WAIT_MS, null); });
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    network.catch(() => {}); // still kept when it arrives; its failure is not an error here
    return (await keptCopy()) ?? network;
  } catch (error) {
    const copy = await keptCopy();
    if (copy) return copy;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const bare = `${url.origin}${url.pathname}`;
  const sameOrigin = url.origin === self.location.origin;
  if (request.mode === 'navigate') {
    if (sameOrigin) event.respondWith(navigation(request));
  } else if (data.has(bare)) {
    event.respondWith(networkFirst(request, event));
  } else if (shell.has(bare) || onUse.has(bare)) {
    event.respondWith(cacheFirst(request, event));
  } else if (sameOrigin && OWN_CACHE_PREFIXES.some((p) => bare.startsWith(new URL(p, self.registration.scope).href))) {
    // The page caches these itself: the network, untouched.
  } else if (request.destination === '' && (sameOrigin || request.mode === 'cors')) {
    // Anything else the page fetches is data (`?orders=URL`, `?faq=URL`).
    event.respondWith(networkFirst(request, event));
  }
});
