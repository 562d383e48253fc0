// The review queue from the keyboard: j / k (or the arrow keys) move between pairs,
// s decides "same person", d "different people", n moves on without deciding.
(function () {
  "use strict";
  const pairs = Array.from(document.querySelectorAll("[data-testid='review-pair']"));
  if (!pairs.length) return;
  let current = 0;
  function focus(index) {
    current = Math.max(0, Math.min(pairs.length - 1, index));
    pairs.forEach((pair, n) => pair.classList.toggle("current", n === current));
    pairs[current].setAttribute("tabindex", "-1");
    pairs[current].focus({ preventScroll: true });
    pairs[current].scrollIntoView({ block: "nearest" });
  }
  function decide(verdict) {
    const button = pairs[current].querySelector(`button[name='verdict'][value='${verdict}']`);
    if (button) button.click();
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target && ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
    const key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown" || key === "n") focus(current + 1);
    else if (key === "k" || key === "arrowup") focus(current - 1);
    else if (key === "s") decide("same");
    else if (key === "d") decide("different");
    else return;
    event.preventDefault();
  });
  focus(0);
})();
