/* opsready NOC: each cell of a contact or escalation table carries its column heading
   (data-label), which the narrow-screen layout of noc.css shows when rows are stacked. */
(function () {
  "use strict";
  function label() {
    var tables = document.querySelectorAll(".opsready-stack table");
    Array.prototype.forEach.call(tables, function (table) {
      var head = table.tHead && table.tHead.rows[0];
      if (!head) return;
      var names = Array.prototype.map.call(head.cells, function (th) {
        return (th.textContent || "").trim();
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (row) {
          Array.prototype.forEach.call(row.cells, function (cell, i) {
            if (names[i]) cell.setAttribute("data-label", names[i]);
          });
        });
      });
    });
  }
  // Material's instant navigation swaps pages without a reload: it announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(label);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", label);
  } else {
    label();
  }
})();
