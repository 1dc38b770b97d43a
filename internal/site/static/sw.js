// stenose service worker: after one visit the session player and walk mode
// work without network. Served at /sw.js (scope /). It only handles GET
// requests to this site:
//  - /static/ (fingerprinted, immutable) and /images/: cache first;
//  - the player and walk pages: network first (5 s), else the cached copy.
// Everything else goes to the network untouched. The pages post the URLs
// they need ({cache: [...]}) so they are kept from the first visit on.
// Bump VERSION to drop every old cache.
"use strict";

const VERSION = "stenose-v1";
const PAGE = /^(\/en)?\/(program\/[^/]+\/traening|gang)$/;
const ASSET = /^\/(static|images)\//;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (e) => e.waitUntil((async () => {
  for (const k of await caches.keys()) if (k.startsWith("stenose-") && k !== VERSION) await caches.delete(k);
  await self.clients.claim();
})()));

const ours = (u) => u.origin === location.origin && (PAGE.test(u.pathname) || ASSET.test(u.pathname));

self.addEventListener("message", (e) => {
  const list = e.data && e.data.cache;
  if (!Array.isArray(list)) return;
  e.waitUntil(caches.open(VERSION).then((c) => Promise.all(list.slice(0, 100).map(async (s) => {
    try {
      const u = new URL(s, location.href);
      u.hash = "";
      if (!ours(u) || (await c.match(u, { ignoreVary: true }))) return; // fresh pages come via fetch
      const res = await fetch(u);
      if (res.ok) await c.put(u, res);
    } catch { /* offline or gone: the next visit tries again */ }
  }))));
});

self.addEventListener("fetch", (e) => {
  const r = e.request, u = new URL(r.url);
  if (r.method !== "GET" || !ours(u)) return;
  e.respondWith(ASSET.test(u.pathname) ? cacheFirst(e, u) : networkFirst(r, u));
});

// /static/ files are kept as they are fetched; images only when a page
// asked for them (so article images do not pile up), then refreshed in the
// background in case a drawing changed.
async function cacheFirst(e, u) {
  const c = await caches.open(VERSION);
  const hit = await c.match(u, { ignoreVary: true });
  const keep = (res) => {
    if (res.ok && res.type === "basic") c.put(u, res.clone()).catch(() => {});
    return res;
  };
  const image = u.pathname.startsWith("/images/");
  if (!hit) return image ? fetch(e.request) : fetch(e.request).then(keep);
  if (image) e.waitUntil(fetch(e.request).then(keep).catch(() => {}));
  return hit;
}

async function networkFirst(r, u) {
  const c = await caches.open(VERSION);
  u.search = "";
  const cached = () => c.match(u, { ignoreVary: true });
  const net = fetch(r).then((res) => {
    if (res.ok && !res.redirected) c.put(u, res.clone()).catch(() => {});
    return res;
  });
  const slow = new Promise((ok) => setTimeout(ok, 5000)).then(async () => (await cached()) || net);
  try {
    return await Promise.race([net, slow]);
  } catch {
    return (await cached()) || Response.error();
  }
}
