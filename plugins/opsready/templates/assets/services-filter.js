/* opsready: filter the services index table by team, tier and lifecycle.
 * Progressive enhancement: without this script the page still lists services by team, tier and
 * lifecycle. No network access, no dependencies. */
(function () {
  "use strict";
  var COLUMNS = ["Team", "Tier", "Lifecycle"];

  function setup() {
    var boxes = document.querySelectorAll("[data-opsready-filter]");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.getAttribute("data-ready")) { return; }
      var heading = document.getElementById(box.getAttribute("data-opsready-filter"));
      var node = heading && heading.nextElementSibling;
      while (node && !node.querySelector("table") && node.tagName !== "TABLE") {
        node = node.nextElementSibling;
      }
      if (!node) { return; }
      var table = node.tagName === "TABLE" ? node : node.querySelector("table");
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var selects = [];
      COLUMNS.forEach(function (name) {
        var col = headers.indexOf(name);
        if (col < 0) { return; }
        var values = {};
        rows.forEach(function (row) { values[row.cells[col].textContent.trim()] = true; });
        var label = document.createElement("label");
        label.textContent = name + " ";
        var select = document.createElement("select");
        select.setAttribute("data-column", String(col));
        var any = document.createElement("option");
        any.value = "";
        any.textContent = "all";
        select.appendChild(any);
        Object.keys(values).sort().forEach(function (value) {
          var option = document.createElement("option");
          option.value = value;
          option.textContent = value;
          select.appendChild(option);
        });
        select.addEventListener("change", apply);
        label.appendChild(select);
        box.appendChild(label);
        box.appendChild(document.createTextNode(" "));
        selects.push(select);
      });
      var count = document.createElement("span");
      count.className = "opsready-filter__count";
      count.setAttribute("role", "status");  // announced when a filter changes (WCAG 4.1.3)
      box.appendChild(count);

      function apply() {
        var shown = 0;
        rows.forEach(function (row) {
          var ok = selects.every(function (select) {
            var col = Number(select.getAttribute("data-column"));
            return !select.value || row.cells[col].textContent.trim() === select.value;
          });
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
        count.textContent = shown + " of " + rows.length + " services";
      }
      apply();
      box.setAttribute("data-ready", "1");
    });
  }

  // Material's instant navigation swaps pages without a reload: run on every page it shows.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
