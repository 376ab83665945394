"""Shared by test modules: cState sites to import from."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ..conftest import write

CONFIG = """\
title: Acme Status
baseURL: https://status.acme.example/
params:
  categories:
    - name: Core
      description: The important bits
      closed: true
    - name: Hidden
      untitled: true
  systems:
    - name: API
      category: Core
      description: |
        REST endpoints
    - name: Media Proxy
      displayName: Media proxy
      category: Core
    - name: Gateway
      category: Hidden
    - name: api
      category: Hidden
"""


def issue(front: str, body: str = "Something happened.") -> str:
    return f"---\n{textwrap.dedent(front).strip()}\nsection: issue\n---\n\n{textwrap.dedent(body).strip()}\n"


def cstate_site(root: Path, issues: dict[str, str], config: str = CONFIG) -> Path:
    write(root / "config.yml", config)
    (root / "content" / "issues").mkdir(parents=True, exist_ok=True)
    for name, text in issues.items():
        (root / "content" / "issues" / name).write_text(text, encoding="utf-8")
    return root
