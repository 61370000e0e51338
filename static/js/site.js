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

  function init() { initErrorSummary(); initPrintButtons(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
