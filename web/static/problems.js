// When a request gets no answer (no network) or fails without a message of its own, htmx would show
// nothing: say so in #problem, whose words come from the page, in its language. The page and what was
// typed stay as they were.
(function () {
  if (window.ruamProblems) return;
  window.ruamProblems = true;
  function say(key) {
    var shown = document.getElementById("problem");
    if (shown && !shown.textContent.trim()) shown.textContent = shown.getAttribute(key);
  }
  document.addEventListener("htmx:beforeRequest", function () {
    var shown = document.getElementById("problem");
    if (shown) shown.textContent = "";
  });
  document.addEventListener("htmx:sendError", function () { say("data-offline"); });
  document.addEventListener("htmx:timeout", function () { say("data-offline"); });
  // after the swap: a 5xx that brought its own words has put them there already
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail && event.detail.failed) say("data-failed");
  });
})();
