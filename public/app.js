// Small progressive enhancements; every form works without this file.
(function () {
  "use strict";
  var menu = document.querySelector(".menu-toggle");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) menu.removeAttribute("open");
  if (menu) menu.setAttribute("data-ready", "");
  // A table wider than the screen scrolls inside its frame: the frame takes the keyboard focus, so
  // it can be scrolled without a mouse.
  document.querySelectorAll(".table-wrap:not([tabindex])").forEach(function (w) {
    if (w.scrollWidth > w.clientWidth) w.setAttribute("tabindex", "0");
  });
  // Print: folded sections (opinions) print open.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("main details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-printed", "");
    });
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details[data-printed]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-printed");
    });
  });
  // Never lose work: forms marked data-autosave save themselves in the background (the same
  // endpoint as their Save button, with autosave=1) a few seconds after the last change, show the
  // time of the last save, and warn before leaving only while the form holds text not yet sent: a
  // save in flight carries the latest text, and posting the form itself is the person saving it.
  var autosaved = [];
  function autosave(form) {
    var status = form.querySelector("[data-save-status]");
    var delay = parseInt(form.getAttribute("data-autosave-delay") || "5000", 10);
    function content() {
      return new URLSearchParams(new FormData(form)).toString();
    }
    // sent: the form's content as the server has it or is receiving it (null after a failed save).
    var state = { sent: content(), timer: null, saving: false, submitted: false };
    state.unsent = function () {
      return !state.submitted && content() !== state.sent;
    };
    autosaved.push(state);
    function say(text) {
      if (status && text) status.textContent = text;
    }
    function later() {
      if (state.timer) clearTimeout(state.timer);
      state.timer = setTimeout(save, delay);
    }
    function failed(message) {
      state.saving = false;
      state.sent = null;
      say(form.getAttribute("data-failed") + (message ? " " + message : ""));
    }
    function save() {
      state.timer = null;
      var now = content();
      if (state.saving || state.submitted || now === state.sent) return;
      var data = new URLSearchParams(now);
      data.set("autosave", "1");
      data.set("action", "save");
      var type = form.getAttribute("data-autosave-type");
      if (type) data.set("type", type);
      var body = data.toString();
      state.saving = true;
      state.sent = now;
      // keepalive: a save already sent finishes even if the person leaves the page meanwhile
      // (browsers allow it for bodies up to 64 KB; a longer draft saves as before).
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: body.length < 60000,
        headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" },
      })
        .then(function (r) {
          return r.json().then(function (b) {
            return { ok: r.ok, body: b };
          });
        })
        .then(function (x) {
          if (!x.ok) return failed(x.body.error && x.body.error.message);
          state.saving = false;
          // The draft PDF beside the editor shows what was just saved.
          var preview = document.querySelector("iframe[data-refresh-on-save]");
          if (preview) preview.src = preview.getAttribute("src");
          say(x.body.data.message);
          // Typed while this save was on its way: save that too.
          if (content() !== state.sent) later();
        })
        .catch(function () {
          failed("");
        });
    }
    function changed() {
      if (content() === state.sent) return;
      say(form.getAttribute("data-unsaved"));
      later();
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      state.submitted = true;
      if (state.timer) clearTimeout(state.timer);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), autosave);
  window.addEventListener("beforeunload", function (e) {
    for (var i = 0; i < autosaved.length; i++) {
      if (autosaved[i].unsent()) {
        e.preventDefault();
        e.returnValue = "";
        return;
      }
    }
  });
  // Upload forms: show that a long upload or import is under way.
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f && f.getAttribute("enctype") === "multipart/form-data") {
      var p = f.querySelector("progress");
      if (p) p.hidden = false;
    }
  });
})();
