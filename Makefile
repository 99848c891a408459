# Handbuch Präventionsketten – Befehle für Redaktion, Entwicklung und CI.
# Everything runs inside .venv, created from the hash-pinned lock files.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SITE   ?= site
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: site test validate serve offline pdf bench search-eval generate schema new migrate format abdeckung redaktion aenderungen lock clean help

help:
	@echo "make site      – Inhalte prüfen und die Website nach $(SITE)/ bauen"
	@echo "make test      – alle Tests ausführen"
	@echo "make validate  – nur die Inhalte prüfen"
	@echo "make offline   – Offline-Paket dist/handbuch-offline-<datum>.zip bauen (ohne Internet nutzbar)"
	@echo "make pdf       – den Praxisleitfaden als PDF nach dist/ schreiben"
	@echo "make serve     – Vorschau mit automatischem Neuladen auf http://127.0.0.1:8000"
	@echo "make redaktion – Formular-Editor und Vorschau in einer eigenen Arbeitskopie (build/redaktion)"
	@echo "make generate  – erzeugte Markdown-Seiten nach build/pages/ schreiben"
	@echo "make new NAME=\"Stadt Beispiel\" – neuen Kommunen-Datensatz anlegen (optional KREIS=…, ART=…)"
	@echo "make schema    – Schema (schemas/) und CONTRIBUTING.md aus Modell und Vokabularen neu erzeugen"
	@echo "make migrate   – Datensätze auf Datenmodell 3 umstellen (ARGS=--pruefen: nur melden)"
	@echo "make format    – Datensätze so schreiben, wie der Formular-Editor sie speichert (z. B. nach Bearbeitung von Hand)"
	@echo "make abdeckung – docs/entwicklung/massnahmen.md: echte Maßnahmen je Handlungsfeld und Lebensphase"
	@echo "make aenderungen – was dieser Branch an den Inhalten ändert, in Worten der Website (BASE=<ref>, sonst main)"
	@echo "make search-eval – Trefferquote der Suche: Materials Standardsuche neben unserer (Chromium)"
	@echo "make bench     – Benchmark mit synthetischen Inhalten (40, 600, 2000 Kommunen; BENCH_ARGS=--gross auch 5000)"
	@echo "make lock      – Lock-Dateien aus requirements*.in neu erzeugen"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.site-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-dev.txt $(VENV)/.site-installed
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

# Front-end assets and tools from the npm registry, exactly as locked.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

validate: $(VENV)/.site-installed
	$(BIN)/python scripts/validate.py

site: validate node_modules/.installed
	$(BIN)/mkdocs build --strict --site-dir $(SITE)

pdf: validate
	$(BIN)/python scripts/pdf.py

offline: validate node_modules/.installed
	$(BIN)/python scripts/offline.py

serve: $(VENV)/.site-installed node_modules/.installed
	HANDBUCH_PDF=false HANDBUCH_SITE_URL=http://127.0.0.1:8000/ $(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# The form editor with decap-server (loopback only) and the preview, in build/redaktion.
redaktion: $(VENV)/.site-installed node_modules/.installed
	$(BIN)/python scripts/redaktion.py

generate: $(VENV)/.site-installed
	$(BIN)/python scripts/generate.py build/pages

new: $(VENV)/.site-installed
	@test -n "$(NAME)" || { echo 'Aufruf: make new NAME="Stadt Beispiel" [KREIS="Kreis Beispiel"]'; exit 2; }
	$(BIN)/python scripts/new_record.py "$(NAME)" --kreis "$(KREIS)" --art "$(ART)"

schema: $(VENV)/.site-installed
	$(BIN)/python scripts/schema.py

migrate: $(VENV)/.site-installed
	$(BIN)/python scripts/migrate.py $(ARGS)

# The form editor's save format (hooks/handbuch/static/redaktion/format.js) applied to every record.
format: node_modules/.installed
	node scripts/format_records.mjs

abdeckung: $(VENV)/.site-installed
	$(BIN)/python scripts/abdeckung.py

# What this branch changes for readers, against the merge base with main (or BASE=<ref>); ARGS e.g.
# "--ausgabe build/aenderungen.md" (scripts/aenderungen.py --help).
aenderungen: $(VENV)/.site-installed
	$(BIN)/python scripts/aenderungen.py $(if $(BASE),--basis "$(BASE)") $(ARGS)

# Browser tests drive Debian's chromium (never a browser downloaded by Playwright);
# CHROMIUM=/path selects another installed Chromium (tests read HANDBUCH_CHROMIUM).
CHROMIUM ?= /usr/bin/chromium
export HANDBUCH_CHROMIUM := $(CHROMIUM)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
$(CHROMIUM):
	@echo "Chromium fehlt: installiere Debians Paket „chromium“ (braucht root-Rechte) …"
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

# The PDF tests read the text back with poppler's pdftotext.
/usr/bin/pdftotext:
	$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq poppler-utils

test: $(VENV)/.test-installed node_modules/.installed $(CHROMIUM) /usr/bin/pdftotext
	$(BIN)/python -m pytest

bench: $(VENV)/.test-installed node_modules/.installed $(CHROMIUM)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

search-eval: $(VENV)/.test-installed node_modules/.installed $(CHROMIUM)
	$(BIN)/python scripts/search_eval.py
	$(BIN)/python scripts/search_eval.py --offline

lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "pip-tools==7.6.2"
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--strip-extras -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url --no-emit-find-links \
		--strip-extras -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(SITE) build dist .pytest_cache
