"""parallel.Pages: what a forked child sends equals what the parent would make, even when the child fails."""

from __future__ import annotations

import os

from handbuch.parallel import Pages
from handbuch.render import PageSpec


def _specs(fail_in_child: bool) -> list[PageSpec]:
    parent = os.getpid()

    def render(n: int) -> str:
        if fail_in_child and n == 2 and os.getpid() != parent:
            raise RuntimeError("the child fails here")
        return f"# Seite {n} – ä\n"

    return [PageSpec(f"seite-{n}.md", lambda n=n: render(n), None) for n in range(4)]


def _later() -> dict[str, bytes | str]:
    return {"daten/a.csv": b"x;y\r\n", "daten/index.md": "# Daten – ö\n"}


def test_the_child_sends_the_pages_and_then_the_later_files():
    pages = Pages(_specs(fail_in_child=False), _later)
    assert [pages.get(f"seite-{n}.md") for n in range(4)] == [f"# Seite {n} – ä\n".encode() for n in range(4)]
    assert pages.get("daten/a.csv") == b"x;y\r\n"
    assert pages.get("daten/index.md") == "# Daten – ö\n".encode()


def test_when_the_child_fails_the_parent_makes_the_rest_itself():
    pages = Pages(_specs(fail_in_child=True), _later)
    assert [pages.get(f"seite-{n}.md") for n in range(4)] == [f"# Seite {n} – ä\n".encode() for n in range(4)]
    assert pages.get("daten/index.md") == "# Daten – ö\n".encode()
    assert pages.get("daten/a.csv") == b"x;y\r\n"
