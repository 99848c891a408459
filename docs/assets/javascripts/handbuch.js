// Handbuch Präventionsketten: small additions to Material's pages (no third-party code here;
// tablesort comes from npm, see package.json).
(function () {
  // Material's search dialog has no accessible name (axe rule aria-dialog-name).
  var dialog = document.querySelector(".md-search[role='dialog']");
  if (dialog && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", "Suche im Handbuch");
  }

  // Search results: the search compares canonical word forms ("Maßnahmen" and
  // "Massnahme" both become "massnahm", see hooks/handbuch/search.py), and Material puts
  // those forms into each result link (?h=, for highlighting on the target page) and the
  // "Es fehlt" line. Both show what the reader typed instead.
  var box = document.querySelector("input.md-search__input");
  var list = document.querySelector(".md-search-result__list");
  function plain(word) {
    return word.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\u00df/g, "ss");
  }
  function typedWord(form, words) {
    var best = null, bestLength = 2;  // at least three letters in common
    words.forEach(function (word) {
      var a = plain(word), n = 0;
      while (n < a.length && n < form.length && a[n] === form[n]) n += 1;
      if (n > bestLength) { best = word; bestLength = n; }
    });
    return best;
  }
  // A word the search corrected (one letter off) comes marked among the forms (see
  // hooks/handbuch/static/lunr.handbuch.js); the result list names it.
  var CORRECTED = "\u2063";
  var meta = document.querySelector(".md-search-result__meta");
  function showTypedWords() {
    var words = box.value.split(/[\s\-"+]+/).filter(Boolean);
    Array.prototype.forEach.call(list.querySelectorAll("a.md-search-result__link:not([data-h])"), function (link) {
      var url = new URL(link.href);
      if (url.searchParams.has("h")) {
        var searched = null;
        var forms = url.searchParams.get("h").split(" ").filter(function (form) {
          if (form.charAt(0) !== CORRECTED) return true;
          searched = form.slice(1);
          return false;
        });
        if (searched && meta && meta.getAttribute("data-searched") !== meta.textContent) {
          meta.textContent = "Ergebnisse für „" + searched + "“: " + meta.textContent;
          meta.setAttribute("data-searched", meta.textContent);
        }
        // Material lists the forms it found; highlight the typed words behind them.
        var typed = searched ? words.concat([searched]) : words;
        var found = forms.map(function (form) { return typedWord(form, typed); });
        url.searchParams.set("h", found.filter(function (word, i) { return word && found.indexOf(word) === i; }).join(" "));
      }
      link.setAttribute("data-h", "");
      link.href = url.href;
    });
    Array.prototype.forEach.call(list.querySelectorAll(".md-search-result__terms del:not([data-h])"), function (del) {
      var word = typedWord(del.textContent, words);
      del.setAttribute("data-h", "");
      if (word) del.textContent = word;
    });
  }
  if (box && list && window.MutationObserver) {
    new MutationObserver(showTypedWords).observe(list, { childList: true, subtree: true });
  }

  // Phones: overview tables show each row as a card (handbuch.css). Each cell carries its column's
  // name, and explicit roles keep the table's semantics when CSS sets rows and cells to blocks.
  function prepareCards(table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (head) {
      return head.textContent.trim();
    });
    // A card lists what is known: cells saying "keine Angabe" (data-leer) are left out of it.
    var empty = table.closest(".handbuch-sortierbar").getAttribute("data-leer");
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.querySelectorAll("thead, tbody"), function (group) {
      group.setAttribute("role", "rowgroup");
    });
    Array.prototype.forEach.call(table.querySelectorAll("tr"), function (row) {
      row.setAttribute("role", "row");
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (cell.tagName === "TD") {
          cell.setAttribute("role", "cell");
          if (heads[i]) cell.setAttribute("data-label", heads[i]);
          if (empty && i > 0 && cell.textContent.trim() === empty) cell.classList.add("handbuch-leer");
        }
      });
    });
    table.closest(".handbuch-sortierbar").classList.add("handbuch-karten");
  }

  // Overview tables: sortable by clicking or with Enter on a column head, and narrowed by a text box
  // and by choices (select[data-filter]: a row stays when its [data-<name>] element lists the chosen
  // value). A page-wide filter area (.handbuch-filterbereich, /massnahmen/) narrows all its tables
  // together and hides groups left empty; elsewhere each table gets its own text box. Works from
  // file:// as well; without JavaScript the tables stay complete.
  // /massnahmen/: the rows come from a data file (massnahmen/daten.js, hooks/handbuch/render.py
  // measures_data), loaded as a script because file:// allows that where it blocks fetch. Each group's
  // table is drawn from it, then narrowed like any other table.
  function escaped(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function drawMeasures(data) {
    var link = document.querySelector("a[data-kommunen]");
    var overview = link ? link.getAttribute("href") : "../kommunen/";
    // The overview's link says how this build writes URLs: "../kommunen/" or "../kommunen/index.html" (offline).
    var offline = /index\.html$/.test(overview);
    var folder = overview.replace(/index\.html$/, "");
    var head = "<thead><tr>" + data.spalten.map(function (title) { return "<th>" + escaped(title) + "</th>"; }).join("") +
      "</tr></thead>";
    var bodies = {};
    data.massnahmen.forEach(function (row) {
      var record = data.kommunen[row[0]];
      var url = escaped(folder + record[0] + (offline ? ".html" : "/"));
      var phases = row[4] ? row[4].split(" ").map(function (slug) { return data.lebensphasen[slug]; }).join(", ")
        : data.keineAngabe;
      var html = "<tr><td><span data-handlungsfeld=\"" + escaped(row[3]) + "\" data-lebensphasen=\"" + escaped(row[4]) +
        "\" data-zielgruppen=\"" + escaped(row[5]) + "\" data-kreis=\"" + escaped(record[3]) + "\" data-programme=\"" +
        escaped(record[4]) + "\"><a href=\"" + url + "#" + escaped(row[2]) + "\">" + escaped(row[1]) + "</a></span></td>" +
        "<td><a href=\"" + url + "\">" + escaped(record[1]) + "</a>" + (record[2] ? " (" + escaped(data.beispiel) + ")" : "") +
        "</td><td>" + escaped(phases) + "</td><td>" + escaped(row[6] ? data.status[row[6]] : data.keineAngabe) + "</td></tr>";
      (bodies[row[3]] = bodies[row[3]] || []).push(html);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-massnahmen]"), function (box) {
      var rows = bodies[box.getAttribute("data-massnahmen")];
      if (rows) box.innerHTML = "<table>" + head + "<tbody>" + rows.join("") + "</tbody></table>";
    });
  }
  var source = document.querySelector(".handbuch-filterbereich[data-daten]");
  if (source) {
    var script = document.createElement("script");
    script.src = source.getAttribute("data-daten");
    script.onload = function () {
      drawMeasures(window.handbuchMassnahmen);
      setUpTables();
    };
    script.onerror = setUpTables;  // the filter area still shows; the groups keep their counts
    document.head.appendChild(script);
  } else {
    setUpTables();
  }

  function setUpTables() {
    var tables = Array.prototype.slice.call(document.querySelectorAll(".handbuch-sortierbar table"));
    var area = document.querySelector(".handbuch-filterbereich");
    var choices = Array.prototype.map.call(document.querySelectorAll("select[data-filter]"), function (select) {
      return { name: select.getAttribute("data-filter"), select: select };
    });
    Array.prototype.forEach.call(document.querySelectorAll("div.handbuch-filter[hidden]"), function (box) {
      box.hidden = false;
    });
    function matches(row, needle) {
      if (needle && row.textContent.toLowerCase().indexOf(needle) === -1) return false;
      return choices.every(function (choice) {
        var wanted = choice.select.value;
        if (!wanted) return true;
        var cell = row.querySelector("[data-" + choice.name + "]");
        return cell !== null && cell.getAttribute("data-" + choice.name).split(" ").indexOf(wanted) !== -1;
      });
    }
    function narrow(group, input, outputs, noun) {
      var needle = input.value.trim().toLowerCase();
      var shown = 0, all = 0;
      group.forEach(function (table) {
        var rows = table.querySelectorAll("tbody tr"), visible = 0;
        Array.prototype.forEach.call(rows, function (row) {
          var keep = matches(row, needle);
          row.hidden = !keep;
          if (keep) visible += 1;
        });
        all += rows.length;
        shown += visible;
        var section = table.closest(".handbuch-gruppe");
        if (section) section.hidden = visible === 0;
      });
      var narrowed = needle || choices.some(function (choice) { return choice.select.value; });
      outputs.forEach(function (output) {
        output.textContent = narrowed ? shown + " von " + all + " " + noun : "";
      });
    }
    function textBox(id) {
      var wrapper = document.createElement("div");
      wrapper.className = "handbuch-filter";
      var label = document.createElement("label");
      label.setAttribute("for", id);
      label.textContent = "Tabelle filtern: ";
      var input = document.createElement("input");
      input.type = "search";
      input.id = id;
      input.setAttribute("placeholder", "z. B. Kreis oder Name");
      var status = document.createElement("span");
      status.setAttribute("role", "status");
      status.className = "handbuch-filter__status";
      wrapper.appendChild(label);
      wrapper.appendChild(input);
      wrapper.appendChild(status);
      return { wrapper: wrapper, input: input, status: status };
    }
    tables.forEach(function (table, index) {
      prepareCards(table);
      if (typeof Tablesort === "function") {
        // tablesort makes each column head focusable and sorts on click and Enter.
        new Tablesort(table);
        Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (head) {
          head.setAttribute("title", "Nach dieser Spalte sortieren");
        });
      }
      if (area) return;
      var box = textBox("tabellenfilter-" + index);
      table.parentNode.insertBefore(box.wrapper, table);
      var outputs = [box.status].concat(Array.prototype.slice.call(document.querySelectorAll("div.handbuch-filter output")));
      var run = function () { narrow([table], box.input, outputs, "Zeilen"); };
      box.input.addEventListener("input", run);
      choices.forEach(function (choice) { choice.select.addEventListener("change", run); });
    });
    if (area) {
      var input = area.querySelector("input[type=search]");
      var outputs = Array.prototype.slice.call(area.querySelectorAll("output"));
      var run = function () { narrow(tables, input, outputs, "Maßnahmen"); };
      input.addEventListener("input", run);
      choices.forEach(function (choice) { choice.select.addEventListener("change", run); });
    }
  }
})();
