// 驾驶舱: fetches /api/dashboard/cockpit (and the grid's shapes once), draws with ECharts, refreshes itself.
(function () {
  "use strict";
  const body = document.body;
  const refreshMs = 1000 * (parseInt(body.dataset.refresh, 10) || 60);
  const charts = {};
  let grid = null; // the GeoJSON, once loaded
  let last = null; // the last good snapshot's time

  const AXIS = { axisLine: { lineStyle: { color: "#2c5a85" } }, splitLine: { lineStyle: { color: "#163b5f" } } };
  const BLUE = "#3fa7ff", RED = "#ff6b5b", GREEN = "#4fd1a5", AMBER = "#ffcf5c";

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id), "dark", { renderer: "canvas", locale: "ZH" });
    }
    return charts[id];
  }

  function draw(id, option) {
    chart(id).setOption(Object.assign({ backgroundColor: "transparent", animationDuration: 600 }, option), true);
  }

  function text(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value == null ? "—" : String(value);
  }

  function pct(v) { return v == null ? "—" : v.toFixed(1) + "%"; }
  const zone = body.dataset.tz || undefined; // the district's time, whatever the screen's computer is set to
  function hhmm(iso) { return iso ? new Date(iso).toLocaleTimeString("zh-CN", { hour12: false, timeZone: zone }) : "—"; }
  function short(label, n) { return label.length > n ? label.slice(0, n) + "…" : label; }
  function html(value) { return echarts.format.encodeHTML(String(value)); } // names typed by staff go into tooltips

  function kpis(d) {
    const live = d.live;
    const set = (key, value, note) => {
      const el = document.querySelector('[data-kpi="' + key + '"]');
      el.querySelector("b").textContent = value;
      el.querySelector("em").textContent = note || "";
    };
    set("intake_today", live.intake_today, live.intake_by_channel.map((c) => c.label + " " + c.count).join(" · "));
    set("open", live.open, "近 30 天计入考评 " + d.totals.counted);
    set("overdue", live.overdue, live.open ? "占在办 " + ((100 * live.overdue) / live.open).toFixed(1) + "%" : "");
    set("supervised", live.supervised, "上报区级 " + live.escalated);
  }

  function ranking(d) {
    const rows = d.ranking.slice().reverse(); // best at the top of a horizontal bar chart
    text("ranked", d.ranked ? "共 " + d.ranked + " 个单位参与排名" : "暂无三率俱全的单位");
    draw("chart-ranking", {
      grid: { left: 8, right: 46, top: 6, bottom: 6, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        formatter: (ps) => {
          const r = rows[ps[0].dataIndex];
          return "第 " + r.rank + " 名 " + html(r.label) + "<br>综合 " + r.composite.toFixed(2) + "<br>响应率 " + pct(r.response) +
            "<br>解决率 " + pct(r.resolution) + "<br>满意率 " + pct(r.satisfaction) + "<br>计入考评 " + r.counted + " 件";
        },
      },
      xAxis: Object.assign({ type: "value", max: 100, axisLabel: { show: false } }, AXIS),
      yAxis: { type: "category", data: rows.map((r) => r.rank + ". " + short(r.label, 9)), axisTick: { show: false }, axisLine: AXIS.axisLine },
      series: [{
        type: "bar", data: rows.map((r) => r.composite), barMaxWidth: 16,
        itemStyle: { borderRadius: [0, 4, 4, 0], color: new echarts.graphic.LinearGradient(0, 0, 1, 0, [{ offset: 0, color: "#1d6fd1" }, { offset: 1, color: BLUE }]) },
        label: { show: true, position: "right", formatter: (p) => p.value.toFixed(1), color: "#cfe6ff" },
      }],
    });
    chart("chart-ranking").off("click");
    chart("chart-ranking").on("click", (p) => {
      const r = rows[p.dataIndex];
      location.href = body.dataset.yardstick + "?unit=" + encodeURIComponent(r.code) + "&by=category";
    });
  }

  function hotspots(d) {
    const rows = d.hotspots.slice().reverse();
    draw("chart-hotspots", {
      grid: { left: 8, right: 40, top: 6, bottom: 6, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: Object.assign({ type: "value", axisLabel: { show: false } }, AXIS),
      yAxis: { type: "category", data: rows.map((r) => short(r.label, 8)), axisTick: { show: false }, axisLine: AXIS.axisLine },
      series: [{ type: "bar", name: "近 30 天计入考评", data: rows.map((r) => r.count), barMaxWidth: 16, color: AMBER,
                 itemStyle: { borderRadius: [0, 4, 4, 0] }, label: { show: true, position: "right", color: "#ffe6a8" } }],
    });
  }

  function intake(d) {
    draw("chart-intake", {
      grid: { left: 8, right: 12, top: 16, bottom: 4, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: Object.assign({ type: "category", data: d.intake_daily.map((x) => x.day.slice(5)) }, AXIS),
      yAxis: Object.assign({ type: "value", minInterval: 1 }, AXIS),
      series: [{ type: "line", name: "受理", data: d.intake_daily.map((x) => x.count), smooth: true, color: BLUE, areaStyle: { opacity: 0.25 }, symbol: "none" }],
    });
  }

  function rates(d) {
    const t = d.totals;
    const items = [["响应率", t.response, BLUE], ["解决率", t.resolution, GREEN], ["满意率", t.satisfaction, AMBER]];
    draw("chart-rates", {
      title: { text: "综合 " + (t.composite == null ? "—" : t.composite.toFixed(2)), right: 4, top: 0, textStyle: { fontSize: 15, color: "#cfe6ff" } },
      grid: { left: 8, right: 12, top: 28, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: items.map((i) => i[0]), axisLine: AXIS.axisLine },
      yAxis: Object.assign({ type: "value", max: 100, axisLabel: { formatter: "{value}%" } }, AXIS),
      series: [{ type: "bar", barMaxWidth: 44,
                 data: items.map((i) => ({ value: i[1], itemStyle: { color: i[2], borderRadius: [4, 4, 0, 0] } })),
                 label: { show: true, position: "top", formatter: (p) => pct(p.value), color: "#e6f1ff" } }],
    });
  }

  function projects(d) {
    if (!d.projects) return;
    text("projects-avg", "平均形象进度 " + d.projects.average_progress + "%");
    draw("chart-projects", {
      tooltip: { trigger: "item", formatter: "{b}：{c} 个（{d}%）" },
      legend: { orient: "vertical", right: 4, top: "middle", textStyle: { color: "#cfe6ff" } },
      series: [{ type: "pie", radius: ["45%", "72%"], center: ["38%", "52%"], label: { show: false },
                 data: d.projects.by_status.map((s) => ({ name: s.label, value: s.count })),
                 color: ["#6e7d91", AMBER, BLUE, GREEN] }],
      graphic: [{ type: "text", left: "31%", top: "46%", style: { text: d.projects.total + " 个", fill: "#e6f1ff", fontSize: 18, fontWeight: 700 } }],
    });
  }

  function guide(d) {
    const g = d.guide;
    text("guided-today", g.guided_today);
    text("guided-month", g.guided_month);
    text("searches-today", g.searches_today);
    draw("chart-guide", {
      grid: { left: 4, right: 4, top: 4, bottom: 4 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", show: false, data: g.daily.map((_, i) => i) },
      yAxis: { type: "value", show: false },
      series: [{ type: "bar", name: "导办", data: g.daily, color: GREEN, barMaxWidth: 8 }],
    });
  }

  function neighbours(d) {
    const n = d.neighbours;
    text("nb-reported", n.reported);
    text("nb-claimed", n.claimed);
    text("nb-resolved", n.resolved);
    text("nb-year", n.resolved_year);
  }

  function map(d) {
    const el = document.getElementById("chart-map");
    if (!grid || !grid.features.length) {
      draw("chart-map", { graphic: [{ type: "text", left: "center", top: "middle", style: { text: "尚未配置网格边界（管理后台·网格区域）", fill: "#8fb3d9", fontSize: 16 } }] });
      return;
    }
    const counts = {};
    d.live.places.forEach((p) => { counts[p.id] = p; });
    const maxOpen = Math.max(1, ...d.live.places.map((p) => p.open));
    const byKind = (kind) => grid.features.filter((f) => f.properties.kind === kind);
    const shade = (n) => {
      const t = Math.min(1, n / maxOpen);
      return "rgba(" + Math.round(30 + 180 * t) + "," + Math.round(90 - 40 * t) + "," + Math.round(150 - 90 * t) + ",0.85)";
    };
    const regions = byKind("community").map((f) => ({
      name: f.properties.name, itemStyle: { areaColor: shade((counts[f.properties.id] || {}).open || 0), borderColor: "#6fb8ff", borderWidth: 1.5 },
    })).concat(byKind("compound").map((f) => ({
      name: f.properties.name, itemStyle: { areaColor: "rgba(255,255,255,0.04)", borderColor: "#9fd3ff", borderWidth: 0.6 },
      label: { show: true, color: "#cfe6ff", fontSize: 11, offset: [0, 18] },
    }))).concat(byKind("street").map((f) => ({
      name: f.properties.name, itemStyle: { areaColor: "rgba(0,0,0,0)", borderColor: "#ffffff", borderWidth: 2.5 },
    })));
    const points = byKind("compound").filter((f) => counts[f.properties.id]).map((f) => {
      const c = counts[f.properties.id];
      return { name: f.properties.label, value: f.properties.center.concat([c.open, c.overdue]) };
    });
    const names = {};
    grid.features.forEach((f) => { names[f.properties.name] = f.properties; });
    draw("chart-map", {
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          if (p.seriesType) return html(p.name) + "<br>在办 " + p.value[2] + " 件，其中超时 " + p.value[3] + " 件";
          const props = names[p.name];
          if (!props) return "";
          const c = counts[props.id] || { open: 0, overdue: 0 };
          return html(props.label) + "<br>在办 " + c.open + " 件，其中超时 " + c.overdue + " 件";
        },
      },
      geo: { map: "grid", roam: true, aspectScale: 0.85, layoutCenter: ["50%", "50%"], layoutSize: "95%", regions: regions,
             label: { show: false, formatter: (p) => (names[p.name] || {}).label || "" }, emphasis: { label: { show: true, color: "#fff", formatter: (p) => (names[p.name] || {}).label || "" }, itemStyle: { areaColor: "#2f6fb0" } },
             itemStyle: { areaColor: "#0f2d4f", borderColor: "#3a78b5" } },
      series: [
        { type: "scatter", name: "在办", coordinateSystem: "geo", data: points.filter((p) => !p.value[3]),
          symbolSize: (v) => 8 + 4 * Math.sqrt(v[2]), itemStyle: { color: AMBER, opacity: 0.9 } },
        { type: "effectScatter", name: "有超时", coordinateSystem: "geo", data: points.filter((p) => p.value[3]),
          symbolSize: (v) => 10 + 4 * Math.sqrt(v[2]), rippleEffect: { scale: 3 }, itemStyle: { color: RED } },
      ],
    });
    el.dataset.points = String(points.length);
  }

  function render(d) {
    document.getElementById("demo-flag").hidden = !d.has_demo;
    kpis(d); ranking(d); hotspots(d); intake(d); rates(d); projects(d); guide(d); neighbours(d); map(d);
    last = d.generated_at;
    text("updated", "数据刷新于 " + hhmm(d.generated_at) + (d.updated_at ? "（考评汇总于 " + hhmm(d.updated_at) + "）" : ""));
    document.getElementById("error").hidden = true;
    body.dataset.loaded = String(Date.now());
  }

  function fail(status) {
    const el = document.getElementById("error");
    el.hidden = false;
    el.textContent = status === 401 || status === 403 ? "登录已失效，请重新登录后刷新页面" :
      "数据暂时无法刷新" + (last ? "，显示的是 " + hhmm(last) + " 的数据" : "");
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then((r) => {
      if (!r.ok) throw r.status;
      return r.json();
    });
  }

  function load() {
    const shapes = grid ? Promise.resolve(grid) : getJSON(body.dataset.grid).then((g) => {
      echarts.registerMap("grid", g);
      grid = g;
      return g;
    });
    return shapes.then(() => getJSON(body.dataset.api)).then(render).catch(fail);
  }

  function clock() { text("clock", new Date().toLocaleString("zh-CN", { hour12: false, timeZone: zone })); }

  function start() {
    clock();
    setInterval(clock, 1000);
    load();
    setInterval(() => { if (!document.hidden) load(); }, refreshMs);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
    window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
