"""The manual's Sphinx configuration (`bash .ci/docs` builds it, warnings as errors).

Why Sphinx + MyST-Parser + Furo (compared in December 2026): Sphinx releases steadily
(9.0.4 on 4 Dec 2025, 9.1.0 on 31 Dec 2025, 9.2.0 since) and has a large team; MyST-Parser
(5.2.0) lets the pages stay Markdown, as the README was; Furo (2025.12.19) is a maintained
theme whose search works from disk. The alternatives: MkDocs 1.x has had no release
since 1.6.1 (August 2024) and its maintainer left it for an incompatible 2.0; Material for
MkDocs (9.7.0, Nov 2025, the last feature release) is in maintenance mode, with fixes
promised only until November 2026, its team now building Zensical; Zensical is still
0.x (0.1.4), young and changing, without the strict cross-reference checks we need.
Sphinx's `-W --keep-going -n` turns every broken link, anchor or reference into an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "statuspage"
html_title = "statuspage manual"
extensions = ["myst_parser", "statuspage_docs"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "screenshots.sh"]
# Every link to a heading is checked: a missing anchor is an error (with -W).
myst_heading_anchors = 4
myst_enable_extensions = ["deflist"]
nitpicky = True
html_theme = "furo"
html_static_path: list[str] = []
# No "view source" links to the Markdown: the repository has it.
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
