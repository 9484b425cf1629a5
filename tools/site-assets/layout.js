// Charts on a narrow screen. Loaded after the vega bundles and before page.js, it wraps vegaEmbed: a chart is first
// drawn as designed; if it is wider than its box (a phone), a single-view or layered chart is drawn again with
// width "container" (autosize fit-x), its legend below and its title wrapped, so it takes the box's width with its
// fonts at their normal size. A
// concatenated or faceted chart cannot follow a container: its columns are stacked into rows instead, and if it is
// still too wide, CSS scales it down to the box (style.css).
(function () {
  "use strict";
  var original = window.vegaEmbed;
  if (!original) return;
  var COMPOUND = ["hconcat", "vconcat", "concat", "facet", "repeat"];

  function singleView(spec) {
    if (!spec || typeof spec !== "object" || typeof spec.width !== "number") return false;
    var enc = spec.encoding || {};
    if (enc.facet || enc.row || enc.column) return false;
    for (var i = 0; i < COMPOUND.length; i++) if (COMPOUND[i] in spec) return false;
    return true;
  }

  // A title as lines of at most `chars` characters (Vega-Lite draws an array of strings as lines).
  function wrapTitle(title, chars) {
    var text = typeof title === "string" ? title : title && typeof title.text === "string" ? title.text : null;
    if (text === null || text.length <= chars) return title;
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; } else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return typeof title === "string" ? lines : Object.assign({}, title, { text: lines });
  }

  // A side-by-side chart stacked vertically (hconcat → vconcat, facet or repeat columns → rows), or null if it has no
  // columns to stack.
  function stacked(spec) {
    var out = Object.assign({}, spec);
    if (Array.isArray(spec.hconcat)) {
      out.vconcat = spec.hconcat;
      delete out.hconcat;
    } else if (Array.isArray(spec.concat)) {
      out.columns = 1;
    } else if (spec.facet && spec.facet.column && !spec.facet.row) {
      out.facet = Object.assign({}, spec.facet, { row: spec.facet.column });
      delete out.facet.column;
    } else if (spec.encoding && spec.encoding.column && !spec.encoding.row) {
      out.encoding = Object.assign({}, spec.encoding, { row: spec.encoding.column });
      delete out.encoding.column;
    } else if (spec.repeat && spec.repeat.column && !spec.repeat.row) {
      out.repeat = Object.assign({}, spec.repeat, { row: spec.repeat.column });
      delete out.repeat.column;
    } else {
      return null;
    }
    return out;
  }

  function fit(target, spec, opts) {
    var el = typeof target === "string" ? document.querySelector(target) : target;
    return original(target, spec, opts).then(function (result) {
      var svg = el && el.querySelector("svg");
      var box = el && el.parentElement;
      var natural = svg ? Number(svg.getAttribute("width")) : 0;
      if (!box || !(natural > box.clientWidth + 1)) return result;
      if (!singleView(spec)) {
        var tall = stacked(spec);
        if (!tall) return result; // CSS scales it down to the box
        result.finalize();
        el.classList.add("fit-width");
        return original(target, tall, opts);
      }
      result.finalize();
      var width = box.clientWidth;
      // The legend goes below the plot so the plot keeps the width; the title wraps (about 8 px per character of a
      // bold 13 px title) and starts at the left edge of the chart.
      var config = Object.assign({}, spec.config);
      config.legend = Object.assign({ orient: "bottom", direction: "vertical", labelLimit: width - 40 }, config.legend);
      config.title = Object.assign({ anchor: "start", frame: "bounds" }, config.title);
      var fitted = Object.assign({}, spec, { width: "container", autosize: { type: "fit-x", contains: "padding" }, config: config });
      if (spec.title !== undefined) fitted.title = wrapTitle(spec.title, Math.max(20, Math.floor(width / 8)));
      el.classList.add("fit-width");
      return original(target, fitted, opts);
    });
  }
  Object.keys(original).forEach(function (k) { fit[k] = original[k]; });
  window.vegaEmbed = fit;
})();
