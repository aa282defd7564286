/* のりしろ: print helpers.  Every page prints without this script; it shows the
   print button on story pages, writes today's date as the print date, and opens
   the keyword table of the failures page while printing. */
(function () {
  "use strict";
  function today() {
    var d = new Date();
    return d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日";
  }
  function stamp() {
    var text = today();
    document.querySelectorAll("[data-ns-print-date]").forEach(function (el) { el.textContent = text; });
    var style = document.getElementById("ns-print-page");
    if (style && style.getAttribute("data-footer")) {
      var footer = style.getAttribute("data-footer") + " ｜ 印刷日 " + text;
      style.textContent = "@page { @bottom-left { content: " + JSON.stringify(footer) + "; } }";
    }
  }
  var opened = [];
  window.addEventListener("beforeprint", function () {
    stamp();
    document.querySelectorAll("details.ns-keywords:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  document.querySelectorAll("[data-ns-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  stamp();
})();
