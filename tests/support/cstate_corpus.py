"""Shared by test modules: the Jenkins cState corpus, where it is checked out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ..conftest import REPO

# $CSTATE_CORPUS (ci.yml checks the Jenkins status repository out at a fixed commit), or
# shared/corpora/ beside the repository or one folder further up (a git worktree).
CORPUS = next(
    (p for p in (
        *([Path(os.environ["CSTATE_CORPUS"])] if os.environ.get("CSTATE_CORPUS") else []),
        REPO.parent / "shared/corpora/jenkins-infra-status",
        REPO.parent.parent / "shared/corpora/jenkins-infra-status",
    ) if (p / "content/issues").is_dir()),
    None,
)  # fmt: skip


corpus_only = pytest.mark.skipif(
    CORPUS is None,
    reason="the Jenkins cState corpus is not reachable: set CSTATE_CORPUS, or check it out at ../shared/corpora/jenkins-infra-status",
)
