"""scripts/mutation.py (issue #26): the money mutations it makes, and that it never writes a source file."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "scripts" / "mutation.py")
tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tool)


def test_rounding_modes_amount_caps_and_comparisons_are_mutated():
    made = {m.description for m in tool.mutants_of("assessment_engine/decimals.py")}
    assert "rounding=ROUND_HALF_UP -> ROUND_HALF_EVEN" in made
    assert "'1e15' -> '1.0E+16'" in made  # a decimal constant written as text, ×10
    assert ">= -> >" in made and "< -> <=" in made


def test_a_mutant_is_compiled_from_the_source_without_writing_the_file():
    before = (ROOT / "assessment_engine/decimals.py").read_bytes()
    mutant = next(m for m in tool.mutants_of("assessment_engine/decimals.py") if m.kind == "rounding")
    namespace = {"__name__": "assessment_engine.decimals", "__package__": "assessment_engine"}
    exec(tool.mutated_code(mutant), namespace)
    from decimal import Decimal

    assert namespace["cents"](Decimal("0.125")) == Decimal("0.12")  # half-even now
    assert (ROOT / "assessment_engine/decimals.py").read_bytes() == before


def test_module_lists_name_existing_files_and_tests():
    for spec_ in tool.load_modules().values():
        assert all((ROOT / path).exists() for path in spec_["files"] + spec_["tests"])


def test_every_allow_list_entry_names_a_mutant_of_its_module():
    mutants = [
        m
        for spec_ in tool.load_modules().values()
        for f in spec_["files"]
        for m in tool.mutants_of(f, spec_.get("functions"))
    ]
    assert tool.stale_entries(tool.load_allowlist(), mutants) == []
    assert {file for file, *_ in tool.load_allowlist()} <= {m.file for m in mutants}


SOURCE = """\
from dataclasses import dataclass

LIMIT = 10


@dataclass(frozen=True)
class Fee:
    amount: int

    def due(self, paid):
        return self.amount - paid > 0 and paid - 1 > 0


def late(days):
    return days - 1 > 0
"""


def keys(tmp_path, monkeypatch, source):
    (tmp_path / "money.py").write_text(source)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    return {m.key for m in tool.mutants_of("money.py")}


def test_a_mutant_is_named_by_its_function_and_occurrence_not_its_line(tmp_path, monkeypatch):
    made = keys(tmp_path, monkeypatch, SOURCE)
    assert ("money.py", "Fee.due", "- -> +", 1) in made and ("money.py", "Fee.due", "- -> +", 2) in made
    assert ("money.py", "Fee.due", "- -> +", 3) not in made
    assert ("money.py", "late", "- -> +", 1) in made  # another function counts its own
    assert ("money.py", "LIMIT", "10 -> 11", 1) in made  # a module-level constant by its name
    assert ("money.py", "Fee", "frozen=True -> False", 1) in made  # a class's decorator by the class
    moved = SOURCE.replace(
        "LIMIT = 10\n", "LIMIT = 10\n\n# a comment, and a function above the others\ndef f():\n    pass\n"
    )
    assert keys(tmp_path, monkeypatch, moved) == made


def test_the_same_text_twice_in_a_function_is_counted_in_source_order(tmp_path, monkeypatch):
    (tmp_path / "money.py").write_text("def f(a, b):\n    return ((a - 1) * 2) * (b - 3)\n")
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    minus = {m.occurrence: m for m in tool.mutants_of("money.py") if m.description == "- -> +"}
    assert set(minus) == {1, 2}
    namespace = {}
    exec(tool.mutated_code(minus[1]), namespace)  # ast.walk meets `b - 3` first; the text has `a - 1` first
    assert namespace["f"](5, 10) == (5 + 1) * 2 * (10 - 3)
    assert str(minus[2]) == "money.py:2 in f: - -> + (occurrence 2)"


def test_an_allow_list_entry_matching_no_mutant_is_stale(tmp_path, monkeypatch):
    keys(tmp_path, monkeypatch, SOURCE)
    made = tool.mutants_of("money.py")
    allowed = tool.load_allowlist(
        '[[equivalent]]\nfile = "money.py"\nfunction = "Fee.due"\nmutation = "- -> +"\noccurrence = 2\nreason = "r"\n'
        '[[equivalent]]\nfile = "money.py"\nfunction = "Fee.due"\nmutation = "- -> +"\noccurrence = 3\nreason = "r"\n'
        '[[equivalent]]\nfile = "money.py"\nfunction = "late"\nmutation = "> -> <"\nreason = "r"\n'
        '[[equivalent]]\nfile = "other.py"\nfunction = "late"\nmutation = "> -> >="\nreason = "another module\'s"\n'
    )
    assert tool.stale_entries(allowed, made) == [
        ("money.py", "Fee.due", "- -> +", 3),
        ("money.py", "late", "> -> <", 1),
    ]


def test_an_allow_list_entry_by_line_or_twice_is_refused():
    entry = '[[equivalent]]\nfile = "money.py"\nfunction = "late"\nmutation = "> -> >="\nreason = "r"\n'
    with pytest.raises(ValueError, match="needs"):
        tool.load_allowlist(entry.replace('function = "late"', "line = 15"))
    with pytest.raises(ValueError, match="twice"):
        tool.load_allowlist(entry + entry)


CACHED = """\
from functools import cache


@cache
def rate():
    return 5 + 1
"""

CACHED_TESTS = """\
import rates


def test_first_fills_the_cache():
    assert rates.rate() > 0


def test_second_asserts_the_rate():
    assert rates.rate() == 6
"""


def test_a_mutant_in_a_cached_function_runs_against_every_test_reaching_it_not_only_the_first(tmp_path, monkeypatch):
    # The cache is emptied before each test: the coverage run sees the second test reach the body too,
    # and the mutant (5 - 1) is run against it and killed, not left to the first test, which passes.
    (tmp_path / "rates.py").write_text(CACHED)
    (tmp_path / "test_rates.py").write_text(CACHED_TESTS)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.chdir(tmp_path)
    # forked from this test, inside pytest-playwright's soft-assertion scope: the runs go without it
    coverage, plain = tmp_path / "coverage.json", ["-p", "no:django", "-p", "no:playwright", "--noconftest"]
    [baseline] = tool.run_all(
        [(None, ["test_rates.py", *plain])], 1, 120, tmp_path, lambda r: None, False, (["rates.py"], coverage)
    )
    assert baseline.status == "survived"
    [mutant] = [m for m in tool.mutants_of("rates.py") if m.description == "+ -> -"]
    reaching = tool._tests_reaching(mutant, json.loads(coverage.read_text()))
    assert reaching == ["test_rates.py::test_first_fills_the_cache", "test_rates.py::test_second_asserts_the_rate"]
    [result] = tool.run_all([(mutant, [*reaching, *plain])], 1, 120, tmp_path, lambda r: None, False)
    assert result.status == "killed"
