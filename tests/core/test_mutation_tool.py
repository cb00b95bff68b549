"""scripts/mutation.py (issue #26): the money mutations it makes, and that it never writes a source file."""

import importlib.util
from pathlib import Path

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


def test_module_lists_name_existing_files_and_tests_and_the_allow_list_names_existing_modules():
    modules = tool.load_modules()
    for spec_ in modules.values():
        assert all((ROOT / path).exists() for path in spec_["files"] + spec_["tests"])
    files = {f for spec_ in modules.values() for f in spec_["files"]}
    assert {file for file, _line, _mutation in tool.load_allowlist()} <= files
