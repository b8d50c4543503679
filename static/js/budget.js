/* Driftbudget: recompute the deviation, the adjusted deviation and "Nämnden totalt" while
   the person types. Progressive enhancement only: the page works without it, and the server
   computes every figure again from what is saved. Numbers are read the Swedish way
   ("1 165,1", "−4,5", "-4,5", a dot also works) and written with one decimal, a narrow
   no-break space between thousands and a true minus sign. */
(function () {
  "use strict";

  var THOUSANDS = "\u202f";
  var MINUS = "\u2212";

  function parse(text) {
    var cleaned = String(text || "")
      .replace(/[\s\u00a0\u202f\u2009]+/g, "")
      .replace(/[\u2212\u2013]/g, "-")
      .replace(/%$/, "")
      .replace(",", ".");
    if (cleaned === "") return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(cleaned)) return NaN;
    return parseFloat(cleaned);
  }

  function format(value, signed) {
    if (value === null) return "–";
    if (isNaN(value)) return "?";
    var rounded = Math.round(value * 10) / 10;
    var parts = Math.abs(rounded).toFixed(1).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS);
    var text = whole + "," + parts[1];
    if (rounded < 0) return MINUS + text;
    if (signed && rounded > 0) return "+" + text;
    return text;
  }

  function sum(values) {
    var present = values.filter(function (v) { return v !== null; });
    if (!present.length) return null;
    return present.reduce(function (a, b) { return a + b; }, 0);
  }

  function minus(a, b) {
    return a === null || b === null ? null : a - b;
  }

  function init(form) {
    var summary = document.querySelector("[data-budget-summary]");
    if (!summary) return;
    var other = {
      budget: parse(summary.dataset.otherBudget),
      spent: parse(summary.dataset.otherSpent),
      deviation: parse(summary.dataset.otherDeviation),
      adjustments: parse(summary.dataset.otherAdjustments),
      adjusted: parse(summary.dataset.otherAdjusted)
    };

    function out(name, value, signed) {
      var element = summary.querySelector('[data-out="' + name + '"]');
      if (element) element.textContent = format(value, signed);
    }

    function adjustments() {
      var amounts = [];
      form.querySelectorAll("[data-formset-row]").forEach(function (row) {
        var input = row.querySelector('[data-budget="adjustment"]');
        var remove = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
        if (input && !(remove && remove.checked)) amounts.push(parse(input.value));
      });
      return amounts.some(function (v) { return v !== null; }) ? sum(amounts) : null;
    }

    function update() {
      var budgetInput = form.querySelector('[data-budget="budget"]');
      var spentInput = form.querySelector('[data-budget="spent"]');
      var budget = budgetInput ? parse(budgetInput.value) : null;
      var spent = spentInput ? parse(spentInput.value) : null;
      var deviation = minus(budget, spent);
      var adjusted = adjustments();
      var adjustedDeviation = deviation === null ? null : deviation + (adjusted || 0);
      out("budget", budget, false);
      out("spent", spent, false);
      out("deviation", deviation, true);
      out("adjustments", adjusted, true);
      out("adjusted", adjustedDeviation, true);
      out("total-budget", sum([other.budget, budget]), false);
      out("total-spent", sum([other.spent, spent]), false);
      out("total-deviation", sum([other.deviation, deviation]), true);
      out("total-adjustments", sum([other.adjustments, adjusted]), true);
      out("total-adjusted", sum([other.adjusted, adjustedDeviation]), true);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-budget-form]").forEach(init);
  });
})();
