"""Preview state for `make serve` (`mkdocs serve --dirty`): rebuild only what a save touches.

MkDocs rebuilds the whole site on every change; with `--dirty` it skips pages whose
file reports itself unmodified, but generated files always count as modified. This
module keeps what one preview build leaves for the next:

- RecordCache: parsed records by file (modification time and size), so a save parses
  one file, not hundreds.
- TemplateCache: the theme's compiled templates (MkDocs makes a new environment per build).
- PageMemo: generated Markdown by page; a record page renders again only when its own
  inputs changed (its record, its "Im Vergleich" counts, its facets, its git date).
- Preview: which generated files changed since the last build (only those are reported
  as modified), titles of the pages MkDocs skipped (the navigation of rebuilt pages
  needs them), outputs of pages that vanished (deleted or renamed records), the search
  index merged from the rebuilt pages, and the content problems of a broken save: the
  preview keeps the last good content and shows the problems on every served page.

Clean builds (`mkdocs build`, `make site`, CI, the offline bundle) never create a
Preview: the hook makes one only for `mkdocs serve --dirty` (on_startup).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.files import File, Files

from .loader import Handbook, Parsed, load_handbook
from .problems import ContentError, Problem
from .vocabularies import Vocabularies

STATUS_FILE = "vorschau-status.json"  # in the preview's site folder only; read by static/vorschau.js
STATUS_SCRIPT = Path(__file__).with_name("static") / "vorschau.js"
# Outside the "mkdocs" logger on purpose: MkDocs' strict mode counts its warnings and errors
# and would abort the build, and an aborted rebuild leaves `mkdocs serve` stuck.
log = logging.getLogger("handbuch.vorschau")


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class RecordCache:
    """Parsed records (or their problems) by file, valid while modification time and size stay the same.

    Records are validated against the vocabularies, so a changed vocabularies.yml empties the cache.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], Parsed | None, list[Problem]]] = {}
        self._vocabularies: tuple[int, int] | None = None
        self.parsed = 0  # files parsed by the last load (for tests and the bench)

    def begin(self, root: Path) -> None:
        key = _stat_key(root / "vocabularies.yml")
        if key != self._vocabularies:
            self._entries.clear()
            self._vocabularies = key
        self._entries = {path: entry for path, entry in self._entries.items() if path.exists()}
        self.parsed = 0

    def parse(self, path: Path, vocabularies: Vocabularies, problems: list[Problem],
              parse: Callable[[Path, Vocabularies, list[Problem]], Parsed | None]) -> Parsed | None:
        key = _stat_key(path)
        entry = self._entries.get(path)
        if key is not None and entry is not None and entry[0] == key:
            problems.extend(entry[2])
            return entry[1]
        own: list[Problem] = []
        parsed = parse(path, vocabularies, own)
        self.parsed += 1
        if key is not None:
            self._entries[path] = (key, parsed, own)
        problems.extend(own)
        return parsed


class PageMemo:
    """Generated Markdown by page and the inputs it was rendered from."""

    def __init__(self) -> None:
        self._pages: dict[str, tuple[Any, str]] = {}
        self._scope: Any = None
        self._kept: set[str] = set()
        self.rendered = 0  # pages rendered by the last build (for tests and the bench)

    def begin(self, scope: Any) -> None:
        """``scope``: what every page depends on (vocabularies, git dates present, PDF); a change renders all."""
        if scope != self._scope:
            self._pages.clear()
            self._scope = scope
        self.rendered = 0

    def render(self, src_uri: str, key: Any, render: Callable[[], str]) -> str:
        hit = self._pages.get(src_uri)
        # Records are cached objects: identity first (pydantic's == compares field by field), and
        # tuples compare their items by identity first too.
        if hit is not None and (hit[0] is key or hit[0] == key):
            return hit[1]
        markdown = render()
        self.rendered += 1
        self._pages[src_uri] = (key, markdown)
        return markdown

    def keep(self, src_uris: set[str]) -> None:
        """Forget the pages the content no longer makes (what records yield is keyed by their slug)."""
        if src_uris == self._kept:  # the usual save: no page came or went
            return
        self._pages = {uri: hit for uri, hit in self._pages.items() if not isinstance(uri, str) or uri in src_uris}
        self._kept = src_uris


class TemplateCache(jinja2.BytecodeCache):
    """The theme's templates, compiled once per `make serve`: MkDocs makes a new Jinja environment for
    every build, which would compile Material's templates again on each save. Jinja checks each
    entry against its template's source (checksum), so an edited template compiles anew."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class _Built:
    """What the last completed build wrote, by src_uri."""

    contents: dict[str, str | bytes] = field(default_factory=dict)  # generated files
    destinations: dict[str, str] = field(default_factory=dict)  # generated file -> output path
    pages: dict[str, tuple[str | None, dict]] = field(default_factory=dict)  # page -> (title, meta)
    scope: Any = None  # what every page shows (navigation, footer, abbreviations)
    search: list[tuple[dict, str]] | None = None  # search documents, enriched, with their JSON


class Preview:
    def __init__(self) -> None:
        self.records = RecordCache()
        self.memo = PageMemo()
        self.templates = TemplateCache()
        self.handbook: Handbook | None = None  # last good content
        self.problems: list[Problem] = []  # of the last save, empty when it was good
        self._built = _Built()
        self._current: dict[str, str | bytes] = {}
        self._files: dict[str, File] = {}
        self._full = True  # the first build, and any build after the shared parts changed, builds everything
        self._scope: Any = None
        self._built_urls: dict[str, str] = {}  # generated page -> its URL, also after it vanished
        self._search_gone: set[str] = set()  # URLs whose search documents this build replaces

    # --- loading ------------------------------------------------------------------

    def load(self, root: Path) -> Handbook:
        """The content, parsed where it changed; on problems the last good content (raises without one)."""
        self.records.begin(root)
        try:
            handbook = load_handbook(root, cache=self.records)
        except ContentError as error:
            if self.handbook is None:
                raise
            self.problems = sorted(error.problems, key=Problem.sort_key)
            for problem in self.problems:
                log.error(problem.format())
            log.error("%d Problem(e) in den Inhalten: die Vorschau zeigt weiter den letzten fehlerfreien Stand.",
                      len(self.problems))
            return self.handbook
        if self.problems:
            log.info("Die Inhalte sind wieder fehlerfrei.")
        self.problems = []
        self.handbook = handbook
        return handbook

    # --- files --------------------------------------------------------------------

    def begin_files(self, scope: Any) -> None:
        """``scope``: what every page shows besides its own content; when it changes, every page is built."""
        self._full = self._full or scope != self._built.scope
        self._scope = scope
        self._current = {}
        self._files = {}

    def track(self, file: File, content: str | bytes) -> File:
        """A generated file: reported unmodified when it has the content of the last build."""
        self._current[file.src_uri] = content
        self._files[file.src_uri] = file
        if not self._full and self._built.contents.get(file.src_uri) == content \
                and os.path.exists(file.abs_dest_path):
            _report_modified(file, False)
        return file

    def check_files(self, files: Files) -> None:
        """Hand-written pages are rebuilt by MkDocs when their file changed, and all of them when
        the shared parts (navigation, footer, abbreviations) changed."""
        if self._full:
            for file in files:
                if file.src_uri not in self._current:
                    _report_modified(file, True)

    def pages_read(self, files: Files) -> None:
        """After MkDocs read the modified pages: the skipped ones get their title and metadata
        of the last build, which the navigation of the rebuilt pages shows."""
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            if page.markdown is None:
                known = self._built.pages.get(file.src_uri)
                if known is not None:
                    page.title, page.meta = known[0], dict(known[1])
            else:
                self._built.pages[file.src_uri] = (page.title, dict(page.meta))

    # --- after the build ----------------------------------------------------------

    def rebuilt(self, files: Files) -> set[str]:
        """Site paths (page URLs) of the pages written anew, and of the generated ones that vanished."""
        urls = {file.url for file in files.documentation_pages() if file.is_modified()}
        urls.update(self._built_urls[uri] for uri in set(self._built.contents) - set(self._current)
                    if uri in self._built_urls)
        return urls

    def remove_vanished(self) -> None:
        """Outputs of generated files the content no longer makes (a deleted or renamed record)."""
        for uri in set(self._built.contents) - set(self._current):
            destination = self._built.destinations.get(uri)
            if destination and os.path.isfile(destination):
                os.remove(destination)
                folder = os.path.dirname(destination)
                if uri.endswith(".md") and not os.listdir(folder):
                    os.rmdir(folder)
            self._built.pages.pop(uri, None)

    def search_index(self, path: Path, enrich: Callable[[dict], dict]) -> None:
        """Material wrote the documents of the rebuilt pages only: enrich those, keep the others'
        (with their JSON: serialising thousands of kept documents anew took a tenth of a second)."""
        if not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        fresh = [(doc, _json(doc)) for doc in enrich({**index, "docs": index.get("docs", [])})["docs"]]
        if self._built.search is not None and not self._full:
            gone = self._search_gone
            # Material's search locates the start page at "", MkDocs' File.url says "./".
            kept = [pair for pair in self._built.search
                    if (pair[0].get("location", "").split("#")[0] or "./") not in gone]
            fresh = kept + fresh
        self._built.search = fresh
        # json.dumps(index) with the documents' JSON joined in.
        docs = "[" + ",".join(text for _, text in fresh) + "]"
        path.write_text("{" + ",".join(f"{_json(key)}:{docs if key == 'docs' else _json(value)}"
                                       for key, value in {**index, "docs": None}.items()) + "}", encoding="utf-8")

    def finish(self, site_dir: Path) -> None:
        """The build completed: it is the base of the next one; the status for the served pages."""
        self.remove_vanished()
        self._built.contents = dict(self._current)
        self._built.destinations = {uri: f.abs_dest_path for uri, f in self._files.items()}
        self._built_urls.update({uri: f.url for uri, f in self._files.items()})
        self._built.scope = self._scope
        self.memo.keep(set(self._current))
        self._full = False
        status = {"probleme": [p.format() for p in self.problems]}
        (site_dir / STATUS_FILE).write_text(json.dumps(status, ensure_ascii=False), encoding="utf-8")

    def before_search(self, plugin: Any, files: Files) -> None:
        """Before Material writes its index: only this build's documents (its own merge of dirty
        rebuilds assumes a single page), and which pages' old documents to drop."""
        if plugin is not None:
            plugin.search_index_prev = None
        self._search_gone = self.rebuilt(files)

    # --- serving ------------------------------------------------------------------

    def inject_status(self, server: Any, mount_path: str) -> None:
        """Every served page asks for the status of the last save (static/vorschau.js).

        Added when the page is served, like MkDocs' own reload script, so the preview's HTML files
        stay those of a clean build. MkDocs 1.6 injects through `_inject_js_into_html`; without
        it the problems still appear in the terminal.
        """
        inject = getattr(server, "_inject_js_into_html", None)
        if inject is None:
            return
        script = STATUS_SCRIPT.read_text(encoding="utf-8").replace(
            "__STATUS_URL__", json.dumps(mount_path.rstrip("/") + "/" + STATUS_FILE))
        tag = f"<script>{script}</script>".encode()

        def with_status(content: bytes, epoch: int) -> bytes:
            content = inject(content, epoch)
            end = content.rfind(b"</body>")
            return content + tag if end < 0 else content[:end] + tag + content[end:]

        server._inject_js_into_html = with_status


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _report_modified(file: File, modified: bool) -> None:
    # MkDocs asks each file whether --dirty must write it again; generated files always say yes.
    file.is_modified = lambda: modified  # type: ignore[method-assign]


_state: Preview | None = None


class _DirtyNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build may show a wrong navigation: the preview restores
    the skipped pages' titles and builds every page when the navigation changes. In strict mode
    (mkdocs.yml) the warning alone would abort every rebuild."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def start(enabled: bool) -> None:
    """Called once per `mkdocs` command: preview state only for `mkdocs serve --dirty`."""
    global _state
    _state = Preview() if enabled else None
    if enabled:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())
    if enabled and not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def current() -> Preview | None:
    return _state
