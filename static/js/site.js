// Behaviour that used to be written inline, so the Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    // <button data-print>: print this page (checklists, mediation agreements).
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    // <button data-category="12">: choose the suggested category in the report form.
    var pick = event.target.closest("[data-category]");
    if (pick) {
      var select = document.getElementById("id_category");
      if (select) select.value = pick.getAttribute("data-category");
      return;
    }
    // <button id="locate">: the phone's position into the report form.
    if (event.target.closest("#locate")) {
      var out = document.getElementById("located");
      if (!navigator.geolocation) { out.textContent = "这台手机不支持定位，请选小区或填写位置"; return; }
      out.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (p) {
        document.getElementById("id_latitude").value = p.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = p.coords.longitude.toFixed(6);
        out.textContent = "已定位";
      }, function () { out.textContent = "定位失败，请选小区或填写位置"; }, {timeout: 10000});
    }
  });
})();
