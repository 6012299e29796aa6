/* Tabiji map view: "fit to width" and "full screen" for the swimlanes, and the scroll hint
   shown only while a map is wider than its box. Without JavaScript the buttons stay hidden
   and the map scrolls. Material's instant navigation swaps pages without reloading this
   file, so maps are set up on every page it shows (document$), and once each. */
(function () {
  "use strict";

  function pressed(button) {
    return button.getAttribute("aria-pressed") === "true";
  }

  function setup(wrap) {
    if (wrap.hasAttribute("data-tabiji-ready")) return;
    var scroll = wrap.querySelector(".tabiji-scroll");
    var table = scroll && scroll.querySelector("table");
    var tools = wrap.querySelector(".tabiji-tools");
    if (!table || !tools) return;
    wrap.setAttribute("data-tabiji-ready", "");
    var fit = tools.querySelector('[data-tabiji-tool="fit"]');
    var full = tools.querySelector('[data-tabiji-tool="full"]');
    var hint = tools.querySelector(".tabiji-scroll-hint");

    // The header rows' height, so a tall lane's name sticks just below them (CSS).
    var head = table.querySelector("thead");
    function measureHead() {
      var rows = table.classList.contains("tabiji-roadmap") ? table.querySelector(".tabiji-stages") : head;
      if (rows) wrap.style.setProperty("--tabiji-head-h", rows.getBoundingClientRect().height + "px");
    }

    function layout() {
      table.style.zoom = "";
      measureHead(); // unzoomed: the value is in the table's own px, which the zoom then scales
      if (pressed(fit)) {
        // zoom, not transform: the page's layout (and the sticky cells) follow the scale
        var ratio = scroll.clientWidth / table.offsetWidth;
        if (ratio < 1) table.style.zoom = String(Math.floor(ratio * 1000) / 1000);
      }
      hint.hidden = scroll.scrollWidth <= scroll.clientWidth + 1;
    }

    function setFull(on) {
      full.setAttribute("aria-pressed", String(on));
      wrap.classList.toggle("tabiji-full", on);
      document.documentElement.classList.toggle("tabiji-full-open", on);
      layout();
    }

    fit.addEventListener("click", function () {
      fit.setAttribute("aria-pressed", String(!pressed(fit)));
      wrap.classList.toggle("tabiji-fit", pressed(fit));
      layout();
    });
    full.addEventListener("click", function () {
      setFull(!pressed(full));
    });
    wrap.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && pressed(full)) {
        event.preventDefault();
        setFull(false);
        full.focus();
      }
    });
    tools.hidden = false;
    if (window.ResizeObserver) new ResizeObserver(layout).observe(scroll);
    layout();
  }

  function init() {
    document.documentElement.classList.remove("tabiji-full-open");
    var maps = document.querySelectorAll(".tabiji-swimlane-wrap");
    for (var i = 0; i < maps.length; i++) setup(maps[i]);
  }

  // Escape anywhere leaves full screen (focus may be on the page, not in the map).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var open = document.querySelector(".tabiji-full .tabiji-tool[data-tabiji-tool=full]");
    if (open) {
      open.click();
      open.focus();
    }
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
