"""Bulk submission (services.submit_batch, POST /api/v1/declarations/batch): each CAD accepted or
rejected on its own as `submit` would, idempotent per client reference, rights checked per CAD,
the batch size limited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment_engine import parse_rate
from audit.models import AuditEntry
from declarations import services
from declarations.models import Declaration, DeclarationLine, DeclarationVersion, Invoice
from declarations.transaction_numbers import validate
from ledger.models import LedgerEntry
from tariff.models import DataLoad, Rate

from .conftest import RM1, RM2, cad, line


@pytest.fixture
def today(on_day):
    on_day(dt.date(2025, 1, 6))


def test_a_batch_accepts_the_good_cads_and_rejects_the_bad_ones(maple, alice, tariff_rows, today):
    items = [
        ("R-1", cad()),
        ("R-2", cad(line(classification="9999999999"))),
        ("R-3", cad(line(value="10.00"), line(value="20.00"))),
        ("R-4", "not a declaration"),
    ]
    outcomes = services.submit_batch(alice, items)
    assert [outcome.code for outcome in outcomes] == [39, 41, 39, 41]
    assert [e.code for e in outcomes[1].errors] == ["unknown_classification"]
    assert [e.code for e in outcomes[3].errors] == ["invalid"]
    numbers = [outcomes[0].declaration.transaction_number, outcomes[2].declaration.transaction_number]
    assert all(validate(number) for number in numbers) and numbers[0] != numbers[1]
    assert Declaration.objects.count() == DeclarationVersion.objects.count() == Invoice.objects.count() == 2
    assert DeclarationLine.objects.count() == 3
    entries = LedgerEntry.objects.order_by("id")
    assert [(e.transaction_number, e.amount) for e in entries] == [
        (numbers[0], outcomes[0].version.total),
        (numbers[1], outcomes[2].version.total),
    ]
    assert AuditEntry.objects.filter(action="declarations.submitted").count() == 2
    assert AuditEntry.objects.filter(action="declarations.rejected").count() == 2
    assert AuditEntry.objects.filter(action="ledger.posted").count() == 2


def test_a_line_like_one_that_passed_in_the_batch_is_still_checked_for_its_unit_and_quantity(
    maple, alice, tariff_rows, today
):
    """validation._tariffed keeps what passed by classification, tariff code, origin, treatment and day:
    not the unit and quantity of each line."""
    items = [("R-1", cad()), ("R-2", cad(line(unit="KGM"))), ("R-3", cad(line(quantity="")))]
    outcomes = services.submit_batch(alice, items)
    assert [outcome.code for outcome in outcomes] == [39, 41, 41]
    assert [(e.code, e.pointer) for e in outcomes[1].errors] == [("unit_mismatch", "/lines/0/unit")]
    assert [(e.code, e.pointer) for e in outcomes[2].errors] == [("quantity_required", "/lines/0/quantity")]


def test_what_the_lines_passed_is_kept_until_the_tariff_is_loaded_again(maple, alice, tariff_rows, today):
    """A rate loaded after a batch is the next batch's (validation._tariffed keeps what passed by the
    tariff's data revision)."""
    first = services.submit_batch(alice, [("R-1", cad())])[0]
    Rate.objects.filter(code="22019000", treatment="MFN").update(text="8 %", structured=parse_rate("8 %").to_dict())
    DataLoad.objects.create(
        kind="schedule", label="again", effective_date=dt.date(2020, 1, 1), source_name="fixture", sha256="1" * 64
    )
    second = services.submit_batch(alice, [("R-2", cad())])[0]
    duties = [outcome.version.lines.get().customs_duty for outcome in (first, second)]
    assert duties == [Decimal("1950.00"), Decimal("2400.00")]  # 6.5 %, then 8 % of 30,000.00


def test_a_batch_writes_its_audit_trail_in_one_insert(maple, alice, tariff_rows, today):
    """declarations.submitted and ledger.posted of every CAD of a chunk: one statement (COPY on PostgreSQL)."""
    with CaptureQueriesContext(connection) as captured:
        outcomes = services.submit_batch(alice, [(f"R-{n}", cad(line(value=f"{n}0.00"))) for n in range(1, 4)])
    assert [outcome.code for outcome in outcomes] == [39] * 3
    # an INSERT, or on PostgreSQL the ids taken for a COPY (which the capture does not see)
    writes = [
        q for q in captured if q["sql"].startswith('INSERT INTO "audit_auditentry"') or "'audit_auditentry'" in q["sql"]
    ]
    assert len(writes) == 1
    written = AuditEntry.objects.filter(action__in=["ledger.posted", "declarations.submitted"]).order_by("pk")
    assert list(written.values_list("action", flat=True)) == ["ledger.posted"] * 3 + ["declarations.submitted"] * 3


def test_a_batch_saves_what_submitting_one_by_one_saves(maple, alice, tariff_rows, today):
    alone = services.submit(alice, cad(line(value="123.45")), client_reference="ONE")
    batched = services.submit_batch(alice, [("TWO", cad(line(value="123.45")))])[0]
    assert alone.version.amounts() == batched.version.amounts()
    one, two = (LedgerEntry.objects.get(transaction_number=o.declaration.transaction_number) for o in (alone, batched))
    assert (one.amount, one.due_date, one.effective_date, one.explanation) == (
        two.amount,
        two.due_date,
        two.effective_date,
        two.explanation,
    )


def test_a_batch_sent_again_is_replayed_cad_by_cad(maple, alice, tariff_rows, today):
    items = [(f"R-{n}", cad(line(value=f"{n}00.00"))) for n in range(1, 4)]
    first = services.submit_batch(alice, items)
    items[2] = ("R-3", cad(line(value="1.00")))  # the same reference for another declaration
    again = services.submit_batch(alice, [*items, ("R-4", cad())])
    assert [o.replayed for o in again] == [True, True, False, False]
    assert [o.declaration for o in again[:2]] == [o.declaration for o in first[:2]]
    assert [e.code for e in again[2].errors] == ["idempotency_key_reused"] and again[2].conflict
    assert again[3].code == 39
    assert Declaration.objects.count() == 4 and LedgerEntry.objects.count() == 4


def test_a_reference_taken_meanwhile_redoes_the_chunk_cad_by_cad(maple, alice, tariff_rows, today, monkeypatch):
    """Another request saves the same client reference between the look-up and the insert: the
    unique constraint refuses the chunk, which is redone CAD by CAD (the repeat is a replay)."""
    first = services.submit(alice, cad(), client_reference="R-1")
    monkeypatch.setattr(services, "_earlier_versions", lambda chunk: {})  # the look-up misses it
    outcomes = services.submit_batch(alice, [("R-2", cad(line(value="2.00"))), ("R-1", cad())])
    assert outcomes[0].code == 39 and not outcomes[0].replayed
    assert outcomes[1].replayed and outcomes[1].declaration == first.declaration
    assert Declaration.objects.count() == 2 and LedgerEntry.objects.count() == 2


def test_a_reference_repeated_inside_a_batch_is_a_replay_of_the_first(maple, alice, tariff_rows, today):
    outcomes = services.submit_batch(alice, [("R-1", cad()), ("R-1", cad()), ("R-1", cad(line(value="5.00")))])
    assert [o.replayed for o in outcomes] == [False, True, False]
    assert outcomes[1].declaration == outcomes[0].declaration
    assert [e.code for e in outcomes[2].errors] == ["idempotency_key_reused"]
    assert Declaration.objects.count() == 1


def test_batches_larger_than_a_chunk_are_saved_in_several_transactions(maple, alice, tariff_rows, today, monkeypatch):
    monkeypatch.setattr(services, "CHUNK", 2)
    outcomes = services.submit_batch(alice, [(f"R-{n}", cad(line(value=f"{n}.00"))) for n in range(1, 6)])
    assert [o.code for o in outcomes] == [39] * 5
    assert len({o.declaration.transaction_number for o in outcomes}) == 5
    assert LedgerEntry.objects.count() == 5


def test_the_queries_of_a_batch_do_not_grow_with_its_lines(
    maple, alice, tariff_rows, today, django_assert_max_num_queries
):
    def batch(run, lines):
        made = [line(value=f"{10 + n}.00", origin=("FR", "DE")[n % 2], export_country="FR") for n in range(lines)]
        return [(f"{run}-{n}", cad(*made)) for n in range(3)]

    services.submit_batch(alice, batch("warm", 2))  # first uses (the tariff's kept classifications, ...) not counted
    with CaptureQueriesContext(connection) as one_line_each:
        few = services.submit_batch(alice, batch("few", 1))
    with django_assert_max_num_queries(len(one_line_each)):  # 15 lines: one bulk insert on SQLite too
        many = services.submit_batch(alice, batch("many", 5))
    assert [o.code for o in few + many] == [39] * 6
    assert DeclarationLine.objects.filter(version__declaration__in=[o.declaration for o in many]).count() == 15


def test_a_cad_for_an_account_the_broker_cannot_transact_on_is_refused_alone(maple, relate, brenda, tariff_rows, today):
    relate("program", accounts=[RM2], role="editor", person=brenda)
    outcomes = services.submit_batch(brenda, [("B-1", cad(importer=RM2)), ("B-2", cad(importer=RM1))])
    assert outcomes[0].code == 39 and outcomes[0].declaration.program_account.number == RM2
    assert [e.code for e in outcomes[1].errors] == ["importer_not_permitted"]
    assert list(Declaration.objects.values_list("program_account__number", flat=True)) == [RM2]


def test_the_batch_endpoint_answers_each_cad(api, broker, tariff_rows, today):
    call = api(broker)
    body = {
        "declarations": [
            {"client_reference": "E-1", "declaration": cad()},
            {"client_reference": "E-2", "declaration": cad(line(unit="KGM"))},
            {"client_reference": "E" * 65, "declaration": cad()},
            {"declaration": cad(line(value="7.00"))},
        ]
    }
    answer = call("post", "declarations/batch", body)
    assert answer.status_code == 207
    data = answer.json()
    assert (data["accepted"], data["rejected"]) == (2, 2)
    results = data["results"]
    assert [r["http_status"] for r in results] == [201, 400, 400, 201]
    assert [r["carm_status"] for r in results] == [39, 41, 41, 39]
    assert results[1]["errors"][0]["field"] == "/lines/0/unit"
    assert results[2]["errors"][0]["code"] == "too_long"
    assert results[0]["transaction_number"] and results[0]["version"] == "00001"
    again = call("post", "declarations/batch", {"declarations": body["declarations"][:1]}).json()["results"][0]
    assert (again["http_status"], again["replayed"]) == (200, True)
    assert again["transaction_number"] == results[0]["transaction_number"]
    shown = call("get", f"declarations/{results[3]['transaction_number']}").json()
    assert shown["submitted_by"] == "123026635"


def test_the_batch_endpoint_limits_the_batch_size(api, broker, tariff_rows, today, monkeypatch):
    monkeypatch.setattr(services, "BATCH_LIMIT", 2)
    call = api(broker)
    answer = call("post", "declarations/batch", {"declarations": [{"declaration": cad()}] * 3})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "batch_too_large"
    for body in ({"declarations": []}, {"declarations": "x"}, [1, 2]):
        answer = call("post", "declarations/batch", body)
        assert answer.status_code == 400 and answer.json()["errors"][0]["code"] == "required"
    assert not Declaration.objects.exists()
