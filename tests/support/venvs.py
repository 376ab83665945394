"""Fresh virtual environments for tests that install statuspage the way a user does."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path


def make_venv(path: Path) -> Path:
    """A new venv at *path* with pip, whose Python can also import the running one's packages.

    `system_site_packages=True` is not enough: created from inside a venv it reaches the base
    interpreter's site-packages, not the venv's (where pip put our dependencies). So the new
    venv gets its own empty site-packages, first on sys.path, plus a .pth file naming the
    running interpreter's package folders: whatever is installed into the new venv wins, and
    its dependencies come from what is already installed, without a package index.
    Returns the new venv's python."""
    venv.create(path, with_pip=True)
    python = path / "bin" / "python"
    found = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    own = Path(found.stdout.strip())
    folders = ("site-packages", "dist-packages")
    outer = [p for p in sys.path if Path(p).name in folders and Path(p).is_dir()]
    (own / "outer-packages.pth").write_text("".join(f"{p}\n" for p in outer), encoding="utf-8")
    return python


def pip_install(python: Path, *args: str, cwd: Path | None = None) -> None:
    """`pip install` into the venv of *python*, adding nothing from an index: dependencies
    and the build backend come from the running interpreter's packages (see make_venv)."""
    done = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--ignore-installed", *args],
        cwd=cwd, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
