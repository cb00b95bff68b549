from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from registry.adapters import registry
from registry.loader import RegistryFileError, load_registry


def test_the_adapter_looks_a_business_up_with_its_program_accounts(registry_data):
    found = registry().lookup("123456782")
    assert found.legal_name == "Maple Leaf Imports Inc."
    assert [(a.number, a.program, a.account_type) for a in found.program_accounts] == [
        ("123456782RM0001", "RM", "importer"),
        ("123456782RM0002", "RM", "importer"),
        ("123456782RT0001", "RT", ""),
    ]
    assert registry().lookup("123026635").program_accounts[0].account_type == "both"
    assert registry().lookup("130000003") is None


def test_the_adapter_gives_the_import_history_oldest_first(registry_data):
    history = registry().history("123456782")
    assert [t.number for t in history.transactions] == ["10207003502332", "13284006000241"]
    assert history.payments[-1][1] == Decimal("1210.58")
    assert history.statements[-1][1] == Decimal("1210.58")
    assert registry().history("456789122").is_empty


class FakeRegistry:
    """Stands for a production adapter calling CRA."""


def test_the_adapter_is_chosen_by_a_setting():
    with override_settings(CARM_REGISTRY_ADAPTER="tests.registry.test_registry.FakeRegistry"):
        assert isinstance(registry(), FakeRegistry)


def test_loading_again_changes_nothing(registry_data):
    from registry.demo import DEMO_DATA

    load_registry(DEMO_DATA)
    assert len(registry().history("123456782").transactions) == 2


def _folder(tmp_path, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_command_reports_rows_loaded(db, tmp_path, capsys):
    folder = _folder(
        tmp_path,
        entities="bn9,legal_name,address_line,city,province,postal_code\n"
        "123 456 782,Acme Inc.,1 Main St,Ottawa,ON,K1A 0B1\n",
    )
    call_command("load_registry", str(folder))
    assert "entities.csv: 1 rows" in capsys.readouterr().out
    assert registry().lookup("123456782").legal_name == "Acme Inc."


@pytest.mark.parametrize(
    "files, message",
    [
        (
            {"entities": "bn9,legal_name\n123456789,Bad Inc.\n"},
            "entities.csv:2: 123456789 is not a valid business number",
        ),
        ({"entities": "bn9,legal_name\n123456782,\n"}, "legal_name is empty"),
        (
            {"entities": "bn9,legal_name\n123456782,Acme\n", "program_accounts": "number\n123456782XX0001\n"},
            "XX is not a CRA program",
        ),
        (
            {
                "entities": "bn9,legal_name\n123456782,Acme\n",
                "payments": "bn9,paid_on,amount\n123456782,2026-13-01,1\n",
            },
            "payments.csv:2",
        ),
        (
            {
                "entities": "bn9,legal_name\n123456782,Acme\n",
                "payments": "bn9,paid_on,amount\n123026635,2026-01-01,1\n",
            },
            "not in entities.csv",
        ),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_loaded(db, tmp_path, files, message):
    with pytest.raises(RegistryFileError, match=message):
        load_registry(_folder(tmp_path, **files))
    assert registry().lookup("123456782") is None


def test_a_missing_folder_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="entities.csv is missing"):
        call_command("load_registry", str(tmp_path))
