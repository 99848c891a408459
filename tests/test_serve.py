"""`mkdocs serve` rebuilds when a record under the content root changes."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from browser import fetch, free_port
from conftest import REPO, VALID, write_record

pytestmark = pytest.mark.slow


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_editing_a_record_rebuilds_the_page(content):
    path = write_record(content, "teststadt", VALID)
    port = free_port()
    env = {**os.environ, "HANDBUCH_CONTENT": str(content), "NO_MKDOCS_2_WARNING": "1",
           "HANDBUCH_SITE_URL": f"http://127.0.0.1:{port}/"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/kommunen/teststadt/"
        assert wait_for(url, "Teststadt", 60), "server did not come up"
        path.write_text(path.read_text(encoding="utf-8").replace("Babybesuche", "Hausbesuche"), encoding="utf-8")
        assert wait_for(url, "Hausbesuche", 30), "edit was not picked up"
    finally:
        server.terminate()
        server.wait(timeout=10)
