// The inline style and script of the report's page (page.cpp).
#pragma once

namespace wst::report {

// The self-check for the browser test: on load, <body> records the number of images, how many
// have naturalWidth > 0, the sections, the page height, and every error (uncaught exceptions,
// resources that failed to load, console.error/warn).
inline constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  var errors = [];
  function note(m) { errors.push(String(m)); }
  window.addEventListener("error", function (e) {
    var t = e.target;
    if (t && t !== window && t.tagName)
      note("failed to load " + (t.currentSrc || t.src || t.tagName));
    else note(e.message || "error");
  }, true);
  window.addEventListener("unhandledrejection", function (e) {
    note("unhandled rejection: " + e.reason);
  });
  ["error", "warn"].forEach(function (k) {
    var f = console[k];
    console[k] = function () {
      note("console." + k + ": " + Array.prototype.join.call(arguments, " "));
      return f.apply(console, arguments);
    };
  });
  window.addEventListener("load", function () {
    var imgs = document.images, ok = 0, i;
    for (i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0) ok++;
    var b = document.body, d = document.documentElement;
    b.setAttribute("data-images", imgs.length);
    b.setAttribute("data-images-loaded", ok);
    b.setAttribute("data-sections", document.querySelectorAll("section[id]").length);
    b.setAttribute("data-page-height", Math.ceil(Math.max(d.scrollHeight, b.scrollHeight)));
    b.setAttribute("data-errors", errors.length);
    b.setAttribute("data-error-list", errors.join(" | "));
    b.setAttribute("data-selfcheck", "done");
  });
})();
)JS";

inline constexpr const char* kStyle = R"CSS(
:root { color-scheme: light; }
body { font: 16px/1.55 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1d1d1f;
       background: #fff; max-width: 1320px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.9rem; margin: 0.4em 0 0.2em; }
h2 { font-size: 1.45rem; margin: 2.2em 0 0.4em; padding-top: 0.6em; border-top: 2px solid #e3e3e3; }
p.lead { font-size: 1.05rem; max-width: 80ch; }
nav ol { columns: 2; max-width: 70ch; }
figure { margin: 1.6em 0; }
figure img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { margin-top: 0.5em; max-width: 95ch; font-size: 0.97rem; color: #333; }
pre.command { background: #f4f5f7; border: 1px solid #e1e3e6; border-radius: 4px;
              padding: 0.6em 0.9em; overflow-x: auto; font-size: 0.9rem; }
pre.command::before { content: "Regenerate:"; display: block; color: #666;
                      font-family: "DejaVu Sans", Arial, sans-serif; font-size: 0.8rem; }
code { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 0.92em; }
div.missing { border-left: 5px solid #d62728; background: #fff4f3; padding: 0.7em 1em;
              margin: 1.2em 0; max-width: 95ch; }
table { border-collapse: collapse; margin: 1.2em 0; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; padding-bottom: 0.4em; color: #333;
          max-width: 95ch; }
th, td { border: 1px solid #d0d0d0; padding: 0.25em 0.6em; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child, td.text { text-align: left; }
tr:nth-child(even) td { background: #fafafa; }
p.note { color: #444; font-size: 0.95rem; }
footer { margin-top: 3em; color: #666; font-size: 0.85rem; }
)CSS";

}  // namespace wst::report
