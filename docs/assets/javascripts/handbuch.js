// Handbuch Präventionsketten: small accessibility fixes for Material's markup.
// Material's search dialog has no accessible name (axe rule aria-dialog-name).
(function () {
  var dialog = document.querySelector(".md-search[role='dialog']");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Suche im Handbuch");
  }
})();
