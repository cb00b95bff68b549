import datetime as dt
from decimal import Decimal

from security import services
from security.models import CashDeposit, ModificationRequest, RequestStatus, RppStatus, SecurityProgram
from tests.conftest import sign_in

from .conftest import duties, secured

D = dt.date


def test_the_importer_s_security_page_shows_status_requirement_and_its_working_in_english_and_french(
    client, maple, rm0001, alice, sam, sureco
):
    duties(rm0001, D(2025, 3, 4), "12000.00", "CAD-MARCH")
    secured(rm0001, alice, sam, sureco, amount="6000.00")
    sign_in(client, alice)
    english = client.get(f"/en/security/{rm0001.number}/").content.decode()
    assert "RPP CADs are accepted" in english and "CAD-MARCH" in english and "$6,000.00" in english
    assert "D17-5-2" in english
    french = client.get(f"/fr/security/{rm0001.number}/").content.decode()
    assert "Les DDC MAP sont acceptées" in french and "Cautionnement exigé" in french


def test_the_positions_page_tells_which_accounts_take_an_rpp_cad_today(client, maple, rm0001, alice, sam, sureco):
    secured(rm0001, alice, sam, sureco, amount="5000.00")
    sign_in(client, alice)
    page = client.get("/en/security/").content.decode()
    row_1 = page.split(f'data-account="{rm0001.number}"')[1].split("</tr>")[0]
    row_2 = page.split('data-account="123456782RM0002"')[1].split("</tr>")[0]
    assert "Yes" in row_1 and "No: not enrolled (cash CAD only)" in row_2
    assert "Non : non inscrit" in client.get("/fr/security/").content.decode()


def test_the_importer_asks_to_enrol_on_its_page_and_the_requirement_is_calculated(client, maple, rm0002, alice):
    sign_in(client, alice)
    response = client.post(f"/en/security/{rm0002.number}/", {"action": "enrol"})
    assert response.status_code == 302
    assert services.status_of(rm0002) == RppStatus.REQUESTED
    assert services.requirement_of(rm0002) is not None


def test_a_bad_bond_entered_on_the_page_is_refused_beside_the_form_and_nothing_is_saved(
    client, maple, rm0001, alice, sureco
):
    sign_in(client, alice)
    form = {"action": "bond", "bond-provider": sureco.pk, "bond-number": "P-1", "bond-amount": "5000.00"}
    response = client.post(
        f"/en/security/{rm0001.number}/", {**form, "bond-valid_from": "2025-06-01", "bond-valid_to": "2025-05-01"}
    )
    assert response.status_code == 200 and "The bond cannot end before it starts." in response.content.decode()
    assert not sureco.bonds.exists()


def test_someone_without_access_to_the_account_gets_a_404(client, maple, rm0001, charlie):
    sign_in(client, charlie)
    assert client.get(f"/en/security/{rm0001.number}/").status_code == 404


def test_an_officer_decides_a_modification_request_from_the_queue(client, maple, rm0001, alice, sam, sureco, ravi):
    secured(rm0001, alice, sam, sureco)
    asked = services.request_modification(alice, rm0001, "4000.00", "March was a one-off order")
    assert [item.subject for item in services.officer_queue(ravi)] == [asked]
    sign_in(client, ravi)
    assert "March was a one-off order" in client.get("/en/security/queue/").content.decode()
    client.post(f"/en/security/queue/modification/{asked.pk}/", {"approve": "1", "reason": "Verified"})
    asked.refresh_from_db()
    assert asked.status == RequestStatus.APPROVED
    assert services.requirement_of(rm0001).bond_amount == 5000  # 50 % of $4,000 is below the minimum


def test_only_an_officer_reaches_the_queue(client, maple, alice):
    sign_in(client, alice)
    assert client.get("/en/security/queue/").status_code == 403
    assert not ModificationRequest.objects.exists()


def test_the_importer_gives_a_cash_deposit_as_security_for_appeals_on_its_page(client, maple, rm0001, alice):
    sign_in(client, alice)
    form = {"action": "deposit", "deposit-amount": "1773.75", "deposit-program": "appeals"}
    assert client.post(f"/fr/security/{rm0001.number}/", form).status_code == 302
    deposit = CashDeposit.objects.get()
    assert (deposit.program, deposit.amount) == (SecurityProgram.APPEALS, Decimal("1773.75"))
    services.deposit_paid(deposit, "REF-1")
    assert services.appeal_security(rm0001) == Decimal("1773.75") and services.posted(rm0001).total == 0
    assert "Appels (Loi sur les douanes, par. 60(1))" in client.get(f"/fr/security/{rm0001.number}/").content.decode()
