"""The folders are the layers (README, "Architecture"): each may import only the layers
below it, modules use each other's public names only, Streamlit stays in the app layer,
and geo/ depends on nothing of the app."""
import ast
from pathlib import Path

from dashboard import settings

ROOT = settings.PROJECT_ROOT

# layer -> the layers of this project it may import (settings and itself always allowed).
ALLOWED = {
    "domain": set(),
    "db": set(),
    "stockage": {"domain"},
    "reads": {"db", "domain", "geo", "stockage"},
    "writes": {"db", "domain", "stockage"},
    "importer": {"db", "domain", "ops"},
    "demo": {"db", "domain"},
    "ops": {"db", "domain", "reads", "writes", "importer", "demo", "geo", "migrations", "stockage"},
    "app": {"db", "domain", "reads", "writes", "importer", "geo", "stockage"},
    "pages": {"app", "domain", "reads", "writes", "importer", "geo"},
    "bench": {"app", "db", "domain", "reads", "writes", "importer", "demo", "ops", "geo", "stockage"},
    "cli": {"db", "domain", "ops", "importer", "bench"},
    "migrations": set(),
    "geo": set(),
}


def _layer(path: Path) -> str:
    rel = path.relative_to(ROOT).parts
    if rel[0] in ("pages", "geo"):
        return rel[0]
    if rel[1] in ("cli.py",):
        return "cli"
    if rel[1] == "settings.py":
        return "settings"
    return rel[1]


def _imported(module: str) -> str | None:
    """The layer of an imported project module, None for third-party ones."""
    parts = module.split(".")
    if parts[0] == "geo":
        return "geo"
    if parts[0] != "dashboard" or len(parts) == 1:
        return None
    return "cli" if parts[1] == "cli" else parts[1]


def _sources():
    for folder in ("dashboard", "pages", "geo"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "versions" not in path.parts or path.name != "__init__.py":
                yield path


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []


def test_each_layer_imports_only_the_layers_below_it():
    offenders = []
    for path in _sources():
        layer = _layer(path)
        if layer == "settings":
            continue
        for line, module, names in _imports(path):
            target = _imported(module)
            if target is None and module == "dashboard":
                targets = {_imported(f"dashboard.{n}") for n in names}
            else:
                targets = {target}
            for t in targets - {None, layer, "settings"}:
                if t not in ALLOWED[layer]:
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {layer} imports {module} ({t})")
    assert not offenders


def test_no_private_name_crosses_a_module():
    offenders = []
    for path in _sources():
        for line, module, names in _imports(path):
            if _imported(module) or module == "dashboard":
                offenders += [f"{path.relative_to(ROOT)}:{line}: {module}.{n}" for n in names
                              if n.startswith("_") and n != "__version__"]
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            # module._private, for a module imported from the project
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                    and isinstance(node.value, ast.Name) and node.value.id in _project_aliases(tree):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert not offenders


def _project_aliases(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (_imported(node.module) or node.module == "dashboard"):
            for alias in node.names:
                if alias.name[:1].islower():  # a module, not a class or constant
                    names.add(alias.asname or alias.name)
    return names


def test_streamlit_stays_in_the_app_layer():
    offenders = []
    for path in _sources():
        if _layer(path) in ("app", "pages", "bench"):
            continue
        for line, module, _ in _imports(path):
            if module.split(".")[0] in ("streamlit", "streamlit_folium"):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert not offenders


def test_no_module_is_long_without_a_reason():
    """About 400 lines at most, unless the module's docstring says why it is longer."""
    offenders = []
    for path in _sources():
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 450 and "Longer than" not in (ast.get_docstring(ast.parse(text)) or ""):
            offenders.append(f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines")
    assert not offenders
