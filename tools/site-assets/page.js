// Renders the Vega-Lite charts of a notebook page and reports the outcome in
// document.body.dataset.rendered ("yes" | "error") so browser tests and people can tell.
// Loaded synchronously in <head>, after the vendored vega bundles, so that the wrapper below is
// in place before any inline script of a text/html output calls vegaEmbed.
(function () {
  "use strict";
  var pending = [];
  var errors = [];
  var original = window.vegaEmbed;

  function embed(el, spec, opts) {
    // actions: false — the actions menu links to the online Vega editor; pages must stay offline.
    var p = original(el, spec, Object.assign({ renderer: "svg" }, opts || {}, { actions: false }));
    pending.push(p);
    return p;
  }
  if (original) {
    Object.keys(original).forEach(function (k) { embed[k] = original[k]; });
    window.vegaEmbed = embed;
  } else {
    errors.push("vega-embed did not load (vendor/vega-embed.min.js)");
  }

  // An inline script of an HTML output that throws would otherwise fail silently.
  window.addEventListener("error", function (e) {
    errors.push("script error: " + (e.message || e.type));
  });

  function finish() {
    var body = document.body;
    if (errors.length) {
      body.dataset.rendered = "error";
      body.dataset.renderError = errors.join("\n");
      var box = document.createElement("pre");
      box.className = "render-error";
      box.textContent = "Some charts failed to render:\n" + errors.join("\n");
      body.insertBefore(box, body.firstChild);
    } else {
      body.dataset.rendered = "yes";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var charts = document.querySelectorAll(".vega-chart[data-spec]");
    for (var i = 0; i < charts.length; i++) {
      var el = charts[i];
      try {
        var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
        if (original) embed(el, spec, { mode: "vega-lite" });
      } catch (e) {
        errors.push("chart " + el.dataset.spec + ": " + e.message);
      }
    }
    // Wait for every vegaEmbed call, including those made by HTML outputs while the page parsed.
    Promise.all(pending.map(function (p) {
      return p.then(null, function (e) { errors.push(String((e && e.message) || e)); });
    })).then(finish);
  });
})();
