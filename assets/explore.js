/* Cluster Grid: the Explore page. Filters and sorts the rows of explore-data.js (window.CG_EXPLORE).
 *
 * The state (text, facets, sort) lives in the address's fragment, #q=…&country=IN&sort=name&dir=desc,
 * so a view can be bookmarked and shared, survives a reload, and the Back button steps back through
 * changes. Every change of a facet or the sort is one history entry; a run of typing is one.
 * Rows are written with textContent only: record text never becomes markup.
 */
(function () {
  "use strict";
  var data = window.CG_EXPLORE;
  var root = document.getElementById("cg-explore");
  if (!data || !root) return;

  var form = document.getElementById("cg-explore-form");
  var query = document.getElementById("cg-q");
  var count = document.getElementById("cg-count");
  var table = document.getElementById("cg-table");
  var tbody = table.tBodies[0];
  var more = document.getElementById("cg-more");
  var clear = document.getElementById("cg-clear");
  var pageSize = parseInt(root.getAttribute("data-page-size"), 10) || 100;
  var labels = data.labels;
  var rows = data.rows;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
  var settingOrder = Object.keys(labels.setting);

  // The address and the data are read through own properties only: "#sort=__proto__" or a key
  // named "constructor" must find nothing, never a property every object inherits.
  var has = Object.prototype.hasOwnProperty;
  function own(map, key) { return map && has.call(map, key) ? map[key] : undefined; }
  function label(vocab, key) { return key ? (own(labels[vocab], key) || key) : ""; }

  // Text each row is matched against, and the cells it shows, computed once.
  rows.forEach(function (r) {
    r.hay = [r.id, r.name, r.local, r.text].join(" ").toLowerCase();
    r.cells = [r.id, r.name, r.local, label("country", r.country), label("setting", r.setting),
      label("sector", r.sector), label("t.sectoral", r.t.sectoral), label("policy", r.policy),
      r.markets.map(function (m) { return label("market", m); }).join(", "),
      r.grid[0] + " of " + r.grid[1],
      r.needs.map(function (a) { return label("area", a); })
        .concat(r.needs_ed.map(function (a) { return label("area", a) + " (editors' reading)"; })).join("; ")];
  });

  var sortKeys = {
    id: function (r) { return r.id; },
    name: function (r) { return r.name; },
    local: function (r) { return r.local; },
    country: function (r) { return r.cells[3]; },
    setting: function (r) { return settingOrder.indexOf(r.setting); },
    sector: function (r) { return r.cells[5]; },
    sectoral: function (r) { return r.cells[6]; },
    policy: function (r) { return r.cells[7]; },
    markets: function (r) { return r.mrank; },
    grid: function (r) { return r.grid[0]; },
    needs: function (r) { return r.needs.length; }
  };

  var state = read(location.hash);
  var order = null;      // row indexes in the current sort
  var orderKey = "";
  var shown = pageSize;
  var typing = false;

  function read(hash) {
    var params = new URLSearchParams(hash.replace(/^#/, ""));
    var s = { q: params.get("q") || "", facets: {}, sort: params.get("sort") || "id",
              dir: params.get("dir") === "desc" ? "desc" : "asc" };
    if (!has.call(sortKeys, s.sort)) s.sort = "id";
    selects.forEach(function (sel) {
      var v = params.get(sel.name);
      // only a value the facet offers: an unknown one is ignored, as if absent
      if (v && Array.prototype.some.call(sel.options, function (o) { return o.value === v; })) s.facets[sel.name] = v;
    });
    return s;
  }

  function write(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    selects.forEach(function (sel) { if (s.facets[sel.name]) params.set(sel.name, s.facets[sel.name]); });
    if (s.sort !== "id" || s.dir !== "asc") { params.set("sort", s.sort); params.set("dir", s.dir); }
    var text = params.toString();
    return text ? "#" + text : "";
  }

  function commit(replace) {
    var hash = write(state);
    if (hash === (location.hash === "#" ? "" : location.hash)) return;
    var url = location.href.replace(/#.*$/, "") + (hash || "#");
    if (replace) location.replace(url); else location.assign(url);
  }

  function sorted() {
    var key = state.sort + ":" + state.dir;
    if (key === orderKey) return order;
    var get = own(sortKeys, state.sort) || sortKeys.id;
    var keys = rows.map(get);
    var idx = rows.map(function (_, i) { return i; });
    var sign = state.dir === "desc" ? -1 : 1;
    idx.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      var xe = x === "", ye = y === "";
      if (xe !== ye) return xe ? 1 : -1;  // not recorded sorts last in both directions
      var c = typeof x === "number" ? x - y : (xe ? 0 : collator.compare(x, y));
      if (c) return c * sign;
      return rows[a].id < rows[b].id ? -1 : rows[a].id > rows[b].id ? 1 : 0;
    });
    order = idx;
    orderKey = key;
    return order;
  }

  function matches(r, terms, facets) {
    for (var i = 0; i < terms.length; i++) if (r.hay.indexOf(terms[i]) < 0) return false;
    for (var j = 0; j < facets.length; j++) {
      var name = facets[j][0], value = facets[j][1];
      if (name === "country" || name === "setting" || name === "sector" || name === "policy") {
        if (r[name] !== value) return false;
      } else if (name === "market") {
        if (r.markets.indexOf(value) < 0) return false;
      } else if (name === "need") {
        var parts = value.split(":");
        if ((parts[0] === "editors" ? r.needs_ed : r.needs).indexOf(parts[1]) < 0) return false;
      } else if (name.indexOf("t.") === 0) {
        if (r.t[name.slice(2)] !== value) return false;
      }
    }
    return true;
  }

  function render() {
    var terms = state.q.normalize("NFC").toLowerCase().split(/\s+/).filter(Boolean);
    var facets = Object.keys(state.facets).map(function (k) { return [k, state.facets[k]]; });
    var idx = sorted();
    var hits = [];
    for (var i = 0; i < idx.length; i++) if (matches(rows[idx[i]], terms, facets)) hits.push(idx[i]);
    var body = document.createElement("tbody");
    var limit = Math.min(hits.length, shown);
    for (var k = 0; k < limit; k++) {
      var r = rows[hits[k]];
      var tr = document.createElement("tr");
      for (var c = 0; c < r.cells.length; c++) {
        var td = document.createElement("td");
        if (c === 0) {
          var a = document.createElement("a");
          a.href = r.href;
          a.textContent = r.id;
          td.appendChild(a);
        } else {
          td.textContent = r.cells[c];
        }
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.replaceChild(body, tbody);
    tbody = body;
    var filtered = terms.length || facets.length;
    var heading = headers.filter(function (h) { return h.getAttribute("data-col") === state.sort; })[0];
    var text = hits.length.toLocaleString("en") + (hits.length === 1 ? " cluster" : " clusters") +
      (filtered ? " match, of " + rows.length.toLocaleString("en") : "") +
      ", sorted by " + (heading ? heading.getAttribute("data-label") : state.sort) +
      (state.dir === "desc" ? " (descending)" : "") + ".";
    if (limit < hits.length) text += " Showing the first " + limit.toLocaleString("en") + ".";
    count.textContent = text;
    more.hidden = limit >= hits.length;
    headers.forEach(function (h) {
      var col = h.getAttribute("data-col");
      if (col === state.sort) h.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      else h.removeAttribute("aria-sort");
    });
  }

  function show(s) {
    state = s;
    shown = pageSize;
    if (query.value !== s.q) query.value = s.q;
    selects.forEach(function (sel) { sel.value = s.facets[sel.name] || ""; });
    render();
  }

  // Sort buttons in the column headings (plain text headings without JavaScript).
  headers.forEach(function (h) {
    var col = h.getAttribute("data-col");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "cg-sort";
    h.setAttribute("data-label", h.textContent);
    button.textContent = h.textContent;
    h.textContent = "";
    h.appendChild(button);
    button.addEventListener("click", function () {
      typing = false;
      state.dir = state.sort === col && state.dir === "asc" ? "desc" : "asc";
      state.sort = col;
      render();
      commit(false);
    });
  });

  query.addEventListener("input", function () {
    state.q = query.value.trim();
    shown = pageSize;
    render();
    commit(typing);  // the first letter of a run of typing makes a history entry, the rest replace it
    typing = true;
  });
  selects.forEach(function (sel) {
    sel.addEventListener("change", function () {
      typing = false;
      if (sel.value) state.facets[sel.name] = sel.value; else delete state.facets[sel.name];
      shown = pageSize;
      render();
      commit(false);
    });
  });
  clear.addEventListener("click", function () {
    typing = false;
    show({ q: "", facets: {}, sort: "id", dir: "asc" });
    commit(false);
  });
  more.addEventListener("click", function () {
    shown += pageSize;
    render();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", function () {
    var next = read(location.hash);
    if (write(next) !== write(state)) { typing = false; show(next); }
  });

  form.hidden = false;
  show(state);
})();
