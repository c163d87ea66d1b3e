// The charts' interaction, on top of the SVG drawn on the server (which works without it):
// the value under the pointer or of the focused bar in a tip (also said by screen readers,
// through a polite live region), one tab stop a chart with the arrow keys from bar to bar, and
// a switch between the chart and its table. Without this script the chart and its table both show.
(function () {
  "use strict";
  function setUp(block) {
    var figure = block.querySelector("[data-chart-figure]");
    var table = block.querySelector("[data-chart-table]");
    if (!figure || !table) { return; }
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("role", "status");
    tip.setAttribute("aria-live", "polite");
    tip.hidden = true;
    block.appendChild(tip);

    function show(text, x, y) {
      tip.textContent = text;
      tip.hidden = false;
      var box = block.getBoundingClientRect();
      var left = Math.min(x - box.left + 12, Math.max(0, box.width - tip.offsetWidth));
      tip.style.left = left + "px";
      tip.style.top = (y - box.top + 12) + "px";
    }
    function hide() { tip.hidden = true; }

    var bars = Array.prototype.slice.call(figure.querySelectorAll("g.bar"));
    figure.addEventListener("mousemove", function (event) {
      var rect = event.target.closest ? event.target.closest("rect[data-value]") : null;
      if (rect) {
        show(rect.getAttribute("data-label") + ": " + rect.getAttribute("data-category") + " " +
             rect.getAttribute("data-value"), event.clientX, event.clientY);
      } else {
        hide();
      }
    });
    figure.addEventListener("mouseleave", hide);
    // One tab stop a chart (the bar last reached); the arrow keys, Home and End move between its bars.
    bars.forEach(function (bar, index) { bar.setAttribute("tabindex", index === 0 ? "0" : "-1"); });
    bars.forEach(function (bar, index) {
      bar.addEventListener("focus", function () {
        bars.forEach(function (other) { other.setAttribute("tabindex", other === bar ? "0" : "-1"); });
        var box = bar.getBoundingClientRect();
        show(bar.getAttribute("aria-label"), box.left + box.width / 3, box.bottom - 6);
      });
      bar.addEventListener("blur", hide);
      bar.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowDown" || event.key === "ArrowRight") { next = bars[index + 1]; }
        if (event.key === "ArrowUp" || event.key === "ArrowLeft") { next = bars[index - 1]; }
        if (event.key === "Home") { next = bars[0]; }
        if (event.key === "End") { next = bars[bars.length - 1]; }
        if (event.key === "Escape") { hide(); }
        if (next) { event.preventDefault(); next.focus(); }
      });
    });

    // The switch: the chart, with its table kept for screen readers (visually hidden), or the table.
    // The button's words come translated from the page (data-show-table, data-show-chart).
    var words = { table: block.getAttribute("data-show-table"), chart: block.getAttribute("data-show-chart") };
    var tools = block.querySelector(".chart-tools");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "chart-switch";
    tools.insertBefore(button, tools.firstChild);
    function view(asTable) {
      figure.hidden = asTable;
      table.classList.toggle("visually-hidden", !asTable);
      button.textContent = asTable ? words.chart : words.table;
      block.setAttribute("data-view", asTable ? "table" : "chart");
      hide();
    }
    button.addEventListener("click", function () { view(!figure.hidden); });
    view(false);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
