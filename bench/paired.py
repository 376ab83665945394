"""Paired timings of two versions of the code on the same generated site (A B A B ...).

    git worktree add ../before main
    python bench/paired.py ../before . --size 10000 --cases noop edit later --pairs 5
    python bench/paired.py ../before . --size 1000 --cases no-cache cold

A and B are two checkouts of this repository; each build runs as a child process with
PYTHONPATH set to the checkout, in a copy of the site of its own (its own cache and
output folder: the cache is keyed by the code, so sharing one would make every build a
first one). The copies are warmed by one untimed build. A or B may instead be a venv with
a wheel installed (a folder with bin/python): its Python runs the build, as a user's
install does (the wheel's precompiled theme is in it). --fresh-user-cache gives each build
an empty XDG_CACHE_HOME, as on a fresh CI runner. Cases:

  no-cache  `build --no-cache` into an empty folder
  cold      a first build: no cache, empty output folder
  noop      the same build again
  edit      after adding a sentence to one incident in the middle of the history
  later     `--now` 15 minutes later, after a build at the usual now

Prints each run, then per case the median and range of A, of B and of the ratios B / A
of the pairs, in wall-clock and in CPU seconds (the build's and its workers'), with the
machine's load average: on a shared machine only ratios of runs taken side by side mean
much, and CPU seconds are what the load disturbs least.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import NOW, generate  # noqa: E402

LATER = "2026-06-01T12:15:00Z"
OUT = HERE / "out"


def compile_package(folder: Path) -> None:
    """The package's byte code written, as `pip install` does: a checkout (or an editable
    install) run with PYTHONDONTWRITEBYTECODE=1 would compile every module in every
    child again (0.14 CPU s of a 50-incident build), which no installed copy does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def installed(side: Path) -> bool:
    """*side* is a venv with the package installed, not a checkout."""
    return (side / "bin" / "python").is_file()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("a", type=Path, help="checkout A (before)")
    parser.add_argument("b", type=Path, help="checkout B (after)")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument(
        "--fresh-user-cache",
        action="store_true",
        help="each build with an empty XDG_CACHE_HOME (a fresh CI runner)",
    )
    parser.add_argument("--cases", nargs="+", default=["no-cache", "cold", "noop", "edit", "later"],
                        choices=["no-cache", "cold", "noop", "edit", "later"])  # fmt: skip
    args = parser.parse_args()
    template = OUT / f"paired-{args.size}"
    generate(args.size, args.seed, template)
    sides = {"A": args.a.resolve(), "B": args.b.resolve()}
    for name in sides:
        site = OUT / f"paired-{args.size}-{name}"
        shutil.rmtree(site, ignore_errors=True)
        shutil.rmtree(f"{site}-out", ignore_errors=True)
        shutil.copytree(template, site)
    for side in sides.values():  # byte code compiled, as `pip install` leaves it (see below)
        if not installed(side):
            compile_package(side / "statuspage")
    time.sleep(3.5)  # the copies' files out of the stat manifest's racy window
    edits = iter(range(1_000_000))
    cpu: dict[str, float] = {}  # CPU seconds of each side's last build (and its workers)

    def build(name: str, *extra: str, now: str = NOW) -> float:
        site = OUT / f"paired-{args.size}-{name}"
        env = dict(os.environ, PYTHONPATH=str(sides[name]))
        python = sides[name] / "bin" / "python"
        if installed(sides[name]):
            env.pop("PYTHONPATH")
        if args.fresh_user_cache:
            shutil.rmtree(OUT / "user-cache", ignore_errors=True)
            env["XDG_CACHE_HOME"] = str(OUT / "user-cache")
        command = [
            str(python) if installed(sides[name]) else sys.executable,
            "-m",
            "statuspage",
            "build",
            "--source",
            str(site),
            "--out",
            f"{site}-out",
            "--now",
            now,
            *extra,
        ]
        start, used = time.perf_counter(), os.times()
        subprocess.run(command, check=True, env=env, cwd=site, stdout=subprocess.DEVNULL)
        after = os.times()
        cpu[name] = (
            after.children_user + after.children_system - used.children_user - used.children_system
        )
        return time.perf_counter() - start

    def timed(name: str, case: str) -> float:
        site = OUT / f"paired-{args.size}-{name}"
        if case in ("no-cache", "cold"):
            shutil.rmtree(f"{site}-out", ignore_errors=True)
            shutil.rmtree(site / ".statuspage-cache", ignore_errors=True)
            return build(name, *(["--no-cache"] if case == "no-cache" else []))
        if case == "edit":
            target = sorted((site / "incidents").glob("*-event-*.md"))[args.size // 2]
            text = target.read_text(encoding="utf-8")
            heading_end = text.index("\n", text.index("\n## ") + 1)
            target.write_text(
                f"{text[: heading_end + 1]}Edited ({next(edits)}). {text[heading_end + 1 :]}",
                encoding="utf-8",
            )
        if case == "later":
            build(name)
            return build(name, now=LATER)
        return build(name)

    for name in sides:
        if set(args.cases) - {"cold", "no-cache"}:  # the others start from a built site
            print(f"{name} = {sides[name]}: warm-up {build(name):.2f} s", flush=True)
    for case in args.cases:
        runs: dict[str, list[float]] = {"A": [], "B": []}
        cpus: dict[str, list[float]] = {"A": [], "B": []}
        for _ in range(args.pairs):
            for name in sides:
                runs[name].append(timed(name, case))
                cpus[name].append(cpu[name])
            print(
                f"   {case:<9} A {runs['A'][-1]:6.2f} s (CPU {cpus['A'][-1]:5.2f})   B "
                f"{runs['B'][-1]:6.2f} s "
                f"(CPU {cpus['B'][-1]:5.2f})   load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        ratios = [b / a for a, b in zip(runs["A"], runs["B"], strict=True)]
        cpu_ratios = [b / a for a, b in zip(cpus["A"], cpus["B"], strict=True)]

        def spread(values: list[float]) -> str:
            return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"

        print(f"{case}: A {spread(runs['A'])} s, B {spread(runs['B'])} s, B / A {spread(ratios)}; "
              f"CPU A {spread(cpus['A'])} s, B {spread(cpus['B'])} s, B / A {spread(cpu_ratios)}; "
              f"over {args.pairs} pairs", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
