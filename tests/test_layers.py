"""The layers of app/ point one way (app/__init__.py's docstring); checked from the code's imports.

Every `import app...` / `from app... import ...` in every module counts, also those inside
functions: a cycle dodged by a local import is still a cycle.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOUNDATIONS = {"app.config", "app.extensions", "app.timestamps", "app.tokens", "app.sealing", "app.labels",
               "app.i18n", "app.security", "app.logmask", "app.static_files", "app.pdf", "app.forms", "app.append_only", "app.privacy"}
WIRING = {"app", "app.cli", "app.demo", "app.demo_organisation", "app.models"}
FOUNDATION, MODEL, ENGINE, SERVICE, VIEW = 1, 2, 3, 4, 5


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_name(path): path for path in (ROOT / "app").rglob("*.py")}


def layer(module: str) -> int | None:
    """Return the module's layer, or None for the wiring (create_app, the CLI, demo data)."""
    last = module.rsplit(".", 1)[-1]
    if module in WIRING:
        return None
    if module in FOUNDATIONS:
        return FOUNDATION
    if last == "models" or module == "app.audit":
        return MODEL
    if module.startswith("app.instruments"):
        return ENGINE
    if last in ("views", "public") or last.endswith("_views"):  # an area's second page module: figures.extract_views
        return VIEW
    return SERVICE


def is_public(module: str) -> bool:
    """The pages reached by a token, and what they share."""
    return module.startswith("app.respond") or module.endswith(".public")


def imports(module: str) -> set[str]:
    """Return the app modules the module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("app.")}
        elif isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").startswith("app"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
    return found - {"app"}


EDGES = sorted((module, target) for module in MODULES for target in imports(module) if target != module)


def test_the_walk_sees_the_modules_it_checks():
    names = set(MODULES)
    assert {"app.respond.views", "app.cases.views", "app.instruments.fields", "app.auth.access"} <= names
    assert len(EDGES) > 100


@pytest.mark.parametrize("rule", ["downward", "no view imports a view", "public imports no staff view",
                                  "the engine knows no area"])
def test_imports_point_one_way(rule):
    broken = []
    for module, target in EDGES:
        here, there = layer(module), layer(target)
        if here is None or there is None:
            continue  # the wiring may import anything; nothing imports the wiring but the wiring
        if rule == "downward" and there > here:
            broken.append((module, target))
        if rule == "no view imports a view" and here == there == VIEW:
            broken.append((module, target))
        if rule == "public imports no staff view" and is_public(module) and there == VIEW and not is_public(target):
            broken.append((module, target))
        if rule == "the engine knows no area" and here == ENGINE and there not in (FOUNDATION, ENGINE):
            broken.append((module, target))
    assert broken == [], rule


def test_nothing_but_the_wiring_imports_the_wiring():
    assert [(m, t) for m, t in EDGES if t in WIRING and m not in WIRING] == []


def test_no_module_imports_itself_round_about():
    graph: dict[str, set[str]] = {}
    for module, target in EDGES:
        graph.setdefault(module, set()).add(target)

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph.get(current, ()))
        return False

    cycles = [(m, t) for m, t in EDGES if m not in WIRING and reaches(t, m)]
    assert cycles == []
