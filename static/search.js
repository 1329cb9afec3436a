// brief search: loads search-index.json from this site (no other requests), indexes it with
// the vendored MiniSearch (see minisearch.LICENSE.txt) and lists results as you type.
// Index layout (version 1): docs are [slug, title, date, themes, actors, tags, summary, body,
// status], where themes, actors and tags are indices into the index's own lists.
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || typeof MiniSearch === "undefined") return;
  var input = form.querySelector("input[name=q]");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var LIMIT = 50;
  var data = null;
  var index = null;
  var loading = null;

  function names(table, ids, withAliases) {
    return ids.map(function (i) {
      var row = table[i] || [];
      return withAliases && row[2] ? row[1] + " " + row[2] : row[1] || "";
    }).join(" ");
  }

  function load() {
    if (!loading) {
      status.textContent = "Loading the search index…";
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) {
          if (!r.ok) throw new Error("HTTP " + r.status);
          return r.json();
        })
        .then(function (json) {
          if (json.v !== 1) throw new Error("unknown index version " + json.v);
          data = json;
          index = new MiniSearch({
            fields: ["title", "summary", "actors", "themes", "tags", "body"],
            storeFields: [],
            searchOptions: {
              boost: { title: 3, actors: 2, themes: 2, tags: 2 },
              prefix: true,
              fuzzy: 0.2,
              combineWith: "AND"
            }
          });
          // In chunks, so the page stays responsive while a large index is built.
          return index.addAllAsync(json.docs.map(function (d, i) {
            return {
              id: i,
              title: d[1],
              themes: names(json.themes, d[3]),
              actors: names(json.actors, d[4], true),
              tags: names(json.tags, d[5]),
              summary: d[6],
              body: d[7]
            };
          }), { chunkSize: 500 });
        })
        .then(function () {
          status.textContent = "";
        })
        .catch(function (err) {
          status.textContent = "The search index could not be loaded (" + err.message + ").";
          loading = null;
          throw err;
        });
    }
    return loading;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function render(query) {
    list.textContent = "";
    if (!query) {
      status.textContent = "";
      return;
    }
    var hits = index.search(query);
    var shown = hits.slice(0, LIMIT);
    shown.forEach(function (hit) {
      var d = data.docs[hit.id];
      var li = el("li", "search-result");
      var a = el("a", "search-title", d[1]);
      a.href = data.base + "briefings/" + d[0] + "/";
      li.appendChild(a);
      var meta = [d[2]];
      if (d[3].length) meta.push(names(data.themes, d[3].slice(0, 1)));
      if (d[8]) meta.push(d[8].charAt(0).toUpperCase() + d[8].slice(1));
      li.appendChild(el("p", "search-meta", meta.join(" · ")));
      if (d[6]) li.appendChild(el("p", "search-summary", d[6]));
      list.appendChild(li);
    });
    if (!hits.length) status.textContent = "No briefings match “" + query + "”.";
    else if (hits.length > LIMIT) status.textContent = hits.length + " results; showing the best " + LIMIT + ".";
    else status.textContent = hits.length + (hits.length === 1 ? " result." : " results.");
  }

  function update(push) {
    var q = input.value.trim();
    var url = new URL(window.location.href);
    if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
    window.history[push ? "pushState" : "replaceState"](null, "", url);
    load().then(function () { render(q); }, function () {});
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { update(false); }, 120);
  });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearTimeout(timer);
    update(true);
    var first = list.querySelector("a");
    if (first) first.focus();
  });
  input.addEventListener("focus", function () { load().catch(function () {}); });

  // Arrow keys move between the box and the results; Escape returns to the box.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown") {
      var all = links();
      if (all.length) { ev.preventDefault(); all[0].focus(); }
    }
  });
  list.addEventListener("keydown", function (ev) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (i < 0) return;
    if (ev.key === "ArrowDown" && i + 1 < all.length) { ev.preventDefault(); all[i + 1].focus(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    else if (ev.key === "Home") { ev.preventDefault(); all[0].focus(); }
    else if (ev.key === "End") { ev.preventDefault(); all[all.length - 1].focus(); }
    else if (ev.key === "Escape") { ev.preventDefault(); input.focus(); }
  });

  window.addEventListener("popstate", function () {
    input.value = new URL(window.location.href).searchParams.get("q") || "";
    load().then(function () { render(input.value.trim()); }, function () {});
  });

  var initial = new URL(window.location.href).searchParams.get("q");
  if (initial) {
    input.value = initial;
    load().then(function () { render(initial.trim()); }, function () {});
  }
})();
