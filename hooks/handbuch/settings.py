"""Build switches from the environment (HANDBUCH_PDF, HANDBUCH_PARALLEL, ...)."""

from __future__ import annotations

import os

# Where the handbook is published (mkdocs.yml's default for site_url); HANDBUCH_SITE_URL overrides it.
DEFAULT_SITE_URL = "https://handbuch-praeventionsketten.github.io/handbuch/"

_OFF = ("false", "0", "no", "off", "nein", "aus")


def switched_off(name: str) -> bool:
    """Whether the variable `name` says no; unset or anything else means on."""
    return os.environ.get(name, "").strip().lower() in _OFF


def site_url() -> str:
    """The published site's address, ending in "/" (for links from outside the site: PDF, reviews)."""
    return os.environ.get("HANDBUCH_SITE_URL") or DEFAULT_SITE_URL
