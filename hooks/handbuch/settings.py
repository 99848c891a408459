"""Build switches from the environment (HANDBUCH_PDF, HANDBUCH_PARALLEL, ...)."""

from __future__ import annotations

import os

_OFF = ("false", "0", "no", "off", "nein", "aus")


def switched_off(name: str) -> bool:
    """Whether the variable `name` says no; unset or anything else means on."""
    return os.environ.get(name, "").strip().lower() in _OFF
