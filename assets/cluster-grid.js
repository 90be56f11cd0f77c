/* Cluster Grid: two small additions to Material's search, with no network and no library.
 *
 * 1. ID queries. Search splits "IN-0001" into "in" and "0001", and "in" matches every Indian
 *    page. Each cluster page carries its ID without the hyphen ("IN0001") as a search tag, so a
 *    query with an ID in it is rewritten to that form before Material reads the box (it reads it
 *    on keyup; this runs on input, which comes first).
 * 2. Keyboard. Material closes search on Tab; here Tab and Shift+Tab move between the query and
 *    the result links instead, so keyboard users can reach the results.
 */
(function () {
  "use strict";

  var ID = /\b([A-Za-z]{2})-(\d{4})\b/g;

  function normaliseQuery(value) {
    return value.replace(ID, function (_, country, number) { return country.toUpperCase() + number; });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box || !box.classList || !box.classList.contains("md-search__input")) return;
    var value = normaliseQuery(box.value);
    if (value !== box.value) box.value = value;
  }, true);

  function searchOpen() {
    var toggle = document.getElementById("__search");
    return toggle && toggle.checked;
  }

  window.addEventListener("keydown", function (event) {
    if (!searchOpen()) return;
    var box = document.querySelector(".md-search__input");
    var links = Array.prototype.slice.call(document.querySelectorAll(".md-search-result__item > a"));
    if (!box || !links.length) return;
    var stops = [box].concat(links);
    var here = stops.indexOf(document.activeElement);
    if (here < 0) return;
    // Material sends any other key on a result back to the query box; Shift must not, or Shift+Tab
    // would start from the box.
    if (event.key === "Shift" && here > 0) { event.stopPropagation(); return; }
    if (event.key !== "Tab") return;
    var next = here + (event.shiftKey ? -1 : 1);
    if (next < 0 || next >= stops.length) return; // past either end: Material closes search as usual
    event.preventDefault();
    event.stopPropagation();
    stops[next].focus();
  }, true);
})();
