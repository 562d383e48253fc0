// Behaviour that used to sit in inline attributes, which the content security policy forbids.
(function () {
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
})();
