// Ruam's service worker: shows a push as a notice, and opens its page when tapped. It keeps nothing offline.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  event.waitUntil(self.registration.showNotification(data.title || "Ruam", {
    body: data.body || "", icon: "/static/favicon.svg", tag: data.tag, data: { url: data.url || "/" }
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  // only a page of this site, whatever the push said
  var url = new URL(event.notification.data && event.notification.data.url || "/", self.location.origin);
  if (url.origin !== self.location.origin) url = new URL("/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (open) {
    for (var i = 0; i < open.length; i++) {
      if (open[i].url === url.href && "focus" in open[i]) return open[i].focus();
    }
    return self.clients.openWindow(url.href);
  }));
});
