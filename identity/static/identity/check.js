// The files check on the registration form: each member gets a "Check the files" button;
// the candidates come back as an HTML fragment, and the registrar's verdicts travel with the
// form in a hidden field; the registration service applies them inside its transaction.
(function () {
  const form = document.getElementById("register-form");
  const strings = document.getElementById("identity-strings");
  if (!form || !strings) return;
  const text = strings.dataset;
  const FIELDS = ["family_name_hangul", "given_name_hangul", "family_name_hanzi", "given_name_hanzi",
    "family_name_latin", "given_name_latin", "sex", "birth_date", "birth_date_precision", "place_of_origin",
    "document_number"];

  function setup(fieldset) {
    if (fieldset.dataset.identityReady) return;
    const sex = fieldset.querySelector("[name$='-sex']");
    if (!sex) return;
    fieldset.dataset.identityReady = "1";
    const prefix = sex.name.slice(0, -"-sex".length);
    const decisions = {};
    const hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = prefix + "-identity_decisions";
    hidden.value = "{}";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.dataset.testid = "identity-check";
    button.textContent = text.check;
    const box = document.createElement("div");
    box.className = "identity-box";
    box.setAttribute("aria-live", "polite");
    box.dataset.testid = "identity-candidates";
    fieldset.append(hidden, button, box);

    function show() {
      box.querySelectorAll("[data-candidate-card]").forEach(function (card) {
        const choice = decisions[card.dataset.person];
        card.dataset.chosen = choice ? choice.verdict : "";
        card.querySelector("[data-chosen]").textContent = choice ? text["chosen" + choice.verdict.charAt(0).toUpperCase() + choice.verdict.slice(1)] : "";
      });
    }

    async function run() {
      const params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        const input = fieldset.querySelector("[name='" + prefix + "-" + name + "']");
        if (input && input.value) params.set(name, input.value);
      });
      box.textContent = text.checking;
      try {
        const response = await fetch(text.url + "?" + params.toString(), { headers: { "HX-Request": "true" } });
        if (!response.ok) throw new Error(String(response.status));
        box.innerHTML = await response.text();
        show();
      } catch (error) {
        box.textContent = text.failed;
      }
    }

    button.addEventListener("click", run);
    box.addEventListener("click", function (event) {
      const choice = event.target.closest("[data-verdict]");
      if (!choice) return;
      const verdict = choice.dataset.verdict;
      if (verdict === "same") {
        // one person can be the same as only one earlier record
        Object.keys(decisions).forEach(function (key) {
          if (decisions[key].verdict === "same") delete decisions[key];
        });
      }
      decisions[choice.dataset.candidate] = { verdict: verdict, score: parseFloat(choice.dataset.score), band: choice.dataset.band };
      hidden.value = JSON.stringify(decisions);
      show();
    });
  }

  const members = document.getElementById("members");
  members.querySelectorAll("[data-member]").forEach(setup);
  new MutationObserver(function () {
    members.querySelectorAll("[data-member]").forEach(setup);
  }).observe(members, { childList: true });
})();
