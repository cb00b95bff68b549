"""The officers' s.59 re-determination pages under /<lang>/cbsa/redeterminations/ (issue 21 item 2):
find the CAD, preview the delta with nothing saved, issue it (CAD version, ledger delta, Statement
of Adjustment, audited); bad input refused beside the form in English and French; only officers
holding VERIFY_DECLARATIONS."""

import datetime as dt
import json

import pytest

from audit.models import AuditEntry
from core import formats
from declarations import services as declarations
from recourse.models import StatementOfAdjustment
from tests.conftest import sign_in
from tests.declarations.conftest import cad, line

D = dt.date
PAGE = "/{language}/cbsa/redeterminations/"


@pytest.fixture
def declaration(maple, rm0001, alice, tariff_rows, on_day):
    on_day(D(2025, 1, 8))
    declaration = declarations.submit(alice, cad()).declaration
    on_day(D(2025, 3, 3))
    return declaration


def _form(what, payload, **changes):
    form = {"issue": "value", "subject": "Royalties", "reasons": "Royalties paid as a condition of sale"}
    return form | {"what": what, "payload": json.dumps(payload)} | changes


def test_a_trade_officer_finds_the_cad_previews_the_delta_then_issues_the_statement(client, declaration, officer):
    number = declaration.transaction_number
    sign_in(client, officer)
    found = client.get(PAGE.format(language="en"), {"transaction_number": number})
    assert found.status_code == 302 and found.url == f"/en/cbsa/redeterminations/{number}/"
    prepared = client.get(found.url).content.decode()
    assert "Spring water, 500 mL bottles" in prepared  # the version in force, ready to edit
    corrected = cad(line(value="45000.00"))
    expected = declarations.preview_redetermination(officer, declaration, corrected).delta
    preview = client.post(found.url, _form("preview", corrected))
    assert preview.status_code == 200 and formats.money(expected) in preview.content.decode()
    assert not StatementOfAdjustment.objects.exists() and declaration.versions.count() == 1
    issued = client.post(found.url, _form("issue", corrected))
    assert issued.status_code == 302
    statement = StatementOfAdjustment.objects.get()
    assert (statement.delta, statement.version.label, statement.subject) == (expected, "00002", "Royalties")
    assert AuditEntry.objects.filter(action="recourse.statement_issued", object_id=str(statement.pk)).exists()
    listed = client.get(issued.url).content.decode()
    assert statement.number in listed
    french = client.get(f"/fr/cbsa/redeterminations/{number}/").content.decode()
    assert f"Réviser la déclaration {number}" in french and "Prévisualiser l'écart" in french


def test_bad_input_is_refused_beside_the_form_in_english_and_french_and_nothing_is_saved(client, declaration, officer):
    url = f"/{{}}/cbsa/redeterminations/{declaration.transaction_number}/"
    sign_in(client, officer)
    for language, words in (("en", "not valid JSON"), ("fr", "JSON valide")):
        response = client.post(url.format(language), _form("issue", {}) | {"payload": "{oops"})
        assert response.status_code == 400 and words in response.content.decode()
    other_importer = cad(line(value="45000.00"), importer="123456782RM0009")
    refused = client.post(url.format("en"), _form("issue", other_importer))
    assert refused.status_code == 400 and "/importer" in refused.content.decode()
    missing = client.get(PAGE.format(language="fr"), {"transaction_number": "12345678901234"})
    assert missing.status_code == 400 and "Aucune déclaration" in missing.content.decode()
    assert not StatementOfAdjustment.objects.exists() and declaration.versions.count() == 1


def test_only_an_officer_holding_verify_declarations_reaches_the_pages(
    client, declaration, alice, revenue_officer, recourse_officer
):
    url = f"/en/cbsa/redeterminations/{declaration.transaction_number}/"
    for person in (alice, revenue_officer, recourse_officer):
        sign_in(client, person)
        assert client.get(PAGE.format(language="en")).status_code == 403
        assert client.post(url, _form("issue", cad(line(value="45000.00")))).status_code == 403
        client.logout()
    assert not StatementOfAdjustment.objects.exists()


def test_the_workbench_and_the_appeals_queue_link_an_officer_to_the_work_their_role_holds(
    client, officer, revenue_officer
):
    sign_in(client, officer)
    assert "/en/cbsa/redeterminations/" in client.get("/en/cbsa/").content.decode()
    assert "/en/appeals/officer/penalties/new/" in client.get("/en/appeals/officer/").content.decode()
    client.logout()
    sign_in(client, revenue_officer)
    assert "/en/cbsa/redeterminations/" not in client.get("/en/cbsa/").content.decode()
    assert "/en/appeals/officer/penalties/new/" not in client.get("/en/appeals/officer/").content.decode()
