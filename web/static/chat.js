// Progressive enhancement for the chat form. The page works without this file.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("ask-form");
    if (!form) return;
    var box = document.getElementById("question");
    var count = form.querySelector("[data-count]");
    var counter = document.getElementById("counter");
    var max = parseInt(box.getAttribute("maxlength"), 10) || 2000;

    function updateCount() {
      var n = box.value.length;
      count.textContent = n.toLocaleString(document.documentElement.lang || "en");
      counter.classList.toggle("near-limit", n > max * 0.9);
    }
    box.addEventListener("input", updateCount);
    updateCount();

    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (box.value.trim()) form.requestSubmit();
      }
    });

    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (event.detail.elt === form && !box.value.trim()) event.preventDefault();
    });

    document.body.addEventListener("htmx:afterSwap", function (event) {
      var target = event.detail.target;
      if (!target || target.id !== "conversation") return;
      if (event.detail.requestConfig && event.detail.requestConfig.elt === form) {
        box.value = "";
        updateCount();
      }
      var replies = target.querySelectorAll(".msg-bot");
      var last = replies[replies.length - 1];
      if (last) last.scrollIntoView({ block: "nearest" });
      box.focus();
    });

    var reset = document.getElementById("new-conversation");
    if (reset) {
      reset.addEventListener("click", function (event) {
        event.preventDefault();
        document.getElementById("conversation").innerHTML = "";
        box.value = "";
        updateCount();
        box.focus();
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
