/* Spine Routine service worker (classic script, rendered by the server).
 * Scripts, styles, icons and pictures, and the pages, routine and words of
 * each language in use, are precached at install, so the app opens with no
 * network after the first visit. A language used for the first time is cached
 * when a page of it asks (USE_LANGUAGE), so it works offline from then on. */
"use strict";

const VERSION = {{ version | tojson }};
const PREFIX = "spine-routine-";
const CACHE = PREFIX + VERSION;
const PRECACHE = {{ precache | tojson }};
// What each language adds: its pages, routine, manifest and words.
const LANGUAGES = {{ languages | tojson }};
const SOURCE = {{ source | tojson }};
// The languages in use and the current one, kept across versions (not a
// versioned cache), so a new version precaches what the user reads.
const PREFS_CACHE = "spine-prefs";
const PREFS_URL = "/__prefs";
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
  // A page in a language: remember it, and make sure it works offline.
  if (event.data && event.data.type === "USE_LANGUAGE") {
    const reply = event.ports[0];
    event.waitUntil(useLanguage(event.data.lang).then(
      () => reply && reply.postMessage({ ok: true }),
      (error) => reply && reply.postMessage({ ok: false, error: String(error) })));
  }
  // A language chosen in the app, just before the page moves to it: offline,
  // "/" and the other unprefixed pages open in it from now on, as online.
  if (event.data && event.data.type === "CHOOSE_LANGUAGE") {
    const reply = event.ports[0];
    event.waitUntil(chooseLanguage(event.data.lang).then(
      () => reply && reply.postMessage({ ok: true }),
      (error) => reply && reply.postMessage({ ok: false, error: String(error) })));
  }
});

/** The language a path is in: "/es/workout" → "es"; "/workout" → the source. */
function languageOf(path) {
  const match = /^\/([a-z]{2})(\/|$)/.exec(path);
  return match && LANGUAGES[match[1]] && match[1] !== SOURCE ? match[1] : SOURCE;
}

/** A page's address in a language: ("/offline", "es") → "/es/offline". */
function inLanguage(path, lang) {
  if (lang === SOURCE) return path;
  return path === "/" ? `/${lang}/` : `/${lang}${path}`;
}

async function readPrefs() {
  const cache = await caches.open(PREFS_CACHE);
  const response = await cache.match(PREFS_URL);
  const prefs = response ? await response.json().catch(() => ({})) : {};
  const languages = (prefs.languages || []).filter((lang) => LANGUAGES[lang]);
  return { current: LANGUAGES[prefs.current] ? prefs.current : null, languages };
}

async function writePrefs(prefs) {
  const cache = await caches.open(PREFS_CACHE);
  await cache.put(PREFS_URL, new Response(JSON.stringify(prefs),
    { headers: { "Content-Type": "application/json" } }));
}

async function useLanguage(lang) {
  if (!LANGUAGES[lang]) throw new Error(`unknown language ${lang}`);
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const url of LANGUAGES[lang]) if (!(await cache.match(url))) missing.push(url);
  await store(cache, missing);
  const prefs = await readPrefs();
  await writePrefs({ current: lang, languages: [...new Set([lang, ...prefs.languages])] });
}

async function chooseLanguage(lang) {
  if (!LANGUAGES[lang]) throw new Error(`unknown language ${lang}`);
  const prefs = await readPrefs();
  await writePrefs({ current: lang, languages: prefs.languages });
}

// Background Sync: the sync engine lives in the pages (an ES module, which a
// classic worker cannot import), so ask an open page to run it.
self.addEventListener("sync", (event) => {
  if (event.tag !== "spine-sync") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((pages) => {
    for (const page of pages) page.postMessage({ type: "SYNC_NOW" });
  }));
});

// A reminder from the server (Web Push): show it; a tap opens the workout.
// The server words it in the language of the account's settings.
const ICON = {{ icon | tojson }};
const REMINDER = { title: "Spine Routine", body: "", url: "/workout" };

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
  // The languages in use, and the language of any page open now (the one
  // installing this worker the first time).
  const prefs = await readPrefs();
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const languages = new Set([...prefs.languages,
    ...pages.map((page) => languageOf(new URL(page.url).pathname))]);
  if (!languages.size) languages.add(SOURCE);
  const urls = [...PRECACHE, ...[...languages].flatMap((lang) => LANGUAGES[lang])];
  await store(await caches.open(CACHE), urls);
  await writePrefs({ current: prefs.current, languages: [...languages] });
}

async function store(cache, urls) {
  await Promise.all(urls.map(async (url) => {
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
  const url = new URL(event.request.url);
  const path = url.pathname;
  if (languageOf(path) === SOURCE) {
    // The home screen opens "/", and links lead to "/workout": offline, they go
    // where the server would send them, the language last used on this device.
    const { current } = await readPrefs();
    const there = current && current !== SOURCE ? inLanguage(path, current) : null;
    if (there && (await cache.match(there))) return Response.redirect(there + url.search, 302);
  }
  return (await cache.match(path))
    || (await cache.match(inLanguage(OFFLINE_URL, languageOf(path))))
    || (await cache.match(OFFLINE_URL)) || Response.error();
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
  // One copy per language (the query names it), whatever else the URL carries.
  const lang = new URL(request.url).searchParams.get("lang");
  const key = `${ROUTINE_URL}?lang=${LANGUAGES[lang] ? lang : SOURCE}`;
  const cached = await cache.match(key);
  const refresh = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) await cache.put(key, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}
