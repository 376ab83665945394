"""Same sources + same --now => byte-identical output tree, whatever the process around it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from .conftest import REPO
from .support.inert import assert_inert

NOW = "2026-11-28 09:30 +01:00"


def tree_digest(folder: Path) -> tuple[str, list[str]]:
    digest = hashlib.sha256()
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    for rel in files:
        digest.update(rel.encode() + b"\0" + hashlib.sha256((folder / rel).read_bytes()).digest())
    return digest.hexdigest(), files


def build_in_new_process(out: Path, cwd: Path, seed: str, tz: str, lang: str) -> None:
    env = {
        **os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": seed, "TZ": tz,
        "LANG": lang, "LC_ALL": lang, "SOURCE_DATE_EPOCH": "",
    }  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "statuspage", "build", "--source", str(REPO), "--out", str(out), "--now", NOW],
        cwd=cwd, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_two_builds_in_different_processes_are_identical(tmp_path: Path) -> None:
    (tmp_path / "cwd-a").mkdir()
    (tmp_path / "cwd-b" / "deeper").mkdir(parents=True)
    a, b = tmp_path / "a" / "_site", tmp_path / "b-other-name"
    build_in_new_process(a, tmp_path / "cwd-a", "1", "UTC", "C.UTF-8")
    build_in_new_process(
        b, tmp_path / "cwd-b" / "deeper", "4242", "America/Los_Angeles", "de_DE.UTF-8"
    )
    digest_a, files = tree_digest(a)
    digest_b, _ = tree_digest(b)
    assert len(files) >= 8 and "index.html" in files
    assert digest_a == digest_b
    assert_inert(a)


def test_no_absolute_paths_or_machine_details_in_output(tmp_path: Path) -> None:
    out = tmp_path / "site-out"
    build_in_new_process(out, tmp_path, "7", "UTC", "C.UTF-8")
    host = os.uname().nodename
    forbidden = {
        str(REPO),
        str(tmp_path),
        str(Path.home()),
        "/tmp/",
        "file://",
        host if len(host) >= 8 else "",
    }
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes().decode("utf-8", "replace")
            found = [f for f in forbidden if f and f in data]
            assert not found, f"{path.relative_to(out)} contains {found}"
