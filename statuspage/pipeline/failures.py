"""Why a build failed, as the one line a user reads: shared by the commands and the preview."""

from __future__ import annotations

import contextlib
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from statuspage.errors import ContentError, UsageError
from statuspage.pipeline.writer import OutputError

if TYPE_CHECKING:
    import jinja2


def describe(error: BaseException, root: Path) -> str | None:
    """The message of an expected failure (paths relative to *root*); None for a bug."""
    if isinstance(error, (UsageError, OutputError, ContentError)):
        return str(error)  # a ContentError from the build: a site past its output budget
    if isinstance(error, loaded("jinja2", "TemplateError")):
        return f"template error: {template_location(error, root)}{error.message or error}"
    if isinstance(error, loaded("statuspage.pipeline.build", "OutputClash")):
        return str(error)
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error}{where}"
    return None


def loaded(module: str, name: str) -> Any:
    """The exception class *module*.*name*, or () (an `isinstance` that matches nothing) while
    *module* is not imported: nothing can have raised it then, and importing it only to
    compare would cost every command that never renders."""
    found = sys.modules.get(module)
    return getattr(found, name) if found is not None else ()


def template_location(error: jinja2.TemplateError, root: Path) -> str:
    """`file:line: ` of the template line that failed, for syntax and runtime errors alike."""
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        filename, line = error.filename, error.lineno
    else:
        # Jinja rewrites tracebacks so template frames carry the template's file and line.
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if not f.filename.endswith(".py")
        ]
        if not frames:
            return ""
        filename, line = frames[-1].filename, frames[-1].lineno or 0
    path = Path(filename)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(root.resolve())
    return f"{path.as_posix()}:{line}: "
