// Small progressive enhancements; every form works without this file.
(function () {
  "use strict";
  var menu = document.querySelector(".menu-toggle");
  if (menu && window.matchMedia("(max-width: 48rem)").matches) menu.removeAttribute("open");
  // Consolidation editor: "quote" puts a passage into the last focused paragraph and records its source opinion.
  var lastPara = null;
  document.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("textarea[data-paragraph]")) lastPara = t;
  });
  document.addEventListener("click", function (e) {
    var b = e.target && e.target.closest ? e.target.closest("button[data-quote]") : null;
    if (!b) return;
    e.preventDefault();
    var para = lastPara || document.querySelector("textarea[data-paragraph]");
    if (!para) return;
    para.value = (para.value ? para.value + "\n" : "") + "“" + b.getAttribute("data-quote") + "”";
    var src = document.getElementById(para.getAttribute("data-sources"));
    if (src) {
      var ids = src.value ? src.value.split(/\s*,\s*/) : [];
      var id = b.getAttribute("data-source");
      if (ids.indexOf(id) < 0) ids.push(id);
      src.value = ids.join(",");
    }
    para.focus();
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
