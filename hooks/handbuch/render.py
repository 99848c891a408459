"""Handbook -> Markdown pages, through Jinja templates. No MkDocs here.

The hook hands these pages to MkDocs as generated files; `scripts/generate.py`
writes the same pages into a folder, so another generator can take over.
Escaping lives in escaping.py, labels in present.py, figure geometry in drawing.py.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from . import aggregates, citations
from .cms import form_link
from .drawing import DRAWINGS
from .escaping import md, md_attr, md_block, md_gfm, md_url, unsafe_markup, yaml_scalar
from .facets import FacetValue, facet_values, facets_of, kreis_of
from .guide import guide_context
from .loader import Chapter, Handbook, Municipality
from .markers import Marker
from .model import Kommune, measure_key, value_at
from .slugs import slugify
from .opendata import LICENCE
from .present import MeasureRef, OverviewRow, Presenter, all_measures, footnotes, measures_of, similar_index, similar_measures
from .provenance import last_changes
from .start import GuideLinks, recently_changed
from .urls import relative_link

if TYPE_CHECKING:
    from .preview import PageMemo

TEMPLATES = Path(__file__).parent / "templates"
BLOCK_LIMIT = 10  # items a generated block in a chapter shows before linking to the overview
# Names a Handlungsfeld or Lebensphase page lists before linking to /massnahmen/: all of today's
# Jugendämter, but not a wall of hundreds of links (each re-rendered when one name changes).
NAMES_LIMIT = 100
TOOLS_URI = "leitfaden/arbeitshilfen"  # the printable tools (loader.TOOLS_FOLDER)
MEASURES_DATA = "massnahmen/daten.js"  # the rows of /massnahmen/ (Renderer.measures_data)
# Where the preview inserts a record table after Markdown and search (Renderer.insert_tables).
_DEFERRED = re.compile(r'<div data-handbuch-tabelle="[0-9a-f]+"></div>')

@dataclass(frozen=True)
class Bar:
    label: str
    fraction: float  # 0..1 of the bar's full length
    text: str  # the number as the table writes it


class Notices:
    """The 'what is missing' sentences one page has shown: never the same one twice on a page."""

    def __init__(self) -> None:
        self._shown: set[str] = set()

    def first(self, sentence: str) -> bool:
        new = sentence not in self._shown
        self._shown.add(sentence)
        return new


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # path below docs/, e.g. "kommunen/bergheim.md"
    markdown: str
    source: Path | None  # content file it was generated from (for the edit button)
    in_nav: bool = True


@dataclass(frozen=True)
class PageSpec:
    """A generated page before it is rendered: parallel.py renders them in a second process."""

    src_uri: str
    render: Callable[[], str]
    source: Path | None
    in_nav: bool = True

    def page(self) -> GeneratedPage:
        return GeneratedPage(self.src_uri, self.render(), self.source, self.in_nav)


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
    env.filters.update(md=md, md_attr=md_attr, md_block=md_block, md_gfm=md_gfm, md_url=md_url, yaml=yaml_scalar,
                       zip=zip)
    return env


def _escaped(lookup: Any) -> Any:
    return lambda *args: md(lookup(*args))


class Renderer:
    def __init__(self, handbook: Handbook, changes: dict[Path, dt.date] | None = None, pdf: str | None = None,
                 editor: bool = False, offline_zip: str | None = None, offline_build: bool = False,
                 memo: PageMemo | None = None, directory_urls: bool = True, defer_tables: bool = False):
        self.handbook = handbook
        self.defer_tables = defer_tables  # preview only: record tables go into the page after Markdown
        self.directory_urls = directory_urls  # MkDocs' use_directory_urls (false in the offline bundle): HTML links
        self.editor = editor  # whether the site has the form editor (/redaktion/): record pages link to it
        self.memo = memo  # preview only (make serve): record pages whose inputs did not change are reused
        self.pdf = pdf  # site path of the guide's PDF, when the build makes one
        self.offline_zip = offline_zip  # site path of the offline bundle, when the build ships one
        self.offline_build = offline_build  # this build is the offline bundle
        self.changes = changes  # last commit date per content file, None without git history
        self.v = handbook.vocabularies
        self.present = Presenter(self.v)
        self._figures: tuple[aggregates.Figure, ...] | None = None
        self.env = environment()

    def _render(self, template: str, page_uri: str | None = None, **context: Any) -> str:
        """``page_uri``: the src_uri of the page being rendered, for links written as HTML (``href``)."""
        if page_uri is not None:
            context["href"] = functools.partial(relative_link, source=page_uri, directory_urls=self.directory_urls)
        # Labels and texts come from vocabularies.yml, i.e. from editors: escaped like any content.
        return self.env.get_template(template).render(
            v=self.v, text=_escaped(self.v.text), label=_escaped(self.v.label), field=_escaped(self.v.field_label),
            short=_escaped(self.v.short_label), present=self.present, changed=self.changed, chart=self.chart,
            measure_key=measure_key,
            stand=self.records_stand,
            # link prefix to the site root (generated pages sit one folder deep); notices: one set per page
            **{"root": "../", "notices": Notices(), **context},
        )

    # Everything derived from all records is computed once per Renderer, and only when a page needs
    # it: the hook makes one Renderer per build for the pages, the data page and the PDF.
    def per_record(self, name: str, municipality: Municipality, compute: Any, *inputs: Any) -> Any:
        """What one record yields; the preview remembers it while the record and ``inputs`` stay the same."""
        if self.memo is None:
            return compute()
        return self.memo.render((name, municipality.slug, *inputs), municipality.record, compute)

    @functools.cached_property
    def measures(self) -> list[MeasureRef]:
        if self.memo is None:
            return all_measures(self.handbook)
        return [ref for m in self.handbook.municipalities
                for ref in self.per_record("massnahmen", m, lambda m=m: measures_of(m))]

    def matching(self, marker: Marker) -> list[MeasureRef]:
        """The measures a marker selects, in overview order."""
        if self.memo is None:
            return [r for r in self.measures if marker.matches(r.measure)]
        return [ref for m in self.handbook.municipalities for ref in self.per_record(
            "treffer", m, lambda m=m: [r for r in self.measures_of.get(m.slug, []) if marker.matches(r.measure)],
            marker.block, marker.filters)]  # tuples of strings: compared in C, 30 markers × every record

    @functools.cached_property
    def similar_index(self) -> dict[tuple[str, str], list[MeasureRef]]:
        return similar_index(self.measures)

    def similar(self, measures: Iterable[Any], exclude: set[str]) -> list[MeasureRef]:
        return similar_measures(self.similar_index, measures, exclude)

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
        values = tuple((v.src_uri, v.value) for v in self.facet_values)  # a cheap key (compared per record)
        return {m.slug: self.per_record("facetten", m, lambda m=m: facets_of(m, self.facet_values), values)
                for m in self.handbook.municipalities}

    @functools.cached_property
    def facet_members(self) -> dict[str, list[Municipality]]:
        members: dict[str, list[Municipality]] = {v.src_uri: [] for v in self.facet_values}
        for municipality in self.handbook.municipalities:
            for value in self.facets_by_slug[municipality.slug]:
                members[value.src_uri].append(municipality)
        return members

    def overview_rows(self, municipalities: Iterable[Municipality]) -> list[OverviewRow]:
        return [self.per_record("zeile", m, lambda m=m: self.present.overview_row(m.slug, m.record))
                for m in municipalities]

    def overview_page(self) -> str:
        """/kommunen/: every record in one sortable table."""
        rows = self.overview_rows(self.handbook.municipalities)
        render = functools.partial(self._render, "kommunen.md.j2", page_uri="kommunen/index.md", rows=rows,
                                   table=self.record_table("kommunen/index.md", rows))
        return render() if self.memo is None else self.memo.render("kommunen/index.md", tuple(rows), render)

    def record_table(self, page_uri: str, rows: list[OverviewRow]) -> Markup:
        """The sortable table of records on a page. With ``defer_tables`` (the preview) a placeholder
        that changes with the rows: Python-Markdown and the search index (the table is excluded from
        it) need not parse hundreds of rows again after each save; insert_tables puts the table into
        the finished page. A clean build writes the table into the Markdown: the same HTML."""
        if not self.defer_tables or not rows:
            return Markup(self._table(page_uri, rows))
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=8).hexdigest()
        return Markup(f'<div data-handbuch-tabelle="{digest}"></div>')

    def insert_tables(self, html: str, page_uri: str) -> str:
        """A page as MkDocs wrote it, with the tables record_table deferred."""
        if not _DEFERRED.search(html):
            return html
        if page_uri == "kommunen/index.md":
            municipalities = self.handbook.municipalities
        else:
            municipalities = self.facet_members[page_uri]
        table = self._table(page_uri, self.overview_rows(municipalities))
        if found := unsafe_markup(table):  # the check every page's content gets (hook on_page_content)
            raise ValueError(found)
        return _DEFERRED.sub(lambda _: table.strip("\n"), html, count=1)

    def _table(self, page_uri: str, rows: list[OverviewRow]) -> str:
        return self._render("blocks/kommunen_tabelle.html.j2", page_uri=page_uri, rows=rows)

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
        count = len(record.massnahmen)
        summary = (f"{count} {'Maßnahme' if count == 1 else 'Maßnahmen'}; {covered} von {len(counts)} Feldern aus "
                   f"Handlungsfeld und Lebensphase {'ist' if covered == 1 else 'sind'} besetzt. Ein leeres Feld heißt: "
                   f"keine Maßnahme erfasst – keine Angabe, nicht „kein Angebot“.")
        if without == 1:
            summary += " 1 Maßnahme ohne Angabe zur Lebensphase ist nicht eingezeichnet."
        elif without:
            summary += f" {without} Maßnahmen ohne Angabe zur Lebensphase sind nicht eingezeichnet."
        heads = []
        for _, entry in phases:  # two short lines per column head
            words = entry.label.split(" ", 1) if len(entry.label) > 12 else [entry.label]
            heads.append({"short": words[0], "second": words[1] if len(words) > 1 else ""})
        svg = self.env.get_template("blocks/kette.html.j2").render(
            name=record.name, phases=heads, rows=rows, summary=summary)
        return {"svg": Markup(svg), "rows": rows, "phases": [entry.label for _, entry in phases], "summary": summary}

    def chart(self, title: str, bars: list[Bar], id: str, colour: str = "#303f9f") -> Markup:
        """A bar chart; ``id`` must be unique on the page (several charts fit on one)."""
        return Markup(self.env.get_template("blocks/balken.html.j2").render(
            title=title, bars=bars, id="balken-" + id.replace(".", "-").replace("_", "-"), colour=colour))

    @functools.cached_property
    def records_stand(self) -> str | None:
        """'Stand' of the counts from records: the newest change of a real record (git), else its `stand`."""
        real = aggregates.real_municipalities(self.handbook)
        dates = [self.changes.get(m.path.resolve()) for m in real] if self.changes else []
        dates = [d for d in dates if d] or [m.record.stand for m in real if m.record.stand]
        return max(dates).strftime("%d.%m.%Y") if dates else None

    def question(self, figure: aggregates.Figure) -> dict[str, Any]:
        """One question as the kennzahl block shows it: published result, its quotes, and the records' count."""
        results = self.handbook.published.for_question(figure.key)
        numbers = [r for r in results if r.figure_text]
        quotes: list[dict[str, Any]] = []
        for result in results:  # one quote per wording: a sentence may state several figures
            finding = result.finding
            if quotes and quotes[-1]["wording"] == finding.wortlaut:
                notes = quotes[-1]["notes"]
            else:
                notes = []
                quotes.append({"wording": finding.wortlaut, "source": result.source, "place": finding.fundstelle,
                               "notes": notes})
            if finding.basis_hinweis and finding.basis_hinweis not in notes:
                notes.append(finding.basis_hinweis)
        return {
            "figure": figure, "results": results, "numbers": numbers, "quotes": quotes,
            "source": numbers[0].source if numbers else None, "id": figure.key,
            "published_bars": [Bar(r.label or figure.label, r.fraction, r.figure_text or "")
                               for r in numbers if r.fraction is not None],
            "record_bars": [Bar(row.label, row.count / figure.answered if figure.answered else 0,
                                f"{row.count} von {figure.answered} ({row.percent} %)") for row in figure.rows],
        }

    @functools.cached_property
    def programmes(self) -> dict[str, aggregates.ProgrammeOverview]:
        return {o.slug: o for o in aggregates.programmes(self.handbook)}

    def programme(self, slug: str, notices: Notices | None = None, root: str = "../") -> str:
        """A programme at a glance ("N der 40 … erfasst", by phase and by year of entry, chart and
        table with the same numbers): a block the programme page, the chapters and /kennzahlen/ share."""
        overview = self.programmes[slug]
        total = overview.programme.total
        scale = max([count for _, count in overview.years] + [1])
        bars = [Bar(str(year), count / scale, f"{count} erfasst") for year, count in overview.years]
        return self._render("blocks/programm.md.j2", o=overview, total=total, bars=bars,
                            notices=notices or Notices(), root=root)

    def programmes_table(self, root: str = "../") -> str:
        """All programmes in one table: years, sourced figure, Jugendämter recorded (start page, /programme/)."""
        return self._render("blocks/programme_tabelle.md.j2", overviews=list(self.programmes.values()), root=root)

    def programme_page(self, slug: str) -> str:
        return self._render("programm.md.j2", o=self.programmes[slug], block=Markup(self.programme(slug)),
                            root="../")

    def start_page(self) -> str:
        """index.md: ways in by task, the programmes at a glance, recently updated records, downloads."""
        h = self.handbook
        real = aggregates.real_municipalities(h)  # invented examples count nowhere
        return self._render("start.md.j2", root="", guide=GuideLinks(h.chapters),
                            municipalities=len(real), measures=sum(len(m.record.massnahmen) for m in real),
                            programmes=Markup(self.programmes_table(root="")), recent=recently_changed(h, self.changes),
                            pdf=self.pdf, offline_zip=self.offline_zip, offline_build=self.offline_build)

    def illustration(self, name: str) -> str:
        """A figure of content/abbildungen.yml: the SVG with its caption, then the elements'
        explanations as a list (the text readers and the search find)."""
        illustration = self.handbook.illustrations[name]
        return self._render("blocks/abbildung.md.j2", illustration=illustration, name=name,
                            drawing=DRAWINGS[illustration.form](illustration))

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

    def expand(self, marker: Marker, notices: Notices | None = None) -> str:
        """A chapter's generated block: the first BLOCK_LIMIT items (real records first), then a link
        to the overview, so chapters stay readable (and small) with hundreds of municipalities."""
        caption = marker.caption(self.v)
        notices = notices or Notices()
        if marker.block == "kommunen":
            found = [m for m in self.handbook.municipalities if marker.matches(m.record)]
            found.sort(key=lambda m: m.record.beispiel)  # stable: by name within real and example records
            return self.block("kommunen", found[:BLOCK_LIMIT], caption=caption, more=len(found) - BLOCK_LIMIT,
                              more_link="../kommunen/index.md", notices=notices)
        if marker.block == "massnahmen":
            refs, more, more_link = self._first_measures(marker, marker.option("handlungsfeld"), "../")
            return self.block("massnahmen", refs, caption=caption, more=more, more_link=more_link, notices=notices)
        if marker.block == "abbildung":
            return self.illustration(marker.option("name") or "")
        if marker.block == "programm":
            return self.programme(marker.option("name") or "", notices)
        figure = aggregates.figure(self.handbook, marker.option("frage") or "")
        return self.block("kennzahl", [self.question(figure)], notices=notices)

    def _first_measures(self, marker: Marker, field: str | None, root: str) -> tuple[list[MeasureRef], int, str]:
        """The measures a marker selects, real records first, cut to BLOCK_LIMIT; how many more there
        are, and the link to the overview (at the field's section) that lists them all."""
        refs = self.matching(marker)
        refs.sort(key=lambda r: r.municipality.record.beispiel)
        more_link = f"{root}massnahmen/index.md" + (f"#{field}" if field else "")
        return refs[:BLOCK_LIMIT], len(refs) - BLOCK_LIMIT, more_link

    def chapter(self, chapter: Chapter, tool: bool = False) -> str:
        numbers, sources, anchors = citations.numbered(chapter.meta.quellen, chapter.citations)
        lines = citations.replace_citations(chapter.body.split("\n"), chapter.citations, numbers, anchors)
        notices = Notices()
        for marker in chapter.markers:
            block = self.expand(marker, notices).strip()
            if not block:  # an empty block whose notice this page already showed
                lines[marker.offset] = ""
                continue
            if marker.block == "abbildung":  # the chapter's own text: searchable (the SVG excludes itself)
                lines[marker.offset] = f"\n{block}\n"
                continue
            # Generated lists repeat what the record pages say: keep them out of the search index.
            lines[marker.offset] = f"<div markdown data-search-exclude>\n\n{block}\n\n</div>"
        return self._render("chapter.md.j2", chapter=chapter, body=Markup("\n".join(lines)), sources=sources,
                            tool=tool, root="../../" if tool else "../")

    def pages(self) -> list[GeneratedPage]:
        return [spec.page() for spec in self.page_specs()]

    def page_specs(self) -> list[PageSpec]:
        """Every generated page, in the order MkDocs gets them; each renders when asked."""
        h = self.handbook
        partial = functools.partial
        specs = [
            # No edit button: the start page is generated from records and a maintainers' template,
            # like the other overviews; editors change what it shows through the records.
            PageSpec("index.md", self.start_page, None),
            PageSpec("kommunen/index.md", self.overview_page, None),
            PageSpec("massnahmen/index.md", self._measures_page, None),
            PageSpec("kennzahlen/index.md", lambda: self._render(
                "kennzahlen.md.j2", questions=[self.question(f) for f in self.figures()],
                real=len(aggregates.real_municipalities(h)), programmes=Markup(self.programmes_table()),
                crosstab=aggregates.crosstab(h, "netzwerk.stufe", "programme.lvr-teilhabe.phase")), None),
            PageSpec("programme/index.md", partial(self._render, "programme.md.j2",
                                                   table=Markup(self.programmes_table()),
                                                   overviews=list(self.programmes.values())), None),
            PageSpec("leitfaden/index.md", partial(self._render, "leitfaden.md.j2", chapters=h.chapters, tools=h.tools,
                                                   pdf=self.pdf),
                     None),
            PageSpec("mitwirken.md", self.contributor_guide, None),
            PageSpec("glossar.md", partial(self._render, "glossar.md.j2", glossary=h.glossary), h.root / "glossar.yml"),
        ]
        for municipality in h.municipalities:
            specs.append(PageSpec(f"kommunen/{municipality.slug}.md", partial(self.record_page, municipality),
                                  municipality.path, in_nav=False))
        for chapter in h.chapters:
            specs.append(PageSpec(f"leitfaden/{chapter.slug}.md", partial(self.chapter, chapter), chapter.path))
        for slug in h.vocabularies.programme:
            specs.append(PageSpec(f"programme/{slug}.md", partial(self.programme_page, slug),
                                  h.root / "programme.yml", in_nav=False))
        if h.tools:
            specs.append(PageSpec(f"{TOOLS_URI}/index.md", partial(self._render, "arbeitshilfen.md.j2", tools=h.tools,
                                                                   root="../../"), None))
        for tool in h.tools:
            specs.append(PageSpec(f"{TOOLS_URI}/{tool.slug}.md", partial(self.chapter, tool, True), tool.path))
        return specs + self.facet_pages()

    def record_page(self, municipality: Municipality) -> str:
        record = municipality.record
        comparison = self.comparison(record)
        facets = self.facets_by_slug[municipality.slug]
        similar = self.similar(record.massnahmen, {municipality.slug})

        def render() -> str:
            return self._render("kommune.md.j2", m=municipality, r=record, comparison=comparison,
                                form=form_link(municipality.slug) if self.editor else None,
                                notes=footnotes(record), facets=facets, chain=self.chain(municipality),
                                similar=similar,
                                measures=[(r.measure, r.anchor) for r in self.measures_of.get(municipality.slug, [])])

        if self.memo is None:
            return render()
        # Everything the page shows besides the vocabularies (PageMemo.begin): its record, its
        # git date, how many others share its answers, and its facet pages.
        key = (record, municipality.path, self.changed(municipality.path), tuple(comparison),
               tuple(value.src_uri for value in facets),
               _shown_refs(similar))
        return self.memo.render(f"kommunen/{municipality.slug}.md", key, render)

    def facet_pages(self) -> list[PageSpec]:
        """/themen/ and one page per facet value (outside the nav, like the record pages)."""
        pages, groups = [], {}
        for value in self.facet_values:
            label = self.v.field_label(value.facet.field)
            groups.setdefault(value.facet.kind, (label, []))[1].append((value, len(self.facet_members[value.src_uri])))
            pages.append(PageSpec(value.src_uri, functools.partial(self._facet_page, value, label), None, in_nav=False))
        index = functools.partial(
            self._render, "themen.md.j2", groups=[(kind, label, values) for kind, (label, values) in groups.items()],
            kinds=[(kind, label) for kind, (label, _) in groups.items()])
        return [PageSpec("themen/index.md", index, None), *pages]

    def _facet_page(self, value: FacetValue, label: str) -> str:
        municipalities = self.facet_members[value.src_uri]
        measures, more, more_link = [], 0, ""
        if (marker := value.measure_marker()) is not None:
            field = value.value if value.facet.kind == "handlungsfeld" else None
            measures, more, more_link = self._first_measures(marker, field, "../../")
        similar = (self.similar([x for m in municipalities for x in m.record.massnahmen],
                                {m.slug for m in municipalities}) if value.facet.kind == "kreis" else [])
        rows = self.overview_rows(municipalities)
        total = len(rows)
        if value.facet.measure_filter:  # names only, real records first, cut to NAMES_LIMIT
            rows = sorted(rows, key=lambda r: r.example)[:NAMES_LIMIT]
        table = None if value.facet.measure_filter else self.record_table(value.src_uri, rows)
        render = functools.partial(
            self._render, "thema.md.j2", page_uri=value.src_uri, value=value, facet_label=label, rows=rows,
            table=table, total=total, items=measures, more=more, more_link=more_link, similar=similar, root="../../")
        if self.memo is None:
            return render()
        # What the page shows: measure facets list names only, the others the table's rows.
        shown = tuple((r.slug, r.name) for r in rows) if value.facet.measure_filter else tuple(rows)
        return self.memo.render(value.src_uri, (
            value, total, shown, _shown_refs(measures), more, _shown_refs(similar)), render)

    def contributor_guide(self, page: bool = True) -> str:
        """The editors' guide: the page /mitwirken/, or (page=False) CONTRIBUTING.md's text."""
        return self._render("mitwirken.md.j2", page=page, **guide_context(self.handbook))

    def _measures_page(self) -> str:
        # Small at any size: the rows are in MEASURES_DATA. Not memoised: it renders in milliseconds.
        return self._render("massnahmen.md.j2", groups=self._measure_groups(), data_file=MEASURES_DATA.split("/")[-1],
                            coverage=aggregates.coverage(self.handbook), filters=self._measure_filters())

    def data_files(self) -> dict[str, str]:
        """Generated files besides the pages (src_uri -> text)."""
        return {MEASURES_DATA: self.measures_data()}

    def measures_data(self) -> str:
        """Every measure as the script of /massnahmen/ draws and narrows it: a record's link, name and
        filter values once, then one short row per measure (the labels once, not per row)."""
        v, present = self.v, self.present
        records, rows = [], []
        for index, municipality in enumerate(self.handbook.municipalities):
            entry, own = self.per_record("massnahmen-daten", municipality, lambda m=municipality: self._measure_rows(m))
            records.append(entry)
            rows.extend([index, *row] for row in own)
        data = {
            "spalten": [v.field_label("massnahmen.titel"), v.text("kommune"), v.field_label("massnahmen.lebensphasen"),
                        v.field_label("massnahmen.status")],
            "beispiel": v.text("beispiel_markierung"), "keineAngabe": v.text("keine_angabe"),
            "lebensphasen": {slug: present.value("massnahmen.lebensphasen", [slug]) for slug in v.values("lebensphasen")},
            "status": {slug: present.value("massnahmen.status", slug) for slug in v.values("massnahme_status")},
            "kommunen": records, "massnahmen": rows,
        }
        return self._render("massnahmen.js.j2", data=Markup(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))

    def _measure_rows(self, municipality: Municipality) -> tuple[list[Any], list[list[Any]]]:
        """(slug, name, example, Kreis, programmes) of a record and (title, anchor, Handlungsfeld,
        Lebensphasen, Zielgruppen, status) of each of its measures."""
        record = municipality.record
        programmes = " ".join(p.programm for p in record.programme or () if p.teilnahme)
        entry = [municipality.slug, record.name, 1 if record.beispiel else 0,
                 slugify(kreis_of(record)) or "kreisfrei", programmes]
        return entry, [[ref.measure.titel, ref.anchor, ref.measure.handlungsfeld,
                        " ".join(ref.measure.lebensphasen or ()), " ".join(ref.measure.zielgruppen or ()),
                        ref.measure.status or ""] for ref in measures_of(municipality)]

    def _measure_filters(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The choices of /massnahmen/: (data attribute, label, [(value, label)]) per filter."""
        v = self.v
        kreise = sorted({kreis_of(m.record) for m in self.handbook.municipalities} - {""}, key=str.casefold)
        return [
            ("handlungsfeld", v.field_label("massnahmen.handlungsfeld"),
             [(slug, e.label) for slug, e in v.values("handlungsfelder").items()]),
            ("lebensphasen", "Lebensphase", [(slug, e.label) for slug, e in v.values("lebensphasen").items()]),
            ("zielgruppen", "Zielgruppe", [(slug, e.label) for slug, e in v.values("zielgruppen").items()]),
            ("kreis", v.field_label("kreis"), [(slugify(k), k) for k in kreise] + [("kreisfrei", "kreisfreie Städte")]),
            ("programme", "Programm", [(slug, p.kurzname) for slug, p in v.programme.items()]),
        ]

    def _measure_groups(self) -> list[tuple[str, str, int]]:
        """(Handlungsfeld, label, how many measures) per group of /massnahmen/."""
        counts: dict[str, int] = {}
        for municipality in self.handbook.municipalities:
            for measure in municipality.record.massnahmen:
                counts[measure.handlungsfeld] = counts.get(measure.handlungsfeld, 0) + 1
        return [(slug, entry.label, counts.get(slug, 0)) for slug, entry in self.v.values("handlungsfelder").items()]


def _shown_refs(refs: Iterable[MeasureRef]) -> tuple[Any, ...]:
    """What a list of measures shows of them (a memo key): not the rest of their records."""
    return tuple((r.municipality.slug, r.municipality.record.name, r.municipality.record.beispiel, r.anchor, r.measure)
                 for r in refs)


_UNSET: Any = object()


def generate(handbook: Handbook, changes: dict[Path, dt.date] | None = _UNSET,
             pdf: str | None = None, data: bool = False) -> list[GeneratedPage]:
    """All generated pages (``data``: and the data files they load, e.g. MEASURES_DATA); ``changes`` (from
    provenance.last_changes) is looked up when not given."""
    renderer = Renderer(handbook, last_changes(handbook.root) if changes is _UNSET else changes, pdf)
    files = [GeneratedPage(uri, text, None, in_nav=False) for uri, text in renderer.data_files().items()] if data else []
    return renderer.pages() + files


_DATA_FILES = {
    "kommunen.json": "alle Kommunen mit allen Feldern und Maßnahmen (für Programme)",
    "kommunen.csv": "eine Zeile je Kommune (für Tabellenkalkulationen)",
    "massnahmen.csv": "eine Zeile je Maßnahme mit Kommune und Gemeindeschlüssel",
    "kennzahlen.json": "die Zahlen der Seite Kennzahlen: veröffentlichte Ergebnisse mit Quelle und Fundstelle, "
                       "daneben die Zählung der Datensätze (nur echte Kommunen)",
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


