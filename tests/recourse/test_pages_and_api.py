"""Appeals and compliance pages and API: the client's overview with deadlines and appeal buttons,
filing with bilingual errors that keep what was typed, another business's notice out of reach,
officers' pages by role, the outage banner, the API's structured errors."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from core.formats import money
from penalties import services as penalties
from recourse import services
from recourse.models import Appeal
from tests.conftest import sign_in

D = dt.date


@pytest.fixture
def notice(maple, rm0001, officer):
    today = timezone.localdate()
    return penalties.assess(officer, rm0001, "C005", occurred_on=today, reference="INV-9", reason="x", today=today)


def test_the_client_sees_each_notice_with_its_deadline_and_an_appeal_button(client, alice, notice):
    sign_in(client, alice)
    page = client.get("/en/appeals/").content.decode()
    assert notice.number in page and penalties.appeal_deadline(notice).isoformat() in page
    assert f"/en/appeals/notices/{notice.number}/appeal/" in page
    french = client.get("/fr/appeals/").content.decode()
    assert "Avis de cotisation de pénalité" in french and "Contester" in french
    assert "150,00\xa0$" in french or "150,00 $" in french  # the French way of writing dollars


def test_an_appeal_filed_on_the_page_twice_is_refused_in_english_and_french_keeping_the_grounds(client, alice, notice):
    sign_in(client, alice)
    url = f"/en/appeals/notices/{notice.number}/appeal/"
    first = client.post(url, {"grounds": "The certificate was valid."})
    appeal = Appeal.objects.get(notice=notice)
    assert first.status_code == 302 and first["Location"] == f"/en/appeals/{appeal.number}/"
    again = client.post(url, {"grounds": "Second try"})
    assert again.status_code == 400 and "one appeal per notice" in again.content.decode()
    assert "Second try" in again.content.decode()
    french = client.post(f"/fr/appeals/notices/{notice.number}/appeal/", {"grounds": "Encore"})
    assert french.status_code == 400 and "un appel par avis" in french.content.decode()
    assert Appeal.objects.count() == 1


def test_another_business_s_notice_is_not_found(client, other_business_user, notice):
    sign_in(client, other_business_user)
    assert client.get(f"/en/appeals/notices/{notice.number}/appeal/").status_code == 404
    assert notice.number not in client.get("/en/appeals/").content.decode()


def test_a_wrong_file_type_on_the_page_is_refused_in_french_and_nothing_is_lost(client, alice, notice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    appeal = services.appeal_penalty(alice, notice, grounds="x")
    sign_in(client, alice, language="fr")
    upload = SimpleUploadedFile("virus.exe", b"MZ\x90\x00")
    response = client.post(f"/fr/appeals/{appeal.number}/", {"what": "document", "file": upload})
    assert response.status_code == 400 and "Joignez" in response.content.decode()
    assert not appeal.documents.exists() and Appeal.objects.get(pk=appeal.pk).grounds == "x"


def test_officer_pages_by_role(client, alice, notice, officer, recourse_officer, olivia):
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    sign_in(client, alice)
    assert client.get("/en/appeals/officer/").status_code == 403
    client.logout()
    sign_in(client, officer)  # a trade officer sees the queue, may not decide
    assert appeal.number in client.get("/en/appeals/officer/").content.decode()
    refused = client.post(
        f"/en/appeals/officer/{appeal.number}/", {"what": "decision", "decision": "denied", "reasons": "No"}
    )
    assert refused.status_code == 403 and Appeal.objects.get(pk=appeal.pk).status == "acknowledged"
    assert client.get("/en/appeals/officer/outages/new/").status_code == 403
    client.logout()
    sign_in(client, recourse_officer)
    done = client.post(f"/en/appeals/officer/{appeal.number}/", {"what": "rationale", "rationale": "Valid"})
    assert done.status_code == 302 and Appeal.objects.get(pk=appeal.pk).status == "rationale"


def test_the_decision_page_shows_the_notice_appealed_with_its_amount_dates_and_link(
    client, alice, notice, recourse_officer
):
    appeal = services.appeal_penalty(alice, notice, grounds="x")
    sign_in(client, recourse_officer)
    page = client.get(f"/en/appeals/officer/{appeal.number}/").content.decode()
    shown = page[page.index('id="appealed-notice"') :]
    assert notice.number in shown and "$150.00" in shown and "C005" in shown and "Customs Act s.7.1" in shown
    assert notice.issued_on.isoformat() in shown and appeal.deadline.isoformat() in shown
    french = client.get(f"/fr/appeals/officer/{appeal.number}/").content.decode()
    assert "Ce qui est contesté" in french and "150,00" in french
    client.logout()
    sign_in(client, alice)  # the client's page of the request links to the notice's row
    assert f'/en/appeals/#notice-{notice.number}"' in client.get(f"/en/appeals/{appeal.number}/").content.decode()


@pytest.fixture
def statement(maple, rm0001, alice, officer, tariff_rows, on_day):
    """A Statement of Adjustment of 3 March 2025 on a CAD Alice accounted for in January, unpaid."""
    from declarations import services as declarations
    from recourse.models import Issue
    from tests.declarations.conftest import cad, line

    on_day(D(2025, 1, 8))
    declaration = declarations.submit(alice, cad()).declaration
    on_day(D(2025, 3, 3))
    return services.redetermine(
        officer, declaration, cad(line(value="45000.00")), issue=Issue.VALUE, subject="Royalties", reasons="Royalties"
    )


def test_the_decision_page_lists_the_statements_of_a_request_with_their_cads_and_changes(
    client, rm0001, alice, recourse_officer, statement
):
    from ledger import posting
    from ledger.models import EntryType

    posting.post_entry(rm0001, EntryType.PAYMENT, -statement.delta, effective_date=D(2025, 3, 3), source_key="P")
    appeal = services.request_redetermination(alice, statement, grounds="Not a condition of sale")
    sign_in(client, recourse_officer)
    page = client.get(f"/en/appeals/officer/{appeal.number}/").content.decode()
    shown = page[page.index('id="appealed-statements"') :]
    assert statement.number in shown and f"${statement.delta:,.2f}" in shown and "2025-06-01" in shown
    number = statement.declaration.transaction_number
    assert f"/en/declarations/{number}/" in shown and "version 00002" in shown


def test_the_request_page_shows_the_free_security_for_appeals_and_files_on_it_in_french(
    client, rm0001, alice, statement
):
    from security import services as security
    from security.models import SecurityProgram

    deposit = security.open_deposit(alice, rm0001, statement.delta, program=SecurityProgram.APPEALS)
    security.deposit_paid(deposit, "REF-1")
    sign_in(client, alice)
    url = f"/fr/appeals/statements/{statement.number}/request/"
    page = client.get(url).content.decode()
    assert "aucune demande en cours ne repose" in page and money(statement.delta, "fr") in page
    assert f"/fr/security/{rm0001.number}/" in page
    assert client.post(url, {"grounds": "Les redevances ne sont pas une condition de la vente"}).status_code == 302
    assert Appeal.objects.get().secured == statement.delta
    assert money(0, "fr") in client.get(url).content.decode()  # none free now: the request relies on it


def test_a_declared_outage_shows_its_banner_in_the_page_s_language_while_current(client, alice, olivia):
    sign_in(client, olivia)
    now = timezone.localtime()  # the form reads local time
    response = client.post(
        "/en/appeals/officer/outages/new/",
        {
            "starts_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "ends_at": (now + dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M"),
            "reason": "Database failover",
            "message_en": "The portal is down until noon.",
            "message_fr": "Le portail est en panne jusqu'à midi.",
        },
    )
    assert response.status_code == 302
    client.logout()
    sign_in(client, alice)
    assert "The portal is down until noon." in client.get("/en/appeals/").content.decode()
    assert "Le portail est en panne jusqu&#x27;à midi." in client.get("/fr/appeals/").content.decode()


def test_the_api_files_an_appeal_and_answers_a_late_one_with_a_structured_error(client, alice, notice):
    sign_in(client, alice)
    body = client.get("/api/v1/appeals").json()
    assert [n["number"] for n in body["notices"]] == [notice.number]
    filed = client.post(
        f"/api/v1/appeals/notices/{notice.number}/appeal",
        json.dumps({"grounds": "Valid"}),
        content_type="application/json",
    )
    assert filed.status_code == 201 and filed.json()["notice"] == notice.number
    twice = client.post(
        f"/api/v1/appeals/notices/{notice.number}/appeal",
        json.dumps({"grounds": "Again"}),
        content_type="application/json",
    )
    assert twice.status_code == 400 and twice.json()["errors"][0]["code"] == "already_appealed"
    assert client.get(f"/api/v1/appeals/{filed.json()['number']}").json()["status"] == "acknowledged"


def test_a_trade_officer_assesses_a_penalty_on_the_page_and_a_recourse_officer_may_not(
    client, maple, rm0001, officer, recourse_officer
):
    from penalties.models import PenaltyNotice

    form = {
        "account": "123456782rm0001",
        "contravention": "C070",
        "occurred_on": "2025-03-03",
        "reference": "INV-77",
        "reason": "Goods never accounted for",
    }
    sign_in(client, recourse_officer)
    assert client.post("/en/appeals/officer/penalties/new/", form).status_code == 403
    client.logout()
    sign_in(client, officer)
    missing = client.post("/fr/appeals/officer/penalties/new/", form | {"account": "999999999RM0001"})
    assert missing.status_code == 400 and "Aucun compte de programme" in missing.content.decode()
    assert client.post("/en/appeals/officer/penalties/new/", form).status_code == 302
    notice = PenaltyNotice.objects.get()
    assert (notice.program_account, notice.contravention, str(notice.amount)) == (rm0001, "C070", "1200.00")


def test_an_officer_re_determines_through_the_api_and_a_client_may_not(
    client, maple, rm0001, alice, officer, tariff_rows, on_day
):
    from declarations import services as declarations
    from tests.declarations.conftest import cad, line

    on_day(D(2025, 1, 8))
    number = declarations.submit(alice, cad()).declaration.transaction_number
    on_day(D(2025, 3, 3))
    body = {
        "transaction_number": number,
        "issue": "value",
        "subject": "Royalties",
        "reasons": "Royalties paid as a condition of sale",
        "payload": cad(line(value="45000.00")),
    }
    sign_in(client, alice)
    refused = client.post("/api/v1/appeals/redeterminations", json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "permission_denied"
    client.logout()
    sign_in(client, officer)
    bad = client.post(
        "/api/v1/appeals/redeterminations", json.dumps(body | {"payload": "x"}), content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "invalid"
    made = client.post("/api/v1/appeals/redeterminations", json.dumps(body), content_type="application/json")
    assert (
        made.status_code == 201
        and made.json()["version"] == "00002"
        and made.json()["request_deadline"] == "2025-06-01"
    )


def test_the_api_previews_a_re_determination_with_nothing_saved_and_files_a_request_on_security(
    client, maple, rm0001, alice, officer, tariff_rows, on_day
):
    from declarations import services as declarations
    from recourse.models import StatementOfAdjustment
    from security import services as security
    from security.models import SecurityProgram
    from tests.declarations.conftest import cad, line

    on_day(D(2025, 1, 8))
    number = declarations.submit(alice, cad()).declaration.transaction_number
    on_day(D(2025, 3, 3))
    body = {"transaction_number": number, "payload": cad(line(value="45000.00"))}
    preview_url = "/api/v1/appeals/redeterminations/preview"
    sign_in(client, alice)  # alice and the officer each on a client: a frozen clock takes each code once
    refused = client.post(preview_url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 403 and refused.json()["errors"][0]["code"] == "permission_denied"
    cbsa = Client()
    sign_in(cbsa, officer)
    bad = cbsa.post(preview_url, json.dumps(body | {"payload": "x"}), content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "invalid"
    preview = cbsa.post(preview_url, json.dumps(body), content_type="application/json").json()
    total = next(row for row in preview["changes"] if row["amount"] == "total")
    assert preview["version_in_force"] == "00001" and preview["delta"] == total["change"]
    assert not StatementOfAdjustment.objects.exists()
    issued = {"issue": "value", "subject": "Royalties", "reasons": "Royalties paid as a condition of sale"}
    made = cbsa.post("/api/v1/appeals/redeterminations", json.dumps(body | issued), content_type="application/json")
    assert made.json()["delta"] == preview["delta"]
    deposit = security.open_deposit(alice, rm0001, preview["delta"], program=SecurityProgram.APPEALS)
    security.deposit_paid(deposit, "REF-1")
    filed = client.post(
        f"/api/v1/appeals/statements/{made.json()['number']}/request",
        json.dumps({"grounds": "Royalties are not a condition of sale"}),
        content_type="application/json",
    )
    assert filed.status_code == 201 and filed.json()["secured"] == preview["delta"]
