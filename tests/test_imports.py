"""The import graph follows the data flow, one way:
files -> ingest -> Dataset -> analysis -> Result -> output / terminal / report; cli on top.
Read from the source with ast, so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "ncpi_cli"
BASE = "base"  # the vocabulary, the record types and the error kinds
LAYERS = {
    BASE: {BASE},
    "ingest": {BASE, "ingest"},
    "result": {BASE},
    "analysis": {BASE, "result", "analysis"},
    "presentation": {BASE, "result", "presentation"},
    "api": {BASE, "ingest", "result", "analysis", "api"},
    "cli": {BASE, "ingest", "result", "analysis", "presentation", "cli"},
}


def _layer(module: str) -> str:
    """The layer of a module, named relative to the package (`analysis.grades`)."""
    top = module.split(".")[0]
    if top in ("__init__", "domain", "errors", "model", "printable"):
        return BASE
    if top == "ingest":
        return "ingest"
    if top == "api":
        return "api"
    if top in ("output", "terminal", "report", "charts", "writing", "workbook"):
        return "presentation"
    if top in ("cli", "entry", "__main__"):
        return "cli"
    if top in ("result", "analysis"):
        return top
    raise AssertionError(f"place the new module {module!r} in a layer (tests/test_imports.py)")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1]) if parts[-1] == "__init__" and len(parts) > 1 else \
            ".".join(parts)
        out[name] = path
    return out


MODULES = _modules()


def _target(package: str, name: str) -> str:
    """A module if `package.name` is one, else the package itself (an attribute of it)."""
    joined = f"{package}.{name}".strip(".")
    if joined in MODULES:
        return joined
    return package or "__init__"


def imports(module: str) -> set[str]:
    """Modules of the package that `module` imports, named relative to the package."""
    path = MODULES[module]
    is_package = path.name == "__init__.py"
    here = module.split(".") if is_package else module.split(".")[:-1]
    if module == "__init__":
        here = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("ncpi_cli."):
                    found.add(_target(alias.name.removeprefix("ncpi_cli."), ""))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                package = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "ncpi_cli"
                                  or node.module.startswith("ncpi_cli.")):
                package = node.module.removeprefix("ncpi_cli").lstrip(".")
            else:
                continue
            for alias in node.names:
                found.add(_target(package, alias.name))
    return found - {module}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_follow_the_flow(module):
    layer = _layer(module)
    wrong = {m for m in imports(module) if _layer(m) not in LAYERS[layer]}
    assert not wrong, f"{module} ({layer}) imports {sorted(wrong)}"


def test_only_the_entry_point_imports_the_cli():
    users = {m for m in MODULES if "cli" in imports(m)}
    assert users == {"entry"}


def test_the_checker_sees_imports():
    """The resolution above finds the arrows it must judge (or the tests pass vacuously)."""
    assert {"result", "analysis.select", "analysis.common", "domain"} <= imports(
        "analysis.grades")
    assert "analysis.stats" in imports("analysis.compare")
    assert {"result", "charts"} <= imports("terminal")
    assert _layer("analysis.grades") == "analysis" and "cli" not in LAYERS["analysis"]
