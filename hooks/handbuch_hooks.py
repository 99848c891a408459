"""MkDocs hooks: thin glue between MkDocs events and the `handbuch` library.

All content work (loading, validation, page generation) lives in `handbuch`;
these functions only hand its results to MkDocs at the right moment. The module
is imported once per `mkdocs serve`, so content is read inside events, never at
import time.
"""

from __future__ import annotations

import functools
import logging
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from handbuch.loader import content_root, load_handbook
from handbuch import opendata
from handbuch.pdf import PDF_URI, guide_pdf
from handbuch.problems import ContentError
from handbuch.provenance import build_info, last_changes
from handbuch.escaping import unsafe_markup
from handbuch import editor
from handbuch.render import TOOLS_URI, Renderer, abbreviations, data_page
from handbuch import parallel, preview, search
from handbuch.settings import switched_off

log = logging.getLogger("mkdocs.hooks.handbuch")

OVERVIEW = "kommunen/index.md"
# Pages outside the nav and the overview they hang below (record pages, facet pages).
ATTACHED = {"kommunen/": OVERVIEW, "themen/": "themen/index.md", "programme/": "programme/index.md"}
GUIDE_INDEX = "leitfaden/index.md"
OFFLINE_ZIP_URI = "downloads/handbuch-offline.zip"
LEGAL_PAGES = [("Barrierefreiheit", "barrierefreiheit.md"), ("Leichte Sprache", "leichte-sprache.md"),
               ("Mitwirken", "mitwirken.md")]
# Front-end code comes from the npm registry (package-lock.json), copied into the site at
# build time, never from a CDN. Material's offline search needs the iframe-worker shim (the
# offline plugin would load it from a CDN); overview tables sort with tablesort.
NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"
SHIM_URI = "assets/javascripts/iframe-worker/shim.js"
ASSETS = {
    SHIM_URI: NODE_MODULES / "iframe-worker" / "shim" / "index.js",
    "assets/javascripts/tablesort/tablesort.min.js": NODE_MODULES / "tablesort" / "dist" / "tablesort.min.js",
    "assets/javascripts/tablesort/tablesort.number.min.js":
        NODE_MODULES / "tablesort" / "dist" / "sorts" / "tablesort.number.min.js",
}


# What one event of a build leaves for a later one: the glossary (read in on_files)
# for the search index (written in on_post_build).
_build: dict[str, Any] = {"glossary": {}}


def _offline(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


# Before Material's offline plugin (priority 0), which adds its CDN URL only when
# no iframe-worker polyfill is listed yet.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if _offline(config):
        config.extra["polyfills"] = [SHIM_URI]
    # German search (handbuch/search.py); Material's search plugin reads this in its on_config.
    plugin = config.plugins.get("material/search")
    if plugin and search.enabled():
        search.configure(plugin.config)
    return config


def on_startup(*, command: str, dirty: bool) -> None:
    # `make serve` (mkdocs serve --dirty) keeps state between rebuilds; every other build starts clean.
    preview.start(command == "serve" and dirty)
    parallel.enable(command == "build")


def on_serve(server, config: MkDocsConfig, builder):
    # Live preview: an edited record or chapter rebuilds the site, wherever the content root is.
    server.watch(str(content_root()))
    if (state := preview.current()) is not None:
        state.inject_status(server, urlsplit(config.site_url or "/").path)
    return server


# Late, like Material's blog plugin: other plugins see the docs folder first, and
# the content is read anew on every build (so `mkdocs serve` picks up edits).
@event_priority(-50)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    state = preview.current()
    try:
        handbook = state.load(content_root()) if state else load_handbook()
    except ContentError as error:
        for problem in error.problems:
            log.error(problem.format())
        raise PluginError(f"{len(error.problems)} Problem(e) in den Inhalten; die Website wurde nicht gebaut.") from None
    repository = Path(config.config_file_path).resolve().parent
    changes = last_changes(handbook.root)  # one git call for every content file
    info = config.extra["provenienz"] = build_info(handbook.root, changes)
    # The PDF takes seconds; `make serve` switches it off (HANDBUCH_PDF=false) to reload fast.
    pdf_off = switched_off("HANDBUCH_PDF")
    config.extra["pdf"] = None if pdf_off else PDF_URI
    # The publish workflow builds the offline bundle first and hands it in (HANDBUCH_OFFLINE_PAKET), so
    # the start page can link to it; without it the start page says where to get one.
    bundle = os.environ.get("HANDBUCH_OFFLINE_PAKET", "").strip()
    if bundle and not Path(bundle).is_file():
        raise PluginError(f"HANDBUCH_OFFLINE_PAKET nennt „{bundle}“, diese Datei gibt es nicht.")
    offline = _offline(config)
    offline_zip = OFFLINE_ZIP_URI if bundle and not offline else None
    if offline_zip:
        files.append(File.generated(config, OFFLINE_ZIP_URI, abs_src_path=str(Path(bundle).resolve())))
    # The form editor needs a server to save to: the offline bundle has none.
    renderer = Renderer(handbook, changes, pdf=config.extra["pdf"], editor=not offline, offline_zip=offline_zip,
                        offline_build=offline, memo=state.memo if state else None,
                        directory_urls=config.use_directory_urls, defer_tables=state is not None)  # one per build
    _build["renderer"] = renderer  # the preview inserts its record tables after each page is written
    _set_chapter_nav(config, [f"leitfaden/{c.slug}.md" for c in handbook.chapters],
                     [f"{TOOLS_URI}/{t.slug}.md" for t in handbook.tools])
    config.extra["abkuerzungen"] = abbreviations(handbook)
    if state:  # what every page shows besides its own content: a change there rebuilds every page
        state.memo.begin((handbook.vocabularies, changes is None, config.extra["pdf"]))
        # Synonyms go into the search entries of every page (on_post_build).
        state.begin_files((handbook.vocabularies, repr(config.nav), info, config.extra["abkuerzungen"],
                           [(c.slug, c.meta) for c in (*handbook.chapters, *handbook.tools)],
                           sorted((term, tuple(words)) for term, words in handbook.synonyms.items())))
    # `mkdocs build` renders the pages in a second process while MkDocs converts them (parallel.py).
    specs = renderer.page_specs()

    def daten() -> dict[str, bytes | str]:  # /daten/: the open data and the page describing it
        data = opendata.open_data(handbook, info, renderer.per_record)
        return {f"daten/{name}": content
                for name, content in [*data.items(), ("index.md", data_page(renderer, data))]}

    def pdf() -> dict[str, bytes]:
        return {PDF_URI: guide_pdf(renderer, info, config.site_url or "")} if config.extra["pdf"] else {}

    # The child also makes the open data and the PDF, after the pages (MkDocs copies files after reading pages).
    forked = parallel.Pages(specs, lambda: {**daten(), **pdf()}) \
        if not state and parallel.worth_it(len(handbook.municipalities)) else None
    for page in specs if forked else (spec.page() for spec in specs):
        generated = forked.file(config, page) if forked else File.generated(
            config, page.src_uri, content=page.markdown,
            inclusion=InclusionLevel.INCLUDED if page.in_nav else InclusionLevel.NOT_IN_NAV,
        )
        generated.edit_uri = _edit_uri(page.source, repository, config)
        if page.src_uri in files.src_uris:
            raise PluginError(f"Die erzeugte Seite „{page.src_uri}“ gibt es schon unter docs/; "
                              "bitte die Datei in docs/ umbenennen.")
        files.append(state.track(generated, page.markdown) if state else generated)  # type: ignore[union-attr]
    for uri, content in renderer.data_files().items():  # the rows of /massnahmen/, drawn by its script
        generated = File.generated(config, uri, content=content)
        files.append(state.track(generated, content) if state else generated)
    # Footer links, resolved here so they follow use_directory_urls (offline: .html).
    config.extra["rechtliches"] = [(title, files.get_file_from_path(path).url) for title, path in LEGAL_PAGES
                                   if files.get_file_from_path(path) is not None]
    for uri, content in (dict.fromkeys(f"daten/{name}" for name in [*opendata.NAMES, "index.md"]) if forked
                         else daten()).items():
        generated = forked.later_file(config, uri) if forked else File.generated(config, uri, content=content)
        files.append(state.track(generated, content) if state else generated)
    if config.extra["pdf"]:
        files.append(forked.later_file(config, PDF_URI) if forked else File.generated(config, PDF_URI,
                                                                                       content=pdf()[PDF_URI]))
    editor_npm = editor.npm_files(NODE_MODULES) if not offline else {}
    npm = [*ASSETS.values(), *(search.npm_files(NODE_MODULES) if search.enabled() else []), *editor_npm.values()]
    missing = [str(source.relative_to(NODE_MODULES.parent)) for source in npm if not source.is_file()]
    if missing:
        raise PluginError(f"Es fehlen Dateien aus npm ({', '.join(missing)}); bitte „npm ci“ ausführen "
                          "(„make site“ erledigt das).")
    for uri, source in {**ASSETS, **editor_npm, **(editor.own_files() if not offline else {})}.items():
        files.append(File.generated(config, uri, abs_src_path=str(source)))
    if not offline:
        files.append(File.generated(config, f"{editor.EDITOR_DIR}/index.html", content=editor.start_page(
            handbook.vocabularies, config.repo_url, config.site_url, config.site_name)))
    _build["glossary"] = {abbreviation: entry.langform for abbreviation, entry in handbook.glossary.items()}
    _build["synonyms"] = handbook.synonyms
    if search.enabled():
        for uri, source in search.worker_assets(NODE_MODULES).items():
            theme_file = files.get_file_from_path(uri)
            if theme_file is not None:
                files.remove(theme_file)
            generated = File.generated(config, uri, **(
                {"abs_src_path": str(source)} if isinstance(source, Path) else {"content": source}))
            files.append(state.track(generated, source) if state and isinstance(source, str) else generated)
    if state:
        state.check_files(files)
    return files


# After Material's search plugin wrote the index (priority 0), before its offline
# plugin inlines it into a script (priority -100).
@event_priority(-50)
def on_post_build(*, config: MkDocsConfig) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    state = preview.current()
    if state and search.enabled():
        stop = search.stop_words(NODE_MODULES)
        state.search_index(index, lambda data: search.enrich_index(data, _build["glossary"], stop,
                                                                   _build["synonyms"]))
    elif search.enabled() and not _build.get("index_forked"):  # else a child enriched it (on_env)
        search.enrich_index_file(index, _build["glossary"], NODE_MODULES, _build["synonyms"])
    if state:
        state.finish(Path(config.site_dir))


def on_env(env, *, config: MkDocsConfig, files: Files):
    # Preview: pages MkDocs skipped keep the titles the navigation of rebuilt pages shows.
    # Material's search plugin then gets this build's documents only (the preview merges them).
    if (state := preview.current()) is not None:
        env.bytecode_cache = state.templates  # before any page renders
        state.pages_read(files)
        state.before_search(config.plugins.get("material/search"), files)
    elif search.enabled() and (plugin := config.plugins.get("material/search")) and plugin.config.enabled:
        # `mkdocs build`: a child indexes the converted pages while they are written (parallel.py).
        glossary, synonyms = _build["glossary"], _build["synonyms"]
        _build["index_forked"] = parallel.index_search(
            plugin, [file.page for file in files.documentation_pages(inclusion=InclusionLevel.is_included)],
            lambda text: search.enrich_index_text(text, glossary, NODE_MODULES, synonyms))
    return env


def _edit_uri(source: Path | None, repository: Path, config: MkDocsConfig) -> str | None:
    """The edit button of a generated page opens the content file it came from."""
    if source is None or not config.edit_uri:
        return None
    return _edit_path(source, repository, config.docs_dir)


@functools.lru_cache(maxsize=None)  # every page on every preview rebuild; resolving paths costs system calls
def _edit_path(source: Path, repository: Path, docs_dir: str) -> str | None:
    try:
        relative = source.resolve().relative_to(repository)
    except ValueError:  # content root outside the repository (HANDBUCH_CONTENT)
        return None
    # edit_uri points into docs/; climb out of it to reach content/.
    depth = len(Path(docs_dir).resolve().relative_to(repository).parts)
    return "../" * depth + relative.as_posix()


def _set_chapter_nav(config: MkDocsConfig, chapters: list[str], tools: tuple[str, ...] | list[str] = ()) -> None:
    # The chapter list comes from front matter, so the Leitfaden section of the nav
    # skeleton in mkdocs.yml is filled in here, before MkDocs builds the navigation;
    # the printable tools follow as a subsection with their own overview page.
    section = [{"Arbeitshilfen": [f"{TOOLS_URI}/index.md", *tools]}] if tools else []
    for entry in config.nav or []:
        if isinstance(entry, dict):
            for title, children in entry.items():
                if isinstance(children, list) and GUIDE_INDEX in children:
                    entry[title] = [GUIDE_INDEX, *chapters, *section]


def on_page_markdown(markdown: str, *, page, config: MkDocsConfig, files: Files) -> str:
    # Abbreviations are defined once (content/glossar.yml) and explained on every page.
    return markdown + config.extra.get("abkuerzungen", "")


def on_page_content(html: str, *, page, config: MkDocsConfig, files: Files) -> str:
    # Last line of defence: whatever the Markdown did, no page may carry scripts,
    # event handlers or links with other schemes than http(s)/mailto.
    found = unsafe_markup(html)
    if found:
        raise PluginError(f"Die Seite „{page.file.src_uri}“ enthält unzulässiges HTML ({found}); "
                          "Inhalte sind Text, Links beginnen mit https://, http:// oder mailto:, "
                          "und nichts wird von fremden Servern eingebunden.")
    return html


def on_post_page(output: str, *, page, config: MkDocsConfig) -> str:
    # Preview only (Renderer.record_table): the record tables, after Markdown and the search index.
    renderer = _build.get("renderer")
    if renderer is None or not renderer.defer_tables:
        return output
    try:
        return renderer.insert_tables(output, page.file.src_uri)
    except ValueError as found:
        raise PluginError(f"Die Seite „{page.file.src_uri}“ enthält unzulässiges HTML ({found}).") from None


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    # Municipality pages stay out of the sidebar (it is rendered into every page,
    # so hundreds of entries make the build quadratic) but hang below the overview,
    # so the "Kommunen" tab and entry stay highlighted while one is read (MkDocs
    # propagates `active` up the parent chain).
    for folder, index in ATTACHED.items():
        overview = files.get_file_from_path(index)
        if overview is None or overview.page is None:
            continue
        for file in files.documentation_pages():
            if file.src_uri.startswith(folder) and file.src_uri != index and file.page is not None:
                file.page.parent = overview.page  # as Material's blog does with its posts
                file.page.previous_page = file.page.next_page = None
    return nav
