"""The hostile corpus: every input either fails with located messages or builds inert.

Cases live in tests/corpus/hostile/<case>/ (an `expect` file, and a
statuspage.yaml and/or incidents/ that replace the defaults); inputs whose
bytes are awkward to keep in git (binary, wrong encodings, huge files,
symlinks) are generated below. `expect` holds:

    outcome: build | error
    located: <path>[:<line>]: <part of the message>   (error; one or more)
    shows: <text a reader must see, escaped>         (build; zero or more)

Both `check` and `build` run in-process, and must never show a traceback.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from statuspage.commands.main import cli

from .conftest import parse_html
from .inert import assert_inert, printed_dangers

CORPUS = Path(__file__).parent / "corpus" / "hostile"
NOW = "2026-11-21 12:00 +01:00"
CONFIG = """\
title: Corpus Status
base_url: https://status.corpus.example/
timezone: Europe/Berlin
components:
  - id: api
    name: Public API
"""
GOOD = "---\ntitle: {title}\nimpact: minor\ncomponents:\n  api: partial_outage\n---\n\n## Investigating · 2026-11-20 10:00\n{body}\n"
# `path:line: message`, `path: message` (line unknown) or `error: message`.
PROBLEM_LINE = re.compile(r"^(error: .+|[^\s:][^:]*(:\d+)?: .+|\d+ errors? in \d+ files?)$")


@dataclass
class Expect:
    outcome: str
    located: list[str] = field(default_factory=list)
    shows: list[str] = field(default_factory=list)


def parse_expect(text: str) -> Expect:
    fields: dict[str, list[str]] = {"outcome": [], "located": [], "shows": []}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition(": ")
            fields[key].append(value)
    (outcome,) = fields["outcome"]
    assert outcome in ("build", "error")
    return Expect(outcome, fields["located"], fields["shows"])


# --- generated cases: (make files in root; `outside` is a folder beside the site), expect


def incident_bytes(title: str = "T", body: str = "x") -> bytes:
    return GOOD.format(title=title, body=body).encode()


def put(root: Path, name: str, data: bytes) -> None:
    (root / "incidents" / name).write_bytes(data)


Setup = Callable[[Path, Path], None]
N = "2026-11-20-x.md"


def _binary(root: Path, _: Path) -> None:
    put(root, N, random.Random(7).randbytes(4096) + b"\0")


def _binary_no_nul(root: Path, _: Path) -> None:
    put(
        root,
        N,
        b"---\ntitle: T\n---\n"
        + bytes(random.Random(8).randrange(0x80, 0x100) for _ in range(2000)),
    )


def _latin1(root: Path, _: Path) -> None:
    put(root, N, incident_bytes("Störung der API").decode().encode("latin-1"))


def _utf16(root: Path, _: Path) -> None:
    put(root, N, incident_bytes("UTF-16 title").decode().encode("utf-16"))


def _utf8_bom(root: Path, _: Path) -> None:
    put(root, N, b"\xef\xbb\xbf" + incident_bytes("BOM title"))


def _huge(root: Path, _: Path) -> None:
    put(root, N, incident_bytes("Huge", "all work and no play " * 60_000))


def _huge_pathological_markdown(root: Path, _: Path) -> None:
    # Just under the size cap; Python-Markdown alone takes hours on this.
    body = "[" * 200_000 + "\n\n" + "<a " * 100_000 + "\n\n" + "*a* `b` " * 50_000 + "\n\nthe end"
    put(root, N, incident_bytes("Pathological", body))


def _raw_control_characters(root: Path, _: Path) -> None:
    put(root, N, incident_bytes("T", "plain\n\nterminal \x1b[2J\x1b]0;pwned\x07 escape"))


def _nul_late(root: Path, _: Path) -> None:
    put(root, N, incident_bytes("T", "x" * 10_000 + "\n\nhidden \0 byte"))


def _symlink_outside(root: Path, outside: Path) -> None:
    (outside / "secret.md").write_bytes(incident_bytes("Secret"))
    (root / "incidents" / N).symlink_to(outside / "secret.md")


def _incidents_dir_outside(root: Path, outside: Path) -> None:
    (root / "incidents").rmdir()
    (outside / N).write_bytes(incident_bytes("Elsewhere"))
    (root / "incidents").symlink_to(outside)


def _dangling_symlink(root: Path, outside: Path) -> None:
    (root / "incidents" / N).symlink_to(root / "incidents" / "missing.md")


def _directory_named_md(root: Path, _: Path) -> None:
    (root / "incidents" / N).mkdir()


def _fifo(root: Path, _: Path) -> None:
    os.mkfifo(root / "incidents" / N)


def _config_symlink_outside(root: Path, outside: Path) -> None:
    (outside / "statuspage.yaml").write_text(CONFIG)
    (root / "statuspage.yaml").unlink()
    (root / "statuspage.yaml").symlink_to(outside / "statuspage.yaml")


def _config_binary(root: Path, _: Path) -> None:
    (root / "statuspage.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))


def _config_huge(root: Path, _: Path) -> None:
    (root / "statuspage.yaml").write_text(
        CONFIG + "".join(f"# padding line {i}\n" for i in range(80_000))
    )


def _config_crlf_bom_tabs_in_values(root: Path, _: Path) -> None:
    text = CONFIG.replace("Corpus Status", '"Tabbed\\tStatus"').replace("\n", "\r\n")
    (root / "statuspage.yaml").write_bytes(b"\xef\xbb\xbf" + text.encode())


L = f"incidents/{N}"
GENERATED: dict[str, tuple[Setup, str]] = {
    "binary-garbage": (_binary, f"outcome: error\nlocated: {L}:1: not a text file"),
    "binary-without-nul": (_binary_no_nul, f"outcome: error\nlocated: {L}:4: not valid UTF-8"),
    "latin-1-encoding": (_latin1, f"outcome: error\nlocated: {L}:2: not valid UTF-8"),
    "utf-16-encoding": (_utf16, f"outcome: error\nlocated: {L}:1: UTF-16"),
    "utf-8-bom": (_utf8_bom, "outcome: build\nshows: BOM title"),
    "huge-file": (_huge, f"outcome: error\nlocated: {L}: larger than 1000 kB"),
    "huge-pathological-markdown": (_huge_pathological_markdown, "outcome: build\nshows: the end"),
    "raw-terminal-escapes": (_raw_control_characters, f"outcome: error\nlocated: {L}:11: control character U+001B"),
    "nul-byte-after-8k": (_nul_late, f"outcome: error\nlocated: {L}:11: control character U+0000"),
    "symlink-outside": (_symlink_outside, f"outcome: error\nlocated: {L}: a link to outside the site folder"),
    "incidents-dir-outside": (_incidents_dir_outside, f"outcome: error\nlocated: {L}: a link to outside the site folder"),
    "dangling-symlink": (_dangling_symlink, f"outcome: error\nlocated: {L}: not a regular file"),
    "directory-named-md": (_directory_named_md, f"outcome: error\nlocated: {L}: not a regular file"),
    "fifo-named-md": (_fifo, f"outcome: error\nlocated: {L}: not a regular file"),
    "config-symlink-outside": (_config_symlink_outside, "outcome: error\nlocated: statuspage.yaml: a link to outside the site folder"),
    "config-binary": (_config_binary, "outcome: error\nlocated: statuspage.yaml:1: not a text file"),
    "config-huge": (_config_huge, "outcome: error\nlocated: statuspage.yaml: larger than 1000 kB"),
    "config-crlf-bom-tab-escape": (_config_crlf_bom_tabs_in_values, "outcome: build\nshows: Tabbed Status"),
}  # fmt: skip

STORED = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
ALL_CASES = [*STORED, *GENERATED]


def make_case(name: str, tmp_path: Path) -> tuple[Path, Expect]:
    root, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    if name in GENERATED:
        setup, expect = GENERATED[name]
        (root / "incidents").mkdir(parents=True)
        (root / "statuspage.yaml").write_text(CONFIG)
        setup(root, outside)
        return root, parse_expect(expect)
    shutil.copytree(CORPUS / name, root, symlinks=True)
    if not (root / "statuspage.yaml").exists():
        (root / "statuspage.yaml").write_text(CONFIG)
    return root, parse_expect((root / "expect").read_text(encoding="utf-8"))


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.output
    return result


def test_corpus_is_big_and_covers_both_outcomes() -> None:
    outcomes = [make_outcome(name) for name in ALL_CASES]
    assert len(ALL_CASES) >= 40
    assert outcomes.count("build") >= 15 and outcomes.count("error") >= 15


def make_outcome(name: str) -> str:
    if name in GENERATED:
        return parse_expect(GENERATED[name][1]).outcome
    return parse_expect((CORPUS / name / "expect").read_text(encoding="utf-8")).outcome


@pytest.mark.parametrize("name", ALL_CASES)
def test_hostile_input(name: str, tmp_path: Path) -> None:
    root, expect = make_case(name, tmp_path)
    out = tmp_path / "out"
    check = run("check", "--source", str(root))
    build = run("build", "--source", str(root), "--out", str(out), "--now", NOW)
    if expect.outcome == "error":
        assert (check.exit_code, build.exit_code) == (1, 1), check.output + build.output
        assert not out.exists(), "a failed build must write nothing"
        for result in (check, build):
            lines = result.output.splitlines()
            assert all(PROBLEM_LINE.match(line) for line in lines), lines
            assert printed_dangers(result.output) == [], lines
            for located in expect.located:
                where, message = located.split(": ", 1)
                assert any(line.startswith(f"{where}: ") and message in line for line in lines), (
                    located,
                    lines,
                )
        return
    assert (check.exit_code, build.exit_code) == (0, 0), check.output + build.output
    report = assert_inert(out)
    text = " ".join(
        " ".join(parse_html(out / rel).text_content().split())
        for rel in report
        if rel.endswith(".html")
    )
    for shown in expect.shows:
        assert " ".join(shown.split()) in text, f"{shown!r} is not shown as text"


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_file_name_cannot_forge_output_lines(tmp_path: Path, fmt: str) -> None:
    """A name with a newline and `::` stays on its problem's line, escaped."""
    root = tmp_path / "site"
    (root / "incidents").mkdir(parents=True)
    (root / "statuspage.yaml").write_text(CONFIG)
    put(root, "2026-11-20-x\n::error file=forged.md::pwned,x.md", incident_bytes())
    result = run("check", "--source", str(root), "--format", fmt)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2, lines  # the problem and the summary
    assert "\\n" in lines[0] and "forged.md" in lines[0]
    if fmt == "github":
        forged = "incidents/2026-11-20-x\\n%3A%3Aerror file=forged.md%3A%3Apwned%2Cx.md"
        assert lines[0].startswith(f"::error file={forged},line=1::")


# --- hostile alert bodies: numbers and times no monitor sends (tests/corpus/hostile-alerts/)

ALERT_CORPUS = Path(__file__).parent / "corpus" / "hostile-alerts"
ALERT_EXPECT = dict(
    line.split(": ", 1)
    for line in (ALERT_CORPUS / "expect").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
# West of UTC, so an instant near 1970 is a day in 1969 there.
ALERT_SITE = CONFIG.replace("Europe/Berlin", "America/Los_Angeles") + """\
alerts:
  publish: direct
  rules:
    - match: {alertname: CheckoutErrorRate}
      components: {api: major_outage}
    - match: {team: blue}
      components: {api: partial_outage}
    - match: {monitor: Checkout}
      components: {api: major_outage}
    - match: {check: login}
      components: {api: major_outage}
"""


def test_alert_corpus_covers_every_format() -> None:
    assert sorted(p.stem for p in ALERT_CORPUS.glob("*.json")) == sorted(ALERT_EXPECT)
    formats = [name.split("--")[0] for name in ALERT_EXPECT]
    assert all(formats.count(f) >= 4 for f in ("alertmanager", "grafana", "uptime-kuma", "json"))


@pytest.mark.parametrize("name", sorted(ALERT_EXPECT))
def test_hostile_alert_body(name: str, tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "incidents").mkdir(parents=True)
    (root / "statuspage.yaml").write_text(ALERT_SITE)
    body = ALERT_CORPUS / f"{name}.json"
    fmt = name.split("--")[0]
    result = run("alert", "--format", fmt, "--now", "2026-12-01T12:00:00Z", "--source", str(root), str(body))
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {body}: ") and line.endswith("; nothing was written"), line
    assert ALERT_EXPECT[name] in line, line
    assert "internal error" not in line and "sys.set_int_max_str_digits" not in line
    assert list((root / "incidents").iterdir()) == []


# --- printed text: hostile input reaches a terminal or a CI log as one inert line

HOSTILE_TEXT = [
    "x\n::error file=forged.md,line=1::pwned",
    "x\r\n::add-mask::secret",
    "x\n  ::warning::indented after whitespace",
    "x\n\u00a0\u200b::notice::after a no-break and a zero-width space",
    "x\n##[error]the older command form",
    "\x1b]0;pwned title\x07\x1b[2J\x1b[31mred\x1b[0m",  # OSC, then CSI
    "\x9b31mC1 CSI\x9d0;C1 OSC\x9c",
    "carriage\rvtab\x0bform\x0cfile-sep\x1cnel\x85del\x7f",
    "para\u2028line\u2029sep",
    "bidi \u202egnp.exe\u202c \u2066isolate\u2069 \u200fmark\u061c",
]


@pytest.fixture
def alert_site(tmp_path: Path):
    from .test_alerts import ALERT_CONFIG, AlertSite

    return AlertSite(tmp_path / "site", ALERT_CONFIG)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_alert_prints_hostile_labels_as_inert_lines(alert_site, text: str) -> None:
    """A label name quoted in an error, an alert name in `ignored ...`: one inert line each."""
    from .test_alerts import alertmanager_body

    refused = alert_site.alert("alertmanager", alertmanager_body({"labels": {text: 5}}))
    assert refused.exit_code == 1 and alert_site.tree() == {}
    assert len(refused.output.splitlines()) == 1, refused.output
    assert printed_dangers(refused.output) == [], refused.output

    ignored = alert_site.alert("alertmanager", alertmanager_body({"labels": {"alertname": text}}))
    assert ignored.exit_code == 0 and alert_site.tree() == {}
    assert ignored.output.startswith("ignored ") and len(ignored.output.splitlines()) == 2
    assert printed_dangers(ignored.output) == [], ignored.output


def test_relay_answers_and_logs_hostile_label_names_as_inert_lines() -> None:
    """The relay's 400 answers and its log quote the monitor's label names: one inert line each."""
    from .test_alerts import alertmanager_body
    from .test_relay import FakeGitHub, exchange, relay, request

    github = FakeGitHub()
    try:
        with relay(github) as r:
            for text in HOSTILE_TEXT:
                body = alertmanager_body({"labels": {text: 5}}).encode()
                code, said = exchange(r.port, request(body))  # the answer is checked inert
                assert code == 400, said
    finally:
        github.close()
    assert github.requests == []
    assert len(r.stderr.splitlines()) == len(HOSTILE_TEXT) + 1  # the start line, one per body
    assert printed_dangers(r.stderr) == [], r.stderr
