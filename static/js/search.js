// The search box is an ARIA combobox: htmx fills the listbox of suggestions, this script lets
// the keyboard move through it (↓ ↑, Enter opens, Esc closes) and tells screen readers how many there are.
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var box = document.getElementById("suggestions");
  var status = document.getElementById("suggestion-status");
  if (!input || !box) return;
  var active = -1;

  function options() {
    return Array.prototype.slice.call(box.querySelectorAll('[role="option"]'));
  }

  function select(index) {
    var opts = options();
    active = index;
    opts.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && opts[index]) {
      input.setAttribute("aria-activedescendant", opts[index].id);
      opts[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    box.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    select(-1);
    if (status) status.textContent = "";
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target !== box) return;
    var count = options().length;
    input.setAttribute("aria-expanded", count ? "true" : "false");
    select(-1);
    if (status) status.textContent = count ? "有 " + count + " 条建议，按上下键选择，回车打开" : "";
  });

  input.addEventListener("keydown", function (event) {
    var opts = options();
    if (event.key === "ArrowDown" && opts.length) {
      event.preventDefault();
      select((active + 1) % opts.length);
    } else if (event.key === "ArrowUp" && opts.length) {
      event.preventDefault();
      select(active <= 0 ? opts.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0 && opts[active]) {
      event.preventDefault();
      window.location.href = opts[active].getAttribute("data-href");
    } else if (event.key === "Escape" && opts.length) {
      event.preventDefault();
      close();
    }
  });

  box.addEventListener("click", function (event) {
    var option = event.target.closest('[role="option"]');
    if (option) window.location.href = option.getAttribute("data-href");
  });

  document.addEventListener("click", function (event) {
    if (!event.target.closest(".searchbar")) close();
  });
})();
