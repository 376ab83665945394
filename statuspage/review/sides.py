"""The two sides of a diff, as folders: a git ref's files copied out, or a folder as it is.

A ref's files are read with `git archive` into a temporary folder: nothing of the ref
is checked out in the repository and no hook or code of it runs (its site templates
are rendered by the build, as `build` renders them)."""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from statuspage.errors import UsageError

WORKING_TREE = "working tree"
# The default branch's names tried, in order, when the remote does not say (origin/HEAD).
DEFAULT_BRANCHES = ("origin/HEAD", "origin/main", "origin/master", "main", "master")


@dataclass(frozen=True)
class Side:
    """What one side of the diff names: a folder, or a git ref of the source's repository."""

    label: str  # as the report shows it
    folder: Path | None = None
    commit: str | None = None


def _git(source: Path, *args: str) -> str | None:
    """Git's output for *args* in *source*, or None when it fails (not a repository, no ref)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(source), *args], capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace").strip() if done.returncode == 0 else None


def _commit(source: Path, ref: str) -> str | None:
    if ref.startswith("-"):  # never an option to git
        return None
    return _git(source, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")


def resolve_side(source: Path, value: str | None, *, base: bool) -> Side:
    """The side *value* names: an existing folder, else a git ref. Without a value, the
    base is the merge base with the default branch and the head the working tree."""
    if value is None:
        if not base:
            return Side(WORKING_TREE, folder=source)
        for branch in DEFAULT_BRANCHES:
            if _commit(source, branch) is not None:
                found = _git(source, "merge-base", "HEAD", branch)
                if found:
                    return Side(f"merge base with {branch} ({found[:12]})", commit=found)
        raise UsageError(
            f"no default branch to compare with in {source} (tried {', '.join(DEFAULT_BRANCHES)});"
            " name BASE, e.g. `statuspage diff main`"
        )
    if Path(value).is_dir():
        return Side(value, folder=Path(value))
    commit = _commit(source, value)
    if commit is None:
        raise UsageError(
            f"{value!r} is neither a folder nor a git ref (commit, branch or tag) of the "
            f"repository holding {source}"
        )
    return Side(f"{value} ({commit[:12]})", commit=commit)


@contextmanager
def side_folder(source: Path, side: Side) -> Iterator[Path]:
    """The site folder of *side*: the folder itself, or the ref's copy of *source*'s path
    in the repository, extracted into a temporary folder removed afterwards."""
    if side.folder is not None:
        yield side.folder
        return
    assert side.commit is not None
    top = _git(source, "rev-parse", "--show-toplevel")
    prefix = _git(source, "rev-parse", "--show-prefix")
    if top is None or prefix is None:
        raise UsageError(f"{source} is not in a git repository")
    with TemporaryDirectory(prefix="statuspage-diff-") as tmp:
        _extract(Path(top), side.commit, prefix, Path(tmp))
        yield Path(tmp) / prefix


def _extract(top: Path, commit: str, prefix: str, into: Path) -> None:
    """*commit*'s files under *prefix* (of the repository at *top*) into *into*: regular
    files and folders only, so a link in the ref cannot make the build read outside it."""
    args = ["git", "-C", str(top), "archive", "--format=tar", commit]
    if prefix:
        args += ["--", prefix]
    try:
        done = subprocess.run(args, capture_output=True, check=False, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UsageError(f"git archive {commit[:12]} failed: {e}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git archive {commit[:12]} failed: {message}")
    (into / prefix).mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        for member in tar.getmembers():
            parts = PurePosixPath(member.name).parts
            if not (member.isfile() or member.isdir()) or ".." in parts or member.name[:1] == "/":
                continue
            target = into.joinpath(*parts)
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            data = tar.extractfile(member)
            if data is not None:
                target.write_bytes(data.read())
