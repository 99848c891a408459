"""Shared fixtures: temporary content roots and real MkDocs builds into temp dirs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"


@dataclass
class Build:
    returncode: int
    output: str  # stdout + stderr
    site: Path

    def page(self, url_path: str) -> str:
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")


def run_build(site: Path, content: Path | None = None, *extra: str, pdf: bool = False,
              env: dict[str, str] | None = None) -> Build:
    """Run the real `mkdocs build --strict` of this repository into ``site`` (the PDF only when asked)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "true" if pdf else "false", **(env or {})}
    env.pop("HANDBUCH_CONTENT", None)
    if content is not None:
        env["HANDBUCH_CONTENT"] = str(content)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site), *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Build:
    """The shipped content, built once per test session."""
    build = run_build(tmp_path_factory.mktemp("real") / "site", pdf=True)
    assert build.returncode == 0, build.output
    return build


@pytest.fixture(scope="session")
def bundle(tmp_path_factory) -> Path:
    """`make offline` into a temp dir, unzipped: returns the folder holding index.html."""
    work = tmp_path_factory.mktemp("offline")
    result = subprocess.run([sys.executable, "scripts/offline.py", "--build-dir", str(work / "build"),
                             "--dist-dir", str(work / "dist")], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    [archive] = (work / "dist").glob("handbuch-offline-*.zip")
    with zipfile.ZipFile(archive) as z:
        z.extractall(work / "unpacked")
    [folder] = (work / "unpacked").iterdir()
    return folder


@pytest.fixture
def content(tmp_path) -> Path:
    """An empty content root with the real vocabularies and programmes (add records with `write_record`)."""
    root = tmp_path / "content"
    (root / "municipalities").mkdir(parents=True)
    (root / "practice-guide").mkdir()
    shutil.copy(CONTENT / "vocabularies.yml", root / "vocabularies.yml")
    shutil.copy(CONTENT / "programme.yml", root / "programme.yml")
    return root


SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/kommune.schema.json\n"


def write_record(root: Path, slug: str, text: str, schema_line: bool = True) -> Path:
    """Write a record; line 1 is the schema comment, so the record's own lines start at line 2."""
    path = root / "municipalities" / f"{slug}.yml"
    path.write_text((SCHEMA_LINE if schema_line else "") + textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


_GROUPS = ("koordination", "steuerungsgruppe", "netzwerk", "praeventionskette", "kontakt")


def one_source(text: str, titel: str = "Test") -> str:
    """A `quellen` line with one source that supports every field with a value of the record ``text``
    (data models v2/v3: real records need a source for each fact)."""
    import yaml

    paths = []
    for key, value in (yaml.safe_load(textwrap.dedent(text)) or {}).items():
        if key in ("name", "beispiel", "stand", "quellen") or value in (None, [], {}):
            continue
        if key in _GROUPS and isinstance(value, dict):
            paths += [f"{key}.{sub}" for sub, inner in value.items() if inner not in (None, [], {})]
        elif key == "programme" and isinstance(value, list):  # data model v3: facts by programme
            paths += [f"programme.{entry['programm']}.{sub}" for entry in value for sub, inner in entry.items()
                      if sub != "programm" and inner not in (None, [], {})]
        else:
            paths.append(key)
    return f"quellen: [{{titel: {titel}, belegt: [{', '.join(paths)}]}}]\n"


def write_real(root: Path, n: int, extra: str = "") -> Path:
    """A minimal real (not example) record "K<n>" with a source; ``extra`` adds top-level YAML."""
    text = f'name: K{n}\nart: kreisfreie-stadt\nags: "05{n:06d}"\n{extra}'
    return write_record(root, f"k{n}", text + one_source(text))


def write_chapter(root: Path, slug: str, text: str) -> Path:
    path = root / "practice-guide" / f"{slug}.md"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


VALID = """\
    name: Teststadt
    art: kreisangehoerige-stadt
    kreis: Testkreis
    ags: "99000010"
    beispiel: true
    massnahmen:
      - titel: Babybesuche
        handlungsfeld: fruehe-hilfen
"""


def load_problems(root: Path) -> list:
    """Every problem loading ``root`` reports (the load must fail)."""
    from handbuch.loader import load_handbook
    from handbuch.problems import ContentError

    with pytest.raises(ContentError) as caught:
        load_handbook(root)
    return caught.value.problems
