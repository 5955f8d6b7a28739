// Draws the charts of the dashboard and of the meeting figures from the figures the page
// already shows as tables; a chart whose element is not on the page is skipped.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("dashboard-data");
  if (!el || !window.echarts) { return; }
  var d = JSON.parse(el.textContent);
  var red = ["#c8102e", "#e0533f", "#f08a5d", "#f6b98a", "#9e0c24", "#7a7a7a", "#b26a00"];
  // Tooltips drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the
  // Content-Security-Policy refuses.
  function pie(id, counts) {
    var node = document.getElementById(id);
    if (!node) { return; }
    echarts.init(node).setOption({
      color: red,
      tooltip: { trigger: "item", renderMode: "richText" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["30%", "55%"], center: ["50%", "42%"], label: { show: false },
        data: counts.filter(function (c) { return c.count > 0; })
          .map(function (c) { return { name: c.label, value: c.count }; }) }]
    });
  }
  function bars(id, counts) {
    var node = document.getElementById(id);
    if (!node) { return; }
    echarts.init(node).setOption({
      color: red,
      tooltip: { renderMode: "richText" },
      grid: { left: 40, right: 10, top: 10, bottom: 60 },
      xAxis: { type: "category", axisLabel: { interval: 0, rotate: 30, fontSize: 11 },
        data: counts.map(function (c) { return c.label; }) },
      yAxis: { type: "value" },
      series: [{ type: "bar", data: counts.map(function (c) { return c.count; }) }]
    });
  }
  pie("chart-status", d.by_status);
  pie("chart-category", d.by_category);
  bars("chart-education", d.by_education);
  bars("chart-age", d.by_age);
  // The figures of organizational life (组织生活统计).
  bars("chart-meetings", d.meetings);
  bars("chart-attendance", d.attendance);
});
