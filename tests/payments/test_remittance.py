"""Remittance files (payments made outside the portal): each line matched by BN15 and posted; a
malformed line reported with its number while the rest are imported; importing again posts nothing twice."""

import csv

from django.core.management import call_command

from audit.models import AuditEntry
from ledger.models import LedgerEntry
from payments.models import Payment
from payments.remittance import import_remittance

from .conftest import N2, N, balance

GOOD = f"""bn15,amount,payment_date,reference,method
{N},100.00,2025-05-01,BNK-0001,bank
{N2},25.50,2025-05-02,WIRE-77,wire
"""
BAD = f"""bn15,amount,payment_date,reference,method
{N},100.00,2025-05-01,BNK-0001,bank
123456782RM0099,10.00,2025-05-01,BNK-0002,bank
{N},0,2025-05-01,BNK-0003,bank
{N},-5.00,2025-05-01,BNK-0004,bank
{N},12.345,2025-05-01,BNK-0005,bank
{N},10.00,2025-13-01,BNK-0006,bank
{N},10.00,2099-01-01,BNK-0007,bank
{N},10.00,2025-05-01,,bank
{N},10.00,2025-05-01,BNK-0009,bitcoin
{N},abc
{N},50.00,2025-05-03,CHQ-0010,cheque
"""


def test_lines_are_posted_to_the_accounts_they_name(owed, rm0001, rm0002):
    result = import_remittance(GOOD.encode(), "day.csv")
    assert (result.posted, result.skipped, result.errors) == (2, 0, [])
    assert balance(rm0001) == 250 and balance(rm0002) == -25.50
    entry = LedgerEntry.objects.get(program_account=rm0001, entry_type="payment")
    assert entry.effective_date.isoformat() == "2025-05-01"
    assert entry.allocations_from.get().amount == 100  # oldest due first
    assert Payment.objects.get(external_reference="WIRE-77").method == "wire"


def test_malformed_lines_are_reported_and_the_rest_imported(owed, rm0001):
    result = import_remittance(BAD.encode(), "bad.csv")
    assert result.posted == 2
    assert [error["line"] for error in result.errors] == list(range(3, 12))
    messages = " ".join(error["error"] for error in result.errors)
    for text in ["unknown program account", "more than 0", "YYYY-MM-DD", "future", "reference", "bank, wire or cheque"]:
        assert text in messages
    assert balance(rm0001) == 200


def test_importing_the_same_file_again_posts_nothing_twice(owed, rm0001):
    import_remittance(GOOD.encode(), "day.csv")
    again = import_remittance(GOOD.encode(), "day.csv")
    assert (again.posted, again.skipped) == (0, 2)
    assert LedgerEntry.objects.filter(entry_type="payment").count() == 2
    assert AuditEntry.objects.filter(action="payments.remittance_imported").count() == 2


def test_a_wrong_header_or_encoding_is_reported(owed):
    assert import_remittance(b"account,amount\n1,2\n", "x.csv").errors[0]["line"] == 1
    assert import_remittance(b"\xff\xfe\x00", "x.csv").errors[0]["line"] == 1
    over_the_csv_limit = b"bn15," + b"x" * (csv.field_size_limit() + 1)  # the csv module refuses the header
    assert import_remittance(over_the_csv_limit, "x.csv").errors[0]["line"] == 1
    assert not Payment.objects.exists()


def test_lines_ended_by_a_bare_carriage_return_are_read(owed, rm0001, rm0002):
    assert import_remittance(GOOD.replace("\n", "\r").encode(), "mac.csv").posted == 2


def test_the_command_imports_a_file(owed, rm0001, tmp_path, capsys):
    path = tmp_path / "remit.csv"
    path.write_text(BAD)
    call_command("import_remittance", str(path))
    out = capsys.readouterr()
    assert "2 posted" in out.out and "line 3:" in out.err


def test_the_scheduled_task_imports_the_inbox_once(owed, rm0001, rm0002, tmp_path, settings):
    from payments import tasks

    settings.CARM_REMITTANCE_INBOX = str(tmp_path)
    (tmp_path / "day-1.csv").write_text(GOOD)
    assert tasks.import_remittance_inbox() == 1
    assert (tmp_path / "imported" / "day-1.csv").exists() and not (tmp_path / "day-1.csv").exists()
    assert tasks.import_remittance_inbox() == 0
    assert balance(rm0001) == 250 and balance(rm0002) == -25.50
