// Print support for the opsready site (see stylesheets/print.css).
// - Each internal link of the content gets its absolute URL in data-print-href, which the print
//   stylesheet writes after the link text.
// - Collapsed <details> sections open before printing and close again afterwards, for browsers
//   whose print layout ignores ::details-content.
(function () {
  "use strict";

  function markLinks() {
    var links = document.querySelectorAll(".md-content a[href]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i];
      var href = a.getAttribute("href") || "";
      if (href.charAt(0) === "#" || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
      if (a.classList.contains("headerlink") || a.querySelector("img")) continue;
      a.setAttribute("data-print-href", a.href);
    }
  }

  var opened = [];
  window.addEventListener("beforeprint", function () {
    var closed = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < closed.length; i++) {
      closed[i].setAttribute("open", "");
      opened.push(closed[i]);
    }
  });
  window.addEventListener("afterprint", function () {
    for (var i = 0; i < opened.length; i++) opened[i].removeAttribute("open");
    opened = [];
  });

  // mkdocs-material's instant navigation swaps pages without a load event: follow document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(markLinks);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markLinks);
  } else {
    markLinks();
  }
})();
