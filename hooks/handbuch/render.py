"""Handbook -> Markdown pages, through Jinja templates. No MkDocs here.

The hook hands these pages to MkDocs as generated files; `scripts/generate.py`
writes the same pages into a folder, so another generator can take over.

Escaping: the environment autoescapes (HTML) everything by default, so a value
that slips through without a filter still cannot become markup. The filters
``md`` (plain text -> Markdown-safe inline text) and ``md_block`` (the
Markdown fields) return already-safe strings.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
import textwrap
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import aggregates
from .facets import FacetValue, facet_values, facets_of
from .guide import guide_context
from .loader import Chapter, Illustration, IllustrationElement, Handbook, Municipality
from .markers import Marker
from .model import Kommune, Massnahme, field_info, nested_model, value_at
from .provenance import last_changes
from .slugs import slugify
from .vocabularies import Vocabularies

TEMPLATES = Path(__file__).parent / "templates"
BLOCK_LIMIT = 10  # items a generated block in a chapter shows before linking to the overview

# Fields the municipality page shows in sections of their own, not in the fact table.
_OWN_SECTIONS = {"name", "beispiel", "stand", "quellen", "kontakt", "beschreibung", "massnahmen"}


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path below docs/, e.g. "kommunen/bergheim.md"
    markdown: str
    source: Path | None  # content file it was generated from (for the edit button)
    in_nav: bool = True


# --- escaping -----------------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_{}\[\]()#+!|])")  # what Python-Markdown (and tables) unescape


# What would start a list, or underline a heading, at the beginning of a line.
_MD_LINE_START = re.compile(r"^(\d+)\.(?=\s|$)|^([-+*])(?=\s|$)|^([-=])(?=[-=]*$)")


# Anything md() would change; most values (labels, names, years) contain none of it.
_MD_UNSAFE = re.compile(r"[\\`*_{}\[\]()#+!|<>&\"'\n\r\t\f\v]|\s\s|^\s|\s$|^[-=]|^\d+\.")


def md(value: object) -> Markup:
    """Plain text as inline Markdown: no emphasis, links, HTML, lists or table breaks."""
    if isinstance(value, Markup):  # already escaped (e.g. a label from the template globals)
        return value
    text = str(value)
    if not _MD_UNSAFE.search(text):  # fast path, called for every value on every page
        return Markup(text)
    text = " ".join(text.split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2) or m.group(3)}", text)
    return Markup(str(escape(text)))


def md_url(value: object) -> Markup:
    """A URL as a Markdown link target: characters that could end the target are encoded."""
    return Markup(urllib.parse.quote(str(value), safe=":/?#=&%@!$*+,;~-._"))


# A code span on one line: Markdown shows its content literally, so it needs no escaping
# (escaped, `a<b` would read "a&lt;b").
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)[^`\n]+?\1(?!`)")


def md_block(value: object) -> Markup:
    """A Markdown field: Markdown stays, raw HTML is shown as text, attribute lists are off."""
    def escaped(part: str) -> str:  # HTML shown as text, attribute lists off
        return part.replace("<", "&lt;").replace("{", "\\{")

    text = str(value).replace("\r\n", "\n")
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out += [escaped(text[last:span.start()]), span.group(0)]
        last = span.end()
    return Markup("".join(out) + escaped(text[last:]))


def yaml_scalar(value: object) -> str:
    """A value as a YAML scalar: JSON strings are valid double-quoted YAML."""
    return json.dumps(value, ensure_ascii=False)


_UNSAFE = re.compile(
    r"<(?:script|iframe|object|embed|style|form)\b"  # active or third-party content
    r"|<[a-z][^>]*\son[a-z]+\s*="  # event handler attributes
    r"|\s(?:src|srcset|poster|data)\s*=\s*[\"']?\s*(?:https?:)?//"  # embedded from another server
    r"|\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?!https?:|mailto:|#|\.|/|[a-z0-9_-]+(?:[./#?]|[\"'\s>]))"
    r"[a-z][a-z0-9+.-]*:",  # a URL scheme other than http(s) and mailto
    re.IGNORECASE,
)


def unsafe_markup(html: str) -> str | None:
    """The first piece of HTML that must never reach a page, or None."""
    match = _UNSAFE.search(html)
    return match.group(0)[:60] if match else None


def measure_anchors(record: Kommune) -> list[str]:
    """Stable anchors for a record's measures: derived from the title (unique per record)."""
    anchors: list[str] = []
    for measure in record.massnahmen:
        base = "massnahme-" + slugify(measure.titel)
        anchor, n = base, 2
        while anchor in anchors:
            anchor, n = f"{base}-{n}", n + 1
        anchors.append(anchor)
    return anchors


# --- presentation of values ---------------------------------------------------


@dataclass(frozen=True)
class FactSection:
    title: str  # "" for the general facts at the top
    rows: list[tuple[str, str]]  # (field label, display value)
    empty: bool  # no answer at all: listed in one line instead of a block of "keine Angabe"


class Presenter:
    """Turns model values into the labels readers see (all texts from vocabularies.yml)."""

    def __init__(self, vocabularies: Vocabularies):
        self.v = vocabularies

    def value(self, path: str, value: Any) -> str:
        if value is None:
            return self.v.text("keine_angabe")
        info = field_info(path)
        vocabs = info[1] if info else []
        if isinstance(value, bool):
            return self.v.text("ja") if value else self.v.text("nein")
        if isinstance(value, dt.date):
            return value.strftime("%d.%m.%Y")
        if isinstance(value, float):
            if 0 < value < 0.005:  # would round to "0,0", which reads as "none"
                return "unter 0,01"
            text = f"{value:.2f}".rstrip("0")
            return (text + "0" if text.endswith(".") else text).replace(".", ",")
        if isinstance(value, dict):
            return "; ".join(f"{self.v.label(vocabs[0], k)}: {self.v.label(vocabs[1], s)}" for k, s in value.items())
        if isinstance(value, list):
            if not value:
                return self.v.text("keine_angabe")
            return ", ".join(self.v.label(vocabs[0], item) if vocabs else str(item) for item in value)
        if vocabs:
            return self.v.label(vocabs[0], value)
        return str(value)

    def kreis(self, record: Kommune) -> str:
        return self.value("kreis", record.kreis) if record.needs_kreis else self.v.text("entfaellt")

    def sections(self, record: Kommune) -> list[FactSection]:
        """Every fact of a record, grouped as in the model; sections without any answer are marked empty."""
        general: list[tuple[str, str]] = []
        sections: list[FactSection] = [FactSection("", general, False)]
        for name, info in Kommune.model_fields.items():
            if name in _OWN_SECTIONS:
                continue
            inner = nested_model(info.annotation)
            if name == "kreis":
                general.append((self.v.field_label(name), self.kreis(record)))
                continue
            if inner is None:
                general.append((self.v.field_label(name), self.value(name, getattr(record, name))))
                continue
            sub = getattr(record, name)
            rows = [(self.v.field_label(f"{name}.{field}"),
                     self.value(f"{name}.{field}", getattr(sub, field) if sub else None))
                    for field in inner.model_fields]
            empty = all(value == self.v.text("keine_angabe") for _, value in rows)
            sections.append(FactSection(self.v.field_label(name), rows, empty))
        return sections

    def measure_rows(self, measure: Massnahme) -> list[tuple[str, str]]:
        return [(self.v.field_label(f"massnahmen.{f}"), self.value(f"massnahmen.{f}", getattr(measure, f)))
                for f in Massnahme.model_fields if f not in ("titel", "beschreibung", "link")]


# --- selection shared by overview pages and chapter markers ------------------


@dataclass(frozen=True)
class MeasureRef:
    municipality: Municipality
    measure: Massnahme
    anchor: str


def all_measures(handbook: Handbook) -> list[MeasureRef]:
    refs = []
    for municipality in handbook.municipalities:
        for measure, anchor in zip(municipality.record.massnahmen, measure_anchors(municipality.record)):
            refs.append(MeasureRef(municipality, measure, anchor))
    return refs


# --- illustrations (content/abbildungen.yml), drawn as inline SVG ---------------------------
# Geometry is computed here (Jinja has no trigonometry); blocks/abbildung.html.j2 draws it.

DRAWING_WIDTH = 600  # viewBox units; scaled to the text column, 14 units of text are about 9 pt in the PDF


@dataclass(frozen=True)
class DrawnLine:
    text: str
    y: float  # baseline
    kind: str  # "titel", "zeile" or "herkunft": size and weight in the template


@dataclass(frozen=True)
class DrawnBox:
    x: float
    y: float
    width: float
    height: float
    lines: tuple[DrawnLine, ...]
    omitted: bool  # a part of an original figure that is not reproduced: drawn dashed

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class DrawnArrow:
    points: str  # line from start to just before the head
    head: str  # the arrow head as a polygon (drawn, not an SVG marker: every renderer draws polygons)


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    boxes: tuple[DrawnBox, ...]
    arrows: tuple[DrawnArrow, ...]  # kreislauf: box to box, closing the loop
    links: tuple[tuple[float, float, float, float], ...]  # ebenen: plain lines between neighbours


# Line height and the width of an average character, per kind of line (sans-serif; generous,
# because the PDF uses the wide DejaVu Sans). Wrapping by character count needs no font metrics.
_LINE = {"titel": (18, 8.6), "zeile": (17, 7.6), "herkunft": (16, 7.0)}
_PAD = 10


def _wrap(text: str, kind: str, width: float) -> list[tuple[str, str]]:
    chars = int((width - 2 * _PAD) / _LINE[kind][1])
    return [(kind, line) for line in textwrap.wrap(text, chars, break_on_hyphens=False)]


def _box_lines(element: IllustrationElement, width: float, title: str) -> list[tuple[str, str]]:
    lines = _wrap(title, "titel", width)
    for zeile in element.zeilen:
        lines += _wrap(zeile, "zeile", width)
    return lines + (_wrap(element.herkunft, "herkunft", width) if element.herkunft else [])


def _lines_height(lines: list[tuple[str, str]]) -> float:
    return sum(_LINE[kind][0] for kind, _ in lines)


def _box(x: float, y: float, width: float, height: float, lines: list[tuple[str, str]], omitted: bool) -> DrawnBox:
    """A box with its lines centred vertically (baselines about 4/5 down each line)."""
    top = y + (height - _lines_height(lines)) / 2
    placed = []
    for kind, text in lines:
        step = _LINE[kind][0]
        placed.append(DrawnLine(text, round(top + step * 0.78, 1), kind))
        top += step
    return DrawnBox(round(x, 1), round(y, 1), round(width, 1), round(height, 1), tuple(placed), omitted)


def _edge(box: DrawnBox, dx: float, dy: float) -> float:
    """How far along (dx, dy) from the box's centre its border lies, as a fraction of (dx, dy)."""
    limits = [box.width / 2 / abs(dx) if dx else math.inf, box.height / 2 / abs(dy) if dy else math.inf]
    return min(limits)


def _arrow(start: DrawnBox, end: DrawnBox, gap: float = 5, head: float = 10) -> DrawnArrow:
    (x1, y1), (x2, y2) = start.center, end.center
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    t1, t2 = _edge(start, dx, dy) * length + gap, (1 - _edge(end, dx, dy)) * length - gap
    sx, sy, ex, ey = x1 + ux * t1, y1 + uy * t1, x1 + ux * t2, y1 + uy * t2
    bx, by = ex - ux * head, ey - uy * head  # base of the head
    nx, ny = -uy * head / 2, ux * head / 2
    return DrawnArrow(f"{sx:.1f},{sy:.1f} {bx + ux:.1f},{by + uy:.1f}",
                       f"{ex:.1f},{ey:.1f} {bx + nx:.1f},{by + ny:.1f} {bx - nx:.1f},{by - ny:.1f}")


def cycle_drawing(illustration: Illustration) -> Drawing:
    """Numbered boxes on an ellipse, clockwise from the top, each with an arrow to the next;
    the last arrow leads back to the first box (3 to 6 boxes fit without touching)."""
    width, ry = 170, 150
    lines = [_box_lines(element, width, f"{index + 1}. {element.titel}")
             for index, element in enumerate(illustration.elemente)]
    height = max(40, *(_lines_height(box) for box in lines)) + 2 * _PAD
    angles = [-math.pi / 2 + 2 * math.pi * index / len(lines) for index in range(len(lines))]
    widest = max(abs(math.cos(angle)) for angle in angles)  # a box exactly left or right needs room
    rx = min(245, (DRAWING_WIDTH / 2 - width / 2 - 4) / widest)
    cx, cy = DRAWING_WIDTH / 2, ry + height / 2 + 4
    boxes = []
    for angle, element, box in zip(angles, illustration.elemente, lines):
        x, y = cx + rx * math.cos(angle) - width / 2, cy + ry * math.sin(angle) - height / 2
        boxes.append(_box(x, y, width, height, box, element.ausgelassen))
    arrows = tuple(_arrow(box, boxes[(i + 1) % len(boxes)]) for i, box in enumerate(boxes))
    return Drawing(DRAWING_WIDTH, math.ceil(cy + ry + height / 2 + 4), tuple(boxes), arrows, ())


def row_drawing(illustration: Illustration) -> Drawing:
    """Boxes side by side, joined by plain lines (no arrows: the order is not a claim about causes)."""
    gap, margin = 40, 4
    count = len(illustration.elemente)
    width = (DRAWING_WIDTH - 2 * margin - gap * (count - 1)) / count
    lines = [_box_lines(element, width, element.titel) for element in illustration.elemente]
    height = max(_lines_height(box) for box in lines) + 2 * _PAD
    boxes = tuple(_box(margin + i * (width + gap), margin, width, height, box, element.ausgelassen)
                  for i, (element, box) in enumerate(zip(illustration.elemente, lines)))
    links = tuple((round(a.x + a.width, 1), round(a.y + a.height / 2, 1), round(b.x, 1), round(b.y + b.height / 2, 1))
                  for a, b in zip(boxes, boxes[1:]))
    return Drawing(DRAWING_WIDTH, math.ceil(height + 2 * margin), boxes, (), links)


_DRAWINGS = {"kreislauf": cycle_drawing, "ebenen": row_drawing}


# --- rendering ------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Markdown and HTML output is escaped by default; YAML templates quote with `yaml`.
        autoescape=jinja2.select_autoescape(enabled_extensions=("md.j2", "html.j2"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, md_block=md_block, md_url=md_url, yaml=yaml_scalar)
    return env


def _escaped(lookup: Any) -> Any:
    return lambda *args: md(lookup(*args))


class Renderer:
    def __init__(self, handbook: Handbook, changes: dict[Path, dt.date] | None = None, pdf: str | None = None):
        self.handbook = handbook
        self.pdf = pdf  # site path of the guide's PDF, when the build makes one
        self.changes = changes  # last commit date per content file, None without git history
        self.v = handbook.vocabularies
        self.present = Presenter(self.v)
        self._figures: tuple[aggregates.Figure, ...] | None = None
        self.env = environment()

    def _render(self, template: str, **context: Any) -> str:
        # Labels and texts come from vocabularies.yml, i.e. from editors: escaped like any content.
        return self.env.get_template(template).render(
            v=self.v, text=_escaped(self.v.text), label=_escaped(self.v.label), field=_escaped(self.v.field_label),
            short=_escaped(self.v.short_label), present=self.present, changed=self.changed, chart=self.chart,
            **{"root": "../", **context},  # link prefix to the site root: generated pages sit one folder deep
        )

    # Everything derived from all records is computed once per Renderer, and only when a page needs
    # it: the hook makes one Renderer per build for the pages, the data page and the PDF.
    @functools.cached_property
    def measures(self) -> list[MeasureRef]:
        return all_measures(self.handbook)

    @functools.cached_property
    def measures_of(self) -> dict[str, list[MeasureRef]]:
        grouped: dict[str, list[MeasureRef]] = {}
        for ref in self.measures:
            grouped.setdefault(ref.municipality.slug, []).append(ref)
        return grouped

    @functools.cached_property
    def facet_values(self) -> list[FacetValue]:
        return facet_values(self.handbook)

    @functools.cached_property
    def facets_by_slug(self) -> dict[str, list[FacetValue]]:
        """Which facet pages each record appears on: once per build (and not at all for the PDF)."""
        return {m.slug: facets_of(m, self.facet_values) for m in self.handbook.municipalities}

    @functools.cached_property
    def facet_members(self) -> dict[str, list[Municipality]]:
        members: dict[str, list[Municipality]] = {v.src_uri: [] for v in self.facet_values}
        for municipality in self.handbook.municipalities:
            for value in self.facets_by_slug[municipality.slug]:
                members[value.src_uri].append(municipality)
        return members

    def figures(self) -> tuple[aggregates.Figure, ...]:
        if self._figures is None:  # once per build, not once per page
            self._figures = aggregates.figures(self.handbook)
        return self._figures

    def comparison(self, record: Kommune) -> list[tuple[str, str, int, int]]:
        """(question, this record's answer, how many real municipalities share it, how many answered)."""
        rows = []
        for figure in self.figures():
            answer = value_at(record, figure.key)
            row = next((r for r in figure.rows if answer is not None and r.value == aggregates.answer_key(answer)), None)
            if row is not None and figure.answered:
                rows.append((figure.label, row.label, row.count, figure.answered))
        return rows

    def chain(self, municipality: Municipality) -> dict[str, Any] | None:
        """Measures counted by Handlungsfeld (rows) and Lebensphase (columns); None without measures."""
        record = municipality.record
        if not record.massnahmen:
            return None
        phases = list(self.v.values("lebensphasen").items())
        fields = list(self.v.values("handlungsfelder").items())
        counts = {(f, p): 0 for f, _ in fields for p, _ in phases}
        for measure in record.massnahmen:
            for phase in measure.lebensphasen or ():
                counts[(measure.handlungsfeld, phase)] += 1
        rows = [(entry.label, [counts[(f, p)] for p, _ in phases]) for f, entry in fields]
        covered = sum(1 for value in counts.values() if value)
        without = sum(1 for m in record.massnahmen if not m.lebensphasen)
        summary = (f"{len(record.massnahmen)} Maßnahmen; {covered} von {len(counts)} Feldern aus Handlungsfeld und "
                   f"Lebensphase sind besetzt, leere Felder sind Lücken der Kette.")
        if without:
            summary += f" {without} Maßnahmen ohne Angabe zur Lebensphase sind nicht eingezeichnet."
        heads = []
        for _, entry in phases:  # two short lines per column head
            words = entry.label.split(" ", 1) if len(entry.label) > 12 else [entry.label]
            heads.append({"short": words[0], "second": words[1] if len(words) > 1 else ""})
        svg = self.env.get_template("blocks/kette.html.j2").render(
            name=record.name, phases=heads, rows=rows, summary=summary)
        return {"svg": Markup(svg), "rows": rows, "phases": [entry.label for _, entry in phases], "summary": summary}

    def chart(self, figure: aggregates.Figure) -> Markup:
        """A bar chart of one key figure (ids unique per figure, so several fit on one page)."""
        return Markup(self.env.get_template("blocks/balken.html.j2").render(
            figure=figure, id="balken-" + figure.key.replace(".", "-").replace("_", "-")))

    def illustration(self, name: str) -> str:
        """A figure of content/abbildungen.yml: the SVG with its caption, then the elements'
        explanations as a list (the text readers and the search find)."""
        illustration = self.handbook.illustrations[name]
        return self._render("blocks/abbildung.md.j2", illustration=illustration, name=name,
                            drawing=_DRAWINGS[illustration.form](illustration))

    def render_page(self, template: str, **context: Any) -> str:
        return self._render(template, **context)

    def changed(self, path: Path) -> str:
        """'zuletzt geändert' of a content file, as readers see it."""
        if self.changes is None:
            return self.v.text("ohne_versionsgeschichte")
        date = self.changes.get(path.resolve())
        return date.strftime("%d.%m.%Y") if date else self.v.text("keine_angabe")

    def block(self, marker_block: str, items: Iterable[Any], **context: Any) -> str:
        return self._render(f"blocks/{marker_block}.md.j2", items=list(items), **context)

    def expand(self, marker: Marker) -> str:
        """A chapter's generated block: the first BLOCK_LIMIT items (real records first), then a link
        to the overview, so chapters stay readable (and small) with hundreds of municipalities."""
        caption = marker.caption(self.v)
        if marker.block == "kommunen":
            found = [m for m in self.handbook.municipalities if marker.matches(m.record)]
            found.sort(key=lambda m: m.record.beispiel)  # stable: by name within real and example records
            return self.block("kommunen", found[:BLOCK_LIMIT], caption=caption, more=len(found) - BLOCK_LIMIT,
                              more_link="../kommunen/index.md")
        if marker.block == "massnahmen":
            refs = [r for r in self.measures if marker.matches(r.measure)]
            refs.sort(key=lambda r: r.municipality.record.beispiel)
            field = marker.option("handlungsfeld")
            return self.block("massnahmen", refs[:BLOCK_LIMIT], caption=caption, more=len(refs) - BLOCK_LIMIT,
                              more_link="../massnahmen/index.md" + (f"#{field}" if field else ""))
        if marker.block == "abbildung":
            return self.illustration(marker.option("name") or "")
        return self.block("kennzahl", [aggregates.figure(self.handbook, marker.option("frage") or "")])

    def chapter(self, chapter: Chapter) -> str:
        lines = chapter.body.split("\n")
        for marker in chapter.markers:
            block = self.expand(marker).strip()
            if marker.block == "abbildung":  # the chapter's own text: searchable (the SVG excludes itself)
                lines[marker.offset] = f"\n{block}\n"
                continue
            # Generated lists repeat what the record pages say: keep them out of the search index.
            lines[marker.offset] = f"<div markdown data-search-exclude>\n\n{block}\n\n</div>"
        return self._render("chapter.md.j2", chapter=chapter, body=Markup("\n".join(lines)))

    def pages(self) -> list[GeneratedPage]:
        h = self.handbook
        pages = [
            GeneratedPage("kommunen/index.md", self._render("kommunen.md.j2", municipalities=h.municipalities), None),
            GeneratedPage("massnahmen/index.md", self._render(
                "massnahmen.md.j2", groups=self._measure_groups()), None),
            GeneratedPage("kennzahlen/index.md", self._render(
                "kennzahlen.md.j2", figures=self.figures(), real=len(aggregates.real_municipalities(h)),
                crosstab=aggregates.crosstab(h, "netzwerk.stufe", "programm.staffel")), None),
            GeneratedPage("leitfaden/index.md", self._render("leitfaden.md.j2", chapters=h.chapters, pdf=self.pdf),
                          None),
            GeneratedPage("mitwirken.md", self.contributor_guide(), None),
            GeneratedPage("glossar.md", self._render("glossar.md.j2", glossary=h.glossary), h.root / "glossar.yml"),
        ]
        for municipality in h.municipalities:
            record = municipality.record
            pages.append(GeneratedPage(
                f"kommunen/{municipality.slug}.md",
                self._render("kommune.md.j2", m=municipality, r=record, comparison=self.comparison(record),
                             facets=self.facets_by_slug[municipality.slug],
                             chain=self.chain(municipality),
                             measures=[(r.measure, r.anchor) for r in self.measures_of.get(municipality.slug, [])]),
                municipality.path, in_nav=False))
        for chapter in h.chapters:
            pages.append(GeneratedPage(f"leitfaden/{chapter.slug}.md", self.chapter(chapter), chapter.path))
        pages += self.facet_pages()
        return pages

    def facet_pages(self) -> list[GeneratedPage]:
        """/themen/ and one page per facet value (outside the nav, like the record pages)."""
        pages, groups = [], {}
        for value in self.facet_values:
            municipalities = self.facet_members[value.src_uri]
            measures, more, more_link = [], 0, ""
            if (marker := value.measure_marker()) is not None:
                measures = [r for r in self.measures if marker.matches(r.measure)]
                measures.sort(key=lambda r: r.municipality.record.beispiel)
                more, measures = len(measures) - BLOCK_LIMIT, measures[:BLOCK_LIMIT]
                more_link = "../../massnahmen/index.md" + (
                    f"#{value.value}" if value.facet.kind == "handlungsfeld" else "")
            label = self.v.field_label(value.facet.field)
            groups.setdefault(value.facet.kind, (label, []))[1].append((value, len(municipalities)))
            pages.append(GeneratedPage(value.src_uri, self._render(
                "thema.md.j2", value=value, facet_label=label, municipalities=municipalities, items=measures,
                more=more, more_link=more_link, root="../../"),
                None, in_nav=False))
        index = self._render("themen.md.j2", groups=[(kind, label, values) for kind, (label, values) in groups.items()],
                             kinds=[(kind, label) for kind, (label, _) in groups.items()])
        return [GeneratedPage("themen/index.md", index, None), *pages]

    def contributor_guide(self, page: bool = True) -> str:
        """The editors' guide: the page /mitwirken/, or (page=False) CONTRIBUTING.md's text."""
        return self._render("mitwirken.md.j2", page=page, **guide_context(self.handbook))

    def _measure_groups(self) -> list[tuple[str, str, list[MeasureRef]]]:
        groups = []
        for slug, entry in self.v.values("handlungsfelder").items():
            refs = [r for r in self.measures if r.measure.handlungsfeld == slug]
            groups.append((slug, entry.label, refs))
        return groups


_UNSET: Any = object()


def generate(handbook: Handbook, changes: dict[Path, dt.date] | None = _UNSET,
             pdf: str | None = None) -> list[GeneratedPage]:
    """All generated pages; ``changes`` (from provenance.last_changes) is looked up when not given."""
    return Renderer(handbook, last_changes(handbook.root) if changes is _UNSET else changes, pdf).pages()


_DATA_FILES = {
    "kommunen.json": "alle Kommunen mit allen Feldern und Maßnahmen (für Programme)",
    "kommunen.csv": "eine Zeile je Kommune (für Tabellenkalkulationen)",
    "massnahmen.csv": "eine Zeile je Maßnahme mit Kommune und Gemeindeschlüssel",
    "kennzahlen.json": "die Zahlen der Seite Kennzahlen (nur echte Kommunen)",
}


def abbreviations(handbook: Handbook) -> str:
    """Markdown abbreviation definitions (the `abbr` extension) appended to every page."""
    lines = []
    for abbreviation, entry in handbook.glossary.items():
        title = entry.langform.replace("]", "").replace("\n", " ")
        lines.append(f"*[{abbreviation}]: {title}")
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def data_page(renderer: Renderer, data: dict[str, bytes]) -> str:
    """The page /daten/ describing each file of the open data."""
    from .opendata import LICENCE  # opendata builds on this module

    sizes = {name: f"{max(1, len(content) // 1024)} KiB" for name, content in data.items()}
    return renderer.render_page("daten.md.j2", files=list(_DATA_FILES.items()), sizes=sizes,
                                          licence=LICENCE)


def contributor_guide_file(handbook: Handbook) -> str:
    """CONTRIBUTING.md: the same text as /mitwirken/, marked as generated."""
    return ("<!-- Erzeugt aus hooks/handbuch/templates/mitwirken.md.j2 mit „make schema“; "
            "bitte nicht von Hand bearbeiten. -->\n\n" + Renderer(handbook).contributor_guide(page=False))


def write_pages(pages: Iterable[GeneratedPage], folder: Path) -> list[Path]:
    written = []
    for page in pages:
        target = folder / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.markdown, encoding="utf-8")
        written.append(target)
    return written


