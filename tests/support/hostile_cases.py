"""Shared by test modules: the stored and generated hostile-text cases."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner, Result

from statuspage.commands.main import cli

CORPUS = Path(__file__).parent.parent / "corpus" / "hostile"


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
