/* Driftbudget: recompute the deviation, the adjusted deviation and "Nämnden totalt" while
   the person types. Progressive enhancement only: the page works without it, and the server
   computes every figure again from what is saved.

   The rules are budget/arithmetic.py's, digit for digit: amounts are exact decimals (BigInt
   counts of 0,00000001 mnkr, never floats), deviation = budget − bokslut (or prognos),
   justerad avvikelse = avvikelse + every adjustment, sums of the exact amounts, and only the
   shown figure is rounded, once, half away from zero, to 0,1 mnkr (never "−0,0").
   Numbers are read the Swedish way ("1 165,1", "−4,5", "-4,5", a dot also works) and written
   with a narrow no-break space between thousands and a true minus sign. An amount typed in
   tkr or kr (data-budget-unit on the form) is turned into mnkr first. */
(function () {
  "use strict";

  var THOUSANDS = "\u202f";
  var MINUS = "\u2212";
  var DECIMALS = 8; // budget.arithmetic.AMOUNT_DECIMALS
  var SCALE = 10n ** BigInt(DECIMALS);
  var STEP = SCALE / 10n; // one printed decimal
  var UNIT_DECIMALS = { mnkr: 0, tkr: 3, kr: 6 }; // how far a unit is below mnkr

  // "1 165,1" -> 116510000000n (in 0,00000001 mnkr), "" -> null, rubbish -> NaN.
  function parse(text, unit) {
    var cleaned = String(text || "")
      .replace(/[\s\u00a0\u202f\u2009]+/g, "")
      .replace(/[\u2212\u2013]/g, "-")
      .replace(/%$/, "")
      .replace(",", ".");
    if (cleaned === "") return null;
    var match = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(cleaned);
    if (!match || (match[2] + (match[3] || "")) === "") return NaN;
    var shift = DECIMALS - (UNIT_DECIMALS[unit || "mnkr"] || 0);
    var fraction = match[3] || "";
    if (fraction.length > shift) {
      if (/[^0]/.test(fraction.slice(shift))) return NaN; // more decimals than are stored
      fraction = fraction.slice(0, shift);
    }
    var digits = (match[2] || "0") + fraction.padEnd(shift, "0");
    var value = BigInt(digits);
    return match[1] === "-" ? -value : value;
  }

  function bad(value) {
    return typeof value === "number" && isNaN(value);
  }

  // Round once to 0,1 mnkr, half away from zero: 5,85 -> 5,9 and −5,85 -> −5,9.
  function rounded(value) {
    var negative = value < 0n;
    var size = negative ? -value : value;
    var tenths = (size + STEP / 2n) / STEP;
    return negative ? -tenths : tenths;
  }

  function format(value, signed) {
    if (value === null) return "–";
    if (bad(value)) return "?";
    var tenths = rounded(value);
    var size = tenths < 0n ? -tenths : tenths;
    var whole = (size / 10n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS);
    var text = whole + "," + (size % 10n).toString();
    if (tenths < 0n) return MINUS + text;
    if (signed && tenths > 0n) return "+" + text;
    return text;
  }

  function sum(values) {
    if (values.some(bad)) return NaN;
    var present = values.filter(function (v) { return v !== null; });
    if (!present.length) return null;
    return present.reduce(function (a, b) { return a + b; }, 0n);
  }

  function minus(a, b) {
    if (bad(a) || bad(b)) return NaN;
    return a === null || b === null ? null : a - b;
  }

  function init(form) {
    var summary = document.querySelector("[data-budget-summary]");
    if (!summary) return;
    var unit = form.dataset.budgetUnit || "mnkr";
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
        if (input && !(remove && remove.checked)) amounts.push(parse(input.value, unit));
      });
      return sum(amounts);
    }

    function update() {
      var budgetInput = form.querySelector('[data-budget="budget"]');
      var spentInput = form.querySelector('[data-budget="spent"]');
      var budget = budgetInput ? parse(budgetInput.value, unit) : null;
      var spent = spentInput ? parse(spentInput.value, unit) : null;
      var deviation = minus(budget, spent);
      var adjusted = adjustments();
      var adjustedDeviation =
        deviation === null ? null : sum([deviation, adjusted === null ? 0n : adjusted]);
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

  // Förbrukning = outcome / budget in tenths of a percent, rounded once, half away from zero
  // (budget.arithmetic.consumption, printed with one decimal): null without a budget.
  function share(outcome, budget) {
    if (bad(outcome) || bad(budget)) return NaN;
    if (outcome === null || budget === null || budget === 0n) return null;
    var numerator = outcome * 1000n;
    var negative = numerator < 0n !== budget < 0n;
    var a = numerator < 0n ? -numerator : numerator;
    var b = budget < 0n ? -budget : budget;
    var tenths = (2n * a + b) / (2n * b);
    return negative ? -tenths : tenths;
  }

  function formatShare(tenths) {
    if (tenths === null) return "–";
    if (bad(tenths)) return "?";
    var size = tenths < 0n ? -tenths : tenths;
    var whole = (size / 10n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS);
    var text = whole + "," + (size % 10n).toString() + "\u00a0%";
    return tenths < 0n ? MINUS + text : text;
  }

  /* Resultaträkning and Investeringar: every row's computed columns and the sums, as the
     report prints them (budget/views.py table_summary, from budget/arithmetic.py). */
  var TABLE_AMOUNTS = {
    income_statement: ["budget", "outcome", "previous_budget", "previous_outcome"],
    investments: ["budget", "outcome", "forecast", "previous_forecast"]
  };
  var INCOME_SUMS = [["income", "Summa intäkter"], ["cost", "Summa kostnader"], ["", "Netto"]];

  function initTable(form) {
    var summary = document.querySelector("[data-budget-table-summary]");
    var kind = form.dataset.budgetTable;
    var amounts = TABLE_AMOUNTS[kind];
    if (!summary || !amounts) return;
    var unit = form.dataset.budgetUnit || "mnkr";
    var columns = Array.prototype.map.call(
      summary.querySelectorAll("thead [data-column]"),
      function (th) { return { name: th.dataset.column, style: th.dataset.style }; }
    );

    function field(row, name) {
      return row.querySelector('[name$="-' + name + '"]');
    }

    function rows() {
      var found = [];
      form.querySelectorAll("[data-formset-row]").forEach(function (tr) {
        var remove = field(tr, "DELETE");
        if (remove && remove.checked) return;
        var label = field(tr, kind === "income_statement" ? "label" : "category");
        var slag = field(tr, "kind");
        var row = { label: label ? label.value.trim() : "", kind: slag ? slag.value : "" };
        var used = row.label !== "";
        amounts.forEach(function (name) {
          var input = field(tr, name);
          row[name] = input ? parse(input.value, unit) : null;
          if (row[name] !== null) used = true;
        });
        if (used) found.push(row);
      });
      return found;
    }

    function summed(members, label, sumKind) {
      var row = { label: label, kind: sumKind, total: true };
      amounts.forEach(function (name) {
        row[name] = sum(members.map(function (m) { return m[name]; }));
      });
      return row;
    }

    function figures(row) {
      if (kind === "income_statement") {
        row.change = row.kind === "income"
          ? minus(row.previous_outcome, row.outcome)
          : minus(row.outcome, row.previous_outcome);
        row.consumption = share(row.outcome, row.budget);
        row.previous_consumption = share(row.previous_outcome, row.previous_budget);
      } else {
        var spent = row.outcome !== null ? row.outcome : row.forecast;
        row.deviation = minus(row.budget, spent);
        row.forecast_deviation = minus(row.previous_forecast, row.outcome);
      }
      return row;
    }

    function lines() {
      var members = rows();
      var result = [];
      if (kind === "income_statement") {
        // as the report prints it: the incomes and their sum, the costs and theirs, the net
        INCOME_SUMS.forEach(function (pair) {
          if (!pair[0]) {
            result = result.concat(members.filter(function (m) {
              return m.kind !== "income" && m.kind !== "cost"; // no kind chosen yet
            }));
            result.push(summed(members, pair[1], pair[0]));
            return;
          }
          var of = members.filter(function (m) { return m.kind === pair[0]; });
          if (!of.length) return;
          result = result.concat(of);
          result.push(summed(of, pair[1], pair[0]));
        });
      } else {
        result = members.concat([summed(members, "Summa", "")]);
      }
      return result.map(figures);
    }

    function update() {
      var body = summary.querySelector("tbody");
      var fresh = document.createElement("tbody");
      lines().forEach(function (line) {
        var tr = document.createElement("tr");
        if (line.total) tr.className = "fw-semibold";
        var th = document.createElement("th");
        th.scope = "row";
        if (!line.total) th.className = "fw-normal";
        th.textContent = line.label;
        tr.appendChild(th);
        columns.forEach(function (column) {
          var td = document.createElement("td");
          td.className = "text-end";
          var value = line[column.name];
          td.textContent = column.style === "percent"
            ? formatShare(value)
            : format(value, column.style === "signed");
          tr.appendChild(td);
        });
        fresh.appendChild(tr);
      });
      summary.replaceChild(fresh, body);
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  window.budgetArithmetic = {
    parse: parse,
    format: format,
    sum: sum,
    minus: minus,
    share: share,
    formatShare: formatShare
  };

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-budget-form]").forEach(init);
    document.querySelectorAll("[data-budget-table]").forEach(initTable);
  });
})();
