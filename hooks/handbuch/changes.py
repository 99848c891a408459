"""A content change in readers' words (make aenderungen): what a branch changes against its base.

Both sides are loaded by the one loader and shown by the one presenter: the base from a
`git archive` of its content folder in a temporary directory, the branch from the working
tree. Facts are compared as model values and shown as the record page shows them; key
figures, programme counts and measure coverage come from aggregates.py, the changed pages
from rendering both sides with render.py. The Markdown is rendered by
templates/aenderungen.md.j2; everything quoted from records passes the `md_gfm` filter.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

from . import aggregates
from .loader import Handbook, Municipality, load_handbook
from .model import Kommune, Massnahme, Quelle, fact_paths, has_value, measure_key, value_at
from .present import Presenter
from .problems import ContentError, Problem
from .render import Renderer, environment

# A record whose description says this derives its Förderstaffel from other facts (CONTRIBUTING.md).
DERIVED_COHORT = "Die Förderstaffel ergibt sich"
# Shown besides the sourced facts: a reader sees them at the top of the page.
_BOOKKEEPING = ("name", "beispiel", "stand")
_SOURCE_FIELDS = ("titel", "herausgeber", "datum", "url", "abgerufen")
PAGE_LIMIT = 25  # page links listed before "und N weitere Seiten"


class ChangesError(Exception):
    """The comparison cannot start (no git, unknown base): a German message for the editor."""


# --- both sides -------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    label: str  # what the reader knows it by: a branch name, "main", a ref
    commit: str  # short hash ("" when unknown)
    handbook: Handbook | None
    problems: tuple[Problem, ...] = ()  # the validator's messages when the side does not load


def git(repo: Path, *args: str, binary: bool = False) -> Any:
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False,
                                text=not binary, timeout=120)
    except FileNotFoundError:
        raise ChangesError("git ist nicht installiert; der Vergleich braucht die Versionsgeschichte.") from None
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace") if binary else result.stderr
        raise ChangesError(f"git {' '.join(args)} ist fehlgeschlagen: {stderr.strip()}")
    return result.stdout if binary else result.stdout.strip()


def _commit(repo: Path, ref: str) -> str | None:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except ChangesError:
        return None


def resolve_base(repo: Path, base: str | None) -> tuple[str, str]:
    """(label, commit) of the base: ``base`` as given, or the merge base of HEAD with main."""
    if base:
        commit = _commit(repo, base)
        if commit is None:
            raise ChangesError(f"Die Basis „{base}“ gibt es in dieser Arbeitskopie nicht. In einer flachen Kopie "
                               f"bitte zuerst holen: git fetch --no-tags --depth=1 origin {base}")
        return base, commit
    for main in ("origin/main", "main"):
        if _commit(repo, main) is not None:
            try:
                return "main", git(repo, "merge-base", "HEAD", main)
            except ChangesError:
                raise ChangesError(f"Dieser Branch und {main} haben in dieser Arbeitskopie keinen gemeinsamen "
                                   "Vorgänger (flache Kopie?). Bitte die Geschichte holen (git fetch --unshallow) "
                                   "oder die Basis angeben: make aenderungen BASE=<ref>.") from None
    raise ChangesError("Weder main noch origin/main ist bekannt; bitte die Basis angeben: make aenderungen BASE=<ref>.")


def extract(repo: Path, commit: str, folder: str, target: Path) -> Path:
    """``folder`` (e.g. "content") of ``commit`` below ``target``; the path of the copy."""
    listed = git(repo, "ls-tree", "--name-only", commit, "--", folder)
    destination = target / folder
    destination.mkdir(parents=True, exist_ok=True)
    if listed:
        archive = git(repo, "archive", "--format=tar", commit, "--", folder, binary=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
    return destination


def _relocated(problems: Iterable[Problem], root: Path, folder: str) -> tuple[Problem, ...]:
    """Messages name files as the repository does (content/municipalities/x.yml), not the temp copy."""
    found = []
    for problem in problems:
        path = Path(problem.file)
        try:
            inside = (path if path.is_absolute() else Path.cwd() / path).resolve().relative_to(root.resolve())
            file = (Path(folder) / inside).as_posix()
        except ValueError:
            file = problem.file
        found.append(Problem(file, problem.line, problem.column, problem.field, problem.message))
    return tuple(found)


def load_side(label: str, commit: str, root: Path, folder: str) -> Side:
    try:
        return Side(label, commit, load_handbook(root))
    except ContentError as error:
        return Side(label, commit, None, _relocated(error.problems, root, folder))


# --- what changed -------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    old: str  # as the page shows it ("keine Angabe" when that side has none)
    new: str


@dataclass(frozen=True)
class SourceChange:
    kind: str  # "neu", "entfernt", "geändert"
    title: str
    line: str  # publisher, date, looked up (present.source_line)
    url: str | None
    supports: tuple[str, ...]  # labels of the facts it supports (on its side)
    fields: tuple[Fact, ...] = ()  # changed entries of the source itself
    gained: tuple[str, ...] = ()  # facts it supports now and did not before
    lost: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasureChange:
    kind: str
    title: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class RecordChange:
    kind: str
    name: str
    slug: str
    example: bool
    facts: tuple[Fact, ...]
    sources: tuple[SourceChange, ...]
    measures: tuple[MeasureChange, ...]


@dataclass(frozen=True)
class Caution:
    kind: str  # lost_source, no_address, no_lookup, example, real, derived_cohort
    record: str
    subject: str = ""  # the fact or the source concerned
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Count:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class NumberGroup:
    title: str
    counts: tuple[Count, ...]


@dataclass(frozen=True)
class PageChange:
    title: Markup  # as the page's heading shows it (already Markdown-escaped by its template)
    url: str
    kind: str  # "neu", "entfällt", "geändert"


@dataclass
class Summary:
    base: Side
    head: Side
    run_url: str | None = None
    warnings: list[Caution] = field(default_factory=list)
    records: list[RecordChange] = field(default_factory=list)
    numbers: list[NumberGroup] = field(default_factory=list)
    pages: list[PageChange] = field(default_factory=list)
    more_pages: int = 0

    @property
    def broken(self) -> list[tuple[str, Side]]:
        return [(name, side) for name, side in (("basis", self.base), ("stand", self.head)) if side.handbook is None]


def _source_key(quelle: Quelle) -> str:
    return quelle.url or quelle.titel.casefold()  # the model's own identity of a source (no duplicates)


def _facts(record: Kommune) -> dict[str, Any]:
    """Every fact of a record with a value, by path: what a reader sees and a source supports."""
    paths = [*_BOOKKEEPING, *fact_paths(record)]
    return {path: value for path in paths if has_value(value := value_at(record, path))}


class _Record:
    """One record on one side, with the presenter of its side."""

    def __init__(self, municipality: Municipality, present: Presenter):
        self.record = municipality.record
        self.present = present
        self.facts = _facts(self.record)
        self.sources = {_source_key(q): q for q in self.record.quellen or ()}

    def label(self, path: str) -> str:
        return self.present.fact_label(self.record, path)

    def shown(self, path: str) -> str:
        return self.present.fact_value(path, self.facts.get(path))  # "keine Angabe" when it has none

    def supporting(self, path: str) -> dict[str, Quelle]:
        return {key: q for key, q in self.sources.items() if path in (q.belegt or ())}

    def supports(self, quelle: Quelle) -> tuple[str, ...]:
        return tuple(self.label(path) for path in quelle.belegt or ())


def _is_measure(path: str) -> bool:
    return path.startswith("massnahmen.")


def _ordered(new: Iterable[str], old: Iterable[str]) -> list[str]:
    """Keys in the branch's order, then those only the base has, in its order."""
    keys = list(dict.fromkeys(new))
    return keys + [key for key in dict.fromkeys(old) if key not in keys]


def _fact_changes(old: _Record | None, new: _Record) -> tuple[Fact, ...]:
    changes = []
    for path in _ordered(new.facts, old.facts if old else ()):
        if _is_measure(path):
            continue  # measures are listed on their own
        before = old.facts.get(path) if old else None
        if before != new.facts.get(path):
            label = new.label(path) if path in new.facts or old is None else old.label(path)
            changes.append(Fact(label, old.shown(path) if old else new.present.v.text("keine_angabe"),
                                new.shown(path)))
    return tuple(changes)


def _measure_facts(present: Presenter, measure: Massnahme | None) -> dict[str, tuple[str, str]]:
    """A measure's facts with a value: field -> (label, as the record page shows it)."""
    if measure is None:
        return {}
    return {name: (present.v.field_label(f"massnahmen.{name}"), present.value(f"massnahmen.{name}", value))
            for name in Massnahme.model_fields if name != "titel" and has_value(value := getattr(measure, name))}


def _measure_changes(old: _Record | None, new: _Record) -> tuple[MeasureChange, ...]:
    before = {measure_key(m): m for m in old.record.massnahmen} if old else {}
    after = {measure_key(m): m for m in new.record.massnahmen}
    none = new.present.v.text("keine_angabe")
    changes = []
    for key in _ordered(after, before):
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        if b is None:
            assert a is not None
            changes.append(MeasureChange("entfernt", a.titel, ()))
            continue
        old_facts = _measure_facts(old.present, a) if old else {}
        new_facts = _measure_facts(new.present, b)
        if a is not None and a.titel != b.titel:  # same short name, other spelling ("Elterncafe" -> "Elterncafé")
            label = new.present.v.field_label("massnahmen.titel")
            old_facts, new_facts = {"titel": (label, a.titel), **old_facts}, {"titel": (label, b.titel), **new_facts}
        facts = tuple(Fact((new_facts.get(n) or old_facts[n])[0], old_facts.get(n, ("", none))[1],
                           new_facts.get(n, ("", none))[1])
                      for n in _ordered(new_facts, old_facts)
                      if old_facts.get(n, ("", none))[1] != new_facts.get(n, ("", none))[1])
        changes.append(MeasureChange("neu" if a is None else "geändert", b.titel, facts))
    return tuple(changes)


def _source_changes(old: _Record | None, new: _Record) -> tuple[SourceChange, ...]:
    before = old.sources if old else {}
    changes = []
    for key in _ordered(new.sources, before):
        a, b = before.get(key), new.sources.get(key)
        if a == b:
            continue
        if b is None:
            assert a is not None and old is not None
            changes.append(SourceChange("entfernt", a.titel, old.present.source_line(a), a.url, old.supports(a)))
            continue
        line = new.present.source_line(b)
        if a is None or old is None:
            changes.append(SourceChange("neu", b.titel, line, b.url, new.supports(b)))
            continue
        fields = tuple(Fact(new.present.v.field_label(f"quellen.{name}"),
                            old.present.value(f"quellen.{name}", getattr(a, name)),
                            new.present.value(f"quellen.{name}", getattr(b, name)))
                       for name in _SOURCE_FIELDS if getattr(a, name) != getattr(b, name))
        was, now = a.belegt or [], b.belegt or []
        changes.append(SourceChange("geändert", b.titel, line, b.url, new.supports(b), fields,
                                    tuple(new.label(p) for p in now if p not in was),
                                    tuple(old.label(p) for p in was if p not in now)))
    return tuple(changes)


def _warnings(name: str, old: _Record | None, new: _Record) -> list[Caution]:
    found: list[Caution] = []
    real = not new.record.beispiel
    if old is not None and old.record.beispiel != new.record.beispiel:
        found.append(Caution("real" if real else "example", name))
    for path in new.facts:
        if path in _BOOKKEEPING:
            continue
        if old is not None and path in old.facts:
            lost = [q.titel for key, q in old.supporting(path).items() if key not in new.supporting(path)]
            if lost:
                found.append(Caution("lost_source", name, new.label(path), tuple(lost)))
        changed = old is None or old.facts.get(path) != new.facts[path]
        supporting = new.supporting(path)
        if real and changed and supporting and not any(q.url for q in supporting.values()):
            found.append(Caution("no_address", name, new.label(path), tuple(q.titel for q in supporting.values())))
    for key, quelle in new.sources.items():
        if real and quelle.abgerufen is None and (old is None or key not in old.sources):
            found.append(Caution("no_lookup", name, quelle.titel))
    description = new.record.beschreibung or ""
    if DERIVED_COHORT in description:
        phases = [p for p in new.facts if p.startswith("programme.") and p.endswith(".phase")]
        if old is None or any(old.facts.get(p) != new.facts.get(p) for p in ["beschreibung", *phases]):
            found.append(Caution("derived_cohort", name))
    return found


def _by_slug(side: Side) -> dict[str, _Record]:
    assert side.handbook is not None
    present = Presenter(side.handbook.vocabularies)
    return {m.slug: _Record(m, present) for m in side.handbook.municipalities}


def compare_records(summary: Summary) -> None:
    before, after = _by_slug(summary.base), _by_slug(summary.head)
    for slug in _ordered(after, before):
        old, new = before.get(slug), after.get(slug)
        if old is not None and new is not None and old.record == new.record:
            continue
        shown = new or old
        assert shown is not None
        kind = "neu" if old is None else "entfernt" if new is None else "geändert"
        summary.records.append(RecordChange(
            kind, shown.record.name, slug, shown.record.beispiel, _fact_changes(old, new) if new else (),
            _source_changes(old, new) if new else (), _measure_changes(old, new) if new else ()))
        if new is not None:
            summary.warnings.extend(_warnings(new.record.name, old, new))


# --- the numbers of the pages --------------------------------------------------------

# group key -> (title, row key -> (label, as the page shows it, what is compared))
Numbers = dict[str, tuple[str, dict[str, tuple[str, str, object]]]]


def _row(label: str, shown: object, compared: object = None) -> tuple[str, str, object]:
    return label, str(shown), shown if compared is None else compared


def _record_numbers(handbook: Handbook) -> Numbers:
    real = len(aggregates.real_municipalities(handbook))
    return {"records": ("Datensätze", {
        "real": _row("echte Kommunen (nur sie zählen in den Zahlen)", real),
        "examples": _row("Beispiel-Datensätze", len(handbook.municipalities) - real)})}


def _figure_numbers(handbook: Handbook) -> Numbers:
    found: Numbers = {}
    for figure in aggregates.figures(handbook):
        rows = {"": _row("Kommunen mit Angabe", figure.answered)}
        # As the page writes a row ("3 von 12 (25 %)"); listed when its count changes.
        rows.update({row.value: _row(row.label, f"{row.count} von {figure.answered} ({row.percent} %)", row.count)
                     for row in figure.rows})
        rows.update({f"summary:{s.label}": _row(s.label, f"{s.count} von {figure.answered} ({s.percent} %)", s.count)
                     for s in figure.summaries})
        found[f"figure:{figure.key}"] = (f"Kennzahl: {figure.label}", rows)
    return found


def _programme_numbers(handbook: Handbook) -> Numbers:
    found: Numbers = {}
    for overview in aggregates.programmes(handbook):
        rows = {"recorded": _row("erfasste Jugendämter", overview.recorded),
                "counted": _row("als Teilnehmer gezählt (ein Verbund einmal)", overview.counted)}
        rows.update({f"phase:{key}": _row(title, count) for key, title, count in overview.phases})
        rows.update({f"year:{year}": _row(f"Einstieg {year}", count) for year, count in overview.years})
        rows["without_year"] = _row("ohne Jahr des Einstiegs", overview.without_year)
        found[f"programme:{overview.slug}"] = (f"Programm: {overview.programme.kurzname}", rows)
    return found


def _coverage_numbers(handbook: Handbook) -> Numbers:
    coverage = aggregates.coverage(handbook)
    field_label = handbook.vocabularies.field_label
    rows = {"measures": _row("Maßnahmen echter Kommunen", coverage.measures),
            "records": _row("echte Kommunen mit Maßnahmen", coverage.records)}
    rows.update({f"field:{key}": _row(f"{field_label('massnahmen.handlungsfeld')}: {label}", total)
                 for key, label, _, _, total in coverage.rows})
    rows.update({f"phase:{key}": _row(f"{field_label('massnahmen.lebensphasen')}: {label}", total)
                 for (key, label), total in zip(coverage.phases, coverage.phase_totals)})
    rows["without_phase"] = _row(f"{field_label('massnahmen.lebensphasen')}: keine Angabe", coverage.without_phase)
    return {"coverage": ("Maßnahmen nach Handlungsfeld und Lebensphase", rows)}


NUMBERS: tuple[Callable[[Handbook], Numbers], ...] = (_record_numbers, _figure_numbers, _programme_numbers,
                                                      _coverage_numbers)
_MISSING = ("", "–", 0)  # a row one side does not have (a year nobody entered in): shown as "–", counted as 0


def compare_numbers(summary: Summary) -> None:
    assert summary.base.handbook is not None and summary.head.handbook is not None
    for numbers in NUMBERS:
        before, after = numbers(summary.base.handbook), numbers(summary.head.handbook)
        for group in _ordered(after, before):
            old_title, old_rows = before.get(group, ("", {}))
            new_title, new_rows = after.get(group, (old_title, {}))
            counts = []
            for key in _ordered(new_rows, old_rows):
                old, new = old_rows.get(key, _MISSING), new_rows.get(key, _MISSING)
                if old[2] != new[2]:
                    # Numbers and words of our own: only the labels come from content.
                    counts.append(Count(new[0] or old[0], Markup(escape(old[1])), Markup(escape(new[1]))))
            if counts:
                summary.numbers.append(NumberGroup(new_title, tuple(counts)))


# --- the pages -----------------------------------------------------------------------


def _pages(handbook: Handbook) -> dict[str, str]:
    # No git dates: both sides would differ only by when they were committed.
    return {page.src_uri: page.markdown for page in Renderer(handbook, None).pages()}


def page_url(src_uri: str, site: str) -> str:
    path = src_uri.removesuffix(".md").removesuffix("index")
    return site.rstrip("/") + "/" + (path.rstrip("/") + "/" if path else "")


def page_title(markdown: str) -> str:
    """The page's first heading, as its template escaped it (front matter skipped)."""
    lines = markdown.splitlines()
    if lines and lines[0].strip() == "---":
        lines = lines[next((i for i, line in enumerate(lines[1:], 1) if line.strip() == "---"), 0) + 1:]
    return next((line[2:].strip() for line in lines if line.startswith("# ")), "")


def compare_pages(summary: Summary, site: str) -> None:
    assert summary.base.handbook is not None and summary.head.handbook is not None
    before, after = _pages(summary.base.handbook), _pages(summary.head.handbook)
    records = {f"kommunen/{change.slug}.md" for change in summary.records}
    pages = []
    for order, uri in enumerate(_ordered(after, before)):
        old, new = before.get(uri), after.get(uri)
        if old == new:
            continue
        kind = "neu" if old is None else "entfällt" if new is None else "geändert"
        title = Markup(page_title(new or old or ""))
        pages.append((uri not in records, order, PageChange(title, page_url(uri, site), kind)))
    pages.sort(key=lambda item: item[:2])  # the changed records' own pages first, then in site order
    summary.pages = [page for _, _, page in pages[:PAGE_LIMIT]]
    summary.more_pages = max(0, len(pages) - PAGE_LIMIT)


# --- all together ----------------------------------------------------------------------


def summarize(base: Side, head: Side, site: str, run_url: str | None = None) -> Summary:
    summary = Summary(base, head, run_url)
    if summary.broken:
        return summary
    compare_records(summary)
    compare_numbers(summary)
    compare_pages(summary, site)
    return summary


def render(summary: Summary) -> str:
    fences = {}
    for _, side in summary.broken:
        text = "\n".join(problem.format() for problem in side.problems)
        longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
        fences[side.label] = "`" * max(3, longest + 1)  # no message can close the block
    return environment().get_template("aenderungen.md.j2").render(s=summary, fences=fences)


def compare(repo: Path, base: str | None = None, folder: str = "content", site: str | None = None,
            run_url: str | None = None, base_name: str | None = None, head_name: str | None = None) -> str:
    """The German summary of what the working tree's ``folder`` changes against the base."""
    from .settings import site_url

    label, commit = resolve_base(repo, base)
    head_commit = _commit(repo, "HEAD") or ""
    head_label = head_name or git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    if git(repo, "status", "--porcelain", "--", folder):
        head_label += " (mit nicht eingecheckten Änderungen)"
    with tempfile.TemporaryDirectory(prefix="handbuch-basis-") as temp:
        root = extract(repo, commit, folder, Path(temp))
        base_side = load_side(base_name or label, commit[:7], root, folder)
        head_side = load_side(head_label, head_commit[:7], (repo / folder), folder)
        return render(summarize(base_side, head_side, site or site_url(), run_url))


def toplevel(start: Path | None = None) -> Path:
    return Path(git(start or Path(os.getcwd()), "rev-parse", "--show-toplevel"))
