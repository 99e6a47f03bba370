// The live page: replace the figures with each fragment the server sends (server-sent events).
(function () {
  var box = document.getElementById("figures");
  if (!box || !window.EventSource) return;
  var source = new EventSource(box.getAttribute("data-stream"));
  source.addEventListener("figures", function (event) {
    var next = document.createElement("div");
    next.innerHTML = event.data;
    var fresh = next.querySelector("#figures");
    if (fresh) box.innerHTML = fresh.innerHTML;
  });
  // leaving through an htmx-boosted link keeps the document: close the stream with the page
  document.addEventListener("htmx:beforeSwap", function () { source.close(); }, { once: true });
})();
