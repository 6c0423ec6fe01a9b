// Small progressive enhancements; every form works without this file.
(function () {
  "use strict";
  var menu = document.querySelector(".menu-toggle");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) menu.removeAttribute("open");
  if (menu) menu.setAttribute("data-ready", "");
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
  // time of the last save, and warn before leaving with changes not yet saved.
  var dirtyForms = [];
  function autosave(form) {
    var status = form.querySelector("[data-save-status]");
    var delay = parseInt(form.getAttribute("data-autosave-delay") || "5000", 10);
    var state = { dirty: false, timer: null, saving: false, submitted: false };
    dirtyForms.push(state);
    function say(text) {
      if (status && text) status.textContent = text;
    }
    function save() {
      state.timer = null;
      if (!state.dirty || state.saving) return;
      var data = new URLSearchParams(new FormData(form));
      data.set("autosave", "1");
      data.set("action", "save");
      var type = form.getAttribute("data-autosave-type");
      if (type) data.set("type", type);
      state.saving = true;
      state.dirty = false;
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) {
          return r.json().then(function (b) {
            return { ok: r.ok, body: b };
          });
        })
        .then(function (x) {
          state.saving = false;
          if (x.ok) {
            // The draft PDF beside the editor shows what was just saved.
            var preview = document.querySelector("iframe[data-refresh-on-save]");
            if (preview) preview.src = preview.getAttribute("src");
            return say(x.body.data.message);
          }
          state.dirty = true;
          say(form.getAttribute("data-failed") + (x.body.error ? " " + x.body.error.message : ""));
        })
        .catch(function () {
          state.saving = false;
          state.dirty = true;
          say(form.getAttribute("data-failed"));
        });
    }
    function changed() {
      state.dirty = true;
      say(form.getAttribute("data-unsaved"));
      if (state.timer) clearTimeout(state.timer);
      state.timer = setTimeout(save, delay);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      state.submitted = true;
      state.dirty = false;
      if (state.timer) clearTimeout(state.timer);
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), autosave);
  window.addEventListener("beforeunload", function (e) {
    for (var i = 0; i < dirtyForms.length; i++) {
      var f = dirtyForms[i];
      if (!f.submitted && (f.dirty || f.saving)) {
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
