// Filters for the pagelint report. Without JavaScript the form stays hidden and every
// finding shows. The initial filter can be set in the address: ?category=link,markup&severity=error
// (or the same after #).
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  var findings = document.querySelectorAll(".finding");
  var pages = document.querySelectorAll(".page");
  var status = document.getElementById("shown");
  var query = location.search.slice(1) || (location.hash.indexOf("=") > 0 ? location.hash.slice(1) : "");
  var params = new URLSearchParams(query);

  function chosen(name) {
    var values = {};
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      if (box.checked) values[box.value] = true;
    });
    return values;
  }

  function apply() {
    var categories = chosen("category"), severities = chosen("severity"), shown = 0;
    findings.forEach(function (finding) {
      var visible = categories[finding.dataset.category] && severities[finding.dataset.severity];
      finding.hidden = !visible;
      if (visible) shown++;
    });
    pages.forEach(function (page) {
      page.hidden = !page.querySelector(".finding:not([hidden])");
    });
    status.textContent = shown === findings.length
      ? "Showing all " + findings.length + " findings."
      : "Showing " + shown + " of " + findings.length + " findings.";
  }

  ["category", "severity"].forEach(function (name) {
    if (!params.has(name)) return;
    var wanted = params.get(name).split(",");
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (box) {
      box.checked = wanted.indexOf(box.value) >= 0;
    });
  });
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
