// Inside the widget's iframe: talk to the partner page with postMessage, strict origins only.
(function () {
  "use strict";
  var parent = document.body.getAttribute("data-parent-origin");
  if (!parent || window.parent === window) return;
  function send(message) { window.parent.postMessage(message, parent); }
  var close = document.getElementById("embed-close");
  if (close) close.addEventListener("click", function () { send({ type: "clearpath:close" }); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !document.querySelector(":popover-open")) {
      send({ type: "clearpath:close" });
    }
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== parent || event.source !== window.parent || !event.data) return;
    if (event.data.type === "clearpath:open") {
      var box = document.getElementById("question");
      if (box) box.focus();
    }
  });
  send({ type: "clearpath:ready" });
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      send({ type: "clearpath:resize", height: document.documentElement.scrollHeight });
    }).observe(document.body);
  }
})();
