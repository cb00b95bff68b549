"""The main menu follows the person's roles: an officer's is the workbench's on every page, a client
user's the portal's, and a person holding both kinds of role (one User) gets both."""

from django.urls import reverse

from rights import OfficerRole
from rights.models import OfficerAppointment
from tests.conftest import sign_in

OFFICER_LINKS = ["workbench:home", "workbench:clients", "workbench:dashboard", "workbench:runs"]
CLIENT_LINKS = ["businesses:list", "declarations:list", "portal:financials", "rulings:list", "recourse:overview"]


def _menu(client, language="en") -> str:
    page = client.get(f"/{language}/tariff/").content.decode()
    return page[page.index("<gcds-top-nav") : page.index("</gcds-top-nav>")]


def _shows(menu: str, names: list[str], language="en") -> list[bool]:
    return [f'href="{reverse(name).replace("/en/", f"/{language}/", 1)}"' in menu for name in names]


def test_an_officer_gets_the_workbench_menu_not_the_clients(client, olivia):
    sign_in(client, olivia)
    menu = _menu(client, "fr")
    assert _shows(menu, OFFICER_LINKS, "fr") == [True] * 4
    assert _shows(menu, CLIENT_LINKS, "fr") == [False] * 5
    assert "Mes entreprises" not in menu


def test_a_client_user_gets_the_portal_menu(client, alice):
    sign_in(client, alice)
    menu = _menu(client)
    assert _shows(menu, CLIENT_LINKS) == [True] * 5
    assert _shows(menu, OFFICER_LINKS) == [False] * 4


def test_an_officer_who_also_holds_a_business_grant_gets_both_menus(client, bam):
    bam.is_staff = True
    bam.save(update_fields=["is_staff"])
    OfficerAppointment.objects.create(user=bam, role=OfficerRole.AUDITOR, reason="seconded")
    sign_in(client, bam)
    menu = _menu(client)
    assert _shows(menu, OFFICER_LINKS + CLIENT_LINKS) == [True] * 9
