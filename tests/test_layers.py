"""The layers as the folders show them: no import circle (type-only and late imports counted),
no module too long to read, and faces that hold no store.

import-linter (``make test``'s gates) holds which layer may import which; these tests hold what
it does not see: an import inside ``if TYPE_CHECKING`` or inside a function is an import too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "safehome"
CATALOGUE_DATA = {PACKAGE / "i18n" / "catalogue.py"}  # the sentences themselves: data, not code
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Every safehome module this one imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(parent + ([node.module] if node.module else []))
            for alias in node.names:  # `from pkg import module` imports the module
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != name}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circles_type_only_and_late_imports_included() -> None:
    modules = _modules()
    graph = {name: _imports(path, name, set(modules)) for name, path in modules.items()}
    assert sum(len(v) for v in graph.values()) > 200  # the walk really reads the imports
    assert _circles(graph) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_module_over_600_lines_but_the_catalogue_data() -> None:
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in PACKAGE.rglob("*.py")
        if path not in CATALOGUE_DATA and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_faces_hold_no_store_and_call_none() -> None:
    """The CLI, the app and the web face go through the service (a Desk, a Session): no name or
    attribute called store, no Store, and no import of the layers below the service."""
    below = ("safehome.storage", "safehome.sync", "safehome.exchange", "safehome.reports")
    found = []
    faces = sorted((PACKAGE / "faces").rglob("*.py"))
    assert len(faces) >= 15
    for path in faces:
        where = path.relative_to(PACKAGE)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "_store", "conn"):
                found.append(f"{where}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.Name) and node.id in ("store", "Store"):
                found.append(f"{where}:{node.lineno}: {node.id}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(below):
                found.append(f"{where}:{node.lineno}: from {node.module}")
            elif isinstance(node, ast.Import) and any(a.name.startswith(below) for a in node.names):
                found.append(f"{where}:{node.lineno}: import")
    assert found == []


# ------------------------------------------------------------------ schema steps, named and never edited

RELEASED_SERVER_STEPS = {
    # the clinic server's schema step 1, as released (clinic servers in use are at version 1)
    "0001_clinic_store.sql": "c2b8133927ea62a51284d77cb6e2d61312a28f656ef970a7347df26bad1e9280",
    # step 2: a person is renamed only by a clinician with a visit of theirs, or a lead (issue 28)
    "0002_rename_only_by_a_visits_clinician.sql": "0080e75427c63e32856e1e5b4a459a02ecae506f2a3dda2bfde7f95fd3b98d69",
    # step 3: the laptops' audit events, claims by each laptop, read by a lead only (issue 34)
    "0003_laptop_audit.sql": "abc982b1798e205be47329410b0f1aa2eff563a3448545549eb59246e09690f7",
}


def test_released_server_steps_are_never_edited() -> None:
    import hashlib

    from safehome.sync.schema import HERE, MIGRATIONS

    for name, digest in RELEASED_SERVER_STEPS.items():
        assert hashlib.sha256((HERE / name).read_bytes()).hexdigest() == digest, (
            f"{name} was edited: add a step instead"
        )
    assert [m.name for m in MIGRATIONS][: len(RELEASED_SERVER_STEPS)] == [
        "clinic_store",
        "rename_only_by_a_visits_clinician",
        "laptop_audit",
    ]
    assert len(MIGRATIONS[0].statements) == 81 and all(s.strip() for s in MIGRATIONS[0].statements)


def test_every_laptop_step_has_a_name_of_its_own() -> None:
    from safehome.storage.schema import MIGRATIONS, SCHEMA_VERSION

    names = [m.name for m in MIGRATIONS]
    assert len(names) == len(set(names)) == SCHEMA_VERSION == 9
    assert names[7:] == ["photos_on_items", "audit_log"]  # photos stay on the laptop: no server step
    assert all(m.steps for m in MIGRATIONS)
