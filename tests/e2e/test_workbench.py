"""Olivia, CBSA supervisor, walks her day on the workbench in the browser, in English then French:
she lands on the workbench, finds Maple Leaf Imports by name, reads its client 360 and writes a note,
assigns a support request, launches the nightly interest run and watches it finish, runs it again
(nothing to do), and reads the dashboards."""

import datetime as dt
import re
import time
from decimal import Decimal

import pytest

from ledger.models import EntryType, InterestRate
from ledger.posting import post_entry
from tests.e2e.conftest import sign_in
from workbench.models import Run, SupportRequest

WORDS = {
    "en": {
        "home": "Officer's workbench",
        "search": "Search",
        "note": "Save the note",
        "assign": "Assign the selected items",
        "launch": "Launch",
        "nothing": "Nothing to do",
        "dashboards": "Dashboards",
        "support": "Support requests",
        "menu": ["Workbench", "Clients", "Dashboards", "Runs", "Customs Tariff", "My profile", "Sign out"],
    },
    "fr": {
        "home": "Poste de travail de l'agent",
        "search": "Rechercher",
        "note": "Enregistrer la note",
        "assign": "Attribuer les éléments sélectionnés",
        "launch": "Lancer",
        "nothing": "Rien à faire",
        "dashboards": "Tableaux de bord",
        "support": "Demandes d'aide",
        "menu": [
            "Poste de travail",
            "Clients",
            "Tableaux de bord",
            "Exécutions",
            "Tarif des douanes",
            "Mon profil",
            "Se déconnecter",
        ],
    },
}


def _fill(page, field_id, value):
    page.locator(f"#{field_id}").fill(value)


def _finished(run, seconds=30):
    """The run once it has ended (or as it stands after `seconds`), so a failure says why."""
    for _ in range(seconds * 10):
        if run.finished:
            break
        time.sleep(0.1)
        run.refresh_from_db()
    return run


@pytest.fixture
def day_of_work(maple, rm0001, alice):
    """An overdue assessment on RM0001 (the interest run has work), its prescribed rate, and a question."""
    InterestRate.objects.create(effective_from=dt.date(2024, 1, 1), prescribed_rate=Decimal("7.000"))
    post_entry(
        rm0001,
        EntryType.ASSESSMENT,
        Decimal("1000.00"),
        effective_date=dt.date(2025, 1, 6),
        due_date=dt.date(2025, 1, 31),
        source_key="e2e-workbench",
    )
    SupportRequest.objects.create(subject="Statement question", question="Why is RM0001 overdue?", asked_by=alice)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_supervisor_walks_her_day_on_the_workbench(page, live_server, checker, day_of_work, olivia, language):
    words = WORDS[language]
    base = f"{live_server.url}/{language}"
    sign_in(page, live_server, olivia)
    page.wait_for_url(re.compile(r"/cbsa/$"))  # officers land on the workbench, not on "Register my business"
    page.goto(f"{base}/cbsa/")
    checker.check(f"home-{language}")
    assert page.get_by_role("heading", name=words["home"]).is_visible()

    _fill(page, "q", "maple")
    page.get_by_role("button", name=words["search"]).click()
    page.wait_for_url(re.compile(r"/cbsa/clients/\?q=maple"))
    checker.check(f"search-{language}")
    page.get_by_role("link", name="123456782").click()
    page.wait_for_url(re.compile(r"/cbsa/clients/123456782/$"))
    checker.check(f"client-360-{language}")
    assert "123456782RM0001" in page.content() and "alice@maple.example" in page.content()
    _fill(page, "id_text", "Called the importer about RM0001.")
    page.get_by_role("button", name=words["note"]).click()
    page.wait_for_url(re.compile(r"/cbsa/clients/123456782/$"))
    assert "Called the importer about RM0001." in page.content()

    page.goto(f"{base}/cbsa/queues/support/")
    checker.check(f"queue-{language}")
    page.locator("input[name=items]").first.check()
    page.locator("select#id_officer").select_option(str(olivia.pk))
    _fill(page, "id_reason", "Morning triage")
    page.get_by_role("button", name=words["assign"]).click()
    page.wait_for_url(re.compile(r"/cbsa/queues/support/$"))
    assert "olivia@cbsa.example" in page.content()

    for attempt in ("first", "again"):
        page.goto(f"{base}/cbsa/runs/")
        page.locator("select#id_job").select_option("interest")
        _fill(page, "id_day", "2025-02-10")
        _fill(page, "id_reason", "Catch up a missed night")
        checker.check(f"runs-{attempt}-{language}")
        page.get_by_role("button", name=words["launch"]).click()
        page.wait_for_url(re.compile(r"/cbsa/runs/\d+/$"))
        run = _finished(Run.objects.latest("pk"))
        assert run.status == Run.Status.DONE, f"the {attempt} run ended {run.status}: {run.error}"
        page.locator("progress[value='100']").wait_for()
        checker.check(f"run-{attempt}-{language}")
    runs = list(Run.objects.order_by("pk").values_list("job", "status", "count"))
    assert runs[-1] == ("interest", "done", 0) and words["nothing"] in page.content()

    page.goto(f"{base}/cbsa/dashboard/?start=2024-12-01&end=2025-03-31")
    checker.check(f"dashboard-{language}")
    assert page.get_by_role("heading", name=words["dashboards"], exact=True).is_visible()
    assert page.locator("figure svg").count() == 2


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_officer_has_the_workbench_menu_on_every_page_each_entry_on_one_line(
    page, live_server, checker, olivia, language
):
    sign_in(page, live_server, olivia)
    page.goto(f"{live_server.url}/{language}/profile/")  # a page outside the workbench
    checker.check(f"menu-{language}")
    links = page.locator("gcds-top-nav > gcds-nav-link:not([slot])")
    assert [text.strip() for text in links.all_inner_texts()] == WORDS[language]["menu"]
    heights = {round(links.nth(n).bounding_box()["height"]) for n in range(links.count())}
    assert len(heights) == 1, f"a menu entry wraps: heights {heights}"
