// A link to a table or a paragraph inside a collapsed box ("See Table 4.3") opens the box, so the
// reader lands on what the link promised (loaded by _ext/dropdowns.py; boxes by sphinx-togglebutton).
(function () {
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var box = el.closest(".admonition.toggle-hidden");
    while (box) {
      var title = box.querySelector(":scope > .admonition-title");
      if (title) title.click(); else box.classList.remove("toggle-hidden");
      box = box.parentElement && box.parentElement.closest(".admonition.toggle-hidden");
    }
    el.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  window.addEventListener("load", function () { setTimeout(openTarget, 0); });
})();
