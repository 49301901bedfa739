// Filters for the pagelint report. Without JavaScript the form stays hidden and every
// finding shows. The initial filter can be set in the address: ?category=link,markup&severity=error
// (or the same after #); a change of filter writes it after # (a file: address may change only
// there), so that a filtered view can be shared, and each page's count follows the filter.
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
      var all = page.querySelectorAll(".finding").length;
      var visible = page.querySelectorAll(".finding:not([hidden])").length;
      page.hidden = !visible;
      page.querySelector(".count").textContent = (visible === all ? "" : visible + " of ") + all + " finding" + (all === 1 ? "" : "s");
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
  // The filter as the address says it: only what leaves some box unchecked.
  function address() {
    var parts = [];
    ["category", "severity"].forEach(function (name) {
      var boxes = form.querySelectorAll('input[name="' + name + '"]'), values = [];
      boxes.forEach(function (box) { if (box.checked) values.push(box.value); });
      if (values.length < boxes.length) parts.push(name + "=" + values.join(","));
    });
    return parts.join("&");
  }

  function remember() {
    var query = address(), url = location.pathname + (query ? "#" + query : "");
    try {
      history.replaceState(null, "", url);
    } catch (refused) {  // a browser that refuses to drop the ?query of a file: address
      location.hash = query;
    }
  }

  form.addEventListener("change", function () { apply(); remember(); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(); remember(); }, 0); });
  form.hidden = false;
  apply();
})();
