// brief: small enhancements only; every page works without this file.
(function () {
  "use strict";

  // Home page theme chips: without JS they are links to the theme pages; with JS a click
  // filters the briefings listed on this page in place (a modified click still navigates).
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chips [data-theme]"));
  if (chips.length) {
    var entries = Array.prototype.slice.call(document.querySelectorAll(".timeline .entry[data-themes]"));
    var months = Array.prototype.slice.call(document.querySelectorAll(".timeline .month"));
    var live = document.getElementById("filter-status");
    var active = null;
    var apply = function () {
      var shown = 0;
      entries.forEach(function (e) {
        var ok = !active || (" " + e.getAttribute("data-themes") + " ").indexOf(" " + active + " ") >= 0;
        e.hidden = !ok;
        if (ok) shown++;
      });
      months.forEach(function (m) { m.hidden = !m.querySelector(".entry:not([hidden])"); });
      chips.forEach(function (c) { c.setAttribute("aria-pressed", String(c.getAttribute("data-theme") === active)); });
      if (live) {
        live.textContent = active
          ? "Showing " + shown + " of " + entries.length + " briefings on this page. Press the theme again to show all."
          : "";
      }
    };
    chips.forEach(function (c) {
      c.setAttribute("role", "button");
      c.setAttribute("aria-pressed", "false");
      c.addEventListener("click", function (ev) {
        if (ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey || ev.button !== 0) return;
        ev.preventDefault();
        var t = c.getAttribute("data-theme");
        active = active === t ? null : t;
        apply();
      });
      c.addEventListener("keydown", function (ev) {
        if (ev.key === " ") { ev.preventDefault(); c.click(); }
      });
    });
  }
})();
