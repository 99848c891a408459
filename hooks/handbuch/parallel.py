"""Clean builds on two cores: a forked child renders the generated pages while MkDocs converts them.

Rendering a page (Jinja) costs about a sixth of converting it (Markdown -> HTML, search), and
MkDocs converts pages one after another in one process. So the hook hands MkDocs the generated
pages as files whose text arrives later: a child process, forked once the content is loaded,
renders them in MkDocs' order and sends them through a pipe, while the parent makes the open
data, converts the hand-written pages and then each generated page as it arrives. If the child
fails, the parent renders what is missing itself, so the pages are the same either way.

Only for `mkdocs build` (single-threaded, so forking is safe) and only from MIN_RECORDS records
on; the preview (make serve) has its own shortcut (preview.py).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from .render import PageSpec

MIN_RECORDS = 100  # below this, forking costs more than it saves
log = logging.getLogger("mkdocs.hooks.handbuch")

_enabled = False


def enable(enabled: bool) -> None:
    """on_startup: True for `mkdocs build` only."""
    global _enabled
    _enabled = enabled


def worth_it(records: int) -> bool:
    """``records``: how many municipalities (their pages are most of the work)."""
    # HANDBUCH_PARALLEL=false renders in one process (tests compare both; for debugging).
    wanted = os.environ.get("HANDBUCH_PARALLEL", "").strip().lower() not in ("false", "0", "no", "off", "nein", "aus")
    # mkdocs serve --clean starts the hooks with command "build" but runs threads: never fork there.
    return (_enabled and wanted and records >= MIN_RECORDS and hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1)


class Pages:
    """The pages a forked child renders, by src_uri, as they arrive."""

    def __init__(self, specs: Sequence[PageSpec]):
        self._by_uri = {spec.src_uri: spec for spec in specs}
        self._pages: dict[str, str] = {}
        self._done = threading.Condition()
        self._finished = False
        read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: render, send, and leave without running the parent's exit code
            os.close(read)
            status = 0
            try:
                with os.fdopen(write, "wb") as out:
                    for uri, spec in self._by_uri.items():
                        name, text = uri.encode(), spec.render().encode()
                        out.write(len(name).to_bytes(4, "big") + name + len(text).to_bytes(8, "big") + text)
            except BaseException:  # noqa: BLE001 - whatever it was, the parent renders the rest itself
                status = 1
            finally:
                os._exit(status)
        os.close(write)
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
                        self._pages[name] = text.decode()
                        self._done.notify_all()
        finally:
            os.waitpid(self._pid, 0)
            with self._done:
                self._finished = True
                self._done.notify_all()

    def get(self, uri: str) -> str:
        with self._done:
            self._done.wait_for(lambda: uri in self._pages or self._finished)
            if uri in self._pages:
                return self._pages.pop(uri)
        return self._by_uri[uri].render()  # the child failed before this page

    def file(self, config: MkDocsConfig, spec: PageSpec) -> File:
        inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
        return _DeferredFile.deferred(config, spec.src_uri, inclusion, lambda: self.get(spec.src_uri))


class _DeferredFile(File):
    """A generated page whose Markdown is fetched when MkDocs reads it."""

    _fetch: Callable[[], str]

    @classmethod
    def deferred(cls, config: MkDocsConfig, uri: str, inclusion: InclusionLevel,
                 fetch: Callable[[], str]) -> _DeferredFile:
        file = cls.generated(config, uri, content="", inclusion=inclusion)
        assert isinstance(file, _DeferredFile)
        file._fetch = fetch
        return file

    @property
    def content_string(self) -> str:
        if self._content == "":
            self._content = self._fetch()
        return super().content_string

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")
