"""Pre-CARM B3s converted to as-declared CADs (issue #18, item 5)."""

import ast
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from declarations import legacy, uploads
from declarations.models import Channel, Declaration
from ledger.models import LedgerEntry

from .conftest import RM1

ROW = {
    **legacy.EXAMPLE,
    **{"importer": RM1, "classification": "2201900000", "tariff_treatment": "MFN", "origin": "FR", "origin_state": ""},
    **{"export_country": "FR", "unit": "LTR", "quantity": "3000", "narrative": "Spring water"},
}


def b3_file(*rows, name="b3.csv"):
    out = io.StringIO()
    writer = csv.DictWriter(out, legacy.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode())


def convert(who, *rows):
    return legacy.convert(who, uploads.read_lines(b3_file(*rows), legacy.COLUMNS, uploads.MAX_ROWS))


def test_a_b3_becomes_an_as_declared_cad_with_its_amounts_and_no_ledger_entry(maple, alice):
    second = {**ROW, "value": "500.00", "vfd": "685.00", "gst": "34.25", "narrative": "Sparkling water"}
    result = convert(alice, ROW, second)
    assert result.created == ["12345000000012"] and not result.errors
    declaration = Declaration.objects.get(transaction_number="12345000000012")
    version = declaration.version()
    assert version.channel == Channel.LEGACY and version.details == {"cad_type_code": "AB"}
    assert [str(line.gst) for line in version.lines.order_by("number")] == ["68.50", "34.25"]
    assert str(version.total) == "102.75" and str(version.vfd) == "2055.00"
    assert not LedgerEntry.objects.filter(source_key__contains="12345000000012").exists()
    assert AuditEntry.objects.filter(action="declarations.legacy_converted").count() == 1
    assert version.payload["lines"][1]["narrative"] == "Sparkling water"  # what a correction starts from


def test_converting_the_same_file_twice_converts_it_once(maple, alice):
    convert(alice, ROW)
    again = convert(alice, ROW)
    assert again.skipped == ["12345000000012"] and not again.created
    assert Declaration.objects.filter(transaction_number="12345000000012").count() == 1


def test_a_b3_released_under_carm_is_refused(maple, alice):
    result = convert(alice, {**ROW, "release_date": "2024-10-21"})
    assert [(column, row) for row, column, _message in result.errors] == [("release_date", 2)]
    assert not Declaration.objects.exists()


def test_a_b3_of_an_account_one_may_not_transact_on_is_refused(maple, bob):
    result = convert(bob, ROW)
    assert ("importer" in {column for _row, column, _m in result.errors}) and not Declaration.objects.exists()


def test_a_type_retired_before_the_release_is_accepted_and_one_unknown_refused(maple, alice):
    assert convert(alice, {**ROW, "cad_type_code": "AD"}).created  # AD was in use before CARM
    refused = convert(alice, {**ROW, "transaction_number": "12345000000023", "cad_type_code": "TT"})
    assert [column for _row, column, _m in refused.errors] == ["cad_type_code"]  # TT came with CARM


def test_the_upload_page_converts_a_file(client, maple, alice):
    client.force_login(alice)
    page = client.post(reverse("declarations:legacy"), {"b3_file": b3_file(ROW)})
    assert page.status_code == 200 and "12345000000012" in page.content.decode()
    assert Declaration.objects.filter(transaction_number="12345000000012").exists()


def test_a_converted_b3_can_be_adjusted_and_only_the_difference_is_billed(maple, alice, tariff_rows, on_day):
    from declarations import services
    from declarations.models import Kind

    on_day(dt.date(2025, 1, 6))
    # A CAD-currency B3 of 30,000.00 of water whose importer declared no customs duty (6.5 % is due).
    row = {**ROW, "currency": "CAD", "exchange_rate": "1", "value": "30000.00", "vfd": "30000.00", "gst": "1500.00"}
    convert(alice, row)
    declaration = Declaration.objects.get(transaction_number="12345000000012")
    payload = {**declaration.version().payload, "cad_type": "rpp"}
    outcome = services.amend(
        alice, declaration.transaction_number, payload, expected_version=1, reason="Duty was omitted on the B3"
    )
    assert not outcome.errors, outcome.errors
    assert outcome.version.kind == Kind.ADJUSTMENT
    assert outcome.version.customs_duty == Decimal("1950.00")
    assert outcome.version.delta == outcome.version.total - Decimal("1500.00")  # the B3's total, as declared


def test_the_legacy_reader_uses_only_the_validators_public_entry_points():
    tree = ast.parse(Path(legacy.__file__).read_text(encoding="utf-8"))
    private = [
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "validation"
        and node.attr.startswith("_")
    ]
    assert private == []
