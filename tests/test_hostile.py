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

import re
from pathlib import Path

import pytest

from .conftest import parse_html
from .support.hostile_cases import (
    ALL_CASES,
    CONFIG,
    CORPUS,
    GENERATED,
    NOW,
    incident_bytes,
    make_case,
    parse_expect,
    put,
    run,
)
from .support.inert import assert_inert, printed_dangers

# `path:line: message`, `path: message` (line unknown) or `error: message`.
PROBLEM_LINE = re.compile(r"^(error: .+|[^\s:][^:]*(:\d+)?: .+|\d+ errors? in \d+ files?)$")


# --- generated cases: (make files in root; `outside` is a folder beside the site), expect


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
ALERT_SITE = (
    CONFIG.replace("Europe/Berlin", "America/Los_Angeles")
    + """\
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
)


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
    result = run(
        "alert", "--format", fmt, "--now", "2026-12-01T12:00:00Z", "--source", str(root), str(body)
    )
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
    from .support.alert_sites import ALERT_CONFIG, AlertSite

    return AlertSite(tmp_path / "site", ALERT_CONFIG)


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_alert_prints_hostile_labels_as_inert_lines(alert_site, text: str) -> None:
    """A label name quoted in an error, an alert name in `ignored ...`: one inert line each."""
    from .support.alert_sites import alertmanager_body

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
    from .support.alert_sites import alertmanager_body
    from .support.relay import FakeGitHub, exchange, relay, request

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
