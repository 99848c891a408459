"""Clean builds on two cores: a forked child renders the generated pages while MkDocs converts them.

Rendering a page (Jinja) costs about a sixth of converting it (Markdown -> HTML, search), and
MkDocs converts pages one after another in one process. So the hook hands MkDocs the generated
pages as files whose text arrives later: a child process, forked once the content is loaded,
renders them in MkDocs' order and sends them through a pipe, then the files made after them (open
data and PDF, ``later``), while the parent converts the hand-written pages and then each generated
page as it arrives. Once every page is converted, a second child makes the search index
(SearchIndex) while the parent writes the pages. If a child fails, the parent makes what is
missing itself, so the files are the same either way.

Only for `mkdocs build` (single-threaded apart from the threads draining the pipes, and the
children touch nothing those threads lock, so forking is safe) and only from MIN_RECORDS records
on; the preview (make serve) has its own shortcut (preview.py).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from .render import PageSpec
from .settings import switched_off

MIN_RECORDS = 100  # below this, forking costs more than it saves
log = logging.getLogger("mkdocs.hooks.handbuch")

_enabled = False
_forked = False  # this build renders its pages in a child


def enable(enabled: bool) -> None:
    """on_startup: True for `mkdocs build` only."""
    global _enabled, _forked
    _enabled, _forked = enabled, False


def worth_it(records: int) -> bool:
    """``records``: how many municipalities (their pages are most of the work)."""
    # HANDBUCH_PARALLEL=false renders in one process (tests compare both; for debugging).
    wanted = not switched_off("HANDBUCH_PARALLEL")
    # mkdocs serve --clean starts the hooks with command "build" but runs threads: never fork there.
    return (_enabled and wanted and records >= MIN_RECORDS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


class Pages:
    """The pages a forked child renders, by src_uri, as they arrive."""

    def __init__(self, specs: Sequence[PageSpec], later: Callable[[], dict[str, bytes | str]] | None = None):
        """``later``: more files (src_uri -> content), made in the child after the pages; MkDocs reads them last."""
        global _forked
        _forked = _forked or bool(specs)
        self._by_uri = {spec.src_uri: spec for spec in specs}
        self._later = later
        self._later_made: dict[str, bytes | str] | None = None
        self._pages: dict[str, bytes] = {}
        self._done = threading.Condition()
        self._finished = False
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: render, send, and leave without running the parent's exit code
            os.close(read)
            status = 0
            try:
                with os.fdopen(write, "wb") as out:
                    made = ((uri, spec.render().encode()) for uri, spec in self._by_uri.items())
                    for uri, text in itertools.chain(made, ((later or dict)().items())):
                        name, text = uri.encode(), text if isinstance(text, bytes) else text.encode()
                        out.write(len(name).to_bytes(4, "big") + name + len(text).to_bytes(8, "big") + text)
            except BaseException:  # noqa: BLE001 - whatever it was, the parent renders the rest itself
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        if specs:
            log.debug("%d erzeugte Seiten entstehen in einem zweiten Prozess (%d).", len(self._by_uri), self._pid)
        # A thread drains the pipe, so the child never waits for the parent.
        self._reader = threading.Thread(target=self._drain, args=(os.fdopen(read, "rb"),), daemon=True)
        self._reader.start()

    def _drain(self, pipe) -> None:
        try:
            with pipe:
                while header := pipe.read(4):
                    name = pipe.read(int.from_bytes(header, "big")).decode()
                    size = int.from_bytes(pipe.read(8), "big")
                    text = pipe.read(size)
                    if len(text) != size:
                        break
                    with self._done:
                        self._pages[name] = text
                        self._done.notify_all()
        finally:
            os.waitpid(self._pid, 0)
            with self._done:
                self._finished = True
                self._done.notify_all()

    def get(self, uri: str) -> bytes:
        with self._done:
            self._done.wait_for(lambda: uri in self._pages or self._finished)
            if uri in self._pages:
                return self._pages.pop(uri)
        # The child failed before this file.
        if uri in self._by_uri:
            return self._by_uri[uri].render().encode()
        if self._later_made is None:
            self._later_made = self._later() if self._later else {}
        made = self._later_made[uri]
        return made if isinstance(made, bytes) else made.encode()

    def file(self, config: MkDocsConfig, spec: PageSpec) -> File:
        inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        return _DeferredFile.deferred(config, spec.src_uri, inclusion, lambda: self.get(spec.src_uri))

    def later_file(self, config: MkDocsConfig, uri: str) -> File:
        """One of the files ``later`` makes (a page or not, by its name)."""
        return _DeferredFile.deferred(config, uri, InclusionLevel.UNDEFINED, lambda: self.get(uri))


SEARCH_INDEX = "search/search_index.json"


class SearchIndex:
    """Stands in for Material's search index (``plugin.search_index``) once every page is converted.

    Material splits each page into sections for its index while MkDocs writes the pages, a fifth of
    the build, and our hook then enriches the index (search.py). From on_env on, the HTML of every
    page is known: a second child indexes the pages with Material's own index and enriches it while
    the parent writes them; Material then writes what the child sent.
    """

    def __init__(self, plugin: Any, pages: Sequence[Any], enrich: Callable[[str], str]):
        real = plugin.search_index

        def index() -> dict[str, bytes | str]:
            for page in pages:  # in the order MkDocs writes them, as Material would
                real.add_entry_from_context(page)
            return {SEARCH_INDEX: enrich(real.generate_search_index(plugin.search_index_prev))}

        self._child = Pages([], index)
        log.debug("Der Suchindex entsteht in einem zweiten Prozess (%d).", self._child._pid)

    def add_entry_from_context(self, page: Any) -> None:
        """The child indexes every page."""

    def generate_search_index(self, prev: Any) -> str:
        return self._child.get(SEARCH_INDEX).decode()


def index_search(plugin: Any, pages: Sequence[Any], enrich: Callable[[str], str]) -> bool:
    """on_env: hands the search index to a child when the pages went to one; whether it did."""
    if not _forked:
        return False
    plugin.search_index = SearchIndex(plugin, pages, enrich)
    return True


class _DeferredFile(File):
    """A generated file whose content is fetched when MkDocs reads (a page) or copies it."""

    _fetch: Callable[[], bytes]

    @classmethod
    def deferred(cls, config: MkDocsConfig, uri: str, inclusion: InclusionLevel,
                 fetch: Callable[[], bytes]) -> _DeferredFile:
        file = cls.generated(config, uri, content=b"", inclusion=inclusion)
        assert isinstance(file, _DeferredFile)
        file._fetch = fetch
        return file

    def _arrived(self) -> None:
        if self._content == b"":
            self._content = self._fetch()

    @property
    def content_string(self) -> str:
        self._arrived()
        return super().content_string

    @property
    def content_bytes(self) -> bytes:
        self._arrived()
        return super().content_bytes

    def copy_file(self, dirty: bool = False) -> None:
        self._arrived()
        super().copy_file(dirty)
