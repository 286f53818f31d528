"""Apps depend downwards only (README, "How the code is organised").

Every module of every app is parsed with `ast` (imports at module level and
inside functions; migrations and tests excluded). An import of another app in
the same or a higher layer fails, and so does an app that has no layer yet.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS = {
    "netvaerk": 0,
    "accounts": 1,
    "notifications": 2,
    "kaffe": 2,
    "forum": 3,
    "moderation": 4,
    "handbook": 4,
    "duties": 4,
    "imports": 4,
    "viden": 4,
    "moeder": 5,
    "relay": 5,
    "velkomst": 5,
    "needs": 6,
    "datepolls": 6,
    "indsigt": 7,
    "mailin": 4,
    "letters": 7,
}

# The project's wiring: may import any app, and no app module may import it.
WIRING = {
    "netvaerk.settings",
    "netvaerk.urls",
    "netvaerk.benchmark_urls",
    "netvaerk.views",
    "netvaerk.wsgi",
    "netvaerk.asgi",
    "netvaerk.management",
}


def _apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or "tests" in parts:
            continue
        name = ".".join(p for p in parts if p != "__init__")
        yield name, path


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
            for alias in node.names:  # `from netvaerk import views`
                yield f"{node.module}.{alias.name}", node.lineno


def _is_wiring(module: str) -> bool:
    return any(module == w or module.startswith(w + ".") for w in WIRING)


def test_every_app_has_a_layer():
    assert [app for app in _apps() if app not in LAYERS] == []


def _edges():
    """(importing module, line, imported module, importing app, imported app)."""
    apps = set(_apps())
    for app in apps:
        for module, path in _modules(app):
            for imported, line in _imports(path):
                target = imported.split(".")[0]
                if (target in apps and target != app) or target == app == "netvaerk":
                    yield module, line, imported, app, target


def test_apps_import_only_from_layers_below():
    wrong = sorted(
        f"{module}:{line} imports {imported} ({app} L{LAYERS[app]} -> {target} L{LAYERS[target]})"
        for module, line, imported, app, target in _edges()
        if app != target and not _is_wiring(module) and LAYERS[target] >= LAYERS[app]
    )
    assert wrong == []


def test_no_module_imports_the_project_wiring():
    wrong = sorted(
        f"{module}:{line} imports {imported}"
        for module, line, imported, _app, _target in _edges()
        if _is_wiring(imported) and not _is_wiring(module)
    )
    assert wrong == []


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from forum.models import Thread", ["forum.models", "forum.models.Thread"]),
        ("def f():\n    import needs.services", ["needs.services"]),
        ("from . import models", []),
    ],
)
def test_the_parser_sees_imports_inside_functions_too(tmp_path, source, expected):
    path = tmp_path / "m.py"
    path.write_text(source)
    assert [name for name, _line in _imports(path)] == expected


def test_the_readme_layer_table_matches_layers():
    """README's "How the code is organised" has one row per layer, naming the
    same apps as LAYERS, each once."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is organised", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", section, re.M)
    assert [int(layer) for layer, _ in rows] == sorted(set(LAYERS.values()))
    listed = [(app, int(layer)) for layer, apps in rows for app in re.findall(r"`(\w+)`", apps)]
    assert sorted(listed) == sorted(LAYERS.items())
