/*
 * QMS page behaviour without inline script (the Content-Security-Policy has
 * no 'unsafe-inline'): elements declare what they do with data-* attributes.
 *
 *   <button type="button" data-qms-print>  prints the page
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-qms-print]");
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
