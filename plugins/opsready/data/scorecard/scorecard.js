/* opsready scorecard: sortable, filterable tables. No dependencies, no network.
 * Each table follows a <div class="opsready-table-tools"> marker in the page. Each header
 * holds a button (mouse, Enter or Space) that sorts by that column (again: reverse); the input
 * above the table keeps the rows that contain the typed text. Levels sort by rank, numbers and percentages numerically. */
(function () {
  "use strict";
  var RANK = { none: 0, bronze: 1, silver: 2, gold: 3 };

  function cellKey(cell) {
    var text = (cell.textContent || "").trim().toLowerCase();
    var first = text.split(/\s+/)[0];
    if (Object.prototype.hasOwnProperty.call(RANK, first)) return [0, RANK[first], text];
    var num = parseFloat(text.replace("%", ""));
    if (!isNaN(num) && /^-?[\d.]+%?$/.test(text)) return [0, num, text];
    return [1, 0, text];
  }

  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[1] !== b[1]) return a[1] - b[1];
    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
  }

  function decorate(table) {
    var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
    for (var i = 0; i < rows.length; i++) {
      for (var j = 0; j < rows[i].cells.length; j++) {
        var cell = rows[i].cells[j];
        var word = (cell.textContent || "").trim().toLowerCase().split(/\s+/)[0];
        if (word) cell.setAttribute("data-opsready", word);
      }
    }
  }

  function makeSortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    Array.prototype.forEach.call(head.cells, function (th, index) {
      // A real button inside the header: reachable with Tab, pressed with Enter or Space, and
      // announced as a control; the header's aria-sort tells the current order.
      var button = document.createElement("button");
      button.type = "button";
      button.className = "opsready-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      th.classList.add("opsready-sortable");
      function sort() {
        var body = table.tBodies[0];
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(cellKey(r1.cells[index]), cellKey(r2.cells[index]));
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(head.cells, function (other) {
          other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      }
      button.addEventListener("click", sort);
    });
  }

  function makeFilter(marker, table) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "opsready-filter";
    input.placeholder = marker.getAttribute("data-placeholder") || "Filter rows";
    input.setAttribute("aria-label", input.placeholder);
    var count = document.createElement("span");
    count.className = "opsready-count";
    count.setAttribute("role", "status");  // screen readers announce the new count (WCAG 4.1.3)
    marker.appendChild(input);
    marker.appendChild(count);
    function apply() {
      var needle = input.value.trim().toLowerCase();
      var rows = table.tBodies[0].rows;
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var keep = !needle || rows[i].textContent.toLowerCase().indexOf(needle) !== -1;
        rows[i].hidden = !keep;
        if (keep) shown++;
      }
      count.textContent = shown + " of " + rows.length;
    }
    input.addEventListener("input", apply);
    apply();
  }

  function nextTable(marker) {
    var el = marker.nextElementSibling;
    while (el) {
      if (el.tagName === "TABLE") return el;
      var inner = el.querySelector && el.querySelector("table");
      if (inner) return inner;
      el = el.nextElementSibling;
    }
    return null;
  }

  function init() {
    var markers = document.querySelectorAll(".opsready-table-tools:not([data-ready])");
    Array.prototype.forEach.call(markers, function (marker) {
      var table = nextTable(marker);
      if (!table) return;
      marker.setAttribute("data-ready", "1");
      var extra = marker.getAttribute("data-table-class");
      if (extra) table.classList.add(extra);
      decorate(table);
      makeSortable(table);
      makeFilter(marker, table);
    });
  }

  // Material's instant navigation swaps pages without a reload: it announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
