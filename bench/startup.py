"""What a command costs before it does anything: `statuspage --help` and `statuspage alert`
on a small site, each paired with `python -c "import click"` run just before it.

    python bench/startup.py                      # the installed statuspage, 7 pairs
    python bench/startup.py --code ../before --code . --pairs 9   # two checkouts, interleaved
    python bench/startup.py --edits              # `check` and `new` on the small site too

Each run is a fresh interpreter, timed by the wall clock from outside, as a CI job runs
it, and by its CPU seconds (user + system, which a loaded machine disturbs less), with
bytecode cached as an installed package has it (one untimed round first).
`alert` applies one webhook body (our json format) that opens an incident on a copy of a
generated 50-incident site with one `alerts:` rule; the copy is made before the
clock starts. Prints the median of each command, its median ratio to the paired
`import click` and the range of those ratios (wall, and CPU), with the machine's load; run.py prints
the same rows beside the build benchmarks. The target (issue 31): within 2x of click.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import NOW, generate  # noqa: E402

OUT = HERE / "out"
RULES = """\
alerts:
  publish: direct
  rules:
    - id: checkout
      match: {alertname: CheckoutErrors}
      components: {rest: major_outage}
      title: Checkout is failing
"""
BODY = {
    "alerts": [
        {
            "id": "bench-1",
            "status": "firing",
            "starts_at": "2026-06-01T11:50:00Z",
            "labels": {"alertname": "CheckoutErrors"},
            "summary": "Checkout error rate above 5%",
        }
    ]
}
CLICK = [sys.executable, "-c", "import click"]


def small_site(folder: Path) -> tuple[Path, Path]:
    """A 50-incident site with one alert rule in *folder*, and a body that opens an incident."""
    site = folder / "startup-site"
    generate(50, 1, site)
    with (site / "statuspage.yaml").open("a", encoding="utf-8") as config:
        config.write(RULES)
    body = folder / "startup-body.json"
    body.write_text(json.dumps(BODY), encoding="utf-8")
    return site, body


def child_env(code: Path | None) -> dict[str, str]:
    """The environment of every timed child: PYTHONPATH=*code* when given, and bytecode
    cached (in bench/out, not beside the code) as an installed package has it; with
    PYTHONDONTWRITEBYTECODE set, each run would compile statuspage from source while
    click, installed from a wheel, is read from its .pyc files."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    return dict(env, PYTHONPATH=str(code)) if code else env


def timed(command: list[str], code: Path | None, cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of *command* in a fresh process."""
    env = child_env(code)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def measure(
    pairs: int, codes: list[Path | None], *, edits: bool = False
) -> list[dict[str, object]]:
    """Rows of (checkout, command): each command's runs and its paired `import click` runs;
    with *edits*, `check` and `new` on the same site too (they load it all)."""
    site, body = small_site(OUT)
    work = OUT / "startup-site-run"
    commands = {
        "statuspage --help": [sys.executable, "-m", "statuspage", "--help"],
        "statuspage alert (small site)": [
            sys.executable,
            "-m",
            "statuspage",
            "alert",
            "--format",
            "json",
            "--now",
            NOW,
            "--source",
            str(work),
            str(body),
        ],
    }
    if edits:
        source = ["--source", str(work)]
        commands["statuspage check (small site)"] = [
            sys.executable,
            "-m",
            "statuspage",
            "check",
            *source,
        ]
        commands["statuspage new (small site)"] = [
            sys.executable, "-m", "statuspage", "new", "Slow API", *source,
            "--at", "2026-06-01 12:00", "--message", "We are looking into it.",
        ]  # fmt: skip
    # (click, command) runs of each, each run (wall, CPU) seconds
    runs = {(code, label): ([], []) for code in codes for label in commands}
    for round_ in range(pairs + 1):  # round 0, untimed, writes the bytecode
        for code in codes:
            for label, command in commands.items():
                shutil.rmtree(work, ignore_errors=True)
                shutil.copytree(site, work)
                click, ours = timed(CLICK, None), timed(command, code, cwd=work)
                if round_ > 0:
                    runs[(code, label)][0].append(click)
                    runs[(code, label)][1].append(ours)
    return [row(code, label, *times, pairs) for (code, label), times in runs.items()]


def row(
    code: Path | None,
    label: str,
    clicks: list[tuple[float, float]],
    ours: list[tuple[float, float]],
    pairs: int,
) -> dict[str, object]:
    ratios = [b[0] / a[0] for a, b in zip(clicks, ours, strict=True)]
    cpu_ratios = [b[1] / a[1] for a, b in zip(clicks, ours, strict=True) if a[1] > 0]
    return {
        "code": str(code or "installed"),
        "command": label,
        "pairs": pairs,
        "load": os.getloadavg()[0],
        "seconds": round(statistics.median(t[0] for t in ours), 3),
        "click_seconds": round(statistics.median(t[0] for t in clicks), 3),
        "x_click": round(statistics.median(ratios), 2),
        "x_click_range": [round(min(ratios), 2), round(max(ratios), 2)],
        "cpu_seconds": round(statistics.median(t[1] for t in ours), 3),
        "click_cpu_seconds": round(statistics.median(t[1] for t in clicks), 3),
        "x_click_cpu": round(statistics.median(cpu_ratios), 2),
        "runs": [round(t[0], 3) for t in ours],
        "cpu_runs": [round(t[1], 3) for t in ours],
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = ['| code | command | s (CPU s) | python -c "import click" s (CPU s) | '
             "x click (range) | x click, CPU | pairs | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in rows:
        low, high = r["x_click_range"]  # type: ignore[misc]
        lines.append(
            f"| {r['code']} | {r['command']} | {r['seconds']:.3f} ({r['cpu_seconds']:.3f}) | "
            f"{r['click_seconds']:.3f} ({r['click_cpu_seconds']:.3f}) | "
            f"{r['x_click']}x ({low}\u2013{high}x) | {r['x_click_cpu']}x | {r['pairs']} | "
            f"{r['load']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument(
        "--edits", action="store_true", help="time `check` and `new` on the small site too"
    )
    parser.add_argument(
        "--code",
        type=Path,
        action="append",
        help="a checkout to time (PYTHONPATH); repeat to interleave several",
    )
    args = parser.parse_args()
    codes: list[Path | None] = [c.resolve() for c in args.code] if args.code else [None]
    print(table(measure(args.pairs, codes, edits=args.edits)))


if __name__ == "__main__":
    main()
