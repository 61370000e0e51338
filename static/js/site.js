/* Site-wide behaviour, kept in a file (no inline scripts). Pages work without it. */
(function () {
  "use strict";

  // GOV.UK error summary: focus it on load so screen readers announce it; its links focus the field.
  function initErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var legendOrLabel = input.closest("fieldset") ? input.closest("fieldset").querySelector("legend")
        : document.querySelector("label[for='" + input.id + "']");
      (legendOrLabel || input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  // Buttons that print the page (print views), without inline handlers.
  function initPrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Report form: fill the hidden coordinates from the phone's position, saying what happened.
  function initLocate() {
    var button = document.querySelector("[data-locate]");
    if (!button) return;
    button.addEventListener("click", function () {
      var out = document.getElementById("located");
      if (!navigator.geolocation) { out.textContent = "这台手机不支持定位，请选小区或填写位置"; return; }
      out.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
        out.textContent = "已定位";
      }, function () { out.textContent = "定位失败，请选小区或填写位置"; }, { timeout: 10000 });
    });
  }

  // Category suggestions (an htmx fragment): a click chooses that category in the select.
  function initCategoryPick() {
    document.addEventListener("click", function (event) {
      var button = event.target.closest("[data-pick-category]");
      if (!button) return;
      var select = document.getElementById("id_category");
      select.value = button.dataset.pickCategory;
      select.focus();
    });
  }

  function init() { initErrorSummary(); initPrintButtons(); initLocate(); initCategoryPick(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
