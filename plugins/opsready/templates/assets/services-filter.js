/* opsready: filter an index table: the services index by team, tier and lifecycle; the runbooks
 * index by words (an alert's name, run together or in words, its summary, its service) and by
 * severity and service. A box <div data-opsready-filter="HEADING-ID"> names the heading above
 * the table; data-opsready-columns lists the columns that get a menu, data-opsready-text adds a
 * text box with that label, data-opsready-noun names the rows in the count.
 * Progressive enhancement: without this script the page shows the whole table. No network
 * access, no dependencies. */
(function () {
  "use strict";
  var COLUMNS = ["Team", "Tier", "Lifecycle"];

  // Lower case, letters and digits only: "ledgerreplicationlag", "Ledger replication lag" and
  // "LedgerReplicationLag" all become the same text.
  function squash(text) {
    return text.toLowerCase().replace(/[^0-9a-z\u00c0-\uffff]+/g, "");
  }

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
      var columns = box.getAttribute("data-opsready-columns");
      var noun = box.getAttribute("data-opsready-noun") || "services";
      var words = null;
      var texts = rows.map(function (row) { return squash(row.textContent); });
      if (box.getAttribute("data-opsready-text")) {
        var textLabel = document.createElement("label");
        textLabel.textContent = box.getAttribute("data-opsready-text") + " ";
        words = document.createElement("input");
        words.type = "search";
        words.setAttribute("autocomplete", "off");
        words.setAttribute("spellcheck", "false");
        words.addEventListener("input", apply);
        textLabel.appendChild(words);
        box.appendChild(textLabel);
        box.appendChild(document.createTextNode(" "));
      }
      (columns ? columns.split(",") : COLUMNS).forEach(function (name) {
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
        var wanted = words ? words.value.split(/\s+/).map(squash).filter(Boolean) : [];
        rows.forEach(function (row, i) {
          var ok = selects.every(function (select) {
            var col = Number(select.getAttribute("data-column"));
            return !select.value || row.cells[col].textContent.trim() === select.value;
          }) && wanted.every(function (word) { return texts[i].indexOf(word) >= 0; });
          row.hidden = !ok;
          if (ok) { shown += 1; }
        });
        count.textContent = shown + " of " + rows.length + " " + noun;
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
