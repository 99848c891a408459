"""Suchqualität: Trefferquote der Anfragen aus tests/search_queries.yml (make search-eval).

Builds the handbook twice, with Material's search as shipped (HANDBUCH_SEARCH=stock) and
with ours (hooks/handbuch/search.py), types every query into the real search box in
headless Chromium and prints recall@1 and recall@5 side by side, per kind of query and
in total, then the queries each configuration misses. Figures, never pass/fail: the
test that every query lands in the top five is tests/test_search.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.loader import REPOSITORY
from handbuch.search import MODE_VARIABLE

sys.path.insert(0, str(REPOSITORY / "tests"))
from browser import browser_page, serve  # noqa: E402  (the tests' browser and http helpers)
from search_check import load_queries, recall, run_queries  # noqa: E402

MODES = {"stock": "Material (Standard)", "handbuch": "Handbuch"}


def build(mode: str, work: Path, offline: bool) -> Path:
    env = {**os.environ, MODE_VARIABLE: mode, "HANDBUCH_PDF": "false", "NO_MKDOCS_2_WARNING": "1"}
    site = work / f"{mode}-{'offline' if offline else 'site'}"
    command = ([sys.executable, "scripts/offline.py", "--build-dir", str(site), "--dist-dir", str(work / "dist")]
               if offline else [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)])
    subprocess.run(command, cwd=REPOSITORY, env=env, check=True, stdout=subprocess.DEVNULL)
    return site


def ranks(site: Path, offline: bool, queries) -> list:
    if offline:
        with browser_page("file://") as session:
            return run_queries(session.page, site.as_uri() + "/", queries)
    with serve(site) as origin, browser_page(origin) as session:
        return run_queries(session.page, origin + "/", queries)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Trefferquote der Suche: Standard gegen Handbuch.")
    parser.add_argument("--offline", action="store_true", help="im Offline-Paket (file://) statt über http")
    args = parser.parse_args(argv)
    queries = load_queries()
    outcome = {}
    with tempfile.TemporaryDirectory(prefix="handbuch-suche-") as tmp:
        for mode in MODES:
            print(f"… {MODES[mode]}: bauen und {len(queries)} Anfragen stellen", file=sys.stderr)
            outcome[mode] = ranks(build(mode, Path(tmp), args.offline), args.offline, queries)
    where = "Offline-Paket (file://)" if args.offline else "Website über http"
    print(f"Suchqualität, {len(queries)} Anfragen aus tests/search_queries.yml, {where}:\n")
    header = ["Art", "Anfragen"] + [f"{MODES[m]} {k}" for m in MODES for k in ("R@1", "R@5")]
    print("| " + " | ".join(header) + " |")
    print("|---|" + "---:|" * (len(header) - 1))
    kinds = list(dict.fromkeys(q.kind for q in queries))
    for kind in [*kinds, None]:
        rows = {m: [r for q, r, _ in outcome[m] if kind is None or q.kind == kind] for m in MODES}
        cells = [kind or "**alle**", str(len(rows["stock"]))]
        cells += [f"{recall(rows[m], k):.0%}" for m in MODES for k in (1, 5)]
        print("| " + " | ".join(cells) + " |")
    for mode in MODES:
        misses = [(q, r, top) for q, r, top in outcome[mode] if r is None or r > 5]
        print(f"\nNicht unter den ersten fünf – {MODES[mode]}: {len(misses)}")
        for query, rank, top in misses:
            found = f"Rang {rank}" if rank else "nicht gefunden"
            print(f"- „{query.text}“ ({query.kind}): {found}; erwartet {query.expected}; "
                  f"oben: {', '.join(top[:3]) or '–'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
