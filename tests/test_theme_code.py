"""The wheel carries the default theme compiled (hatch_build.py, pipeline/theme_code.py): a
build from the installed wheel on a fresh runner (empty user cache) compiles none of the
theme's templates and writes the same bytes as one that compiles them; a site's own
template, and code made by another Jinja, are compiled as before.

Each build is a real `statuspage build` of the installed wheel, in a child whose Jinja
compiler is counted (not timed).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jinja2
import pytest

from .conftest import EXAMPLE_INCIDENT, REPO, SiteDir, parse_html, text_of
from .support.venvs import make_venv, pip_install

# `statuspage ARGS...`, writing the names of the templates Jinja compiled to the file argv[1].
COUNTING = """\
import sys
from pathlib import Path
import jinja2
from statuspage.commands.main import main

compiled, original = [], jinja2.Environment.compile

def counting(self, source, name=None, *args, **kw):
    compiled.append(str(name))
    return original(self, source, name, *args, **kw)

jinja2.Environment.compile = counting
report, sys.argv = sys.argv[1], ["statuspage", *sys.argv[2:]]
try:
    main()
finally:
    Path(report).write_text("".join(f"{name}\\n" for name in compiled))
"""
NOW = "2026-11-26 10:00"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv with the wheel built from this tree installed."""
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (test extra)")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(out.glob("git_statuspage-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in names if n.startswith(f"statuspage/theme_code/jinja-{jinja2.__version__}/")]
    python = make_venv(tmp_path_factory.mktemp("venv") / "venv")
    pip_install(python, str(wheel))
    return python


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    s = SiteDir(tmp_path / "site")
    s.incident("2026-11-20-api-errors.md", EXAMPLE_INCIDENT)
    return s


def run(python: Path, site: SiteDir, tmp_path: Path, name: str) -> subprocess.CompletedProcess[str]:
    """`build --no-cache` by *python* with an empty user cache, into {name}-out; the names of
    the templates it compiled in the file *name*."""
    cache, out, report = tmp_path / f"{name}-cache", tmp_path / f"{name}-out", tmp_path / name
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(cache)}
    if python == Path(sys.executable):
        # This tree's code, also where the suite's Python has the wheel installed (CI runs
        # the README's `pip install .`): that copy carries theme code, this tree none.
        env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [python, "-c", COUNTING, report, "build", "--no-cache", "--now", NOW, "--out", out],
        cwd=site.root, capture_output=True, text=True, env=env,
    )  # fmt: skip


def build(python: Path, site: SiteDir, tmp_path: Path, name: str) -> tuple[list[str], Path]:
    """A build that succeeds (see run): the templates it compiled, and its output folder."""
    done = run(python, site, tmp_path, name)
    assert done.returncode == 0, done.stderr
    return (tmp_path / name).read_text().split(), tmp_path / f"{name}-out"


def stored(tmp_path: Path, name: str) -> list[str]:
    """The compiled templates the build *name* kept in its user cache folder."""
    return [p.name for p in (tmp_path / f"{name}-cache").rglob("*.code")]


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def theme_code(python: Path) -> Path:
    found = subprocess.run(
        [python, "-c", "import statuspage, sys; print(statuspage.__file__)"],
        capture_output=True, text=True, check=True, cwd="/",
    )  # fmt: skip
    return Path(found.stdout.strip()).parent / "theme_code"


def test_a_build_from_the_wheel_compiles_no_theme_template_and_writes_the_same_bytes(
    installed: Path, site: SiteDir, tmp_path: Path
) -> None:
    compiled, out = build(installed, site, tmp_path, "wheel")
    assert compiled == []
    assert stored(tmp_path, "wheel") == []
    # This tree's code has no packaged theme code: it compiles every template it renders.
    compiled_here, here = build(Path(sys.executable), site, tmp_path, "tree")
    assert {"index.html", "incident.html", "base.html"} <= set(compiled_here)
    assert len(stored(tmp_path, "tree")) == len(compiled_here)
    assert tree(out) == tree(here)
    assert b"Elevated error rates on the API" in tree(out)["index.html"]


def test_a_site_own_copy_of_a_theme_template_is_compiled_and_shown(
    installed: Path, site: SiteDir, tmp_path: Path
) -> None:
    own = site.root / "site-templates" / "_subscribe.html"
    own.parent.mkdir()
    theme = (REPO / "site-templates" / "_subscribe.html").read_text(encoding="utf-8")
    own.write_text(f"<p id=mine>Our own words</p>\n{theme}", encoding="utf-8")
    compiled, out = build(installed, site, tmp_path, "own")
    assert compiled == ["_subscribe.html"]
    page = parse_html(out / "index.html")
    assert [text_of(p) for p in page.xpath("//p[@id='mine']")] == ["Our own words"]


def test_theme_code_of_another_jinja_version_is_ignored(
    installed: Path, site: SiteDir, tmp_path: Path
) -> None:
    current = theme_code(installed) / f"jinja-{jinja2.__version__}"
    other = current.with_name("jinja-3.0.0")
    _, expected = build(installed, site, tmp_path, "before")
    current.rename(other)  # as if the wheel had been built with another Jinja
    try:
        compiled, out = build(installed, site, tmp_path, "other")
    finally:
        other.rename(current)
    assert {"index.html", "incident.html", "base.html"} <= set(compiled)
    assert tree(out) == tree(expected)


def test_theme_code_for_other_template_bytes_is_ignored(
    installed: Path, site: SiteDir, tmp_path: Path
) -> None:
    """An entry is found by its template's name and bytes and the package's code: one made
    for other bytes (here: a forged page) is never what a template with these bytes gets."""
    folder = theme_code(installed) / f"jinja-{jinja2.__version__}"
    kept = tmp_path / "kept"
    shutil.copytree(folder, kept)
    from statuspage.pipeline.theme_code import entry_name

    index = (REPO / "site-templates" / "index.html").read_bytes()
    forged = jinja2.Environment().compile("FORGED", "index.html", raw=True)
    try:
        (folder / entry_name("index.html", index)).write_text(forged, encoding="utf-8")
        compiled, out = build(installed, site, tmp_path, "forged")
        assert compiled == [] and (out / "index.html").read_bytes() == b"FORGED"  # it is read
        (folder / entry_name("index.html", index)).unlink()
        (folder / entry_name("index.html", index + b" ")).write_text(forged, encoding="utf-8")
        compiled, out = build(installed, site, tmp_path, "moved")
        assert compiled == ["index.html"] and b"FORGED" not in (out / "index.html").read_bytes()
    finally:
        shutil.rmtree(folder)
        shutil.copytree(kept, folder)


def test_an_error_in_the_theme_code_names_the_template_file_and_line(
    installed: Path, site: SiteDir, tmp_path: Path
) -> None:
    """The packaged code reports where a template failed as compiled code does: the
    template's own file and line (pipeline/failures.py), not the generated module's."""
    own = site.root / "site-templates" / "index.html"
    own.parent.mkdir()
    own.write_text('{% include "_uptime.html" %}\n', encoding="utf-8")  # with no `uptime`
    found = []
    for python, name in ((installed, "wheel"), (Path(sys.executable), "tree")):
        done = run(python, site, tmp_path, name)
        assert done.returncode == 1
        found.append(re.fullmatch(r"error: template error: (\S+):(\d+): (.+)\n", done.stderr))
    wheel, here = found
    assert wheel and here, [done.stderr]
    assert (tmp_path / "wheel").read_text().split() == ["index.html"]  # _uptime.html: packaged
    theme = theme_code(installed).parent / "site-templates"
    assert wheel[1] == str(theme / "_uptime.html")
    assert wheel.group(2, 3) == here.group(2, 3)
    assert here[1] == str(REPO / "site-templates" / "_uptime.html")
