"""Headless Debian chromium through Playwright, with every request recorded.

Never `playwright install`: the browser is Debian's package (make test installs it).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import urllib.request
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("HANDBUCH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--allow-file-access-from-files"]


@dataclass
class Session:
    page: Page
    origin: str  # "file://" or "http://127.0.0.1:port"
    requests: list[str] = field(default_factory=list)

    def outside_requests(self) -> list[str]:
        """Every request that left the site (another host, or any network request from file://)."""
        allowed = ("file://", "data:", "blob:", "about:") if self.origin == "file://" else (
            self.origin + "/", "data:", "blob:", "about:")
        return [url for url in self.requests if not url.startswith(allowed)]


@contextlib.contextmanager
def browser_page(origin: str, block_network: bool = True) -> Iterator[Session]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
        session = Session(context.new_page(), origin)
        context.on("request", lambda request: session.requests.append(request.url))
        if block_network:
            def route(r):
                if r.request.url.startswith(origin if origin != "file://" else "file://"):
                    return r.continue_()
                return r.abort()
            context.route("**/*", route)
        try:
            yield session
        finally:
            context.close()
            browser.close()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """The folder over http on 127.0.0.1 (a free port), for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text, or "" while the server is not (yet) answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def search(page: Page, query: str) -> list[dict[str, str]]:
    """Type a query into Material's search box (it reacts to keyup, so type) and read the results."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=30)
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && !/Suche wird initialisiert|Ergebnisse werden geladen/i.test(m.textContent)"
        " && document.querySelectorAll('.md-search-result__item').length > 0 }", timeout=15000)
    # href without Material's highlight query (?h=…), anchor kept
    return page.eval_on_selector_all(
        ".md-search-result__item > a.md-search-result__link",
        "els => els.map(e => ({href: e.href.replace(/\\?[^#]*/, ''),"
        " title: (e.querySelector('h1,h2') || e).textContent.trim(),"
        " text: e.textContent.replace(/\\s+/g, ' ').trim()}))")
