"""Alice filters her payments in the browser: the filter form (GC Design System selects and inputs) in
English and French, and a start date after the end date refused on the page, accessibly (axe)."""

import pytest

from tests.e2e.conftest import sign_in

from .test_ledger_pages import NUMBER

WORDS = {
    "en": {"status": "Status", "error": "The start date must be on or before the end date."},
    "fr": {"status": "État", "error": "La date de début doit être égale ou antérieure à la date de fin."},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_bam_filters_her_payments_and_a_reversed_range_is_refused(page, live_server, checker, maple, alice, language):
    sign_in(page, live_server, alice)
    assert page.goto(f"{live_server.url}/{language}/payments/?account={NUMBER}&status=completed").ok
    checker.check(f"payments-filtered-{language}")
    assert f'label="{WORDS[language]["status"]}"' in page.content()
    assert page.goto(f"{live_server.url}/{language}/payments/?date_from=2025-05-01&date_to=2025-04-01").ok
    checker.check(f"payments-bad-range-{language}")
    assert WORDS[language]["error"] in page.content()
