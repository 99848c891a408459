"""The one loader: content folder -> validated, immutable Handbook (or every problem at once)."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from .citations import ChapterSource, Citation, find_citations
from .markers import Marker, find_markers
from .messages import problems_at, problems_from_validation
from .model import TEXT_PATTERN, Kommune, answer_options, base_type, field_info, field_paths
from .programmes import load_programmes, participation_problems
from .published import EMPTY, Published, load_published
from .problems import ContentError, Problem, did_you_mean, display_path
from .slugs import SLUG_PATTERN, slugify
from .synonyms import load_synonyms
from .vocabularies import PROGRAMMES, REQUIRED_TEXTS, Vocabularies
from .yamlsafe import Document, Position, YamlProblem, load_document, read_document

if TYPE_CHECKING:
    from .preview import RecordCache

REPOSITORY = Path(__file__).resolve().parents[2]
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../schemas/kommune.schema.json"
SCHEMA_LINE = re.compile(rb"# yaml-language-server: \$schema=\S*kommune\.schema\.json[ \t]*\r?(?:\n|$)")
CONTENT_ENV = "HANDBUCH_CONTENT"
_SLUG = re.compile(SLUG_PATTERN)


def content_root() -> Path:
    """content/ of this repository, unless HANDBUCH_CONTENT names another folder of the same shape."""
    override = os.environ.get(CONTENT_ENV)
    return Path(override).resolve() if override else REPOSITORY / "content"


@dataclass(frozen=True)
class Municipality:
    slug: str
    path: Path
    record: Kommune


class ChapterMeta(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    order: Annotated[int, Field(ge=0, le=10_000)]
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)] | None = None
    quellen: list[ChapterSource] = Field(default_factory=list)  # cited with [^id] (citations.py)


@dataclass(frozen=True)
class Chapter:
    slug: str
    path: Path
    meta: ChapterMeta
    body: str
    body_line: int  # line number of the body's first line in the file
    markers: tuple[Marker, ...]
    citations: tuple[Citation, ...] = ()  # in text order


# Printable tools (checklists, templates) live beside the chapters, one folder down; they are
# chapters without generated blocks, published under /leitfaden/arbeitshilfen/.
TOOLS_FOLDER = "arbeitshilfen"  # also reserved as a chapter name (_RESERVED)


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    langform: Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=200)]
    erklaerung: Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=500)] | None = None


class Glossary(BaseModel):
    """content/glossar.yml: abbreviation -> long form (and an explanation)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    entries: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-zÄÖÜäöüß0-9-]{2,12}$")], GlossaryEntry]


# One line of text each (figures are drawn from them); the lengths keep boxes and captions readable.
_BoxText = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=40)]
_LineText = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=60)]
_LongText = Annotated[str, StringConstraints(pattern=TEXT_PATTERN, max_length=500)]


class IllustrationElement(BaseModel):
    """One box of a figure in content/abbildungen.yml."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    titel: _BoxText  # short enough for a box; the figure wraps it
    zeilen: list[_LineText] = Field(default_factory=list, max_length=3)  # short lines inside the box
    herkunft: _LineText | None = None  # where the box's words come from, shown small in the box
    erklaerung: _LongText | None = None  # longer text, listed below the figure
    ausgelassen: bool = False  # stands for a part of an original figure that is not reproduced


# Layouts of the figure template (blocks/abbildung.html.j2) and how many boxes each holds.
ILLUSTRATION_FORMS = {"kreislauf": (3, 6), "ebenen": (2, 4)}


class Illustration(BaseModel):
    """One figure: drawn as inline SVG where a chapter says <!-- handbuch: abbildung name=… -->."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    form: str
    titel: _LongText  # the SVG's accessible name
    bildunterschrift: _LongText  # visible caption: whose figure it is, what it leaves out
    elemente: list[IllustrationElement]

    @model_validator(mode="after")
    def _fits_its_form(self) -> "Illustration":
        if self.form not in ILLUSTRATION_FORMS:
            raise PydanticCustomError("form", "unbekannte Form „{form}“; erlaubt: {allowed}.{hint}", {
                "form": self.form, "allowed": ", ".join(ILLUSTRATION_FORMS),
                "hint": did_you_mean(self.form, ILLUSTRATION_FORMS)})
        low, high = ILLUSTRATION_FORMS[self.form]
        if not low <= len(self.elemente) <= high:
            raise PydanticCustomError("elemente", "die Form „{form}“ braucht {low} bis {high} Elemente, "
                                      "hier sind es {count}.", {"form": self.form, "low": low, "high": high,
                                                                 "count": len(self.elemente)})
        return self


@dataclass(frozen=True)
class Handbook:
    root: Path
    vocabularies: Vocabularies
    municipalities: tuple[Municipality, ...]  # sorted by name
    chapters: tuple[Chapter, ...]  # in front-matter order
    glossary: dict[str, GlossaryEntry] = dataclasses.field(default_factory=dict)  # sorted by abbreviation
    illustrations: dict[str, Illustration] = dataclasses.field(default_factory=dict)  # in file order
    published: Published = EMPTY  # content/ergebnisse.yml: figures as sources state them
    synonyms: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # content/synonyme.yml
    tools: tuple[Chapter, ...] = ()  # practice-guide/arbeitshilfen/*.md, in front-matter order


def _validate(model: type[BaseModel], data: object, document: Document, file: str,
              problems: list[Problem], context: dict | None = None) -> BaseModel | None:
    if not isinstance(data, dict):
        problems.append(Problem(file, 1, 1, None, "Die Datei muss eine Zuordnung „schlüssel: wert“ "
                                "enthalten (keine Liste, kein einzelner Wert)."))
        return None
    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        problems.extend(problems_from_validation(error, document, file, model))
        return None


def _unwrapped(error: ValidationError, document: Document, file: str, model: type[BaseModel],
               wrapper: str) -> list[Problem]:
    """Problems of a model that wraps the file's top level in one field: positions by the file's keys."""
    found = []
    for problem in problems_from_validation(error, document, file, model):
        field = (problem.field or "").removeprefix(wrapper).removeprefix(".")
        position = document.position(tuple(field.split("."))) if field else None
        found.append(Problem(file, position.line if position else problem.line,
                             position.column if position else problem.column, field or None, problem.message))
    return found


def load_vocabularies(root: Path, problems: list[Problem]) -> Vocabularies | None:
    path = root / "vocabularies.yml"
    document = read_document(path, problems)
    if document is None:
        return None
    file = display_path(path)
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, "vocabularies.yml muss eine Zuordnung enthalten."))
        return None
    try:
        vocabularies = Vocabularies.model_validate(Vocabularies.from_file_data(document.data))
    except ValidationError as error:
        # The split moved value lists under "lists"; positions are by the file's own keys.
        problems.extend(_unwrapped(error, document, file, Vocabularies, "lists"))
        return None
    missing = [key for key in REQUIRED_TEXTS if key not in vocabularies.texte]
    if missing:
        position = document.position(("texte",))
        problems.append(Problem(file, position.line, position.column, "texte",
                                f"es fehlen die Texte: {', '.join(missing)}."))
        return None
    if PROGRAMMES in vocabularies.lists:
        position = document.position((PROGRAMMES,))
        problems.append(Problem(file, position.line, position.column, PROGRAMMES, "die Programme stehen in "
                                "content/programme.yml, nicht in vocabularies.yml; bitte diesen Abschnitt entfernen."))
    # Records name programmes like vocabulary values, and questions may ask for a programme's phase.
    count = len(problems)
    vocabularies = vocabularies.with_programmes(load_programmes(root, problems))
    if len(problems) > count:
        return None
    for path in vocabularies.kennzahlen:
        info = field_info(path)
        scalar = info is not None and not path.startswith("massnahmen.") and base_type(info[0]) in (str, int, bool)
        if not scalar or answer_options(path, vocabularies) is None:
            position = document.position(("kennzahlen", path))
            problems.append(Problem(file, position.line, position.column, f"kennzahlen.{path}",
                                    "keine auswertbare Frage: erlaubt sind Felder einer Kommune mit genau einem "
                                    "Wert, ja/nein oder aus einem Vokabular, z. B. netzwerk.stufe."))
            return None
    for path in vocabularies.felder:
        if field_info(path) is None:
            position = document.position(("felder", path))
            problems.append(Problem(file, position.line, position.column, f"felder.{path}",
                                    "dieses Feld gibt es im Datenmodell nicht."))
    for name, info in ((n, field_info(n)) for n in field_paths()):
        for vocabulary in info[1] if info else []:
            if not vocabularies.values(vocabulary) and vocabulary != PROGRAMMES:
                problems.append(Problem(file, 1, 1, None, f"das Vokabular „{vocabulary}“ (für Feld „{name}“) fehlt."))
        if name not in vocabularies.felder:
            problems.append(Problem(file, 1, 1, None, f"die Beschriftung für Feld „{name}“ fehlt unter „felder“."))
    return None if any(p.file == file for p in problems) else vocabularies


# "index" would replace the overview page of its folder (/kommunen/, /leitfaden/).
_RESERVED = {"index", "arbeitshilfen"}  # overview pages: /leitfaden/ and /leitfaden/arbeitshilfen/


def _check_slug(path: Path, problems: list[Problem]) -> bool:
    if path.stem in _RESERVED:
        problems.append(Problem(display_path(path), 1, 1, None, f"Der Dateiname „{path.name}“ ist reserviert "
                                "(er würde die Übersichtsseite ersetzen); bitte einen anderen Kurznamen wählen."))
        return False
    if _SLUG.match(path.stem):
        return True
    suggestion = slugify(path.stem)
    problems.append(Problem(display_path(path), 1, 1, None,
                            f"Der Dateiname „{path.name}“ ist kein gültiger Kurzname; erlaubt sind "
                            f"Kleinbuchstaben a-z, Ziffern und Bindestriche. Meinten Sie „{suggestion}{path.suffix}“?"))
    return False


def parse_record(raw: bytes, file: str, vocabularies: Vocabularies,
                 problems: list[Problem]) -> tuple[Kommune, Document] | None:
    """One record file's bytes -> a validated record, or None with its problems appended."""
    try:
        document = load_document(raw)
    except YamlProblem as error:
        problems.append(Problem(file, error.line, error.column, error.field, error.message))
        return None
    if not SCHEMA_LINE.match(raw):
        problems.append(Problem(file, 1, 1, None, "Die erste Zeile muss den Verweis auf das Schema enthalten, "
                                f"damit Editoren beim Tippen helfen: {SCHEMA_COMMENT}"))
        return None
    record = _validate(Kommune, document.data, document, file, problems, {"vocabularies": vocabularies})
    if record is None:
        return None
    assert isinstance(record, Kommune)
    own = record.consistency_problems() + participation_problems(record, vocabularies.programme)
    if own:
        problems.extend(problems_at(document, file, own))
        return None
    return record, document


Parsed = tuple[Kommune, dict[str, Position]]  # a record and the positions of its "ags" and "name"


def _parse_file(path: Path, vocabularies: Vocabularies, problems: list[Problem]) -> Parsed | None:
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(display_path(path), 1, 1, None,
                                f"Die Datei kann nicht gelesen werden ({error.strerror})."))
        return None
    parsed = parse_record(raw, display_path(path), vocabularies, problems)
    if parsed is None:
        return None
    return parsed[0], {field: parsed[1].position((field,)) for field in ("ags", "name")}


def load_municipalities(root: Path, vocabularies: Vocabularies, problems: list[Problem],
                        cache: RecordCache | None = None) -> list[Municipality]:
    folder = root / "municipalities"
    found: list[Municipality] = []
    positions: dict[str, dict[str, Position]] = {}  # of "ags" and "name", for duplicate messages
    for path in sorted(folder.glob("*")):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".yml":
            problems.append(Problem(display_path(path), 1, 1, None,
                                    f"Unerwartete Datei „{path.name}“; Kommunen-Dateien enden auf .yml."))
            continue
        if not _check_slug(path, problems):
            continue
        # The preview (make serve) parses only files changed since the last build.
        parsed = (cache.parse(path, vocabularies, problems, _parse_file) if cache is not None
                  else _parse_file(path, vocabularies, problems))
        if parsed is not None:
            found.append(Municipality(path.stem, path, parsed[0]))
            positions[path.stem] = parsed[1]
    problems.extend(_duplicates(found, positions))
    return sorted(found, key=lambda m: (m.record.name.casefold(), m.slug))


def _duplicates(found: list[Municipality], positions: dict[str, dict[str, Position]]) -> list[Problem]:
    problems: list[Problem] = []
    for field, key in (("ags", lambda m: m.record.ags), ("name", lambda m: m.record.name.casefold())):
        first: dict[str, Municipality] = {}
        for municipality in found:
            value = key(municipality)
            if value in first:
                other = first[value]
                position = positions[municipality.slug][field]
                problems.append(Problem(display_path(municipality.path), position.line, position.column, field,
                                        f"„{getattr(municipality.record, field)}“ steht schon in "
                                        f"{display_path(other.path)}; jede Kommune darf nur einmal vorkommen."))
            else:
                first[value] = municipality
    return problems


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
MAX_CHAPTER_BYTES = 512 * 1024


def _chapter_text(path: Path, file: str, problems: list[Problem]) -> str | None:
    """The chapter as text with \n line ends, or None with a problem."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problems.append(Problem(file, 1, 1, None, f"Die Datei kann nicht gelesen werden ({error.strerror})."))
        return None
    if len(raw) > MAX_CHAPTER_BYTES:
        problems.append(Problem(file, 1, 1, None, f"Das Kapitel ist zu groß ({len(raw) // 1024} KiB); erlaubt sind "
                                f"höchstens {MAX_CHAPTER_BYTES // 1024} KiB."))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem(file, 1, 1, None, "Die Datei beginnt mit einer Byte-Order-Markierung (BOM); "
                                "bitte als UTF-8 ohne BOM speichern."))
        return None
    try:
        return raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.append(Problem(file, line, 1, None, "Die Datei ist nicht UTF-8-kodiert; bitte als UTF-8 speichern."))
        return None


def load_chapters(root: Path, vocabularies: Vocabularies, problems: list[Problem],
                  illustrations: tuple[str, ...] | None = (), folder: str = "practice-guide",
                  tools: bool = False) -> list[Chapter]:
    chapters = []
    for path in sorted((root / folder).glob("*.md")):
        file = display_path(path)
        if not path.is_file():
            problems.append(Problem(file, 1, 1, None, "Hier wird eine Kapiteldatei erwartet, kein Ordner und "
                                    "kein Verweis ins Leere."))
            continue
        if not _check_slug(path, problems):
            continue
        text = _chapter_text(path, file, problems)
        if text is None:
            continue
        match = _FRONT_MATTER.match(text)
        if not match:
            closed = text.startswith("---")
            problems.append(Problem(file, 1, 1, None, "Der Kopf des Kapitels ist nicht geschlossen: nach title, order "
                                    "und description fehlt die Zeile „---“." if closed else
                                    "Kapitel beginnen mit einem Kopf zwischen zwei Zeilen „---“ "
                                    "(title, order, description)."))
            continue
        if not (match.group(1) or "").strip():
            problems.append(Problem(file, 1, 1, None, "Der Kopf des Kapitels ist leer; er braucht title und order."))
            continue
        try:  # the front matter starts one line below the opening "---"
            document = load_document(match.group(1).encode("utf-8"), line_offset=1)
        except YamlProblem as error:
            problems.append(Problem(file, error.line, error.column, error.field, error.message))
            continue
        meta = _validate(ChapterMeta, document.data, document, file, problems)
        if meta is None:
            continue
        body_line = text[: match.end()].count("\n") + 1
        body = text[match.end():]
        markers, marker_problems = find_markers(body, body_line, file, vocabularies, illustrations)
        problems.extend(marker_problems)
        if tools and markers:  # generated blocks link relative to /leitfaden/; tools sit one folder deeper
            problems.append(Problem(file, markers[0].line, 1, None, "Arbeitshilfen enthalten keine Markierungen "
                                    "(„<!-- handbuch: … -->“); verlinken Sie stattdessen das passende Kapitel."))
        assert isinstance(meta, ChapterMeta)
        citations, citation_problems = find_citations(body, body_line, file, meta.quellen)
        problems.extend(citation_problems)
        chapters.append(Chapter(path.stem, path, meta, body, body_line, tuple(markers), tuple(citations)))
    return sorted(chapters, key=lambda c: (c.meta.order, c.slug))


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Loading builds hundreds of thousands of small, cycle-free objects; the cyclic
    collector walking them would cost more than the parsing itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_handbook(root: Path | None = None, cache: RecordCache | None = None) -> Handbook:
    """Load and validate everything under the content root; raise ContentError with all problems.

    ``cache`` (preview only) keeps parsed records between loads; clean builds never pass one.
    """
    with paused_gc():
        return _load_handbook(root or content_root(), cache)


def _load_handbook(root: Path, cache: RecordCache | None = None) -> Handbook:
    problems: list[Problem] = []
    if not (root / "municipalities").is_dir():
        raise ContentError([Problem(display_path(root), 1, 1, None,
                                    "Kein Inhaltsordner: hier fehlt der Unterordner „municipalities“.")])
    vocabularies = load_vocabularies(root, problems)
    if vocabularies is None:
        raise ContentError(problems)
    municipalities = load_municipalities(root, vocabularies, problems, cache)
    # Before the chapters: their markers name illustrations.
    illustrations, illustration_names = load_illustrations(root, problems)
    chapters = load_chapters(root, vocabularies, problems, illustration_names)
    tools = load_chapters(root, vocabularies, problems, illustration_names, f"practice-guide/{TOOLS_FOLDER}", tools=True)
    glossary = load_glossary(root, problems)
    published = load_published(root, vocabularies, problems) or EMPTY
    synonyms = load_synonyms(root, problems)
    if problems:
        raise ContentError(problems)
    return Handbook(root, vocabularies, tuple(municipalities), tuple(chapters), glossary, illustrations,
                    published=published, synonyms=synonyms, tools=tuple(tools))


def load_glossary(root: Path, problems: list[Problem]) -> dict[str, GlossaryEntry]:
    """content/glossar.yml (optional): the abbreviations the site explains as tooltips."""
    path = root / "glossar.yml"
    if not path.exists():
        return {}
    document = read_document(path, problems)
    if document is None:
        return {}
    file = display_path(path)
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, "glossar.yml muss eine Zuordnung „ABK: {langform: …}“ enthalten."))
        return {}
    try:
        glossary = Glossary.model_validate({"entries": document.data})
    except ValidationError as error:
        problems.extend(_unwrapped(error, document, file, Glossary, "entries"))
        return {}
    return dict(sorted(glossary.entries.items(), key=lambda item: item[0].casefold()))


ILLUSTRATIONS_FILE = "abbildungen.yml"


def load_illustrations(root: Path, problems: list[Problem]) -> tuple[dict[str, Illustration], tuple[str, ...] | None]:
    """content/abbildungen.yml (optional): the texts of the figures chapters draw as inline SVG.

    The texts live here, not in the chapter, so that a figure and the list explaining it render
    from the same entries and cannot drift apart. Returns the valid figures and every name the
    file defines (markers are checked against the names even if an entry has a mistake), or
    None for the names when the file cannot be read at all.
    """
    path = root / ILLUSTRATIONS_FILE
    if not path.exists():
        return {}, ()
    document = read_document(path, problems)
    if document is None:
        return {}, None
    file = display_path(path)
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, f"{ILLUSTRATIONS_FILE} muss eine Zuordnung „name: {{form: …}}“ "
                                "enthalten."))
        return {}, None
    found: dict[str, Illustration] = {}
    for name, data in document.data.items():
        # One figure at a time, positioned in its own part of the file: the messages' "did you
        # mean" looks fields up by model path, which a dict of names in between would hide.
        position = document.position((name,))
        if not isinstance(name, str) or not _SLUG.match(name):
            problems.append(Problem(file, position.line, position.column, str(name), "kein gültiger Name einer "
                                    "Abbildung; erlaubt sind Kleinbuchstaben a-z, Ziffern und Bindestriche."))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(file, position.line, position.column, name, "erwartet eine Zuordnung mit "
                                    "form, titel, bildunterschrift und elemente."))
            continue
        node = next(v for k, v in document.root.value if getattr(k, "value", None) == name)
        try:
            found[name] = Illustration.model_validate(data)
        except ValidationError as error:
            part = dataclasses.replace(document, data=data, root=node)
            problems.extend(dataclasses.replace(p, field=f"{name}.{p.field}" if p.field else name)
                            for p in problems_from_validation(error, part, file, Illustration))
    return found, tuple(str(name) for name in document.data)
