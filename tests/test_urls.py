"""Links written as HTML (urls.py) must be the ones MkDocs writes for Markdown links."""

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from handbuch.urls import page_url, relative_link

PAGES = ["index.md", "kommunen/index.md", "kommunen/bonn.md", "themen/kreis/kreis-dueren.md", "themen/index.md",
         "leitfaden/arbeitshilfen/index.md", "leitfaden/arbeitshilfen/stellenprofil.md", "mitwirken.md"]


def _mkdocs_url(src_uri: str, directory_urls: bool) -> str:
    return File(src_uri, "/docs", "/site", directory_urls).url


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("src_uri", PAGES)
def test_page_url_is_mkdocs_url(src_uri, directory_urls):
    expected = _mkdocs_url(src_uri, directory_urls)
    assert page_url(src_uri, directory_urls) == ("" if expected == "./" else expected)


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("source", PAGES)
@pytest.mark.parametrize("target", PAGES)
def test_relative_link_is_the_link_mkdocs_writes(target, source, directory_urls):
    """MkDocs turns [x](target.md) on page ``source`` into get_relative_url(target.url, source.url)."""
    expected = get_relative_url(_mkdocs_url(target, directory_urls), _mkdocs_url(source, directory_urls))
    assert relative_link(target, source, directory_urls) == expected


def test_examples():
    assert relative_link("kommunen/bonn.md", "kommunen/index.md", True) == "bonn/"
    assert relative_link("kommunen/bonn.md", "kommunen/index.md", False) == "bonn.html"
    assert relative_link("kommunen/bonn.md", "themen/kreis/kreis-dueren.md", True) == "../../../kommunen/bonn/"
    assert relative_link("kommunen/bonn.md", "themen/kreis/kreis-dueren.md", False) == "../../kommunen/bonn.html"
