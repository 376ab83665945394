"""The package stays readable: small modules, short functions (ARCHITECTURE.md, "Sizes").

Limits are the ones CONTRIBUTING.md states; a module or function past them is split into
named steps rather than given an exception here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "statuspage"
MODULE_LINES = 400
FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_module_is_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, (
        f"{_name(path)} has {lines} lines (limit {MODULE_LINES}): split it by what its parts hold"
    )


def test_functions_are_short() -> None:
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > FUNCTION_LINES:
                    long.append(f"{_name(path)}:{node.lineno}: {node.name} has {lines} lines")
    assert not long, (
        f"functions over {FUNCTION_LINES} lines (make them named steps):\n" + "\n".join(long)
    )
