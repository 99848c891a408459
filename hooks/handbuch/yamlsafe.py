"""Safe YAML reading that keeps positions and closes the traps in DESIGN.md.

We let libyaml compose a node tree (no Python objects are ever constructed by
PyYAML, so ``!!python/...`` tags can never run) and build plain data ourselves:
that is where duplicate keys, aliases, unknown tags and impossible dates are
caught, each with a German message and a line number.

Scalars are resolved like YAML 1.2 (the version editors' schema tooling uses):
only ``true``/``false`` are booleans (``no`` stays text), ``05362004`` is a
number, so a string field given one fails with a "please quote it" message
instead of silently receiving a different value.
"""

from __future__ import annotations

import codecs
import datetime as dt
import gc
import math
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composer only; its resolver follows the YAML 1.2 core schema plus dates."""


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("timestamp", r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", "0123456789"),
]:
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))

_T = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_T + t for t in ("str", "int", "float", "bool", "null", "timestamp")}

TYPE_NAMES = {
    str: "Text",
    int: "Zahl",
    float: "Zahl",
    bool: "Wahrheitswert",
    type(None): "leerer Wert",
    dt.date: "Datum",
    list: "Liste",
    dict: "Zuordnung",
}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based
    source: str | None = None  # the scalar as written, for messages


@dataclass
class Document:
    """Plain data plus where each value (or mapping key) stands in the file."""

    data: Any
    positions: dict[tuple[Hashable, ...], Position] = field(default_factory=dict)  # keys, list items
    values: dict[tuple[Hashable, ...], Position] = field(default_factory=dict)  # values of mapping keys

    def position(self, loc: tuple[Hashable, ...]) -> Position:
        """The position of ``loc`` (its key) or of its nearest parent that exists."""
        while loc not in self.positions and loc:
            loc = loc[:-1]
        return self.positions.get(loc, Position(1, 1))

    def value_position(self, loc: tuple[Hashable, ...]) -> Position:
        """Where the value at ``loc`` is written (with its source text), else its key."""
        return self.values.get(loc) or self.position(loc)


class YamlProblem(Exception):
    """A problem in the YAML itself (before any model is involved)."""

    def __init__(self, line: int, column: int, message: str, field: str | None = None):
        super().__init__(message)
        self.line, self.column, self.message, self.field = line, column, message, field


def _pos(node: Node) -> Position:
    mark = node.start_mark
    source = node.value if isinstance(node, ScalarNode) else None
    return Position(mark.line + 1, mark.column + 1, source)


def _dotted(path: tuple[Hashable, ...]) -> str | None:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (("." if out else "") + str(part))
    return out or None


_SCALAR_KINDS = {"int": "ganze Zahl", "float": "Zahl", "bool": "Wahrheitswert (true/false)",
                 "timestamp": "Datum (JJJJ-MM-TT, z. B. 2017-06-30)", "null": "leerer Wert"}


def _convert(kind: str, text: str) -> Any:
    if kind == "str":
        return text
    if kind == "null":
        return None
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValueError(text)
        return text.lower() == "true"
    if kind == "int":
        return int(text, 0) if text.startswith(("0o", "0x")) else int(text, 10)
    if kind == "float":
        lowered = text.lower()
        if lowered.lstrip("+-") == ".inf":
            return -math.inf if lowered.startswith("-") else math.inf
        return math.nan if lowered == ".nan" else float(text)
    year, month, day = (int(p) for p in text.split("-"))  # timestamp: dates only
    return dt.date(year, month, day)


def _scalar(node: ScalarNode, path: tuple[Hashable, ...]) -> Any:
    # Quoted scalars resolve to str; "!" is the non-specific tag of a quoted value.
    tag = _T + "str" if node.tag == "!" else node.tag
    if tag not in _SCALAR_TAGS:
        raise _bad_tag(node, path)
    kind = tag[len(_T):]
    try:
        return _convert(kind, node.value)
    except ValueError:
        mark = node.start_mark
        raise YamlProblem(
            mark.line + 1,
            mark.column + 1,
            f"„{node.value}“ ist kein gültiger Wert; erwartet: {_SCALAR_KINDS[kind]}.",
            _dotted(path),
        ) from None


def _bad_tag(node: Node, path: tuple[Hashable, ...]) -> YamlProblem:
    mark = node.start_mark
    return YamlProblem(
        mark.line + 1,
        mark.column + 1,
        f"Die YAML-Markierung „{node.tag.replace(_T, '!!')}“ ist nicht erlaubt; bitte nur einfache Werte, "
        "Listen und Zuordnungen verwenden (Markierungen mit ! werden nie ausgeführt).",
        _dotted(path),
    )


class _Builder:
    def __init__(self) -> None:
        self.positions: dict[tuple[Hashable, ...], Position] = {}
        self.values: dict[tuple[Hashable, ...], Position] = {}
        self.seen: set[int] = set()

    def build(self, node: Node, path: tuple[Hashable, ...], depth: int) -> Any:
        if id(node) in self.seen:
            mark = node.start_mark
            raise YamlProblem(
                mark.line + 1,
                mark.column + 1,
                "Anker und Verweise (&name / *name) werden nicht unterstützt; "
                "bitte den Inhalt an jeder Stelle ausschreiben.",
                _dotted(path),
            )
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            mark = node.start_mark
            raise YamlProblem(
                mark.line + 1, mark.column + 1, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen)."
            )
        if isinstance(node, ScalarNode):
            return _scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _T + "seq":
                raise _bad_tag(node, path)
            items = []
            for index, child in enumerate(node.value):
                self.positions[path + (index,)] = _pos(child)
                items.append(self.build(child, path + (index,), depth + 1))
            return items
        if isinstance(node, MappingNode):
            if node.tag != _T + "map":
                raise _bad_tag(node, path)
            result: dict[Hashable, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path, depth + 1) if isinstance(key_node, ScalarNode) else None
                if not isinstance(key, (str, int)) or isinstance(key, bool):
                    mark = key_node.start_mark
                    raise YamlProblem(
                        mark.line + 1,
                        mark.column + 1,
                        "Ein Schlüssel muss ein einfaches Wort sein (z. B. „name:“).",
                        _dotted(path),
                    )
                key = str(key)
                here = path + (key,)
                if key in result:
                    first = self.positions[here]
                    mark = key_node.start_mark
                    raise YamlProblem(
                        mark.line + 1,
                        mark.column + 1,
                        f"Der Schlüssel „{key}“ steht doppelt (Zeile {first.line} und Zeile "
                        f"{mark.line + 1}); bitte nur einmal angeben, sonst gilt stillschweigend "
                        "nur der letzte Wert.",
                        _dotted(here),
                    )
                self.positions[here] = _pos(key_node)
                self.values[here] = _pos(value_node)
                result[key] = self.build(value_node, here, depth + 1)
            return result
        raise _bad_tag(node, path)  # pragma: no cover - libyaml knows no other node kinds


_SYNTAX_HINTS = [
    ("mapping values are not allowed", "Doppelpunkt an unerwarteter Stelle: Text mit „: “ bitte in "
     "Anführungszeichen setzen, oder die Einrückung prüfen."),
    ("could not find expected ':'", "Hier fehlt ein Doppelpunkt (Schlüssel: Wert) oder ein "
     "schließendes Anführungszeichen."),
    ("did not find expected key", "Die Einrückung stimmt nicht: hier wurde ein Schlüssel erwartet."),
    ("did not find expected '-' indicator", "Die Einrückung der Liste stimmt nicht."),
    ("found unexpected end of stream", "Die Datei endet unerwartet: fehlt ein schließendes "
     "Anführungszeichen oder eine schließende Klammer?"),
    ("found undefined alias", "Verweis (*name) ohne passenden Anker; Verweise werden ohnehin nicht "
     "unterstützt."),
    ("expected a single document", "Die Datei darf nur ein YAML-Dokument enthalten (kein zweites „---“)."),
    ("found character that cannot start any token", "Dieses Zeichen darf hier nicht stehen "
     "(Tabulator, @ oder ` am Anfang eines Werts?); Text bitte in Anführungszeichen setzen."),
    ("found unknown escape character", "Unbekannte Escape-Sequenz mit \\ in Text mit "
     "doppelten Anführungszeichen; einfache Anführungszeichen verwenden."),
    ("did not find expected node content", "Hier fehlt ein Wert."),
    ("did not find expected ',' or ']'", "Eine Liste in [ ] ist nicht richtig geschlossen."),
    ("did not find expected ',' or '}'", "Eine Zuordnung in { } ist nicht richtig geschlossen."),
    ("found a tab character", "Tabulatoren sind in YAML nicht erlaubt; bitte Leerzeichen verwenden."),
    ("control characters are not allowed", "Die Datei enthält ein unsichtbares Steuerzeichen."),
    ("unacceptable character", "Die Datei enthält ein unsichtbares Steuerzeichen."),
]


def _syntax_problem(error: yaml.YAMLError, text: str) -> YamlProblem:
    problem = f"{getattr(error, 'context', None) or ''} {getattr(error, 'problem', None) or error}"
    hint = next((german for english, german in _SYNTAX_HINTS if english in problem), None)
    message = f"YAML-Syntaxfehler: {hint}" if hint else f"YAML-Syntaxfehler ({problem.strip()})."
    mark = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    if mark is None and hasattr(error, "position"):  # ReaderError: a bad character
        before = text[: error.position]
        return YamlProblem(before.count("\n") + 1, len(before) - before.rfind("\n"), message)
    if mark is None:
        return YamlProblem(1, 1, message)
    line, column = mark.line + 1, mark.column + 1
    # Where a construct was opened (a quote, a bracket) is where the editor must look.
    if context is not None and context.line + 1 < line:
        message += f" (Beginn in Zeile {context.line + 1}, bemerkt in Zeile {line})"
        line, column = context.line + 1, context.column + 1
    return YamlProblem(line, column, message)


def _check_text(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            1, 1, f"Die Datei ist zu groß ({len(raw) // 1024} KiB); erlaubt sind höchstens "
            f"{MAX_BYTES // 1024} KiB. Bitte aufteilen oder kürzen."
        )
    if raw.startswith(codecs.BOM_UTF8):
        raise YamlProblem(1, 1, "Die Datei beginnt mit einer Byte-Order-Markierung (BOM); "
                          "bitte als UTF-8 ohne BOM speichern.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            line, column, f"Die Datei ist nicht UTF-8-kodiert (ungültiges Byte 0x{raw[error.start]:02X}); "
            "bitte im Editor als UTF-8 speichern."
        ) from None
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = len(line_text) - len(line_text.lstrip(" \t"))
        if "\t" in line_text[:indent]:
            raise YamlProblem(number, line_text.index("\t") + 1, "Tabulator zum Einrücken; "
                              "YAML erlaubt nur Leerzeichen. Bitte Tabulatoren durch Leerzeichen ersetzen.")
    return text


def load_document(raw: bytes) -> Document:
    """Read one YAML file into plain data with positions. Raises YamlProblem."""
    text = _check_text(raw)
    # Node trees are many small objects; the cyclic collector walking them
    # costs more than the parse itself, and they are garbage-free.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as error:
            raise _syntax_problem(error, text) from None
        except RecursionError:
            raise YamlProblem(1, 1, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen).") from None
        if root is None:
            raise YamlProblem(1, 1, "Die Datei ist leer.")
        builder = _Builder()
        builder.positions[()] = _pos(root)
        data = builder.build(root, (), 0)
        return Document(data, builder.positions, builder.values)
    finally:
        if gc_was_enabled:
            gc.enable()
