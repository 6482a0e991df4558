// Conditional questions on the same page: show a question only when the
// answer it depends on is one of the listed values. Without JavaScript every
// question stays visible and the server ignores answers to hidden ones.
(function () {
  "use strict";

  function currentValues(form, code) {
    var inputs = form.querySelectorAll('[name="' + code + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) {
        return;
      }
      if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function update(form) {
    form.querySelectorAll("[data-show-if]").forEach(function (block) {
      var wanted = block.dataset.showValues.split(",");
      var given = currentValues(form, block.dataset.showIf);
      var show = given.some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      block.hidden = !show;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      if (!form.querySelector("[data-show-if]")) {
        return;
      }
      form.addEventListener("change", function () {
        update(form);
      });
      update(form);
    });
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  });
})();
