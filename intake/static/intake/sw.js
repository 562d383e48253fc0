// Waystation service worker: pages and static files come from the network when it answers and
// from the copy kept on this device when it does not. It never caches the API or any POST.
"use strict";
const CACHE = "waystation-pages-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/")) return;
  const isStatic = url.pathname.startsWith("/static/");
  const isPage = request.mode === "navigate";
  if (!isStatic && !isPage) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (isStatic && response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
      .catch(() =>
        caches.match(request, { ignoreSearch: isPage, ignoreVary: true }).then(
          (cached) => cached || new Response("", { status: 503, statusText: "Offline" })
        )
      )
  );
});
