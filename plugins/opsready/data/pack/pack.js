/* The runbook pack's only script: find an alert by its name (any case, words run together) or
   by words of its summary, and warn once the pack is past its "check the live site" date.
   It reads the page and nothing else: no request of any kind. */
(function () {
  "use strict";
  var squash = function (text) { return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""); };
  var words = function (text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w; });
  };
  var stale = document.getElementById("pack-stale");
  if (stale) {
    var after = Date.parse(stale.getAttribute("data-after") + "T23:59:59Z");
    if (!isNaN(after) && Date.now() > after) { stale.hidden = false; }
  }
  var input = document.getElementById("pack-search");
  var count = document.getElementById("pack-search-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#pack-index tbody tr"));
  if (!input || !count) { return; }
  input.disabled = false;
  var run = function () {
    var query = input.value;
    var key = squash(query);
    var parts = words(query);
    var shown = 0;
    rows.forEach(function (row) {
      var own = (row.getAttribute("data-words") || "").split(" ");
      var hit = !key || (row.getAttribute("data-key") || "").indexOf(key) >= 0 ||
        parts.every(function (p) { return own.some(function (w) { return w.indexOf(p) === 0; }); });
      row.hidden = !hit;
      shown += hit ? 1 : 0;
    });
    count.textContent = key ? shown + (shown === 1 ? " alert found" : " alerts found") : "";
  };
  input.addEventListener("input", run);
  input.form && input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = rows.filter(function (row) { return !row.hidden; })[0];
    var link = first && first.querySelector("a");
    if (link) { link.focus(); window.location.hash = link.getAttribute("href"); }
  });
  run();
}());
