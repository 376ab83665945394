"""What a command costs before it does anything: `statuspage --help` and `statuspage alert`
on a small site, each paired with `python -c "import click"` run just before it.

    python bench/startup.py                      # the installed statuspage, 7 pairs
    python bench/startup.py --code ../before --code . --pairs 9   # two checkouts, interleaved

Each run is a fresh interpreter, timed by the wall clock from outside, as a CI job runs
it, with bytecode cached as an installed package has it (one untimed round first).
`alert` applies one webhook body (our json format) that opens an incident on a copy of a
generated 50-incident site with one `alerts:` rule; the copy is made before the
clock starts. Prints the median of each command, its median ratio to the paired
`import click` and the range of those ratios, with the machine's load; run.py prints
the same rows beside the build benchmarks. The target (issue 31): within 2x of click.
"""

from __future__ import annotations

import argparse
import json
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


def timed(command: list[str], code: Path | None, cwd: Path | None = None) -> float:
    """Wall seconds of *command* in a fresh process."""
    env = child_env(code)
    start = time.perf_counter()
    subprocess.run(
        command, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def measure(pairs: int, codes: list[Path | None]) -> list[dict[str, object]]:
    """Rows of (checkout, command): each command's runs and its paired `import click` runs."""
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
    runs = {(code, label): ([], []) for code in codes for label in commands}  # (click, command)
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
    code: Path | None, label: str, clicks: list[float], ours: list[float], pairs: int
) -> dict[str, object]:
    ratios = [b / a for a, b in zip(clicks, ours, strict=True)]
    return {
        "code": str(code or "installed"),
        "command": label,
        "pairs": pairs,
        "load": os.getloadavg()[0],
        "seconds": round(statistics.median(ours), 3),
        "click_seconds": round(statistics.median(clicks), 3),
        "x_click": round(statistics.median(ratios), 2),
        "x_click_range": [round(min(ratios), 2), round(max(ratios), 2)],
        "runs": [round(t, 3) for t in ours],
    }


def table(rows: list[dict[str, object]]) -> str:
    lines = ['| code | command | s | python -c "import click" s | x click (range) | pairs | load |',
             "|---|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for r in rows:
        low, high = r["x_click_range"]  # type: ignore[misc]
        lines.append(
            f"| {r['code']} | {r['command']} | {r['seconds']:.3f} | {r['click_seconds']:.3f} | "
            f"{r['x_click']}x ({low}\u2013{high}x) | {r['pairs']} | {r['load']:.2f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument(
        "--code",
        type=Path,
        action="append",
        help="a checkout to time (PYTHONPATH); repeat to interleave several",
    )
    args = parser.parse_args()
    codes: list[Path | None] = [c.resolve() for c in args.code] if args.code else [None]
    print(table(measure(args.pairs, codes)))


if __name__ == "__main__":
    main()
