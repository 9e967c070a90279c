// Draws every chart of the report page: each <div class="chart"> names the <script type="application/json">
// holding its Vega-Lite spec. Vega renders SVG in the page from the copies in static/ (no network). The CJK
// font is loaded first so that Vega measures the labels in the face it draws them with.
(function () {
  "use strict";
  function drawAll() {
    var charts = document.querySelectorAll("div.chart[data-spec]");
    var jobs = Array.prototype.map.call(charts, function (el) {
      var spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
      return vegaEmbed(el, spec, {renderer: "svg", actions: false, mode: "vega-lite"})
        .catch(function (err) { el.textContent = "chart not drawn: " + err; throw err; });
    });
    Promise.allSettled(jobs).then(function (done) {
      document.body.dataset.chartsDrawn = done.filter(function (d) { return d.status === "fulfilled"; }).length;
    });
  }
  var face = document.body.dataset.chartFont;
  var ready = face && document.fonts ? document.fonts.load("12px \"" + face + "\"", "經濟部") : Promise.resolve();
  ready.then(drawAll, drawAll);
})();
