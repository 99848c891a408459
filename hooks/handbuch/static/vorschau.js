// Preview only (make serve): when the last save broke the content, every served page says so.
// The preview keeps showing the last good state; this notice lists the problems (file:line) until
// a good save, after which the page reloads without it. Added by the server, never built into pages.
(function () {
  "use strict";
  fetch(__STATUS_URL__, { cache: "no-store" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (status) {
      var problems = status && status.probleme;
      if (!problems || !problems.length) {
        return;
      }
      var box = document.createElement("div");
      box.className = "handbuch-vorschau-fehler";
      box.setAttribute("role", "alert");
      // Own colours with contrast above 7:1, so the notice reads the same on every page.
      box.style.cssText = "background:#fff3f3;color:#5c0000;border:3px solid #b00020;padding:1em 1.5em;" +
        "margin:0;font:1rem/1.5 sans-serif;position:relative;z-index:10;";
      var heading = document.createElement("p");
      heading.style.fontWeight = "bold";
      heading.style.margin = "0 0 .5em";
      heading.textContent = "Vorschau nicht aktuell: " + problems.length +
        (problems.length === 1 ? " Problem" : " Probleme") +
        " in den Inhalten. Angezeigt wird der letzte fehlerfreie Stand; nach dem Beheben und Speichern " +
        "lädt die Seite neu.";
      box.appendChild(heading);
      var list = document.createElement("ul");
      list.style.margin = "0";
      problems.forEach(function (text) {
        var item = document.createElement("li");
        var code = document.createElement("code");
        code.textContent = text;  // content is text, never markup
        item.appendChild(code);
        list.appendChild(item);
      });
      box.appendChild(list);
      document.body.insertBefore(box, document.body.firstChild);
    })
    .catch(function () { /* no status: nothing to show */ });
})();
