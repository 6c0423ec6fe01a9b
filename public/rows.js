// The editors' rows with JavaScript (report editor, opinion form): the buttons that post the form
// without it — add, up, down, remove, quote — act in the page instead. Field names, button values
// and numbers follow the new order, then the form's autosave keeps the change. Without this file
// the same buttons post the form and the server does the same (server/http/pages/forms/rowActions.ts).
(function () {
  "use strict";
  if (!document.querySelector("[data-list]")) return;
  var counter = 0;
  var lastPara = null;
  var picked = null;

  function rowsOf(list) {
    return Array.prototype.filter.call(list.children, function (c) {
      return c.hasAttribute("data-row");
    });
  }
  function listNamed(form, name) {
    return form.querySelector('[data-list="' + name.replace(/["\\]/g, "\\$&") + '"]');
  }
  function changed(el) {
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Every field, nested list and button of row i says `prefix[i]`; the row's own numbers say i + 1.
  function renumber(list) {
    var prefix = list.getAttribute("data-list");
    var esc = prefix.replace(/[[\]]/g, "\\$&");
    var atStart = new RegExp("^" + esc + "\\[\\d+\\]");
    var inAction = new RegExp("^(\\w+:)" + esc + "\\[\\d+\\]");
    rowsOf(list).forEach(function (row, i) {
      var here = prefix + "[" + i + "]";
      row.querySelectorAll("[name], [data-list]").forEach(function (el) {
        if (el.getAttribute("name") === "action") el.value = el.value.replace(inAction, "$1" + here);
        else if (el.hasAttribute("name")) el.setAttribute("name", el.getAttribute("name").replace(atStart, here));
        if (el.hasAttribute("data-list"))
          el.setAttribute("data-list", el.getAttribute("data-list").replace(atStart, here));
      });
      row.querySelectorAll("[data-num]").forEach(function (el) {
        if (el.closest("[data-row]") === row) el.textContent = String(i + 1);
      });
      row.querySelectorAll("[data-list]").forEach(renumber);
    });
  }

  function addRow(form, button) {
    var name = button.value.replace(/^add:/, "");
    var list = listNamed(form, name);
    var tpl = form.querySelector('template[data-template="' + button.getAttribute("data-row-add") + '"]');
    if (!list || !tpl) return;
    var id = "n" + ++counter;
    var html = tpl.innerHTML
      .replace(/__LIST__/g, name)
      .replace(/__ID__/g, id)
      .replace(/__NUMERAL__/g, list.getAttribute("data-numeral") || "");
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var row = holder.content.firstElementChild;
    list.appendChild(row);
    renumber(list);
    var first = row.querySelector("input:not([type=hidden]), textarea");
    if (first) first.focus();
    changed(list);
  }

  function moveRow(button) {
    var row = button.closest("[data-row]");
    var list = row && row.parentElement;
    if (!list || !list.hasAttribute("data-list")) return;
    var rows = rowsOf(list);
    var i = rows.indexOf(row);
    var op = button.getAttribute("data-row-op");
    if (op === "up" && i > 0) list.insertBefore(row, rows[i - 1]);
    else if (op === "down" && i < rows.length - 1) list.insertBefore(rows[i + 1], row);
    else if (op === "remove") {
      var next = rows[i + 1] || rows[i - 1];
      row.remove();
      var focus = next ? next.querySelector("input:not([type=hidden]), textarea") : null;
      if (focus) focus.focus();
    } else return;
    renumber(list);
    if (op !== "remove") button.focus();
    changed(list);
  }

  // Quoting: the passage selected in an opinion (or the whole part when nothing is selected) goes
  // into the paragraph last written in, at its cursor, with its source; the citation is recorded.
  function selectedPassage() {
    var sel = window.getSelection();
    var text = sel ? sel.toString().trim() : "";
    var node = sel && sel.anchorNode;
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var passage = el && el.closest("[data-passage]");
    return text && passage ? { passage: passage, text: text } : null;
  }

  function targetParagraph(form) {
    if (lastPara && document.body.contains(lastPara)) return lastPara;
    var into = document.getElementById("cite-into");
    var list = into && listNamed(form, into.value);
    return (list || form).querySelector("textarea[data-paragraph]");
  }

  function cite(form, button) {
    var chosen = picked || selectedPassage();
    picked = null;
    var passage = chosen ? chosen.passage : button.closest("[data-passage]");
    var text = chosen ? chosen.text : passage.querySelector("[data-passage-text]").textContent.trim();
    var para = targetParagraph(form);
    if (!para) return;
    var quote = "“" + text + "” (" + passage.getAttribute("data-source") + ")";
    var start = para.selectionStart || para.value.length;
    var end = para.selectionEnd || start;
    var before = para.value.slice(0, start);
    para.setRangeText((before && !/\s$/.test(before) ? " " : "") + quote, start, end, "end");
    var cites = document.getElementById(para.getAttribute("data-citations"));
    var key = passage.getAttribute("data-opinion") + "@" + passage.getAttribute("data-part");
    if (cites && cites.value.split(/\s+/).indexOf(key) < 0) cites.value = (cites.value + " " + key).trim();
    var row = para.closest("[data-row]");
    var hint = row && row.querySelector("[data-cited-as]");
    var said = hint ? hint.textContent.trim() : "";
    if (hint)
      hint.textContent =
        (said ? said + "; " : hint.getAttribute("data-prefix") + " ") + passage.getAttribute("data-source");
    para.focus();
    para.dispatchEvent(new Event("input", { bubbles: true }));
  }

  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("textarea[data-paragraph]")) lastPara = e.target;
  });
  // A click on "Trích dẫn" may clear the selection: remember it as the button is pressed.
  document.addEventListener("mousedown", function (e) {
    if (e.target.closest && e.target.closest("button[data-cite]")) picked = selectedPassage();
  });
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button") : null;
    var form = b && (b.form || b.closest("form"));
    if (!form) return;
    if (b.hasAttribute("data-row-add")) addRow(form, b);
    else if (b.hasAttribute("data-row-op")) moveRow(b);
    else if (b.hasAttribute("data-cite")) cite(form, b);
    else return;
    e.preventDefault();
  });
})();
