// Inkroom's app shell, kept for offline use. The board's content lives in IndexedDB (per room);
// this keeps the app page itself, so /r/<room> reloads while the server is down.
//   app pages (/ and /r/<room>): network first, else the last good app page;
//   /assets/* (hashed, never change): cache first; files the current page no longer uses are dropped.
// Nothing else is touched: other pages, /inkroom-board.js, the API, health checks, the WebSocket.
const CACHE = 'inkroom-app-v1';
const SHELL = '/index.html';
/** How long a page load waits for the server before the kept copy is shown. */
const NETWORK_TIMEOUT_MS = 5000;

function isAppPage(url) {
  return url.pathname === '/' || url.pathname === SHELL || url.pathname.startsWith('/r/');
}

function isAppHtml(response) {
  return response.ok && (response.headers.get('content-type') ?? '').includes('text/html');
}

function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
}

/** Keeps `response` as the app page, with the files it loads, and drops assets it no longer uses. */
async function keepShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = assetsOf(html);
  await cache.addAll(assets);
  await cache.put(SHELL, response);
  const wanted = new Set(assets.map((path) => new URL(path, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith('/assets/') && !wanted.has(request.url))
      await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch(SHELL, { cache: 'no-cache' })
      .then((response) => {
        if (!isAppHtml(response)) throw new Error(`app page answered ${response.status}`);
        return keepShell(response);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

async function appPage(event) {
  try {
    const response = await withTimeout(fetch(event.request), NETWORK_TIMEOUT_MS);
    if (isAppHtml(response)) event.waitUntil(keepShell(response.clone()).catch(() => {}));
    // A proxy in front of a stopped server answers 502/503/504: that is offline too.
    if (response.status >= 500) return (await caches.match(SHELL)) ?? response;
    return response;
  } catch (error) {
    const kept = await caches.match(SHELL);
    if (kept) return kept;
    throw error;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && isAppPage(url)) event.respondWith(appPage(event));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
});
