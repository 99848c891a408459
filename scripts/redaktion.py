"""Startet den Formular-Editor lokal (make redaktion): decap-server und die Vorschau.

Both work in a dedicated clone (build/redaktion), never in the user's working tree:
decap-server in git mode runs `git add` and commits there. decap-server listens on
127.0.0.1 only (it has no authentication); the preview is `mkdocs serve` of the clone,
whose /redaktion/ page talks to that decap-server. Ctrl-C stops both.
Saving in the local editor commits to the clone's current branch (no pull request);
docs/entwicklung/redaktion.md says how to hand the commits on.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import _bootstrap  # noqa: F401

from handbuch.editor import BRANCH_VARIABLE, PROXY_VARIABLE
from handbuch.loader import REPOSITORY

HOST = "127.0.0.1"
# Links into the user's repository, not copies: kept out of the clone's commits.
SHARED = ("node_modules", ".venv")


def prepare_clone(source: Path, clone: Path) -> bool:
    """A clone of `source` at `clone` (made once, then reused with its commits); True if new."""
    created = False
    if not (clone / ".git").exists():
        clone.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "clone", "--quiet", str(source), str(clone)], check=True)
        created = True
    for name in SHARED:
        link = clone / name
        if not link.exists() and (source / name).exists():
            link.symlink_to((source / name).resolve())
    exclude = clone / ".git" / "info" / "exclude"
    exclude.parent.mkdir(exist_ok=True)
    known = exclude.read_text(encoding="utf-8").splitlines() if exclude.exists() else []
    with exclude.open("a", encoding="utf-8") as out:
        for name in SHARED:
            if name not in known:
                out.write(name + "\n")
    for key, value in (("user.name", "Formular-Editor"), ("user.email", "redaktion@localhost")):
        if subprocess.run(["git", "-C", str(clone), "config", key], capture_output=True).returncode:
            subprocess.run(["git", "-C", str(clone), "config", key, value], check=True)
    return created


def start(clone: Path, site_port: int, proxy_port: int, quiet: bool = False) -> list[subprocess.Popen]:
    """decap-server and the preview of `clone`; both bound to loopback."""
    output = subprocess.DEVNULL if quiet else None
    site = f"http://{HOST}:{site_port}"
    branch = subprocess.run(["git", "-C", str(clone), "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True,
                            text=True, check=True).stdout.strip()
    proxy = subprocess.Popen(
        ["node", str(clone / "node_modules" / "decap-server" / "dist" / "index.js")], cwd=clone,
        env={**os.environ, "MODE": "git", "GIT_REPO_DIRECTORY": str(clone), "BIND_HOST": HOST,
             "PORT": str(proxy_port), "ORIGIN": site, "LOG_LEVEL": "warn"},
        stdout=output, stderr=output, start_new_session=True)
    preview = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"{HOST}:{site_port}"],
        cwd=clone,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "HANDBUCH_PDF": "false", "HANDBUCH_SITE_URL": site + "/",
             PROXY_VARIABLE: f"http://{HOST}:{proxy_port}/api/v1", BRANCH_VARIABLE: branch},
        stdout=output, stderr=output, start_new_session=True)
    return [proxy, preview]


def wait_until_up(url: str, processes: list[subprocess.Popen], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            raise RuntimeError("Ein Server hat sich beendet (siehe Meldungen oben).")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:  # it answers, if only with an error (decap-server wants POST)
            return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} antwortet nicht.")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: the server and its children
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Formular-Editor lokal starten.")
    parser.add_argument("--clone", type=Path, default=REPOSITORY / "build" / "redaktion")
    parser.add_argument("--port", type=int, default=8000, help="Port der Vorschau")
    parser.add_argument("--proxy-port", type=int, default=8081, help="Port von decap-server")
    args = parser.parse_args(argv)
    if prepare_clone(REPOSITORY, args.clone):
        print(f"Arbeitskopie angelegt: {args.clone}")
    else:
        print(f"Arbeitskopie wird weiterverwendet: {args.clone}")
    processes = start(args.clone, args.port, args.proxy_port)
    site = f"http://{HOST}:{args.port}/"
    try:
        wait_until_up(f"http://{HOST}:{args.proxy_port}/api/v1", processes)
        wait_until_up(site, processes)
        print(f"\nVorschau:          {site}\n"
              f"Formular-Editor:   {site}redaktion/\n"
              f"decap-server:      http://{HOST}:{args.proxy_port}/api/v1 (nur auf diesem Rechner erreichbar)\n"
              f"Gespeichert wird als Commit in {args.clone}; Fehler in den Daten zeigt die Vorschau an.\n"
              "Beenden mit Strg+C.")
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        print("Ein Server hat sich beendet; der andere wird gestoppt.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nFormular-Editor und Vorschau werden beendet.")
        return 0
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        stop(processes)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
