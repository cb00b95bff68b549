"""Mutation testing of the money modules (issue #26): small AST changes to a module, each run against
that module's own tests; a mutant the tests still pass is a survivor.

    python scripts/mutation.py                       # every module in mutation.toml (make mutation)
    python scripts/mutation.py --module interest     # one module (repeatable)
    python scripts/mutation.py --changed-since main  # the modules whose files or tests a change touches
    python scripts/mutation.py --sample 40           # a fixed sample of each module's mutants (CI)

Why not mutmut: mutmut 3 runs pytest in-process from a copied `mutants/` tree and needs a Django
bootstrap that leans on private Django internals (boxed/mutmut#456, #504); it does not swap rounding
modes or scale the decimal strings the unit factors and rates are written in. This tool never writes a
source file: a forked child imports the mutated module through an import hook, then runs pytest.

Speed: Django, DRF, pytest and the other third-party packages are imported once in the parent (before
Django is set up); each mutant is a fork that imports the project fresh, with the mutant in place.
"""

import argparse
import ast
import decimal
import importlib.abc
import importlib.util
import json
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mutation.toml"
ALLOWLIST = ROOT / "mutation_allowlist.toml"
IMPORT = "<import>"  # the coverage of what runs before the first test
MODULE = "<module>"  # the scope of a module-level statement that assigns no name
PYTEST_ARGS = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not browser", "--no-header"]

# Operator swaps: the usual slips in arithmetic and comparisons.
BINOPS = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
    ast.Pow: ast.Mult,
}
COMPARES = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
ROUNDING = {
    "ROUND_HALF_UP": "ROUND_HALF_EVEN",
    "ROUND_HALF_EVEN": "ROUND_HALF_UP",
    "ROUND_HALF_DOWN": "ROUND_HALF_UP",
    "ROUND_UP": "ROUND_DOWN",
    "ROUND_DOWN": "ROUND_UP",
    "ROUND_CEILING": "ROUND_FLOOR",
    "ROUND_FLOOR": "ROUND_CEILING",
}
SWAPPED_CALLS = {"min": "max", "max": "min", "any": "all", "all": "any"}
DECIMAL_TEXT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
SYMBOL = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.And: "and",
    ast.Or: "or",
}


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to ROOT
    index: int  # the node's position in ast.walk order
    kind: str  # which change (see _changes)
    line: int
    description: str
    span: tuple[int, int] = (0, 0)  # the lines of the innermost statement holding the change
    in_function: bool = True  # False: module level, run at import, so every test may see it
    scope: str = MODULE  # the enclosing function or class, qualified ("Class.method"), or module-level name
    occurrence: int = 1  # the how-manieth mutant with this text in its scope, in source order

    @property
    def key(self) -> tuple[str, str, str, int]:
        """How the allow-list names it: no line number, so edits elsewhere in the file leave it valid."""
        return (self.file, self.scope, self.description, self.occurrence)

    def __str__(self) -> str:
        return named(self.key, self.line)


def named(key: tuple[str, str, str, int], line: int | None = None) -> str:
    """A mutant as printed and as the allow-list names it: `file:line in function: mutation (occurrence n)`."""
    file, function, mutation, occurrence = key
    where = f"{file}:{line}" if line else file
    again = f" (occurrence {occurrence})" if occurrence > 1 else ""
    return f"{where} in {function}: {mutation}{again}"


# --- generating mutants ---------------------------------------------------------------------------


def _skipped_nodes(tree: ast.Module, functions: list[str] | None) -> set[int]:
    """Nodes never mutated: docstrings, annotations, and, when the module names functions, all else."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                skipped.update(id(n) for n in ast.walk(body[0]))
        annotations = [getattr(node, "returns", None), getattr(node, "annotation", None)]
        for annotation in filter(None, annotations):
            skipped.update(id(n) for n in ast.walk(annotation))
    if functions:  # names of functions, or of module-level constants
        kept = {
            id(n)
            for top in ast.walk(tree)
            if (isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef) and top.name in functions)
            or (
                top in tree.body
                and isinstance(top, ast.Assign)
                and {getattr(t, "id", None) for t in top.targets} & set(functions)
            )
            for n in ast.walk(top)
        }
        skipped.update(id(n) for n in ast.walk(tree) if id(n) not in kept)
    return skipped


def _constant_changes(value) -> list[tuple[str, object]]:
    if isinstance(value, bool):
        return [("flip", not value)]
    if isinstance(value, int):
        return [("plus1", value + 1), ("minus1", value - 1)] if value else [("plus1", 1)]
    if isinstance(value, str) and DECIMAL_TEXT.fullmatch(value):
        number = decimal.Decimal(value)
        return [("times10", str(number * 10)), ("plus1", str(number + 1))] if number else [("plus1", "1")]
    if isinstance(value, str) and value in ROUNDING:
        return [("rounding", ROUNDING[value])]
    return []


def _changes(node: ast.AST, lines: list[str]) -> list[tuple[str, str]]:
    """(kind, description) of every mutation this node offers."""
    if isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
        return [("binop", f"{SYMBOL[type(node.op)]} -> {SYMBOL[BINOPS[type(node.op)]]}")]
    if isinstance(node, ast.AugAssign) and type(node.op) in BINOPS:
        return [("augop", f"{SYMBOL[type(node.op)]}= -> {SYMBOL[BINOPS[type(node.op)]]}=")]
    if isinstance(node, ast.Compare):
        return [
            (f"compare{i}", f"{SYMBOL[type(op)]} -> {SYMBOL[COMPARES[type(op)]]}")
            for i, op in enumerate(node.ops)
            if type(op) in COMPARES
        ]
    if isinstance(node, ast.BoolOp):
        other = "or" if isinstance(node.op, ast.And) else "and"
        return [("boolop", f"{SYMBOL[type(node.op)]} -> {other}")]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        return [("unary", f"drop {'not' if isinstance(node.op, ast.Not) else 'unary -'}")]
    if isinstance(node, ast.Constant):
        return [(f"const:{kind}", f"{node.value!r} -> {new!r}") for kind, new in _constant_changes(node.value)]
    if isinstance(node, ast.Name | ast.Attribute):
        name = node.id if isinstance(node, ast.Name) else node.attr
        if name in ROUNDING:
            return [("rounding", f"{name} -> {ROUNDING[name]}")]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in SWAPPED_CALLS:
        return [("call", f"{node.func.id}() -> {SWAPPED_CALLS[node.func.id]}()")]
    if isinstance(node, ast.If | ast.IfExp):
        return [("if-false", "condition -> False"), ("if-true", "condition -> True")]
    if isinstance(node, ast.Raise | ast.Assert | ast.Expr) and not _is_docstring_like(node):
        first = lines[node.lineno - 1].strip()
        return [("remove", f"remove `{first[:60]}`")]
    return []


def _is_docstring_like(node: ast.AST) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _apply(node: ast.AST, kind: str) -> ast.AST:
    """Change the node in place (or return its replacement)."""
    if kind == "binop" or kind == "augop":
        node.op = BINOPS[type(node.op)]()
    elif kind.startswith("compare"):
        i = int(kind.removeprefix("compare"))
        node.ops[i] = COMPARES[type(node.ops[i])]()
    elif kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif kind == "unary":
        return node.operand
    elif kind.startswith("const:"):
        node.value = dict(_constant_changes(node.value))[kind.removeprefix("const:")]
    elif kind == "rounding":
        # decimal's rounding modes are their own names as strings: the other mode needs no import.
        name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else node.value
        return ast.Constant(ROUNDING[name])
    elif kind == "call":
        node.func.id = SWAPPED_CALLS[node.func.id]
    elif kind in ("if-false", "if-true"):
        node.test = ast.Constant(kind == "if-true")
    elif kind == "remove":
        return ast.Pass()
    return node


def _nodes(tree: ast.Module) -> list[ast.AST]:
    return list(ast.walk(tree))


def mutants_of(file: str, functions: list[str] | None = None) -> list[Mutant]:
    source = (ROOT / file).read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree, functions)
    keywords = {id(k.value): k.arg for k in ast.walk(tree) if isinstance(k, ast.keyword)}
    parents = {id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found, places = [], []
    for index, node in enumerate(_nodes(tree)):
        if id(node) in skipped or not hasattr(node, "lineno"):
            continue
        if "no mutate" in lines[node.lineno - 1]:
            continue
        for kind, description in _changes(node, lines):
            if id(node) in keywords:  # `frozen=True -> False`, not just `True -> False`
                description = f"{keywords[id(node)]}={description}"
            span, in_function = _place(node, parents)
            found.append(Mutant(file, index, kind, node.lineno, description, span, in_function, _scope(node, parents)))
            places.append((node.lineno, node.col_offset, kind))
    # The same text twice in one scope is numbered in source order (ast.walk goes breadth first).
    seen: Counter = Counter()
    for i in sorted(range(len(found)), key=places.__getitem__):
        seen[found[i].scope, found[i].description] += 1
        found[i] = replace(found[i], occurrence=seen[found[i].scope, found[i].description])
    return found


def _scope(node: ast.AST, parents: dict) -> str:
    """The qualified name of the functions and classes around the node (their decorators and defaults
    included); at module level, the names the statement assigns, else MODULE."""
    names, top = [], node
    while not isinstance(parents[id(top)], ast.Module):
        top = parents[id(top)]
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(top.name)
    if names:
        return ".".join(reversed(names))
    targets = top.targets if isinstance(top, ast.Assign) else [getattr(top, "target", None)]
    return ",".join(t.id for t in targets if isinstance(t, ast.Name)) or MODULE


def _place(node: ast.AST, parents: dict) -> tuple[tuple[int, int], bool]:
    statement = node
    while not isinstance(statement, ast.stmt):
        statement = parents[id(statement)]
    ancestor, in_function = statement, False
    while id(ancestor) in parents:
        ancestor = parents[id(ancestor)]
        in_function |= isinstance(ancestor, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
    return (statement.lineno, statement.end_lineno), in_function


class _Replace(ast.NodeTransformer):
    def __init__(self, target: ast.AST, kind: str):
        self.target, self.kind = target, kind

    def visit(self, node):
        if node is self.target:
            return _apply(node, self.kind)
        return self.generic_visit(node)


def mutated_code(mutant: Mutant):
    path = ROOT / mutant.file
    tree = ast.parse(path.read_text())
    target = _nodes(tree)[mutant.index]
    tree = _Replace(target, mutant.kind).visit(tree)
    return compile(ast.fix_missing_locations(tree), str(path), "exec")


# --- running them ---------------------------------------------------------------------------------


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves one module's mutated code instead of its file (the file itself is never written)."""

    def __init__(self, name: str, path: Path, code):
        self.name, self.path, self.code = name, path, code

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        package = [str(self.path.parent)] if self.path.name == "__init__.py" else None
        return importlib.util.spec_from_file_location(
            fullname, self.path, loader=self, submodule_search_locations=package
        )

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.code, module.__dict__)


def _module_name(file: str) -> str:
    parts = Path(file).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _run_pytest_in_child(tests: list[str], mutant: Mutant | None, log: Path, database: Path | None, trace=None) -> None:
    """In a forked child: put the mutant in place, run the tests, exit with pytest's code. With
    `trace` (files, output path), record which lines of those files each test runs."""
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        if mutant is not None:
            finder = _MutantFinder(_module_name(mutant.file), ROOT / mutant.file, mutated_code(mutant))
            sys.meta_path.insert(0, finder)
        extra = []
        if database is not None:  # a fresh copy of the migrated template: no migrations per mutant
            shutil.copyfile(_template(log.parent), database)
            _use_test_database(database)
            extra = ["--reuse-db"]
        import pytest

        plugins = [_fresh_caches(), *([_line_tracer(*trace)] if trace else [])]
        code = pytest.main([*tests, *PYTEST_ARGS, *extra], plugins=plugins)
    except BaseException as error:  # noqa: BLE001 - a mutant that breaks the run is caught by it
        print(f"mutant run failed: {error!r}", file=sys.stderr)
        code = 3
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code))


def _fresh_caches():
    """A pytest plugin emptying the functools caches (`cache`, `lru_cache`) of the project's modules
    before each test, in the coverage run and the mutants' alike: a cached body otherwise runs only in
    the first test that fills the cache, so coverage would give its mutants that test alone, and the
    later tests would see the mutant only through what the first one left in the cache."""
    import pytest

    class FreshCaches:
        @pytest.hookimpl(tryfirst=True)  # before the test's fixtures fill them
        def pytest_runtest_setup(self, item):
            for module in list(sys.modules.values()):
                if module is not None and _project_module(module):
                    for value in list(vars(module).values()):
                        if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                            value.cache_clear()

    return FreshCaches()


def _line_tracer(files: list[str], out: Path):
    """A pytest plugin recording, per test, the lines of `files` it runs (a mutant then runs only the
    tests that reach its line). Tracing is only switched on inside those files' frames."""
    import threading

    import pytest

    paths = {str(ROOT / f): f for f in files}

    class Tracer:
        def __init__(self):
            self.lines: dict[str, list] = {}
            self.current: set = set()  # what runs before the first test (imports) is filed under IMPORT
            sys.settrace(self.enter)

        def enter(self, frame, event, arg):
            return self.line if frame.f_code.co_filename in paths else None

        def line(self, frame, event, arg):
            if event == "line":
                self.current.add((paths[frame.f_code.co_filename], frame.f_lineno))
            return self.line

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_protocol(self, item, nextitem):
            self.lines.setdefault(IMPORT, sorted(self.current))
            self.current = set()
            sys.settrace(self.enter)
            threading.settrace(self.enter)
            yield
            sys.settrace(None)
            threading.settrace(None)
            self.lines[item.nodeid] = sorted(self.current)

        def pytest_sessionfinish(self, session):
            out.write_text(json.dumps(self.lines))

    return Tracer()


def _tests_reaching(mutant: Mutant, coverage: dict[str, list]) -> list[str] | None:
    """The test functions (all their parameters: some ids do not select back) running the mutant's
    statement; None when it also ran at import, where every test may see what it made."""
    first, last = mutant.span
    reaching = [
        test for test, lines in coverage.items() if any(f == mutant.file and first <= n <= last for f, n in lines)
    ]
    if IMPORT in reaching:
        return None
    return list(dict.fromkeys(test.split("[")[0] for test in reaching))


def _template(logs: Path) -> Path:
    return logs / "template.sqlite3"


def _use_test_database(path: Path) -> None:
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(path)
    connections.__dict__.pop("settings", None)  # in case the parent read them already


def make_template(logs: Path) -> None:
    """The migrated test database, made once per module run in a child (Django set up there only)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            import django
            from django.test.utils import setup_databases

            _use_test_database(_template(logs))
            django.setup()
            setup_databases(verbosity=0, interactive=False, keepdb=False, serialized_aliases=[])
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "could not make the template test database"


def _project_module(module) -> bool:
    file = getattr(module, "__file__", None) or ""
    return file.startswith(str(ROOT)) and "/.venv/" not in file


def warm_up(tests: list[str]) -> None:
    """Import, in this process, every third-party module the tests import, then forget the project's
    own modules: each forked child imports those fresh (one of them mutated)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest

            pytest.main([*tests, *PYTEST_ARGS, "--collect-only"])
            names = [name for name, module in list(sys.modules.items()) if module and not _project_module(module)]
            os.write(write, "\n".join(names).encode())
        finally:
            os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    for name in b"".join(chunks).decode().splitlines():
        if name.startswith(("django.contrib", "rest_framework", "allauth", "drf_spectacular", "django_filters")):
            continue  # their models and views need the app registry: imported with the project
        try:
            __import__(name)
        except Exception:  # noqa: BLE001, S110 - whatever cannot load before Django is set up loads later
            pass
    for name, module in list(sys.modules.items()):
        if module is None or _project_module(module):
            del sys.modules[name]
    import django.apps

    assert not django.apps.apps.ready, "the parent must not set Django up: its children do"


@dataclass
class Result:
    mutant: Mutant | None
    status: str  # killed, survived, timeout, error
    seconds: float


def run_all(
    jobs: list[tuple[Mutant | None, list[str]]], workers, timeout, logs, progress, uses_database=True, trace=None
):
    """Fork one child per job, at most `workers` at a time; a child past its timeout is killed."""
    pending = list(enumerate(jobs))
    running: dict[int, tuple[int, float, int]] = {}  # pid -> (job index, started, slot)
    free = list(range(workers))  # each slot has its own copy of the test database
    results: dict[int, Result] = {}
    while pending or running:
        while pending and free:
            index, (mutant, tests) = pending.pop(0)
            slot = free.pop()
            pid = os.fork()
            if pid == 0:
                database = logs / f"db-{slot}.sqlite3" if uses_database else None
                _run_pytest_in_child(tests, mutant, logs / f"{index}.log", database, trace)
            running[pid] = (index, time.monotonic(), slot)
        pid, status = os.waitpid(-1, os.WNOHANG)
        now = time.monotonic()
        if pid == 0:
            for child, (_index, started, _slot) in list(running.items()):
                if now - started > timeout:
                    os.kill(child, signal.SIGKILL)
            select.select([], [], [], 0.02)
            continue
        index, started, slot = running.pop(pid)
        free.append(slot)
        mutant = jobs[index][0]
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL and now - started > timeout:
            outcome = "timeout"
        else:
            code = os.waitstatus_to_exitcode(status)
            outcome = {0: "survived", 1: "killed", 2: "killed"}.get(code, "error" if code in (3, 4, 5) else "killed")
            if mutant is not None and code in (2, 3):  # the mutated module broke the import: the tests saw it
                outcome = "killed"
        results[index] = Result(mutant, outcome, now - started)
        progress(results[index])
    return [results[i] for i in range(len(jobs))]


# --- configuration and report ---------------------------------------------------------------------


def load_modules() -> dict[str, dict]:
    return tomllib.loads(CONFIG.read_text())["module"]


ENTRY_FIELDS = {"file", "function", "mutation", "reason"}  # and `occurrence`, when not the first


def load_allowlist(text: str | None = None) -> dict[tuple[str, str, str, int], str]:
    """The reviewed equivalent mutants, by Mutant.key, each with its reason."""
    if text is None:
        text = ALLOWLIST.read_text() if ALLOWLIST.exists() else ""
    allowed = {}
    for entry in tomllib.loads(text).get("equivalent", []):
        if set(entry) - {"occurrence"} != ENTRY_FIELDS:
            raise ValueError(
                f"an allow-list entry needs {', '.join(sorted(ENTRY_FIELDS))} (and maybe occurrence): {entry}"
            )
        key = (entry["file"], entry["function"], entry["mutation"], entry.get("occurrence", 1))
        if key in allowed:
            raise ValueError(f"an allow-list entry is there twice: {entry}")
        allowed[key] = entry["reason"]
    return allowed


def stale_entries(allowed, mutants: list[Mutant]) -> list[tuple[str, str, str, int]]:
    """Allow-list entries for these mutants' files that name none of them: the code they excused changed."""
    files, keys = {m.file for m in mutants}, {m.key for m in mutants}
    return sorted(key for key in allowed if key[0] in files and key not in keys)


def changed_modules(modules: dict[str, dict], since: str) -> list[str] | None:
    """The modules whose files or tests differ from `since` (committed or not); None without git."""
    try:
        changed = []
        for diff in (f"{since}...HEAD", "HEAD"):
            run = subprocess.run(["git", "diff", "--name-only", diff], cwd=ROOT, capture_output=True, text=True)
            run.check_returncode()
            changed += run.stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return [
        name
        for name, spec in modules.items()
        if any(c in spec["files"] or any(c.startswith(t) for t in spec["tests"]) for c in changed)
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="a module named in mutation.toml (repeatable)")
    parser.add_argument("--changed-since", help="only the modules whose files or tests differ from this ref")
    parser.add_argument("--sample", type=int, help="run this many mutants per module (a fixed, seeded choice)")
    parser.add_argument(
        "--otherwise-sample", type=int, help="with --changed-since: when no module is touched, this many of each"
    )
    parser.add_argument(
        "--budget", type=float, help="seconds: start no further module after this (CI on a shared machine)"
    )
    parser.add_argument("--workers", type=int, default=2, help="children at once (the machine is shared: 2)")
    parser.add_argument(
        "--min-score", type=float, default=95.0, help="fail below this score (percent) unless the module sets min_score"
    )
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    args = parser.parse_args(argv)

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "carm.test_settings"
    os.environ.pop("TEST_DATABASE_URL", None)  # SQLite copies of one migrated template (see make_template)
    # The project's own modules load in every child: keep their bytecode (the environment may say not to).
    sys.dont_write_bytecode = False
    sys.pycache_prefix = str(ROOT / "var" / "mutation" / "pycache")
    modules = load_modules()
    names = args.module or list(modules)
    if unknown := set(names) - set(modules):
        parser.error(f"not in mutation.toml: {', '.join(sorted(unknown))}")
    if args.changed_since:
        touched = changed_modules(modules, args.changed_since)
        if touched:
            names = [n for n in touched if n in names]
            print(f"mutation: modules touched since {args.changed_since}: {', '.join(names)}")
        elif args.otherwise_sample:
            args.sample = args.otherwise_sample
            print(f"mutation: no money module touched since {args.changed_since}: {args.sample} mutants of each")
        else:
            print(f"mutation: no money module touched since {args.changed_since}")
            return 0
    allowed = load_allowlist()
    failed, table = False, []
    logs = ROOT / "var" / "mutation"
    logs.mkdir(parents=True, exist_ok=True)

    begun = time.monotonic()
    for position, name in enumerate(names):
        if args.budget and time.monotonic() - begun > args.budget:
            print(f"mutation: {args.budget:.0f} s spent; not run here: {', '.join(names[position:])} (make mutation)")
            break
        spec = modules[name]
        mutants = [m for f in spec["files"] for m in mutants_of(f, spec.get("functions"))]
        for key in stale_entries(allowed, mutants):
            print(f"mutation: stale allow-list entry, no such mutant (remove it): {named(key)}")
        equivalent = sum(m.key in allowed for m in mutants)
        mutants = [m for m in mutants if m.key not in allowed]  # reviewed as equivalent: neither run nor sampled
        if args.sample and len(mutants) > args.sample:
            mutants = sorted(random.Random(name).sample(mutants, args.sample), key=lambda m: (m.file, m.index))
        if args.list:
            for m in mutants:
                print(m)
            continue
        scored = logs / name / "score.json"  # the child's figures, for the table at the end
        scored.unlink(missing_ok=True)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # each module warms up its own process: the next module starts clean
            floor = spec.get("min_score", args.min_score)
            os._exit(_run_module(name, mutants, spec, args.workers, floor, equivalent, logs))
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        failed |= code != 0
        print(f"   ({time.monotonic() - started:.0f} s)\n", flush=True)
        if scored.exists():  # not when the tests failed without a mutant
            kind = f"sample of {len(mutants)}" if args.sample and len(mutants) == args.sample else "full"
            table.append((name, json.loads(scored.read_text()), kind))
    if table:
        print(f"{'module':<22}{'killed/total':>14}{'score':>9}  run")
        for name, score, kind in table:
            print(f"{name:<22}{score['killed']:>8}/{score['total']:<5}{score['score']:>8.1f}%  {kind}")
    return 1 if failed else 0


def _run_module(name, mutants, spec, workers, floor, equivalent, logs) -> int:
    extra = spec.get("pytest_args", [])  # e.g. pure modules: no Django, no conftest
    logs = logs / name  # its own logs, databases and coverage: modules may run at once (make mutation -j)
    logs.mkdir(exist_ok=True)
    everything = spec["tests"] + extra
    warm_up(everything)
    uses_database = "no:django" not in extra
    if uses_database:
        make_template(logs)
    print(f"== {name}: {len(mutants)} mutants against {' '.join(spec['tests'])}", flush=True)
    coverage_file = logs / "coverage.json"
    baseline = run_all(
        [(None, everything)], 1, 3600, logs, lambda r: None, uses_database, (spec["files"], coverage_file)
    )[0]
    if baseline.status != "survived":
        print(f"   the tests fail without any mutant (see {logs / '0.log'})", flush=True)
        return 1
    coverage = json.loads(coverage_file.read_text())
    timeout = max(10.0, baseline.seconds * 3)
    jobs, unreached = [], []
    for mutant in mutants:
        reaching = _tests_reaching(mutant, coverage)
        if reaching is None or (not reaching and not mutant.in_function):  # the tests use what import made
            jobs.append((mutant, everything))
        elif reaching:
            jobs.append((mutant, reaching + extra))
        else:  # no test runs the line: it survives without a run
            unreached.append(Result(mutant, "survived", 0.0))

    def progress(result):
        print("." if result.status in ("killed", "timeout") else "S", end="", flush=True)

    results = run_all(jobs, workers, timeout, logs, progress, uses_database) + unreached
    print()
    killed = sum(r.status in ("killed", "timeout") for r in results)
    errors = [r for r in results if r.status == "error"]
    survivors = sorted((r for r in results if r.status == "survived"), key=lambda r: (r.mutant.file, r.mutant.line))
    score = 100.0 * killed / len(results) if results else 100.0
    (logs / "score.json").write_text(json.dumps({"killed": killed, "total": len(results), "score": score}))
    print(
        f"   {name}: {score:.1f}% killed ({killed}/{len(results)};"
        f" {equivalent} allow-listed as equivalent; {len(unreached)} on lines no test runs;"
        f" baseline {baseline.seconds:.1f} s)"
    )
    for r in survivors + errors:
        print(f"   {r.status.upper()} {r.mutant}")
    if score < floor:
        print(f"   below the floor of {floor}% (mutation.toml)")
    return 0 if score >= floor and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
