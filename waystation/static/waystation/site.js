// Behaviour that used to sit in inline attributes, which the content security policy forbids.
(function () {
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  // A table wider than a phone scrolls inside itself; keyboard users reach it with Tab.
  function focusableWhenScrolling() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth) table.setAttribute("tabindex", "0");
      else table.removeAttribute("tabindex");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusableWhenScrolling);
  else focusableWhenScrolling();
  window.addEventListener("resize", focusableWhenScrolling);
  document.addEventListener("htmx:afterSwap", focusableWhenScrolling);
})();
