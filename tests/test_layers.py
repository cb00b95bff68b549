"""Layers point down (.importlinter): the rights kernel at the bottom, the portal on top, no app
importing an app above it — and no function-level import hiding an edge between apps."""

import ast
import configparser
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
NOT_APPS = {"tests", "bench", "scripts", "static", "staticfiles", "var", "data", "node_modules"}
# Function-level imports across apps the contract allows: an app's AppConfig.ready() filling a hook
# of a lower app (models cannot be imported before the registry is ready).
ALLOWED_FUNCTION_LEVEL_IMPORTS: set[tuple[str, str]] = {
    ("rulings", "declarations"),
    ("rulings", "tariff"),
    ("penalties", "ledger"),  # penalties.apps fills the ledger's C336 hook (register_late_payment_amount)
    ("security", "declarations"),
    ("recourse", "security"),  # recourse.apps fills security's hook: appeals relying on its security
    ("declarations", "assessment"),  # declarations.apps gives the estimator its currency code list
}


def _apps() -> set[str]:
    return {
        path.parent.name
        for path in PROJECT.glob("*/__init__.py")
        if path.parent.name not in NOT_APPS and not path.parent.name.startswith(".")
    }


def _layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(PROJECT / ".importlinter")
    return config["importlinter:contract:layers"]["layers"].split()


def test_the_layers_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([lint, "--no-cache"], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_app_has_a_layer():
    layered = {name for name in _layers() if name not in {"|", ":"}}
    assert _apps() <= layered, f"apps without a layer: {sorted(_apps() - layered)}"


def _function_level_imports(app: str):
    apps = _apps()
    for path in (PROJECT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                target = module.split(".")[0]
                if target in apps and target != app and id(node) not in top_level:
                    yield f"{path.relative_to(PROJECT)}:{node.lineno} imports {module}", (app, target)


def test_no_function_level_import_across_apps():
    hidden = [
        where
        for app in sorted(_apps())
        for where, edge in _function_level_imports(app)
        if edge not in ALLOWED_FUNCTION_LEVEL_IMPORTS
    ]
    assert not hidden, "function-level imports across apps:\n" + "\n".join(hidden)


def test_no_app_module_shadows_an_app():
    # Tools run from inside an app's folder (scripts/makemessages.sh) put it first on sys.path: a module
    # there named like an app (access/rights.py) was imported in place of that app, and failed.
    apps = _apps()
    shadows = [
        str(path.relative_to(PROJECT))
        for app in sorted(apps)
        for path in (PROJECT / app).iterdir()
        if (path.stem if path.suffix == ".py" else path.name) in apps
    ]
    assert not shadows, f"app modules named like an app: {shadows}"
