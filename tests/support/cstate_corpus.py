"""Shared by test modules: the Jenkins cState corpus, where it is checked out."""

from __future__ import annotations

import pytest

from ..conftest import REPO

# shared/ sits beside the repository (in CI, and beside /work/main); git worktrees
# kept one folder further down find it one level up.
CORPUS = next(
    (p / "shared/corpora/jenkins-infra-status" for p in (REPO.parent, REPO.parent.parent)
     if (p / "shared/corpora/jenkins-infra-status/content/issues").is_dir()),
    None,
)  # fmt: skip


corpus_only = pytest.mark.skipif(
    CORPUS is None,
    reason="the Jenkins cState corpus (../shared/corpora/jenkins-infra-status) is not checked out beside the repository",
)
