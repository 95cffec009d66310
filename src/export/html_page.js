(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#diagram g.row"));
  var steps = Array.prototype.slice.call(document.querySelectorAll("section.step"));
  var pos = document.getElementById("pos");
  var current = 0;
  function show(i) {
    if (i < 0 || i >= steps.length) { return; }
    current = i;
    steps.forEach(function (s, k) { s.classList.toggle("current", k === i); });
    rows.forEach(function (r, k) { r.classList.toggle("current", k === i); });
    pos.textContent = "step " + steps[i].getAttribute("data-step") + " (" + (i + 1) + " of " + steps.length + ")";
    if (rows[i] && rows[i].scrollIntoView) { rows[i].scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "ArrowRight") { show(current + 1); e.preventDefault(); }
    else if (e.key === "ArrowLeft") { show(current - 1); e.preventDefault(); }
    else if (e.key === "Home") { show(0); }
    else if (e.key === "End") { show(steps.length - 1); }
  });
  rows.forEach(function (r, k) { r.addEventListener("click", function () { show(k); }); });
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  show(0);
})();
