"""The package's layers, read from its imports (ast): the pipeline's folders only look downstream.

    inputs/ → compute/ → render/ → run/, with cli.py on top; the top-level modules (config,
    errors, names, numfmt, months, atomic) are shared by all, and bulletin.py assembles a
    month from inputs, compute and render's display text into hotline.render.model.Bulletin.
    With every parameter annotated (mypy, disallow_untyped_defs), a type from a forbidden layer
    would be an import here: compute cannot take a Bulletin, even duck-typed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "hotline"
LAYERS = ["inputs", "compute", "render", "run"]
# What each layer may not import.
FORBIDDEN = {
    "inputs": {"compute", "render", "run", "bulletin", "cli"},
    "compute": {"render", "run", "bulletin", "cli"},
    "render": {"run", "cli"},
    "run": {"cli"},
}
SHARED = {"config", "errors", "names", "numfmt", "months", "periods", "atomic"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, ast.stmt, bool]]:
    """(module imported from hotline, the statement, whether it is inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []

    def visit(node, in_function):
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.module and child.module.split(".")[0] == "hotline":
                names = [child.module] if child.module != "hotline" else [f"hotline.{a.name}" for a in child.names]
                found.extend((n, child, in_function) for n in names)
            elif isinstance(child, ast.Import):
                found.extend((a.name, child, in_function) for a in child.names if a.name.split(".")[0] == "hotline")
            if isinstance(child, ast.ImportFrom) and child.level:
                raise AssertionError(f"{path}: relative import; the layer test reads absolute ones")
            visit(child, inner)

    visit(tree, False)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def part(module: str) -> str:
    """'hotline.render.sections' → 'render'; 'hotline.config' → 'config'."""
    return module.split(".")[1] if "." in module else ""


def test_every_module_is_in_a_layer_or_shared():
    top = {part(m) for m in MODULES if m.count(".") == 1 and part(m) not in LAYERS}
    assert top <= SHARED | {"bulletin", "cli", "__main__", "notebook", "notebooks"}, top - SHARED


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_nothing_downstream(layer):
    wrong = [(m, target) for m, path in MODULES.items() if part(m) == layer
             for target, _, _ in imports(path) if part(target) in FORBIDDEN[layer]]
    assert not wrong, wrong


def test_only_the_command_line_imports_run():
    wrong = [(m, t) for m, path in MODULES.items() if part(m) not in {"run", "cli"}
             for t, _, _ in imports(path) if part(t) == "run"]
    assert not wrong, wrong


def test_no_import_cycles():
    graph = {m: {t if t in MODULES else t.rsplit(".", 1)[0] for t, _, _ in imports(p)} & MODULES.keys()
             for m, p in MODULES.items()}
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def walk(m, path):
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " → ".join(path[path.index(n):] + [n]))
            if n not in state:
                walk(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [m])


def _says_why(lines: list[str], i: int) -> bool:
    """A comment on line i, or above the run of import lines that line i belongs to."""
    if "#" in lines[i]:
        return True
    while i > 0 and lines[i - 1].lstrip().startswith(("from ", "import ")):
        i -= 1
    return i > 0 and lines[i - 1].lstrip().startswith("#")


def test_an_import_inside_a_function_says_why():
    """Imports belong at the top; one inside a function (to keep a command's start quick, or
    nbconvert out of the kernel) carries a comment saying so, on its line or above its group."""
    silent = []
    for m, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for func in ast.walk(ast.parse(source)):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_why(lines, node.lineno - 1):
                    silent.append(f"{m}:{node.lineno} {lines[node.lineno - 1].strip()}")
    assert not silent, "\n".join(sorted(set(silent)))
