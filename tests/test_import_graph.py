"""No stage imports another: scrape, normalize, tag, render, package (with its note type and
package reader) and identity import only the ground floor and their own stage, and the ground
floor imports no stage. Read from the source (ast), imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ankigen"
GROUND_FLOOR = {"ankigen.record", "ankigen.errors", "ankigen.asking", "ankigen.jsontext",
                "ankigen.notebook", "ankigen.html_page",
                "ankigen.sources", "ankigen.files", "ankigen.lexicon", "ankigen.fields",
                "ankigen.code_style", "ankigen.note_identity", "ankigen.media"}
STAGES = {  # stage: the modules (and packages) that are it
    "scrape": {"ankigen.scrape"}, "normalize": {"ankigen.normalize"}, "tag": {"ankigen.tag"},
    "render": {"ankigen.render"}, "identity": {"ankigen.identity"},
    "package": {"ankigen.package", "ankigen.model", "ankigen.apkg"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _imports(path: Path) -> set[str]:
    """The ankigen modules a module imports (``from .pkg import name``: the submodule ``name``
    where there is one, else ``pkg``)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = parts[:len(parts) - node.level + 1] if node.level else []
            source = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if _is_module(submodule) else source)
    return {module for module in found if module.split(".")[0] == "ankigen"}


def _within(module: str, names: set[str]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in names)


def _stage(module: str) -> str | None:
    return next((stage for stage, names in STAGES.items() if _within(module, names)), None)


GRAPH = {_module_name(path): _imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def _forbidden_edges() -> set[tuple[str, str]]:
    """Stage -> other stage or orchestration; ground floor -> anything but the ground floor."""
    edges = set()
    for module, imported in GRAPH.items():
        stage = _stage(module)
        if stage is None and not _within(module, GROUND_FLOOR):
            continue  # orchestration (build, pipeline, preview, cli, ...) may import stages
        allowed = GROUND_FLOOR | (STAGES[stage] if stage else set())
        edges.update((module, target) for target in imported
                     if target != "ankigen" and not _within(target, allowed))
    return edges


def test_the_graph_is_read():
    assert "ankigen.render.code" in GRAPH["ankigen.render"]  # a relative import, resolved
    assert "ankigen.fields" in GRAPH["ankigen.package"]
    assert {"ankigen.scrape", "ankigen.normalize", "ankigen.tag", "ankigen.render",
            "ankigen.package", "ankigen.identity", "ankigen.record"} <= set(GRAPH)


def test_no_stage_imports_another_stage():
    assert _forbidden_edges() == set()
