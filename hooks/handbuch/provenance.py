"""When content files last changed, from git history: one `git log` for all files.

Without git (a zip download, a container without history) the answer is None
and pages say so instead of failing the build.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildInfo:
    """What the footer of every page says about the build."""

    content_date: dt.date | None  # newest commit touching the content
    commit: str | None  # short hash of the checked-out commit
    build_date: dt.date


def build_info(root: Path, changes: dict[Path, dt.date] | None) -> BuildInfo:
    commit = None
    try:
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
                                capture_output=True, text=True, timeout=30, check=False)
        if result.returncode == 0:
            commit = result.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        pass
    return BuildInfo(max(changes.values()) if changes else None, commit, dt.date.today())


def last_changes(root: Path) -> dict[Path, dt.date] | None:
    """Newest commit date of every file below ``root``; None when there is no usable history."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%cs", "--name-only", "--relative", "--", "."],
            capture_output=True, text=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    changes: dict[Path, dt.date] = {}
    date: dt.date | None = None
    for line in result.stdout.splitlines():
        if line.startswith("\0"):
            date = dt.date.fromisoformat(line[1:].strip())
        elif line and date is not None:
            changes.setdefault((root / line).resolve(), date)  # git log lists newest first
    return changes
