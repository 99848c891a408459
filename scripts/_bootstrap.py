"""Make the `handbuch` library (in hooks/) importable for command-line scripts."""

from __future__ import annotations

import sys
from pathlib import Path

HOOKS = Path(__file__).resolve().parents[1] / "hooks"
if str(HOOKS) not in sys.path:
    sys.path.insert(0, str(HOOKS))


def load_or_exit():
    """The validated handbook, or every problem on stderr and exit status 1."""
    from handbuch.loader import load_handbook
    from handbuch.problems import ContentError

    try:
        return load_handbook()
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        raise SystemExit(1) from None
