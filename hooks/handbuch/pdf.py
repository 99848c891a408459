"""The practice guide as one PDF: title page, contents with page numbers, running chapter headers.

Rendered with WeasyPrint (CSS paged media: `string-set` for the running header,
`target-counter` for the page numbers in the contents), from the same expanded
chapters as the site. Nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from typing import Any

import markdown
from markdown.extensions.toc import slugify as toc_slugify
from markupsafe import Markup

from .loader import TOOLS_FOLDER, Chapter
from .provenance import BuildInfo
from .render import Renderer, environment

PDF_URI = "downloads/praxisleitfaden.pdf"
_LINK = re.compile(r"\]\(([^)\s]+)\)")


def _rewrite_links(text: str, chapter_slugs: set[str], site_url: str, this: str = "", folder: str = "") -> str:
    """Chapter links point into the PDF; links to other pages go to the published site; a link to a
    section of the same chapter (``this``) gets the chapter's prefix, as the headings do.

    ``chapter_slugs`` are paths below /leitfaden/ without ".md" (chapters, and tools as
    "arbeitshilfen/<slug>"); ``folder`` is where the linking page sits below /leitfaden/.
    """
    def target(match: re.Match[str]) -> str:
        url = match.group(1)
        if url.startswith("#") and this:
            return f"](#{this}--{url[1:]})"
        if re.match(r"^[a-z]+:", url) or url.startswith("#"):
            return match.group(0)
        path, _, anchor = url.partition("#")
        inside = posixpath.normpath(folder + path).removesuffix(".md")
        if inside in chapter_slugs:
            return f"](#{inside.replace('/', '--')}{'--' + anchor if anchor else ''})"
        page = re.sub(r"(^|/)index\.md$", r"\1", posixpath.normpath("leitfaden/" + folder + path))
        page = page.removesuffix(".md").removeprefix(".")
        page = page + "/" if page and not page.endswith("/") else page
        return f"]({site_url.rstrip('/')}/{page}{'#' + anchor if anchor else ''})"
    return _LINK.sub(target, text)


def _chapter_html(text: str, slug: str) -> str:
    converter = markdown.Markdown(
        extensions=["admonition", "attr_list", "def_list", "md_in_html", "tables", "toc"],
        # The site's anchors come from the toc extension's own slugify: use the same here.
        extension_configs={"toc": {"slugify": lambda value, sep: f"{slug}--{toc_slugify(value, sep)}"}},
    )
    # Front matter and the H1 are rendered by the PDF template itself.
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    text = re.sub(r"^# .*\n", "", text, count=1, flags=re.MULTILINE)
    return converter.convert(text)


def _unique_chart_ids(html: str, slug: str) -> str:
    """Charts are unique per page; two chapters may show the same one, so in the one PDF document
    their ids (and the aria-labelledby naming them) get the chapter's prefix. So do the footnotes
    and source lists (``quelle-N``, ``beleg-N-K``): every chapter numbers its sources from 1."""
    html = re.sub(r'(?<=["\s])balken-', f"{slug}--balken-", html)
    return re.sub(r'(?<=(?:id|ef)=")(#?)(quelle-|beleg-)', rf"\1{slug}--\2", html)


def guide_html(renderer: Renderer, info: BuildInfo, site_url: str) -> str:
    """The whole guide as one HTML document, chapters expanded by the build's own renderer."""
    handbook = renderer.handbook
    slugs = {c.slug for c in handbook.chapters} | {f"{TOOLS_FOLDER}/{t.slug}" for t in handbook.tools}

    def html(chapter: Chapter, tool: bool = False) -> dict[str, Any]:
        slug = f"{TOOLS_FOLDER}--{chapter.slug}" if tool else chapter.slug
        text = _rewrite_links(renderer.chapter(chapter, tool), slugs, site_url, slug, f"{TOOLS_FOLDER}/" if tool else "")
        return {"slug": slug, "title": chapter.meta.title,
                "html": Markup(_unique_chart_ids(_chapter_html(text, slug), slug))}
    return environment().get_template("pdf.html.j2").render(
        chapters=[html(c) for c in handbook.chapters], tools=[html(t, True) for t in handbook.tools],
        info=info, site_url=site_url, today=dt.date.today())


def guide_pdf(renderer: Renderer, info: BuildInfo, site_url: str) -> bytes:
    # Imported here: only builds that make the PDF need WeasyPrint.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoNetwork(URLFetcher):  # the PDF embeds nothing from outside (images are not allowed anyway)
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"PDF rendering fetches nothing: {url}")

    # PDF/UA-1: tagged (structure tree from the HTML: headings, lists, tables with TH, figures with
    # their SVG <title> as alternative text), document language and title from <html lang> and <title>.
    return HTML(string=guide_html(renderer, info, site_url), url_fetcher=NoNetwork()).write_pdf(
        pdf_variant="pdf/ua-1")
