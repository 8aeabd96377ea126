/* Spine Routine service worker (classic script, rendered by the server).
 * Every page, the routine, scripts, styles, icons and pictures are precached
 * at install, so the app opens with no network after the first visit. */
"use strict";

const VERSION = {{ version | tojson }};
const PREFIX = "spine-routine-";
const CACHE = PREFIX + VERSION;
const PRECACHE = {{ precache | tojson }};
const OFFLINE_URL = "/offline";
const ROUTINE_URL = "/api/v1/routine";
// Past this, a navigation is answered from the cache: a phone on one bar of
// signal should not stare at a blank screen.
const NAVIGATION_TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(precache());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(Promise.all([deleteOldCaches(), enableNavigationPreload()])
    .then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data && event.data.type === "GET_VERSION" && event.ports[0]) {
    event.ports[0].postMessage({ version: VERSION });
  }
});

// Background Sync: the sync engine lives in the pages (an ES module, which a
// classic worker cannot import), so ask an open page to run it.
self.addEventListener("sync", (event) => {
  if (event.tag !== "spine-sync") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((pages) => {
    for (const page of pages) page.postMessage({ type: "SYNC_NOW" });
  }));
});

// A reminder from the server (Web Push): show it; a tap opens the workout.
const ICON = {{ icon | tojson }};
const REMINDER = { title: "Time for your back routine",
  body: "Five exercises on your mat, at your own pace.", url: "/workout" };

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    // Not JSON: the reminder as we always word it.
  }
  const url = typeof message.url === "string" && message.url.startsWith("/") ? message.url : REMINDER.url;
  // One tag: a second reminder replaces the first rather than piling up.
  event.waitUntil(self.registration.showNotification(message.title || REMINDER.title, {
    body: message.body || REMINDER.body, icon: ICON, badge: ICON, tag: "reminder", data: { url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL((event.notification.data && event.notification.data.url) || REMINDER.url,
    self.location.origin).href;
  event.waitUntil(openOrFocus(url));
});

/** Bring an open page of the app to the workout, or open one. */
async function openOrFocus(url) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const page = pages.find((p) => new URL(p.url).origin === self.location.origin);
  if (!page) return self.clients.openWindow(url);
  const moved = page.url === url ? page : await page.navigate(url);
  return (moved || page).focus().catch(() => moved || page);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Other origins and anything but GET are none of our business.
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  } else if (url.pathname === ROUTINE_URL) {
    event.respondWith(staleWhileRevalidate(event, request));
  } else if (url.pathname.startsWith("/api/")) {
    // Sync, accounts, devices and config always go to the network, uncached.
    return;
  } else {
    event.respondWith(cacheFirst(request));
  }
});

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(PRECACHE.map(async (url) => {
    // "reload" skips the HTTP cache, so a new worker never stores an old file.
    const response = await fetch(new Request(url, { cache: "reload" }));
    if (!response.ok || response.redirected) {
      throw new Error(`precache: ${url} answered ${response.status}`);
    }
    await cache.put(url, response);
  }));
}

async function deleteOldCaches() {
  const names = await caches.keys();
  await Promise.all(names
    .filter((name) => name.startsWith(PREFIX) && name !== CACHE)
    .map((name) => caches.delete(name)));
}

async function enableNavigationPreload() {
  // Starts the page request while the worker boots, in parallel with it.
  if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
}

async function navigate(event) {
  try {
    const response = await withTimeout(networkForNavigation(event), NAVIGATION_TIMEOUT_MS);
    if (response) return response;
  } catch (error) {
    // Offline, or too slow: fall through to the copy on the device.
  }
  const cache = await caches.open(CACHE);
  const path = new URL(event.request.url).pathname;
  return (await cache.match(path)) || (await cache.match(OFFLINE_URL)) || Response.error();
}

async function networkForNavigation(event) {
  const preloaded = await event.preloadResponse;
  return preloaded || fetch(event.request);
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
                 (error) => { clearTimeout(timer); reject(error); });
  });
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  // Hashed URLs never change, so any good answer can be kept for next time.
  if (response.ok && !response.redirected && new URL(request.url).pathname.startsWith("/static/")) {
    await cache.put(request, response.clone());
  }
  return response;
}

async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(ROUTINE_URL);
  const refresh = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) await cache.put(ROUTINE_URL, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}
