// The yardstick page's trend: three rates per month (the table under it holds the same figures).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("trend");
    var source = document.getElementById("trend-data");
    if (!el || !source || !window.echarts) return;
    var rows = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
    function series(name, key, color) {
      return { name: name, type: "line", smooth: true, connectNulls: false, symbolSize: 6, color: color,
               data: rows.map(function (r) { return r[key]; }) };
    }
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v.toFixed(1) + "%"; } },
      legend: { top: 4 },
      grid: { left: 44, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
      yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: [series("响应率", "response", "#1f6feb"), series("解决率", "resolution", "#2da44e"),
               series("满意率", "satisfaction", "#b3261e"), series("综合得分", "composite", "#8250df")]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
