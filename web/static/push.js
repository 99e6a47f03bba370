// "Tell me on this phone": shown only where the browser can, asking for permission only after the tap.
(function () {
  var box = document.getElementById("push");
  if (!box || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification ||
      Notification.permission === "denied") return;
  var start = box.querySelector("[data-push=start]"), stop = box.querySelector("[data-push=stop]"),
      said = box.querySelector("[role=status]");

  function show(on, words) {
    start.hidden = on; stop.hidden = !on; said.textContent = words || ""; box.hidden = false;
    start.disabled = stop.disabled = false;
  }
  function post(path, sub) {
    var body = new URLSearchParams(), keys = sub.toJSON().keys || {};
    body.set("endpoint", sub.endpoint);
    if (path === box.dataset.save) { body.set("p256dh", keys.p256dh || ""); body.set("auth", keys.auth || ""); }
    return fetch(path, { method: "POST", body: body, credentials: "same-origin",
                         headers: { "X-CSRF-Token": box.dataset.csrf } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); });
  }
  function key() {
    var s = box.dataset.key.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(s + "====".slice(s.length % 4 || 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  }
  function mine() {
    return navigator.serviceWorker.getRegistration("/")
      .then(function (reg) { return reg ? reg.pushManager.getSubscription() : null; });
  }

  // the server's count says whether this person still has a phone told (My data can stop them all)
  mine().then(function (sub) {
    var on = !!sub && box.dataset.phones !== "0";
    show(on, on ? box.dataset.on : "");
  }, function () { show(false); });

  start.addEventListener("click", function () {
    start.disabled = true;
    Notification.requestPermission().then(function (answer) {
      if (answer !== "granted") throw "denied";
      return navigator.serviceWorker.register("/sw.js", { scope: "/" });
    }).then(function () { return navigator.serviceWorker.ready; })
      .then(function (reg) {
        // a fresh one: an old one may have been made with another key, or stopped from My data
        return reg.pushManager.getSubscription().then(function (old) { return old && old.unsubscribe(); })
          .then(function () {
            return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() });
          });
      })
      .then(function (sub) { return post(box.dataset.save, sub); })
      .then(function () { show(true, box.dataset.on); },
            function (e) { show(false, e === "denied" ? box.dataset.denied : box.dataset.failed); });
  });

  stop.addEventListener("click", function () {
    stop.disabled = true;
    mine().then(function (sub) {
      if (!sub) return;
      return post(box.dataset.stop, sub).then(function () { return sub.unsubscribe(); });
    }).then(function () { show(false, box.dataset.off); }, function () { show(true, box.dataset.failed); });
  });
})();
