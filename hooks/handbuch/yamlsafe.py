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
import math
import re
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .slugs import dotted_path

MAX_BYTES = 256 * 1024
MAX_DEPTH = 20

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Composer only; its resolver follows the YAML 1.2 core schema plus dates.

    `resolve` is called for every scalar; PyYAML's generic version (with path
    resolvers we do not use) costs as much as the C parser, so it is slimmed here.
    """

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


# No timestamp resolver: YAML 1.2 (and the editors' schema tools) read 2017-06-30 as
# text; the model turns such text into a date, so both sides agree.
_Loader.yaml_implicit_resolvers = {}
_PLAIN_FORMS: dict[str, re.Pattern[str]] = {}  # the forms a scalar of each tag may take
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
]:
    _Loader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first))
    _PLAIN_FORMS[f"tag:yaml.org,2002:{_tag}"] = re.compile(_pattern)

_T = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _T + "str", _T + "seq", _T + "map"


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


def _position(node: Node, line_offset: int) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1 + line_offset, mark.column + 1,
                    node.value if isinstance(node, ScalarNode) else None)


@dataclass
class Document:
    """Plain data plus the composed node tree, which answers "where is this?" only when asked.

    Positions are looked up lazily (errors are rare); building a position table for
    every node would cost more than parsing.
    """

    data: Any
    root: Node
    line_offset: int = 0  # e.g. front matter starts one line below "---"

    def _find(self, loc: tuple[Hashable, ...]) -> tuple[Node | None, Node, int]:
        """(key node, value node, depth reached) for the longest existing prefix of ``loc``."""
        key_node, node = None, self.root
        for depth, part in enumerate(loc):
            if isinstance(node, MappingNode):
                pair = next(((k, v) for k, v in node.value if isinstance(k, ScalarNode) and k.value == str(part)),
                            None)
                if pair is None:
                    return key_node, node, depth
                key_node, node = pair
            elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                return key_node, node, depth
        return key_node, node, len(loc)

    def position(self, loc: tuple[Hashable, ...]) -> Position:
        """Where ``loc`` is written: its key (or list item), else its nearest existing parent."""
        key_node, node, _ = self._find(loc)
        return _position(key_node or node, self.line_offset)

    def value_position(self, loc: tuple[Hashable, ...]) -> Position:
        """Where the value at ``loc`` is written, with its source text; else as `position`."""
        key_node, node, depth = self._find(loc)
        if depth == len(loc):
            return _position(node, self.line_offset)
        return _position(key_node or node, self.line_offset)


class YamlProblem(Exception):
    """A problem in the YAML itself (before any model is involved)."""

    def __init__(self, line: int, column: int, message: str, field: str | None = None):
        super().__init__(message)
        self.line, self.column, self.message, self.field = line, column, message, field


class _NodeProblem(Exception):
    """Raised while building; turned into a YamlProblem once the node's path is known."""

    def __init__(self, node: Node, message: str):
        super().__init__(message)
        self.node, self.message = node, message


def _path_to(root: Node, target: Node) -> tuple[Hashable, ...]:
    """The data path of ``target`` below ``root`` (for messages; walks the tree once)."""
    stack: list[tuple[Node, tuple[Hashable, ...]]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if key_node is target:
                    return path + (getattr(key_node, "value", "?"),)
                stack.append((value_node, path + (getattr(key_node, "value", "?"),)))
        elif isinstance(node, SequenceNode):
            stack.extend((child, path + (index,)) for index, child in enumerate(node.value))
    return ()


_SCALAR_KINDS = {"int": "ganze Zahl", "float": "Zahl", "bool": "Wahrheitswert (true/false)", "null": "leerer Wert"}


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered not in ("true", "false"):
        raise ValueError(text)
    return lowered == "true"


def _int(text: str) -> int:
    return int(text, 0) if text.startswith(("0o", "0x")) else int(text, 10)


def _float(text: str) -> float:
    lowered = text.lower()
    if lowered.lstrip("+-") == ".inf":
        return -math.inf if lowered.startswith("-") else math.inf
    return math.nan if lowered == ".nan" else float(text)


_CONVERTERS = {_T + "null": lambda _: None, _T + "bool": _bool, _T + "int": _int, _T + "float": _float}


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR or tag == "!":  # "!" is the non-specific tag of a quoted value
        return node.value
    convert = _CONVERTERS.get(tag)
    if convert is None:
        raise _NodeProblem(node, _bad_tag_message(node))
    try:
        # An explicit tag (!!int) must not widen what a value may look like (1_0, ١٢, "!!null text").
        if not _PLAIN_FORMS[tag].match(node.value):
            raise ValueError(node.value)
        return convert(node.value)
    except ValueError:
        raise _NodeProblem(node, f"„{node.value}“ ist kein gültiger Wert; erwartet: "
                                 f"{_SCALAR_KINDS[tag[len(_T):]]}.") from None


def _bad_tag_message(node: Node) -> str:
    return (f"Die YAML-Markierung „{node.tag.replace(_T, '!!')}“ ist nicht erlaubt; bitte nur einfache Werte, "
            "Listen und Zuordnungen verwenden (Markierungen mit ! werden nie ausgeführt).")


def _build(node: Node, depth: int, seen: set[int]) -> Any:
    """Plain data from a node tree: every trap raises _NodeProblem at the offending node."""
    node_id = id(node)
    if node_id in seen:  # the composer hands out one node object per anchor: an alias
        raise _NodeProblem(node, "Anker und Verweise (&name / *name) werden nicht unterstützt; "
                                 "bitte den Inhalt an jeder Stelle ausschreiben.")
    seen.add(node_id)
    cls = node.__class__
    if cls is ScalarNode:
        return _scalar(node)
    if depth > MAX_DEPTH:
        raise _NodeProblem(node, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen).")
    if cls is SequenceNode:
        if node.tag != _SEQ:
            raise _NodeProblem(node, _bad_tag_message(node))
        return [_build(child, depth + 1, seen) for child in node.value]
    if cls is MappingNode:
        if node.tag != _MAP:
            raise _NodeProblem(node, _bad_tag_message(node))
        result: dict[str, Any] = {}
        first_key: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node) if key_node.__class__ is ScalarNode else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise _NodeProblem(key_node, "Ein Schlüssel muss ein einfaches Wort sein (z. B. „name:“).")
            key = str(key)
            if key in result:
                first = first_key[key].start_mark.line + 1
                raise _NodeProblem(key_node, f"Der Schlüssel „{key}“ steht doppelt (Zeile {first} und Zeile "
                                             f"{key_node.start_mark.line + 1}); bitte nur einmal angeben, sonst gilt "
                                             "stillschweigend nur der letzte Wert.")
            first_key[key] = key_node
            result[key] = _build(value_node, depth + 1, seen)
        return result
    raise _NodeProblem(node, _bad_tag_message(node))  # pragma: no cover - libyaml knows no other node kinds


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
    if "\t" not in text:
        return text
    for number, line_text in enumerate(text.splitlines(), start=1):
        indent = len(line_text) - len(line_text.lstrip(" \t"))
        if "\t" in line_text[:indent]:
            raise YamlProblem(number, line_text.index("\t") + 1, "Tabulator zum Einrücken; "
                              "YAML erlaubt nur Leerzeichen. Bitte Tabulatoren durch Leerzeichen ersetzen.")
    return text


def load_document(raw: bytes, line_offset: int = 0) -> Document:
    """Read one YAML file into plain data with its node tree. Raises YamlProblem.

    Callers loading many files pause the garbage collector around the whole batch
    (see loader.paused_gc): node trees are many small objects and contain no cycles.
    """
    try:
        return _load(raw, line_offset)
    except YamlProblem as problem:
        problem.line += line_offset
        raise


_STACK_BYTES = 256 * 1024 * 1024
_SHALLOW_BYTES = 16 * 1024  # a smaller file cannot nest deep enough to exhaust the default stack


def _compose(text: str) -> Node | None:
    """libyaml's composer recurses in C: a file of 60,000 nested "[" crashes the interpreter
    on the default stack (segfault, no message). Compose on a thread with a large stack
    (virtual memory; only what is used is touched), then reject deep nesting in _build."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["root"] = yaml.compose(text, Loader=_Loader)
        except BaseException as error:  # handed to the calling thread
            result["error"] = error

    previous = threading.stack_size(_STACK_BYTES)
    try:
        worker = threading.Thread(target=run, name="yaml-compose")
        worker.start()
    finally:
        threading.stack_size(previous)
    worker.join()
    if "error" in result:
        raise result["error"]
    return result.get("root")


def _load(raw: bytes, line_offset: int) -> Document:
    text = _check_text(raw)
    try:
        root = _compose(text) if len(text) > _SHALLOW_BYTES else yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise _syntax_problem(error, text) from None
    except RecursionError:
        raise YamlProblem(1, 1, f"Zu tief verschachtelt (mehr als {MAX_DEPTH} Ebenen).") from None
    if root is None:
        raise YamlProblem(1, 1, "Die Datei ist leer.")
    try:
        data = _build(root, 0, set())
    except _NodeProblem as problem:
        mark = problem.node.start_mark
        raise YamlProblem(mark.line + 1, mark.column + 1, problem.message,
                          dotted_path(_path_to(root, problem.node))) from None
    return Document(data, root, line_offset)


def read_document(path: Path, problems: list) -> Document | None:
    """A content file as a Document; None, with a problem naming file and line, when it cannot be
    read (the one reader of vocabularies, programmes, results, synonyms and the other content files)."""
    from .problems import Problem, display_path  # problems.py needs nothing from here

    try:
        return load_document(path.read_bytes())
    except YamlProblem as error:
        problems.append(Problem(display_path(path), error.line, error.column, error.field, error.message))
    except OSError as error:
        problems.append(Problem(display_path(path), 1, 1, None,
                                f"Die Datei kann nicht gelesen werden ({error.strerror})."))
    return None

