"""Links the templates write as HTML: MkDocs rewrites only Markdown links (`[…](x.md)`).

Long lists of links (the table of /kommunen/, the names on topic pages) are written as HTML,
because Python-Markdown and MkDocs handle each Markdown link one by one: at 600 records that
was most of a preview rebuild after a record's name changed (docs/entwicklung/leistung.md).
"""

from __future__ import annotations

import functools
import posixpath


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The site path MkDocs gives a page: kommunen/bonn.md -> kommunen/bonn/ (directory URLs) or
    kommunen/bonn.html (the offline bundle); an index.md stands for its folder."""
    stem = posixpath.splitext(src_uri)[0]
    if not directory_urls:
        return f"{stem}.html"
    folder, name = posixpath.split(stem)
    if name == "index":
        return f"{folder}/" if folder else ""
    return f"{stem}/"


@functools.lru_cache(maxsize=None)  # the same few thousand pairs on every preview rebuild
def relative_link(target: str, source: str, directory_urls: bool) -> str:
    """The link from page ``source`` to page ``target`` (both src_uris), as MkDocs would write it."""
    to, here = page_url(target, directory_urls), page_url(source, directory_urls)
    folder = here.rstrip("/") if here.endswith("/") or not here else posixpath.dirname(here)
    link = posixpath.relpath(to.rstrip("/") or ".", folder or ".")
    return f"{link}/" if to.endswith("/") or not to else link
