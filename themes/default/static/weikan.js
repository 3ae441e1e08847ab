// The reader's type size (标准 / 大 / 特大), kept across pages. The page
// reads fully without scripts, and then the control is not shown. A
// one-line script in <head> marks the page `js` and applies the saved size
// before first paint, so nothing moves when this file (loaded with `defer`)
// wires the buttons.
(function () {
  var root = document.documentElement;
  var group = document.querySelector(".textsize");
  if (!group) return;
  var buttons = group.querySelectorAll("button");
  function show(size) {
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", String(buttons[i].value === size));
    }
  }
  group.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var size = button.value;
    if (size) root.setAttribute("data-size", size);
    else root.removeAttribute("data-size");
    try {
      if (size) localStorage.setItem("weikan-size", size);
      else localStorage.removeItem("weikan-size");
    } catch (e) {
      // Storage can be off (private mode); the size still holds on this page.
    }
    show(size);
  });
  show(root.getAttribute("data-size") || "");
})();
