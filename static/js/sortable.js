// Sortable tables: <table class="sortable"> whose header cells carry data-sort="number"
// or data-sort="text". A click (or Enter) on a header sorts the rows by that column; a
// second click reverses the order. Cells may carry data-value (the sort key) when the
// shown text differs (dates, durations). The button's label comes from the table's
// data-sort-label attribute (translated by the page), never from this file.
(function () {
  "use strict";

  function cellKey(row, index, kind) {
    var cell = row.cells[index];
    if (!cell) return kind === "number" ? -Infinity : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent.trim();
    if (kind === "number") {
      var value = parseFloat(raw);
      return isNaN(value) ? -Infinity : value;
    }
    return raw.toLocaleLowerCase();
  }

  function sortBy(table, header, index) {
    var kind = header.getAttribute("data-sort");
    var current = header.getAttribute("aria-sort");
    // Numbers start with the largest (who wrote most); text starts A to Z.
    var descending = current ? current === "ascending" : kind === "number";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var collator = new Intl.Collator(document.documentElement.lang || undefined, { numeric: true });
    rows.forEach(function (row, position) { row.__position = position; });
    rows.sort(function (a, b) {
      var x = cellKey(a, index, kind);
      var y = cellKey(b, index, kind);
      var order = kind === "number" ? (x < y ? -1 : x > y ? 1 : 0) : collator.compare(x, y);
      if (descending) order = -order;
      return order || a.__position - b.__position;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }

  function enhance(table) {
    if (!table.tHead || !table.tBodies.length) return;
    var label = table.getAttribute("data-sort-label") || "";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, index) {
      if (!header.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      while (header.firstChild) button.appendChild(header.firstChild);
      if (label) button.title = label;
      button.addEventListener("click", function () { sortBy(table, header, index); });
      header.appendChild(button);
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
