/* opsready accessibility helper, added to every page by the opsready plugin.
 * A table wider than the page scrolls sideways inside its wrapper; a keyboard user can scroll
 * it only if the wrapper takes the focus (WCAG 2.1.1). Wrappers that overflow get tabindex=0, a
 * region role and a name; the others stay out of the tab order. No network, no dependencies. */
(function () {
  "use strict";

  function label(wrap) {
    var node = wrap;
    while ((node = node.previousElementSibling)) {
      if (/^H[1-6]$/.test(node.tagName)) {
        return (wrap.classList.contains("opsready-diagram") ? "Diagram: " : "Table: ") +
          node.textContent.replace(/\u00b6/g, "").trim();
      }
    }
    return wrap.classList.contains("opsready-diagram") ? "Diagram" : "Table";
  }

  function update() {
    var wraps = document.querySelectorAll(".md-typeset__scrollwrap, .opsready-diagram");
    Array.prototype.forEach.call(wraps, function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label")) wrap.setAttribute("aria-label", label(wrap));
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    if (pending) window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  });
  // Material's instant navigation swaps pages without a reload: it announces each one.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("load", update);
})();
