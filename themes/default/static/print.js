// The print booklet's 打印 button opens the browser's own print dialog.
// Without scripts the button is not shown (print.css shows it only under
// the `js` class the page's head script sets) and a line points to the
// browser's print instead.
(function () {
  var button = document.querySelector(".print-button");
  if (!button) return;
  button.addEventListener("click", function () {
    window.print();
  });
})();
