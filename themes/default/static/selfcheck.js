// Scores a self-check questionnaire on the reader's own phone. It only
// reads the form and writes the result into the page: it makes no request,
// stores nothing and never touches the address, the history or the title.
// Without it the page still shows each answer's points and the band table.
(function () {
  var form = document.querySelector(".sc-form");
  var result = document.getElementById("sc-result");
  if (!form || !result) return;
  var items = form.querySelectorAll(".sc-item");
  var bands = document.querySelectorAll(".sc-band");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function copy(id) {
    var template = document.getElementById(id);
    return template ? template.content.cloneNode(true) : document.createDocumentFragment();
  }

  function clear() {
    result.textContent = "";
    for (var i = 0; i < items.length; i++) items[i].classList.remove("sc-missing");
  }

  function show(nodes) {
    for (var i = 0; i < nodes.length; i++) result.appendChild(nodes[i]);
    result.focus();
  }

  function bandOf(total) {
    for (var i = 0; i < bands.length; i++) {
      var b = bands[i];
      if (total >= +b.getAttribute("data-min") && total <= +b.getAttribute("data-max")) return b;
    }
    return null;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clear();
    var total = 0;
    var urgent = false;
    var missing = [];
    for (var i = 0; i < items.length; i++) {
      var chosen = items[i].querySelector("input:checked");
      if (!chosen) {
        missing.push(items[i]);
        continue;
      }
      var points = +chosen.value;
      total += points;
      if (points > 0 && items[i].hasAttribute("data-urgent")) urgent = true;
    }
    if (missing.length) {
      var numbers = [];
      for (var m = 0; m < missing.length; m++) {
        missing[m].classList.add("sc-missing");
        numbers.push("第" + (Array.prototype.indexOf.call(items, missing[m]) + 1) + "题");
      }
      result.appendChild(el("p", "sc-gap", "还有" + numbers.join("、") + "没有回答。选好后再点“看结果”。"));
      missing[0].querySelector("input").focus();
      return;
    }
    var band = bandOf(total);
    if (band && band.hasAttribute("data-urgent")) urgent = true;
    var nodes = [];
    if (urgent) nodes.push(copy("sc-urgent"));
    nodes.push(el("h2", "sc-result-title", "你的结果"));
    var sum = el("p", "sc-total", "总分 ");
    sum.appendChild(el("strong", "", String(total)));
    sum.appendChild(document.createTextNode(" 分"));
    nodes.push(sum);
    if (band) {
      nodes.push(el("p", "sc-result-band", band.querySelector(".sc-band-label").textContent + "（" + band.querySelector(".sc-range").textContent + "）"));
      var advice = band.querySelector(".sc-advice").cloneNode(true);
      nodes.push(advice);
    }
    if (!urgent) nodes.push(copy("sc-help"));
    nodes.push(el("p", "sc-note", "这个结果只是参考，不是诊断。你的答案只在这台手机上，没有发送，也没有保存。"));
    show(nodes);
  });

  form.addEventListener("reset", function () {
    clear();
  });
})();
