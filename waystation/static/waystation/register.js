// Adds household members to the registration form and keeps the head index in step.
(function () {
  const form = document.getElementById("register-form");
  if (!form) return;
  const members = document.getElementById("members");
  const template = document.getElementById("member-template");
  const total = form.querySelector("input[name='members-TOTAL_FORMS']");
  const headIndex = form.querySelector("input[name='head_index']");
  document.getElementById("add-member").addEventListener("click", function () {
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
    members.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = members.lastElementChild.querySelector("input, select");
    if (added) added.focus();
  });
  form.addEventListener("change", function (event) {
    if (event.target.matches("[data-head]")) headIndex.value = event.target.value;
  });
})();
