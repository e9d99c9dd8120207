/* Clearpath widget: <script src="https://HOST/widget.js" data-partner="ID" async></script>
   Optional: data-position="bottom-left|bottom-right", data-accent="#rrggbb", data-title,
   data-greeting, data-open="true", data-target="#css-selector" (inline instead of a launcher),
   data-lang="es" (else the browser's languages choose). Its own words come translated with the
   partner check (t() marks them for the message catalogue, api/i18n.py).
   No dependencies; never throws into the host page. */
(function () {
  "use strict";
  var s = document.currentScript;
  function warn(m) { try { console.warn("[Clearpath widget] " + m); } catch (e) { /* none */ } }
  try {
    if (!s || !s.src) return;
    var d = s.dataset, id = d.partner, host = new URL(s.src).origin;
    if (!id) return warn("no data-partner attribute, so nothing is shown.");
    var title, lang, messages = {};
    fetch(host + "/widget/v1/partners/" + encodeURIComponent(id) +
      (d.lang ? "?lang=" + encodeURIComponent(d.lang) : ""), { credentials: "omit" })
      .then(function (r) {
        return r.json().then(function (b) {
          if (!r.ok) throw new Error(b && b.error ? b.error.message : "HTTP " + r.status);
          return b;
        });
      })
      .then(start)
      .catch(function (e) { warn("the chat is not shown: " + (e && e.message || e)); });
  } catch (e) { warn("the chat is not shown: " + e); }

  function css(el, rules) { for (var k in rules) el.style[k] = rules[k]; return el; }
  function t(message) { return messages[message] || message; }

  function start(cfg) {
    messages = cfg.messages || {};
    lang = cfg.lang || "en";
    title = d.title || t("Ask Clearpath");
    var src = host + "/embed/" + encodeURIComponent(id) + "?origin=" +
      encodeURIComponent(location.origin) + "&lang=" + encodeURIComponent(lang) +
      (d.title ? "&title=" + encodeURIComponent(d.title) : "") +
      (d.greeting ? "&greeting=" + encodeURIComponent(d.greeting) : "");
    var frame = css(document.createElement("iframe"), {
      border: "0", width: "100%", height: "100%", display: "block", colorScheme: "normal"
    });
    frame.title = title;
    frame.src = src;
    frame.setAttribute("referrerpolicy", "no-referrer");
    var inline = d.target ? document.querySelector(d.target) : null;
    var open, close, ready = false, wanted = false;
    function focusChat() {
      if (ready) frame.contentWindow.postMessage({ type: "clearpath:open" }, host);
      else wanted = true;
    }
    if (inline) {
      css(frame, { height: "560px", minHeight: "420px" });
      inline.appendChild(frame);
    } else {
      var accent = /^#[0-9a-fA-F]{6}$/.test(d.accent || "") ? d.accent : cfg.accent;
      var side = d.position === "bottom-left" ? "left" : "right";
      var box = document.createElement("div");
      var root = box.attachShadow ? box.attachShadow({ mode: "closed" }) : box;
      var button = css(document.createElement("button"), {
        position: "fixed", bottom: "16px", zIndex: "2147483000", padding: "12px 18px",
        minHeight: "48px", borderRadius: "24px", border: "2px solid #fff", cursor: "pointer",
        background: accent, color: "#fff", font: "600 16px/1.2 system-ui, sans-serif",
        boxShadow: "0 2px 8px rgba(0,0,0,.3)"
      });
      button.style[side] = "16px";
      button.type = "button";
      button.textContent = title;
      if (!d.title) button.lang = lang;
      button.setAttribute("aria-expanded", "false");
      var panel = css(document.createElement("div"), {
        position: "fixed", bottom: "76px", zIndex: "2147483000", display: "none",
        width: "min(400px, calc(100vw - 32px))", height: "min(620px, calc(100vh - 96px))",
        background: "#fff", borderRadius: "12px", overflow: "hidden",
        boxShadow: "0 4px 24px rgba(0,0,0,.35)"
      });
      panel.style[side] = "16px";
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-label", title);
      if (!d.title) panel.lang = lang;
      panel.appendChild(frame);
      root.appendChild(panel);
      root.appendChild(button);
      document.body.appendChild(box);
      open = function () {
        panel.style.display = "block";
        button.setAttribute("aria-expanded", "true");
        frame.focus();
        focusChat();
      };
      close = function () {
        panel.style.display = "none";
        button.setAttribute("aria-expanded", "false");
        button.focus();
      };
      button.addEventListener("click", function () {
        if (panel.style.display === "none") open(); else close();
      });
      if (d.open === "true") frame.addEventListener("load", open, { once: true });
    }
    window.addEventListener("message", function (e) {
      if (e.origin !== host || e.source !== frame.contentWindow || !e.data) return;
      var t = e.data.type;
      if (t === "clearpath:ready") { ready = true; if (wanted) { wanted = false; focusChat(); } }
      if (t === "clearpath:close" && close) close();
      if (t === "clearpath:resize" && inline && e.data.height > 0) {
        frame.style.height = Math.min(Math.max(e.data.height, 420), 1600) + "px";
      }
    });
  }
})();
