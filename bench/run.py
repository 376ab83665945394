"""Build-speed benchmark: cold build, no-op rebuild, one edited and one added incident.

    python bench/run.py            # N = 1,000 and 10,000
    python bench/run.py --large    # and 100,000
    python bench/run.py --sizes 2000 --repeat 5
    python bench/run.py --cstate ../cstate --cstate-only   # Hugo + cState beside us, N = 1,000
    python bench/run.py --cstate ../cstate --cstate-only --cstate-sizes 50 300 --repeat 5
    python bench/run.py --cstate ../cstate --cstate-only --cstate-sizes --cstate-site ../status

Each build runs `python -m statuspage build` as a child process, timed by the wall
clock, with its peak RSS from wait4() (the largest of the process and the worker
processes it waited for). The floor is the time a child takes only to read every
source file and parse its YAML and Markdown with the same libraries (PyYAML with
libyaml where available, Python-Markdown with the same extensions); each build is
also shown as a multiple of it. "serve save" is the time `statuspage serve` takes to
rebuild after a save, measured inside a child that runs its builder (the first
build not counted). Every figure is the median of --repeat runs (3 by default); the
machine's load averages before and after each size are recorded. The startup rows
(bench/startup.py) time `statuspage --help` and `statuspage alert` on a small site, each
paired with `python -c "import click"`. With --cstate DIR
(a cState checkout, https://github.com/cstate/cstate) and `hugo` on PATH, the same
history is also generated as a cState site and built cold by Hugo, alternating with
`statuspage build --no-cache` on that site imported (`statuspage import cstate`).
--cstate-site DIR compares on a real cState site as well (a copy, its theme linked
from the checkout). Our builds keep compiled templates in the user's cache folder
between runs, as a machine that builds often does; --fresh-user-cache gives each an
empty one instead, as a fresh CI runner has.
Results are printed and written to bench/results.json.
Not part of the test suite: timings depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import END, GROUPS, NOW, generate, incident_file  # noqa: E402
from paired import compile_package  # noqa: E402
from startup import measure as measure_startup  # noqa: E402
from startup import table as startup_table  # noqa: E402

OUT = HERE / "out"


def floor(site: Path) -> None:
    """Child mode: read every source file, parse its front matter and its Markdown, nothing else."""
    import markdown
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    yaml.load((site / "statuspage.yaml").read_text(encoding="utf-8"), Loader=loader)
    for path in sorted((site / "incidents").iterdir()):
        text = path.read_bytes().decode("utf-8")
        _, front, body = text.split("---\n", 2)
        yaml.load(front, Loader=loader)
        md.reset().convert(body)


def serve_saves(site: Path, target: Path, saves: int = 3) -> None:
    """Child mode: what `statuspage serve` takes to show a save, in its own process
    (one first build, untimed, then *saves* edits of *target*); prints the median time."""
    import tempfile

    from statuspage.commands._common import clock
    from statuspage.preview.rebuild import Preview

    original = target.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as workdir:
        preview = Preview(site, Path(workdir), lambda config: clock(NOW, config))
        assert preview.rebuild()
        times = []
        try:
            for n in range(saves):
                target.write_text(original + f"\nSaved ({n}).\n", encoding="utf-8")
                start = time.perf_counter()
                assert preview.rebuild()
                times.append(time.perf_counter() - start)
        finally:
            target.write_text(original, encoding="utf-8")
    print(f"serve-save-seconds {statistics.median(times):.3f}")


def load() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: what else was running while measuring."""
    return [round(x, 2) for x in os.getloadavg()]


# CPU seconds of the last child run_child waited for: on a loaded machine the wall clock
# also counts the time other jobs had the cores.
last_cpu = [0.0]


def run_child(args: list[str]) -> tuple[float, float, str]:
    """Run *args*; (wall seconds, peak RSS in MB of it and its waited-for workers, stdout)."""
    start = time.perf_counter()
    out_r, out_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: exec the command with stdout into the pipe, stderr silenced
        os.close(out_r)
        os.dup2(out_w, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        try:
            os.execvp(args[0], args)
        finally:
            os._exit(127)
    os.close(out_w)
    chunks = []
    while chunk := os.read(out_r, 65536):
        chunks.append(chunk)
    os.close(out_r)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed: exit {os.waitstatus_to_exitcode(status)}")
    last_cpu[0] = usage.ru_utime + usage.ru_stime  # the child's and its waited-for workers'
    return seconds, usage.ru_maxrss / 1024, b"".join(chunks).decode()


def tree_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def build_args(site: Path, out: Path, now: str = NOW) -> list[str]:
    return [
        sys.executable,
        "-m",
        "statuspage",
        "build",
        "--source",
        str(site),
        "--out",
        str(out),
        "--now",
        now,
    ]


def measure(n: int, seed: int, repeat: int) -> dict[str, object]:
    site, out = OUT / f"site-{n}", OUT / f"site-{n}-out"
    print(f"\n== N = {n:,}: generating ...", flush=True)
    generate(n, seed, site)
    row: dict[str, object] = {"n": n, "sources": len(list((site / "incidents").iterdir()))}

    row["load_before"] = load()

    def best(label: str, args: list[str], before=None) -> None:  # type: ignore[no-untyped-def]
        times, rss, cpu = [], [], []
        for _ in range(repeat):
            if before:
                before()
            seconds, peak, _ = run_child(args)
            times.append(seconds)
            rss.append(peak)
            cpu.append(last_cpu[0])
        row[label] = {
            "seconds": round(statistics.median(times), 3),
            "runs": [round(t, 3) for t in times],
            "cpu_seconds": round(statistics.median(cpu), 3),
            "peak_rss_mb": round(max(rss), 1),
        }
        print(
            f"   {label:<12} {statistics.median(times):8.2f} s   {max(rss):7.1f} MB   "
            f"(median of {len(times)}: {min(times):.2f}-{max(times):.2f} s; CPU "
            f"{statistics.median(cpu):.2f} s)",
            flush=True,
        )

    best("floor", [sys.executable, str(Path(__file__).resolve()), "--floor", str(site)])

    def clean() -> None:
        subprocess.run(["rm", "-rf", str(out), str(site / ".statuspage-cache")], check=True)

    best("cold", build_args(site, out), clean)
    files, size = tree_size(out)
    row["output"] = {
        "files": files, "megabytes": round(size / 1e6, 1),
        "index_html_kb": round((out / "index.html").stat().st_size / 1e3, 1),
        "summary_json_kb": round((out / "api/v2/summary.json").stat().st_size / 1e3, 1),
        "history_json_mb": round((out / "api/history.json").stat().st_size / 1e6, 1),
        "history_pages": len(list((out / "history").glob("**/index.html"))),
    }  # fmt: skip
    best("noop", build_args(site, out))

    target = sorted((site / "incidents").glob("*-event-*.md"))[
        len(list((site / "incidents").glob("*-event-*.md"))) // 2
    ]
    original = target.read_text(encoding="utf-8")
    edits = iter(range(1_000_000))

    def edit() -> None:
        heading_end = original.index(
            "\n", original.index("\n## ") + 1
        )  # the newest update's heading
        text = f"{original[: heading_end + 1]}Edited ({next(edits)}). {original[heading_end + 1 :]}"
        target.write_text(text, encoding="utf-8")

    best("edit", build_args(site, out), edit)
    added = site / "incidents" / "2026-06-01-added.md"
    components = [cid for members in GROUPS.values() for cid in members]
    text = incident_file(random.Random(seed), END.replace(hour=6), components, open_=False)

    def add() -> None:
        added.unlink(missing_ok=True)
        run_child(build_args(site, out))  # back to "without it", untimed
        added.write_text(text, encoding="utf-8")

    best("add", build_args(site, out), add)
    best(
        "later_now",
        build_args(site, out, "2026-06-01T12:15:00Z"),
        lambda: run_child(build_args(site, out)),
    )
    _, peak, printed = run_child(
        [sys.executable, str(Path(__file__).resolve()), "--serve-saves", str(site), str(target)]
    )
    seconds = float(printed.split("serve-save-seconds")[1])
    row["serve_save"] = {"seconds": seconds, "peak_rss_mb": round(peak, 1)}
    row["load_after"] = load()
    print(
        f"   {'serve_save':<12} {seconds:8.2f} s   {peak:7.1f} MB   (a save under `serve`, its "
        "first build not counted)",
        flush=True,
    )
    floor_s = row["floor"]["seconds"]  # type: ignore[index]
    for label in ("cold", "noop", "edit", "add", "later_now"):
        row[label]["x_floor"] = round(row[label]["seconds"] / floor_s, 2)  # type: ignore[index]
    return row


def versus_cstate(
    n: int, seed: int, theme: Path, pairs: int, *, site: Path | None = None,
    fresh_user_cache: bool = False,
) -> dict[str, object]:  # fmt: skip
    """Hugo + cState cold on a generated cState site (or a copy of *site*, a real one)
    beside `statuspage build --no-cache` on the same site imported, alternating the two
    (A B A B) *pairs* times. With *fresh_user_cache*, each of our builds gets an empty
    $XDG_CACHE_HOME (no compiled templates kept from an earlier build: a fresh CI runner)."""
    hugo = shutil.which("hugo")
    if hugo is None:
        raise SystemExit("--cstate needs `hugo` on PATH (https://gohugo.io/installation/)")
    if not (theme / "layouts").is_dir() or not (theme / "theme.toml").is_file():
        raise SystemExit(
            f"{theme} is not a cState checkout (git clone https://github.com/cstate/cstate)"
        )
    name = f"cstate-{site.name}" if site else f"cstate-{n}"
    hugo_site, ours = OUT / name, OUT / f"{name}-imported"
    hugo_out, ours_out = OUT / f"{name}-hugo-out", OUT / f"{name}-imported-out"
    shutil.rmtree(hugo_site, ignore_errors=True)
    if site is None:
        print(f"\n== N = {n:,}, Hugo + cState beside statuspage: generating ...", flush=True)
        generate(n, seed, hugo_site, "cstate")
    else:
        shutil.copytree(site, hugo_site, ignore=shutil.ignore_patterns(".git", "themes"))
        n = len(list((hugo_site / "content" / "issues").glob("*.md")))
        print(f"\n== {site.name} ({n:,} issues), Hugo + cState beside statuspage", flush=True)
    (hugo_site / "themes").mkdir()
    (hugo_site / "themes" / "cstate").symlink_to(theme.resolve(), target_is_directory=True)
    shutil.rmtree(ours, ignore_errors=True)
    imported = [
        sys.executable,
        "-m",
        "statuspage",
        "import",
        "cstate",
        str(hugo_site),
        "--into",
        str(ours),
        "--now",
        NOW,
    ]
    run_child(imported)
    version = subprocess.run(
        [hugo, "version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "-C", str(theme), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    commands = {
        "hugo": [
            hugo,
            "--quiet",
            "--ignoreCache",
            "--source",
            str(hugo_site),
            "--destination",
            str(hugo_out),
        ],
        "statuspage": [*build_args(ours, ours_out), "--no-cache"],
    }
    times: dict[str, list[float]] = {"hugo": [], "statuspage": []}
    cpu: dict[str, list[float]] = {"hugo": [], "statuspage": []}
    rss: dict[str, list[float]] = {"hugo": [], "statuspage": []}
    files: dict[str, int] = {}
    before = load()
    for i in range(pairs):
        for name in ("hugo", "statuspage"):
            for folder in (hugo_out, ours_out, hugo_site / "resources"):
                shutil.rmtree(folder, ignore_errors=True)
            if fresh_user_cache:
                user_cache = OUT / "user-cache"
                shutil.rmtree(user_cache, ignore_errors=True)
                os.environ["XDG_CACHE_HOME"] = str(user_cache)
            used = os.times()
            seconds, peak, _ = run_child(commands[name])
            after = os.times()
            times[name].append(seconds)
            cpu[name].append(
                after.children_user
                + after.children_system
                - used.children_user
                - used.children_system
            )
            rss[name].append(peak)
            files[name] = tree_size(hugo_out if name == "hugo" else ours_out)[0]
            print(
                f"   pair {i + 1} {name:<11} {seconds:8.2f} s   {cpu[name][-1]:6.2f} CPU s   "
                f"{peak:7.1f} MB",
                flush=True,
            )
    ratios = [h / o for h, o in zip(times["hugo"], times["statuspage"], strict=True)]
    row: dict[str, object] = {
        "n": n,
        "site": site.name if site else None,
        "fresh_user_cache": fresh_user_cache,
        "pairs": pairs,
        "hugo_version": version,
        "cstate_commit": commit.stdout.strip() or None,
        "load_before": before,
        "load_after": load(),
        "files": files,
        "ratio_median": round(statistics.median(ratios), 2),
        "ratio_range": [round(min(ratios), 2), round(max(ratios), 2)],
    }
    for name in times:
        row[name] = {
            "seconds": round(statistics.median(times[name]), 3),
            "runs": [round(t, 3) for t in times[name]],
            "cpu_seconds": round(statistics.median(cpu[name]), 2),
            "peak_rss_mb": round(max(rss[name]), 1),
        }
    print(
        f"   Hugo + cState / statuspage, wall: {row['ratio_median']}x (median of {pairs} pairs; "
        f"{row['ratio_range'][0]}-{row['ratio_range'][1]}x)",
        flush=True,
    )  # type: ignore[index]
    return row


def cstate_table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| N | Hugo + cState s (CPU s) | statuspage build --no-cache s (CPU s) | ratio, wall "
        "(range) | ratio, CPU | pairs | output files (Hugo / ours) | load before → after |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        h, o = r["hugo"], r["statuspage"]
        what = f"{r['n']:,}" + (f" ({r['site']})" if r.get("site") else "")
        what += ", fresh user cache" if r.get("fresh_user_cache") else ""
        cpu = h["cpu_seconds"] / max(o["cpu_seconds"], 0.01)  # type: ignore[index]
        lines.append(
            f"| {what} | {h['seconds']:.2f} ({h['cpu_seconds']:.1f}) | {o['seconds']:.2f} "
            f"({o['cpu_seconds']:.1f}) | "  # type: ignore[index]
            f"{r['ratio_median']}x ({r['ratio_range'][0]}\u2013{r['ratio_range'][1]}x) | "
            f"{cpu:.2f}x | {r['pairs']} | "  # type: ignore[index]
            f"{r['files']['hugo']:,} / {r['files']['statuspage']:,} | {r['load_before'][0]} → "
            f"{r['load_after'][0]} |"  # type: ignore[index]
        )
    return "\n".join(lines)


BUILDS = ("cold", "noop", "edit", "add", "later_now")  # the builds whose peak RSS is shown


def seconds_of(row: dict[str, object], key: str) -> float:
    return row[key]["seconds"]  # type: ignore[index,no-any-return]


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| N | floor s | cold s (x floor) | no-op s | edit 1 s | add 1 s | later now s | serve "
        "save s | peak RSS MB (cold) | output files / MB | index.html kB | summary.json kB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        f = partial(seconds_of, r)
        o = r["output"]
        lines.append(
            f"| {r['n']:,} | {f('floor'):.2f} | {f('cold'):.2f} ({r['cold']['x_floor']}x) | "
            f"{f('noop'):.2f} | "  # type: ignore[index]
            f"{f('edit'):.2f} | {f('add'):.2f} | {f('later_now'):.2f} | {f('serve_save'):.2f} | "
            f"{r['cold']['peak_rss_mb']:.0f} "  # type: ignore[index]
            "(max of all builds "
            f"{max(r[k]['peak_rss_mb'] for k in BUILDS):.0f}) | "  # type: ignore[index]
            f"{o['files']:,} / {o['megabytes']} | {o['index_html_kb']} | {o['summary_json_kb']} |"  # type: ignore[index]
        )
    return "\n".join(lines)


def sizes(text: str) -> list[int]:
    """`1000,10000` (or one size): the N to measure."""
    return [int(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large", action="store_true", help="also N = 100,000")
    parser.add_argument(
        "--sizes",
        type=sizes,
        nargs="*",
        help="instead of 1,000 and 10,000 (1000,10000 or 1000 10000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement; the median is kept"
    )
    parser.add_argument(
        "--cstate",
        type=Path,
        metavar="DIR",
        help="a cState checkout: also time Hugo + cState cold beside us (needs hugo on PATH)",
    )
    parser.add_argument(
        "--cstate-sizes",
        type=sizes,
        nargs="*",
        default=[[1_000]],
        help="N for the cState comparison",
    )
    parser.add_argument(
        "--cstate-site",
        type=Path,
        nargs="*",
        default=[],
        metavar="DIR",
        help="real cState sites (config.yml, content/issues/) to compare on too",
    )
    parser.add_argument(
        "--fresh-user-cache",
        action="store_true",
        help="each of our builds with an empty $XDG_CACHE_HOME (as on a fresh CI runner)",
    )
    parser.add_argument("--cstate-only", action="store_true", help="only the cState comparison")
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--serve-saves", type=Path, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:
        floor(args.floor)
        return
    if args.serve_saves:
        serve_saves(*args.serve_saves)
        return
    sizes_ = (
        [n for group in args.sizes for n in group]
        if args.sizes
        else [1_000, 10_000] + ([100_000] if args.large else [])
    )
    if args.cstate_only and not args.cstate:
        parser.error("--cstate-only needs --cstate DIR")
    spec = importlib.util.find_spec("statuspage")
    if spec is not None and spec.origin is not None:
        compile_package(Path(spec.origin).parent)
    rows = [] if args.cstate_only else [measure(n, args.seed, args.repeat) for n in sizes_]
    starts = [] if args.cstate_only else measure_startup(max(args.repeat, 5), [None])
    fresh = args.fresh_user_cache
    versus = (
        [
            versus_cstate(n, args.seed, args.cstate, args.repeat, fresh_user_cache=fresh)
            for group in args.cstate_sizes
            for n in group
        ]
        + [
            versus_cstate(0, args.seed, args.cstate, args.repeat, site=site, fresh_user_cache=fresh)
            for site in args.cstate_site
        ]
        if args.cstate
        else []
    )
    machine = {
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    print(f"\n{machine}\n")
    if rows:
        print(f"{table(rows)}\n")
    if starts:
        print(f"{startup_table(starts)}\n")
    if versus:
        print(f"{cstate_table(versus)}\n")
    results = {"machine": machine, "results": rows, "startup": starts, "cstate": versus}
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwritten to {args.json}")


if __name__ == "__main__":
    main()
