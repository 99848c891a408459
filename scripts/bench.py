"""Benchmark: misst Laden, Erzeugen und Bauen mit synthetischen Inhalten (make bench).

Prints figures, never pass/fail. For each size (municipalities x measures) it
reports medians of several runs:

- load+validate and page generation (in this process),
- `mkdocs build` of the handbook (hooks on, PDF off: the PDF is measured apart),
- the same pages built as plain Markdown without hooks (the baseline) and the ratio,
- peak memory of the build, pages, HTML bytes per municipality page, search index size,
- the largest HTML page,
- the preview (`mkdocs serve --dirty`, as `make serve` runs it) per kind of edit (EDITS): seconds from
  saving until every page the edit changes is served with the change, the slowest kind as a share of
  the clean build,
and for one size the offline zip and, in Chromium, when offline search is ready and how fast
the first result appears. `--gross` adds 5,000 municipalities (minutes per build).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import _bootstrap  # noqa: F401
import yaml

from handbuch.escaping import yaml_scalar
from handbuch.loader import REPOSITORY, load_handbook
from handbuch.pdf import guide_pdf
from handbuch.provenance import build_info
from handbuch.render import Renderer, generate, write_pages
from synthetic import write_content

sys.path.insert(0, str(REPOSITORY / "tests"))
from browser import browser_page, fetch, free_port  # noqa: E402  (the tests' browser and http helpers)


def _median(run, times: int) -> float:
    values = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        values.append(time.perf_counter() - start)
    return statistics.median(values)


def _timed_process(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int, float]:
    """Wall time, peak memory (KiB) and CPU seconds (with the processes it waited for) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"Befehl fehlgeschlagen: {' '.join(args)}\n{process.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def _env(content: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "HANDBUCH_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "false",
            **extra}


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml with each `!ENV [NAME, default]` replaced by its default."""


_ConfigLoader.add_constructor(
    "!ENV", lambda loader, node: loader.construct_sequence(node)[-1] if isinstance(node, yaml.SequenceNode) else None)


def _baseline_project(content: Path, work: Path) -> Path:
    """The generated pages plus docs/ as a plain MkDocs project: same theme and plugins, no hooks."""
    project = work / "baseline"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(REPOSITORY / "docs", project / "docs")
    handbook = load_handbook(content)
    write_pages(generate(handbook, None, data=True), project / "docs")
    config = yaml.load((REPOSITORY / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    config.pop("hooks", None)
    config["theme"]["custom_dir"] = "docs/overrides"
    config["site_url"] = config["repo_url"] = None
    config["plugins"] = [{"search": {"lang": "de"}}]
    config["not_in_nav"] = "kommunen/*.md\n!kommunen/index.md\n"
    for entry in config["nav"]:
        for title, children in entry.items():
            if isinstance(children, list) and "leitfaden/index.md" in children:
                entry[title] = ["leitfaden/index.md", *[f"leitfaden/{c.slug}.md" for c in handbook.chapters]]
    config["extra"] = {"provenienz": None, "rechtliches": []}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return project


def _site_figures(site: Path) -> dict[str, float | str]:
    pages = list(site.rglob("*.html"))
    municipality = [p.stat().st_size for p in (site / "kommunen").glob("*/index.html")]
    index = site / "search" / "search_index.json"
    largest = max(pages, key=lambda p: p.stat().st_size)
    return {"pages": len(pages), "html_per_municipality_kib": statistics.median(municipality) / 1024,
            "search_index_kib": index.stat().st_size / 1024 if index.exists() else 0.0,
            "largest_page_kib": largest.stat().st_size / 1024,
            "largest_page": "/" + largest.parent.relative_to(site).as_posix() + "/"}


def measure_size(n: int, measures: int, runs: int, work: Path) -> dict[str, float]:
    content = write_content(work / f"content-{n}", n, measures)
    figures: dict[str, float] = {"kommunen": n, "massnahmen": n * measures}
    figures["load_s"] = _median(lambda: load_handbook(content), runs)
    handbook = load_handbook(content)
    figures["generate_s"] = _median(lambda: generate(handbook, None), runs)
    figures["pdf_s"] = _median(lambda: guide_pdf(Renderer(handbook, None), build_info(content, None), "https://example.org/"), 1)
    site = work / f"site-{n}"
    baseline = _baseline_project(content, work)
    # Build and baseline take turns, so a change in the machine's load hits both alike.
    builds, base = [], []
    for _ in range(runs):
        builds.append(_timed_process([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(site)],
                                     _env(content), REPOSITORY))
        base.append(_timed_process([sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir",
                                    str(work / "base-site")], _env(content), baseline))
    figures["build_s"] = statistics.median(t for t, _, _ in builds)
    figures["build_peak_mib"] = max(m for _, m, _ in builds) / 1024
    figures.update(_site_figures(site))
    figures["baseline_s"] = statistics.median(t for t, _, _ in base)
    figures["ratio"] = figures["build_s"] / figures["baseline_s"]
    figures["our_share_pct"] = 100 * (figures["build_s"] - figures["baseline_s"]) / figures["build_s"]
    # CPU seconds hardly depend on other processes; the second process counts here in full.
    build_cpu, base_cpu = (statistics.median(c for _, _, c in runs_) for runs_ in (builds, base))
    figures["our_cpu_share_pct"] = 100 * (build_cpu - base_cpu) / build_cpu
    figures["ms_per_municipality"] = 1000 * figures["build_s"] / n
    for kind, seconds in serve_reload(content, runs).items():
        figures[f"serve_{kind}_s"] = seconds
    figures["serve_reload_s"] = max(figures[f"serve_{edit.key}_s"] for edit in EDITS)
    figures["serve_share_pct"] = 100 * figures["serve_reload_s"] / figures["build_s"]
    return figures


@dataclass(frozen=True)
class Edit:
    """One kind of edit an editor makes: ``apply(folder, run)`` changes the content and returns what the
    served site must show afterwards, as (path below the site, check of the page's text or None for a 404)."""

    key: str
    title: str
    apply: Callable[[Path, int], list[tuple[str, Callable[[str], bool] | None]]]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path.name}: „{old}“ fehlt")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _record(folder: Path) -> Path:
    return sorted((folder / "municipalities").glob("*.yml"))[0]


_measures_data: list[bool] = []  # whether /massnahmen/ draws its rows from massnahmen/daten.js (set per server)


def _measures_list(path: Path, title: str) -> str:
    """Where /massnahmen/ lists a measure: its data file, or (before it had one) the page itself."""
    return "massnahmen/daten.js" if _measures_data[-1] else "massnahmen/"


def _description(folder: Path, run: int) -> list:
    record = _record(folder)
    marker = f"Messlauf {run} {time.time()}"
    _replace(record, "beschreibung: |\n", f"beschreibung: |\n  {marker}\n")
    return [(f"kommunen/{record.stem}/", lambda page: marker in page)]


STAGES = ["informationsnetzwerk", "kooperationsnetzwerk", "produktionsnetzwerk"]


def _stage(folder: Path, run: int) -> list:
    """netzwerk.stufe: counted on /kennzahlen/ (real records only), listed on the stage's facet page."""
    record = _record(folder)
    old = re.search(r"\n  stufe: (\S+)", record.read_text(encoding="utf-8")).group(1)
    new = STAGES[(STAGES.index(old) + 1) % len(STAGES)]
    _replace(record, f"\n  stufe: {old}", f"\n  stufe: {new}")
    link = f"themen/netzwerkstufe/{new}/"
    return [(f"kommunen/{record.stem}/", lambda page: link in page),
            (link, lambda page: f"kommunen/{record.stem}/" in page)]


def _measure_title(folder: Path, run: int) -> list:
    record = _record(folder)
    old = re.search(r"\n  - titel: (.+)\n    handlungsfeld:", record.read_text(encoding="utf-8")).group(1)
    new = f"Umbenannte Maßnahme {run} {int(time.time())}"
    _replace(record, f"- titel: {old}\n", f"- titel: {new}\n")
    return [(f"kommunen/{record.stem}/", lambda page: new in page), (_measures_list(record, new), lambda page: new in page)]


ADDED = "Neue Maßnahme Messlauf"


def _add_measure(folder: Path, run: int) -> list:
    record = _record(folder)
    title = f"{ADDED} {run}"
    measure = (f"  - titel: {title}\n    handlungsfeld: schule\n    lebensphasen: [grundschule]\n"
               f"    status: laufend\n")
    record.write_text(record.read_text(encoding="utf-8") + measure, encoding="utf-8")
    return [(f"kommunen/{record.stem}/", lambda page: title in page), (_measures_list(record, title), lambda page: title in page)]


def _remove_measure(folder: Path, run: int) -> list:
    record = _record(folder)
    text = record.read_text(encoding="utf-8")
    title = f"{ADDED} {run}"
    page = _measures_list(record, title)
    record.write_text(text[:text.index(f"  - titel: {title}\n")], encoding="utf-8")
    return [(f"kommunen/{record.stem}/", lambda html: title not in html and "<h1" in html),
            (page, lambda text: title not in text and ("<h1" in text or "handbuchMassnahmen" in text))]


def _name(folder: Path, run: int) -> list:
    record = _record(folder)
    old = re.search(r"\nname: (.+)", record.read_text(encoding="utf-8")).group(1)
    new = f"Messstadt {run} {int(time.time())}"
    _replace(record, f"\nname: {old}", f"\nname: {yaml_scalar(new)}")
    return [(f"kommunen/{record.stem}/", lambda page: new in page), ("kommunen/", lambda page: new in page)]


NEW_RECORD = "messlauf-neu"


def _new_record(folder: Path, run: int) -> list:
    source = _record(folder)
    name = f"Neustadt Messlauf {run}"
    text = re.sub(r"\nname: .+", f"\nname: {name}", source.read_text(encoding="utf-8"), count=1)
    text = re.sub(r'\nags: "99\d+"', f'\nags: "99{999000 + run}"', text, count=1)
    (folder / "municipalities" / f"{NEW_RECORD}-{run}.yml").write_text(text, encoding="utf-8")
    return [(f"kommunen/{NEW_RECORD}-{run}/", lambda page: name in page), ("kommunen/", lambda page: name in page)]


def _deleted_record(folder: Path, run: int) -> list:
    (folder / "municipalities" / f"{NEW_RECORD}-{run}.yml").unlink()
    return [(f"kommunen/{NEW_RECORD}-{run}/", None),
            ("kommunen/", lambda page: "<h1" in page and f"{NEW_RECORD}-{run}/" not in page)]


def _renamed_file(folder: Path, run: int) -> list:
    record = sorted((folder / "municipalities").glob("*.yml"))[-1]
    new = f"{record.stem.split('-umbenannt')[0]}-umbenannt-{run}"
    record.rename(record.with_name(f"{new}.yml"))
    return [(f"kommunen/{new}/", lambda page: "<h1" in page), (f"kommunen/{record.stem}/", None)]


EDITS = [
    Edit("beschreibung", "Beschreibung", _description),
    Edit("kennzahl", "Netzwerkstufe (Kennzahl)", _stage),
    Edit("titel", "Titel einer Maßnahme", _measure_title),
    Edit("neu_massnahme", "Maßnahme hinzu", _add_measure),
    Edit("weg_massnahme", "Maßnahme entfernt", _remove_measure),
    Edit("name", "Name", _name),
    Edit("neu_datensatz", "neuer Datensatz", _new_record),
    Edit("weg_datensatz", "Datensatz gelöscht", _deleted_record),
    Edit("umbenannt", "Datei umbenannt", _renamed_file),
]


def _shows(url: str, check: Callable[[str], bool] | None) -> bool:
    if check is None:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return False
        except urllib.error.HTTPError as error:
            return error.code == 404
        except OSError:
            return False
    return check(fetch(url))


def serve_reload(content: Path, runs: int) -> dict[str, float]:
    """Seconds from saving until `mkdocs serve --dirty` (make serve) delivers every page the edit
    changes, per kind of edit (median of ``runs``); the kinds take turns within each run."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=REPOSITORY, env=_env(content, HANDBUCH_SITE_URL=base),
                              stdout=subprocess.DEVNULL, stderr=(content.parent / "serve.log").open("w"))
    try:
        url = base + f"kommunen/{_record(content).stem}/"
        deadline = time.time() + 1800
        while "<h1" not in fetch(url):
            if time.time() > deadline:
                raise SystemExit("mkdocs serve kam nicht hoch")
            time.sleep(0.5)
        _measures_data.append("handbuchMassnahmen" in fetch(base + "massnahmen/daten.js"))
        times: dict[str, list[float]] = {edit.key: [] for edit in EDITS}
        for run in range(runs):
            for edit in EDITS:
                checks = edit.apply(content, run)
                start = time.perf_counter()
                while not all(_shows(base + path, check) for path, check in checks):
                    if time.perf_counter() - start > 300:
                        raise SystemExit(f"mkdocs serve zeigte die Änderung „{edit.title}“ nicht "
                                         f"(Protokoll: {content.parent / 'serve.log'})")
                    time.sleep(0.05)
                times[edit.key].append(time.perf_counter() - start)
                time.sleep(1)  # MkDocs waits for further changes before it rebuilds
        return {edit.key: statistics.median(times[edit.key]) for edit in EDITS}
    finally:
        server.terminate()
        server.wait(timeout=30)


def offline_figures(content: Path, work: Path, **extra: str) -> dict[str, float]:
    env = _env(content, **extra)
    env.pop("HANDBUCH_PDF")
    shutil.rmtree(work / "dist", ignore_errors=True)
    subprocess.run([sys.executable, "scripts/offline.py", "--build-dir", str(work / "offline"),
                    "--dist-dir", str(work / "dist")], cwd=REPOSITORY, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    [archive] = (work / "dist").glob("*.zip")
    figures = {"offline_zip_mib": archive.stat().st_size / 2**20,
               "search_index_kib": sum(p.stat().st_size for p in (work / "offline" / "search").glob("*")) / 1024}
    figures.update(_offline_search(work / "offline"))
    return figures


def search_comparison(content: Path, work: Path) -> dict[str, dict[str, float]]:
    """Offline search of Material as shipped and of the handbook, built from the same content."""
    return {mode: offline_figures(content, work, HANDBUCH_SEARCH=mode) for mode in ("stock", "handbuch")}


def print_search_comparison(figures: dict[str, dict[str, float]], size: str) -> None:
    print(f"\nOffline-Suche bei {size} (Chromium, file://, Median):\n")
    print("| | Material (Standard) | Handbuch |\n|---|---:|---:|")
    for key, title, fmt in [("search_index_kib", "Suchindex KiB (search/)", "{:.0f}"),
                            ("offline_zip_mib", "Offline-Paket MiB", "{:.1f}"),
                            ("search_ready_ms", "Suche bereit nach dem Laden ms", "{:.0f}"),
                            ("first_result_ms", "erster Treffer nach dem Tippen ms", "{:.0f}")]:
        print(f"| {title} | {fmt.format(figures['stock'][key])} | {fmt.format(figures['handbuch'][key])} |")


def _offline_search(site: Path) -> dict[str, float]:
    """In Chromium from file://: search ready after load, first result after typing (ms)."""
    ready, first = [], []
    with browser_page("file://") as session:
        page = session.page
        for query in ("Willkommensbesuche", "Sprachförderung", "Steuerungsgruppe"):
            page.goto((site / "index.html").as_uri())
            start = time.perf_counter()
            page.wait_for_function("() => typeof __index !== 'undefined'", timeout=60000)
            box = page.locator("input.md-search__input")
            box.click()
            page.wait_for_function(
                "() => { const m = document.querySelector('.md-search-result__meta');"
                " return m && !/initialisiert/i.test(m.textContent) }", timeout=60000)
            ready.append((time.perf_counter() - start) * 1000)
            # Material searches on keyup: fill all but the last letter silently, then time the
            # last keystroke until the first result is drawn.
            box.fill(query[:-1])
            typed = time.perf_counter()
            box.press(query[-1])
            page.wait_for_selector(".md-search-result__item", timeout=60000)
            first.append((time.perf_counter() - typed) * 1000)
    return {"search_ready_ms": statistics.median(ready), "first_result_ms": statistics.median(first)}


def _load() -> str:
    """The machine's load average: other processes on the same cores slow every figure down."""
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Benchmark mit synthetischen Inhalten.")
    parser.add_argument("--sizes", default="40,600,2000")
    parser.add_argument("--gross", action="store_true", help="auch 5000 Kommunen (dauert)")
    parser.add_argument("--massnahmen", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--detail-size", type=int, default=600, help="size for serve, offline and browser figures")
    parser.add_argument("--nur-suche", action="store_true",
                        help="only the offline search at the detail size, Material's beside ours")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] + ([5000] if args.gross else [])
    print(f"Maschine: {platform.machine()}, {os.cpu_count()} Kerne, Python {platform.python_version()}, "
          f"{platform.platform()}; Last (1, 5, 15 min) zu Beginn: {_load()}")
    if args.nur_suche:
        with tempfile.TemporaryDirectory(prefix="handbuch-bench-") as tmp:
            content = write_content(Path(tmp) / "detail", args.detail_size, args.massnahmen)
            print_search_comparison(search_comparison(content, Path(tmp)),
                                    f"{args.detail_size} Kommunen x {args.massnahmen} Maßnahmen")
        return 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="handbuch-bench-") as tmp:
        work = Path(tmp)
        for n in sizes:
            print(f"… {n} Kommunen x {args.massnahmen} Maßnahmen", file=sys.stderr)
            rows.append(measure_size(n, args.massnahmen, args.runs, work))
        columns = [("kommunen", "Kommunen", "{:.0f}"), ("massnahmen", "Maßnahmen", "{:.0f}"),
                   ("load_s", "Laden+Prüfen s", "{:.2f}"), ("generate_s", "Erzeugen s", "{:.2f}"),
                   ("build_s", "Bau s", "{:.2f}"), ("ms_per_municipality", "ms/Kommune", "{:.0f}"),
                   ("baseline_s", "Basis s", "{:.2f}"),
                   ("ratio", "Bau/Basis", "{:.2f}"), ("our_share_pct", "unser Anteil %", "{:.1f}"),
                   ("our_cpu_share_pct", "Anteil CPU %", "{:.1f}"),
                   ("build_peak_mib", "Spitze MiB", "{:.0f}"), ("pages", "Seiten", "{:.0f}"),
                   ("html_per_municipality_kib", "KiB/Kommune", "{:.1f}"),
                   ("search_index_kib", "Suchindex KiB", "{:.0f}"), ("pdf_s", "PDF s", "{:.2f}"),
                   ("largest_page_kib", "größte Seite KiB", "{:.0f}"), ("largest_page", "größte Seite", "{}"),
                   ("serve_reload_s", "Vorschau max s", "{:.2f}"), ("serve_share_pct", "Vorschau max/Bau %", "{:.1f}")]
        print(f"Last (1, 5, 15 min) nach den Messungen: {_load()}")
        print("| " + " | ".join(title for _, title, _ in columns) + " |")
        print("|" + "---|" * len(columns))
        for row in rows:
            print("| " + " | ".join(fmt.format(row[key]) for key, _, fmt in columns) + " |")
        print("\nVorschau je Art der Änderung (s vom Speichern bis alle betroffenen Seiten sie zeigen, Median):\n")
        print("| Kommunen | " + " | ".join(edit.title for edit in EDITS) + " |")
        print("|" + "---|" * (len(EDITS) + 1))
        for row in rows:
            print(f"| {row['kommunen']:.0f} | " + " | ".join(f"{row[f'serve_{edit.key}_s']:.2f}" for edit in EDITS) + " |")
        if args.detail_size <= 0:
            return 0
        print(f"… {args.detail_size} Kommunen: Offline-Paket, Suche", file=sys.stderr)
        content = write_content(work / "detail", args.detail_size, args.massnahmen)
        comparison = search_comparison(content, work)
        detail = comparison["handbuch"]
        print(f"\nBei {args.detail_size} Kommunen x {args.massnahmen} Maßnahmen:")
        print(f"- Offline-Paket: {detail['offline_zip_mib']:.1f} MiB")
        print(f"- Offline-Suche bereit nach dem Laden: {detail['search_ready_ms']:.0f} ms (Median)")
        print(f"- erster Treffer nach dem Tippen: {detail['first_result_ms']:.0f} ms (Median)")
        print_search_comparison(comparison, f"{args.detail_size} Kommunen x {args.massnahmen} Maßnahmen")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
