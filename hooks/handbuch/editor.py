"""The form editor at /redaktion/ of the published site: its files and its start page.

Decap CMS comes from npm (package-lock.json) and is copied into the site at build time,
with its lazy chunks and WebAssembly, never loaded from a CDN. The offline bundle leaves
the editor out (it needs a server to save). What the editor may edit comes from
static/redaktion/config.yml (hooks/handbuch/cms.py); the backend is set here: GitHub with
pull requests on the published site, decap-server on loopback for `make redaktion`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import urlparse

from .cms import EDITOR_DIR, TRISTATE
from .loader import SCHEMA_COMMENT
from .render import environment
from .vocabularies import Vocabularies

STATIC = Path(__file__).with_name("static") / EDITOR_DIR
OWN_FILES = ("config.yml", "format.js", "slugs.js", "redaktion.js", "redaktion.css")
# decap-server's address as the browser sees it; `make redaktion` sets another port if asked.
PROXY_VARIABLE = "HANDBUCH_REDAKTION_PROXY"
DEFAULT_PROXY = "http://127.0.0.1:8081/api/v1"
# Base URL of the OAuth client that logs editors in to GitHub (docs/entwicklung/redaktion.md).
AUTH_VARIABLE = "HANDBUCH_REDAKTION_AUTH"
# The branch the editor saves to: main on GitHub; locally the clone's current branch.
BRANCH_VARIABLE = "HANDBUCH_REDAKTION_BRANCH"


def npm_files(node_modules: Path) -> dict[str, Path]:
    """Site path -> file of Decap's bundle (main script, chunks, wasm) and of the YAML library."""
    dist = node_modules / "decap-cms" / "dist"
    files = {f"{EDITOR_DIR}/decap/decap-cms.js": dist / "decap-cms.js"}
    if dist.is_dir():
        for path in sorted(dist.iterdir()):
            if path.name.endswith((".decap-cms.js", ".wasm")) or path.name == "decap-cms.js.LICENSE.txt":
                files[f"{EDITOR_DIR}/decap/{path.name}"] = path
    yaml_dist = node_modules / "yaml" / "browser" / "dist"
    files[f"{EDITOR_DIR}/yaml/index.js"] = yaml_dist / "index.js"
    if yaml_dist.is_dir():
        for path in sorted(yaml_dist.glob("*.js")):
            files[f"{EDITOR_DIR}/yaml/{path.name}"] = path
    return files


def own_files() -> dict[str, Path]:
    return {f"{EDITOR_DIR}/{name}": STATIC / name for name in OWN_FILES}


def github_repo(repo_url: str | None) -> str | None:
    """owner/name of a GitHub repository URL, None for other hosts."""
    if not repo_url:
        return None
    parsed = urlparse(repo_url)
    parts = [p for p in parsed.path.strip("/").removesuffix(".git").split("/") if p]
    return "/".join(parts[:2]) if parsed.hostname == "github.com" and len(parts) >= 2 else None


def start_page(vocabularies: Vocabularies, repo_url: str | None, site_url: str | None, site_name: str) -> str:
    backend: dict[str, object] = {"name": "github", "repo": github_repo(repo_url) or "",
                                  "branch": os.environ.get(BRANCH_VARIABLE) or "main"}
    auth = os.environ.get(AUTH_VARIABLE, "").strip()
    if auth:
        backend["base_url"] = auth
    config: dict[str, object] = {"backend": backend,
                                 "local_backend": {"url": os.environ.get(PROXY_VARIABLE, DEFAULT_PROXY)}}
    if os.environ.get(PROXY_VARIABLE):
        # `make redaktion`: each save is a commit in its clone, seen at once in the preview.
        config["publish_mode"] = "simple"
    if site_url:
        config["site_url"] = config["display_url"] = site_url
    # "kopf": the first line of a new record
    # Without a login service Decap's GitHub backend would log in through Netlify (a third party):
    # unless the publisher set one up or `make redaktion` serves the site, the page only explains.
    ready = bool(auth or os.environ.get(PROXY_VARIABLE))
    settings = {"config": config, "bereit": ready, "kopf": SCHEMA_COMMENT + "\n", "janein": TRISTATE,
                "texte": {key: vocabularies.text(key) for key in ("keine_angabe", "ja", "nein")}}
    return environment().get_template("redaktion.html.j2").render(
        # "<" escaped: no text of the settings can end the script element or open a comment in it
        settings=json.dumps(settings, ensure_ascii=False).replace("<", "\\u003c"), site_name=site_name)
