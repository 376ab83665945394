"""Golden output trees: each site in tests/golden/<case>/input, built at a fixed `--now`,
must give exactly tests/golden/<case>/expected: the same files, byte for byte. A site with
`audiences:` gives one tree per audience, named as `build -o` names its folders: the
public page in `expected`, audience NAME's in `expected-NAME` beside it.

Our other tests compare our output with our output, so output that is wrong the same way
every time passes them; this one compares it with output a reviewer has read. To accept a
change in output: `pytest tests/test_golden.py --update-golden` (or set
STATUSPAGE_UPDATE_GOLDEN=1), then review `git diff tests/golden` like code (see
tests/golden/README.md).
"""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from statuspage.pipeline.fingerprint import library_versions as _library_versions

from .conftest import REPO
from .support.golden_trees import GOLDEN, read_tree

# The trees are the output of the versions CI last passed with: a new release of Markdown,
# Babel's CLDR data or icalendar may rightly change bytes, and must not turn a run with
# the newest releases red by itself. Under the locked versions they are always compared.
LOCK = REPO / "requirements" / "ci.lock.txt"
# Each case and the instant it is built at.
CASES = {
    "audiences": "2026-12-07 16:00 +00:00",
    "example": "2026-11-28 09:30 +01:00",
    "full": "2026-12-02 10:00 +01:00",
}
# A difference report shows the diffs of this many text files, each cut to this many lines.
SHOWN_DIFFS = 3
DIFF_LINES = 60


def locked_versions() -> dict[str, str]:
    """Each package the lock pins for this interpreter (environment markers evaluated)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            requirement = Requirement(line.strip())
            if requirement.marker is None or requirement.marker.evaluate():
                (pin,) = requirement.specifier
                pins[canonicalize_name(requirement.name)] = pin.version
    return pins


def unlocked_libraries() -> list[str]:
    """The libraries that shape output whose installed version is not the locked one."""
    from packaging.utils import canonicalize_name

    pins = locked_versions()
    found = []
    for entry in _library_versions():
        name, _, installed = entry.partition("=")
        locked = pins.get(canonicalize_name(name))
        if installed != locked:
            found.append(f"{name} {installed} (locked: {locked})")
    return found


def expected_trees(case: str) -> dict[str, dict[str, bytes]]:
    """Each expected tree of *case* by its folder's name: `expected`, `expected-NAME`."""
    folders = sorted(f for f in (GOLDEN / case).glob("expected*") if f.is_dir())
    return {f.name: read_tree(f) for f in folders if f.name.split("-")[0] == "expected"}


def build_case(
    case: str, tmp_path: Path, *, cache: bool, env: dict[str, str]
) -> dict[str, dict[str, bytes]]:
    """The trees `statuspage build` writes for *case*, named as expected trees are: with
    --no-cache, or as a cold build through the incremental path (whose cache goes into a
    copy of the input). Each build writes into a folder of its own, so that every folder
    in it is one the build made: OUT, and OUT-NAME for each audience but the public."""
    source = GOLDEN / case / "input"
    if cache:
        source = shutil.copytree(source, tmp_path / f"{case}-source")
    out = tmp_path / f"{case}-{'cold' if cache else 'no-cache'}" / "out"
    out.parent.mkdir()
    command = ["build", "--source", str(source), "--out", str(out), "--now", CASES[case]]
    result = subprocess.run(
        [sys.executable, "-m", "statuspage", *command, *([] if cache else ["--no-cache"])],
        cwd=tmp_path, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "", **env},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # a golden site builds without warnings
    built = sorted(out.parent.iterdir())
    return {"expected" + f.name.removeprefix(out.name): read_tree(f) for f in built}


def as_text(data: bytes) -> list[str] | None:
    """The lines of *data*, or None if it is not UTF-8 text."""
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def forest_differences(
    expected: dict[str, dict[str, bytes]], built: dict[str, dict[str, bytes]]
) -> str:
    """What differs between two sets of trees (one per audience), tree by tree."""
    lines = []
    for name in sorted(expected.keys() | built.keys()):
        if name not in built:
            lines.append(f"{name}/ is expected and was not built")
        elif name not in expected:
            lines.append(f"{name}/ was built and is not expected")
        elif differences := tree_differences(expected[name], built[name], name):
            lines.append(f"{name}/:\n{differences}" if len(built) > 1 else differences)
    return "\n".join(lines)


def tree_differences(
    expected: dict[str, bytes], built: dict[str, bytes], name: str = "expected"
) -> str:
    """What differs between two trees, for a reader: missing, extra and changed files, and
    unified diffs of the first few changed text files. Empty when the trees are equal."""
    missing = sorted(expected.keys() - built.keys())
    extra = sorted(built.keys() - expected.keys())
    changed = sorted(p for p in expected.keys() & built.keys() if expected[p] != built[p])
    lines = []
    if missing:
        lines.append(f"missing (expected, not built): {', '.join(missing)}")
    if extra:
        lines.append(f"unexpected (built, not expected): {', '.join(extra)}")
    if changed:
        lines.append(f"changed: {', '.join(changed)}")
    binary = []
    shown = 0
    for path in changed:
        old, new = as_text(expected[path]), as_text(built[path])
        if old is None or new is None:
            binary.append(path)
            continue
        if shown == SHOWN_DIFFS:
            continue
        shown += 1
        lines.append(unified_diff(old, new, path, name))
    if binary:
        lines.append(f"binary files differ: {', '.join(binary)}")
    return "\n".join(lines)


def unified_diff(old: list[str], new: list[str], path: str, name: str = "expected") -> str:
    """The unified diff of one file of the tree *name*, cut to DIFF_LINES lines."""
    built = "built" + name.removeprefix("expected")
    diff = list(difflib.unified_diff(old, new, f"{name}/{path}", f"{built}/{path}"))
    if len(diff) > DIFF_LINES:
        diff = [*diff[:DIFF_LINES], f"... ({len(diff) - DIFF_LINES} more diff lines)\n"]
    # A last line without a newline would run into the next file's header.
    mark = "\n\\ No newline at end of file\n"
    ended = [line if line.endswith("\n") else line + mark for line in diff]
    return "".join(ended).rstrip("\n")


def rewrite_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Make *folder* hold exactly *files*: stale files and folders go."""
    shutil.rmtree(folder, ignore_errors=True)
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Rewrite expected trees instead of failing: --update-golden or STATUSPAGE_UPDATE_GOLDEN=1."""
    from_env = os.environ.get("STATUSPAGE_UPDATE_GOLDEN", "") not in ("", "0")
    return from_env or bool(request.config.getoption("--update-golden"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_build_matches_the_golden_tree(case: str, tmp_path: Path, update_golden: bool) -> None:
    # Two builds in processes that differ in hash seed, zone and locale, through both
    # build paths (a cold build is the incremental one with an empty cache): they must agree.
    one = {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
    other = {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Auckland", "LC_ALL": "de_DE.UTF-8"}
    plain = build_case(case, tmp_path, cache=False, env=one)
    cold = build_case(case, tmp_path, cache=True, env=other)
    between_paths = forest_differences(plain, cold)
    assert not between_paths, f"`build --no-cache` and a cold cached build differ:\n{between_paths}"
    expected = expected_trees(case)
    differences = forest_differences(expected, plain)
    if differences and update_golden:
        for stale in expected.keys() - plain.keys():
            shutil.rmtree(GOLDEN / case / stale)
        for name, files in plain.items():
            rewrite_tree(GOLDEN / case / name, files)
        rewritten = ", ".join(f"tests/golden/{case}/{name}" for name in sorted(plain))
        pytest.skip(f"rewrote {rewritten}; review it with `git diff tests/golden`")
    unlocked = unlocked_libraries()
    if differences and unlocked:
        pytest.skip(
            f"tests/golden/{case}/expected differs, but it was made with the locked versions and "
            f"these differ: {', '.join(unlocked)}; compare under `pip install -c "
            "requirements/ci.lock.txt '.[test]'` (CI's locked run always does)"
        )
    if differences:
        libraries = ", ".join(_library_versions())
        pytest.fail(
            f"the build of tests/golden/{case}/input at --now {CASES[case]!r} differs from "
            f"tests/golden/{case}/expected:\n{differences}\n\nBuilt with {libraries}: "
            "a new version of one of these may change output too. If the change is intended, run "
            "`pytest tests/test_golden.py --update-golden` and review `git diff tests/golden`.",
            pytrace=False,
        )


def test_the_lock_pins_every_library_that_shapes_output() -> None:
    """Else the golden trees could be skipped under the locked versions too."""
    from packaging.utils import canonicalize_name

    pins = locked_versions()
    for entry in _library_versions():
        assert canonicalize_name(entry.partition("=")[0]) in pins, entry


def test_every_case_folder_is_built() -> None:
    """A case folder without an entry in CASES would never be compared."""
    folders = {p.name for p in GOLDEN.iterdir() if p.is_dir()}
    assert folders == CASES.keys()
    for case in CASES:
        assert (GOLDEN / case / "input" / "statuspage.yaml").is_file()
        trees = expected_trees(case)
        assert "expected" in trees, f"tests/golden/{case}/expected is missing"
        for name, files in trees.items():
            assert files, f"tests/golden/{case}/{name} is empty"


def test_differences_name_every_kind_of_change() -> None:
    """The report a failing golden test shows: so a bug in it cannot hide a difference."""
    expected = read_tree(GOLDEN / "example" / "expected")
    assert tree_differences(expected, dict(expected)) == ""
    built = dict(expected)
    title = b"<title>Acme Status</title>"
    assert title in expected["index.html"]
    built["index.html"] = expected["index.html"].replace(title, b"<title>Acme</title>")
    del built["robots.txt"]
    built["logo.png"] = b"\x89PNG\r\n\x1a\n\0"
    expected_with_binary = {**expected, "favicon.png": b"\0\1", "logo.png": b"\0\2"}
    built["favicon.png"] = b"\0\3"
    report = tree_differences(expected_with_binary, built)
    assert "missing (expected, not built): robots.txt" in report
    assert "unexpected (built, not expected)" not in report
    assert "changed: favicon.png, index.html, logo.png" in report
    assert "--- expected/index.html\n+++ built/index.html\n" in report
    assert "\n-<title>Acme Status</title>\n+<title>Acme</title>\n" in report
    assert "binary files differ: favicon.png, logo.png" in report
    extra = tree_differences(expected, {**expected, "new.txt": b"x"})
    assert extra == "unexpected (built, not expected): new.txt"


def test_differences_name_each_audience_s_tree() -> None:
    """A site with audiences: a tree not built, one not expected, and a change in one."""
    public, partners = {"index.html": b"<p>public</p>\n"}, {"index.html": b"<p>partners</p>\n"}
    expected = {"expected": public, "expected-partners": partners}
    assert forest_differences(expected, dict(expected)) == ""
    report = forest_differences(expected, {"expected": public, "expected-internal": partners})
    assert report == (
        "expected-internal/ was built and is not expected\n"
        "expected-partners/ is expected and was not built"
    )
    changed = {"index.html": b"<p>internal</p>\n"}
    report = forest_differences(expected, {**expected, "expected-partners": changed})
    assert report.startswith("expected-partners/:\nchanged: index.html\n")
    assert "--- expected-partners/index.html\n+++ built-partners/index.html\n" in report
    assert "\n-<p>partners</p>\n+<p>internal</p>" in report


def test_diffs_are_capped() -> None:
    expected = {f"page{n}.html": b"".join(b"line %d\n" % i for i in range(200)) for n in range(5)}
    built = {path: data.replace(b"line ", b"LINE ") for path, data in expected.items()}
    report = tree_differences(expected, built)
    assert report.count("--- expected/") == SHOWN_DIFFS
    assert "more diff lines)" in report
    assert len(report.splitlines()) < 1 + SHOWN_DIFFS * (DIFF_LINES + 1) + 1


def test_rewriting_leaves_exactly_the_new_tree(tmp_path: Path) -> None:
    folder = tmp_path / "expected"
    rewrite_tree(folder, {"stale/old.html": b"old", "kept.txt": b"before", ".hidden": b""})
    files = {"kept.txt": b"after", "new/deeper/page.html": b"<p>new</p>", ".hidden": b""}
    rewrite_tree(folder, files)
    assert read_tree(folder) == files
    assert not (folder / "stale").exists()
