"""Published rulings as evidence for the search (tariff.search_rulings, issue #25): the nearest
rulings vote for the code they gave, never a ruling of the held-out test split."""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from tariff import search, search_rulings
from tariff.search_models import SearchSynonym

from .test_search import DAY, LINES_2026, load_schedule

ROOT = Path(django_settings.BASE_DIR)
RULINGS = [
    {"ruling": "NY T00001", "code": "6109.90", "description": "women's camisole tank top of polyester jersey"},
    {"ruling": "NY T00002", "code": "6109.50", "description": "cashmere blend sleeveless undershirt"},
]


@pytest.fixture(autouse=True)
def schedule(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    evidence = tmp_path / "rulings.jsonl"
    evidence.write_text("".join(json.dumps(r) + "\n" for r in RULINGS), encoding="utf-8")
    settings.CARM_RULINGS_EVIDENCE = evidence
    search.clear_cache()
    yield load_schedule(LINES_2026, date(2026, 1, 1), "t2026")
    search.clear_cache()


def test_the_nearest_ruling_puts_the_subheading_it_gave_first_and_says_so():
    results = search.search("camisole tank top", as_of=DAY)  # no word of the schedule
    assert results[0].code == "6109900010"
    assert any("published ruling NY T00001" in reason for reason in results[0].why)


def test_a_ruled_subheading_the_schedule_lacks_counts_for_its_heading():
    results = search.search("cashmere undershirt", as_of=DAY)
    assert results and {r.code[:4] for r in results} == {"6109"}
    assert any("NY T00002" in reason for reason in results[0].why)


def test_a_ruling_left_out_casts_no_vote():
    with search_rulings.leaving_out({"NY T00001"}):
        assert search.search("camisole tank top", as_of=DAY) == []
    assert search.search("camisole tank top", as_of=DAY)  # only inside the block


def test_a_ruling_on_the_other_sex_s_goods_casts_no_vote():
    neighbours = search_rulings.Neighbours(
        [
            search_rulings.Ruling("NY T7", "6204.62", "women's woven cotton trousers with elastic waistband"),
            search_rulings.Ruling("NY T6", "6203.42", "boys' woven cotton denim trousers with elastic waistband"),
        ],
        ["6203420000", "6204620000"],
    )

    def voters(text):
        return [ruling.number for _code, _weight, ruling, direct in neighbours.votes(text) if direct]

    assert voters("men's woven cotton trousers with elastic waistband") == ["NY T6"]
    assert voters("woven cotton trousers with elastic waistband") == ["NY T7", "NY T6"]  # says neither: both vote


def test_a_ruling_under_no_code_of_the_schedule_is_dropped():
    neighbours = search_rulings.Neighbours(
        [search_rulings.Ruling("NY T9", "9999.99", "goods"), search_rulings.Ruling("NY T8", "6109.90", "goods")],
        ["6109900010"],
    )
    assert [r.number for r in neighbours.rulings] == ["NY T8"]


def _words(text):
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_ruling_of_the_held_out_splits_is_evidence():
    """By number, or by near-identical text (the same goods ruled twice): test and fresh rows."""
    with open(ROOT / "data" / "eval" / "rulings.jsonl", encoding="utf-8") as handle:
        test = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] in ("test", "fresh")]
    evidence = search_rulings.load(ROOT / "data" / "rulings-evidence" / "cbp_rulings.jsonl")
    assert len(evidence) > 300 and test
    assert not {r.number for r in evidence} & {row["ruling"] for row in test}
    for ruling in evidence:
        mine = _words(ruling.description)
        closest = max(len(mine & _words(row["description"])) / len(mine | _words(row["description"])) for row in test)
        assert closest < 0.5, ruling.number


def test_the_synonym_migrations_load_every_term_of_their_data_files():
    for name in ("search-synonyms-initial.json", "search-synonyms-issue25.json"):
        seed = json.loads((ROOT / "tariff" / "data" / name).read_text(encoding="utf-8"))
        for language, terms in seed.items():
            stored = set(SearchSynonym.objects.filter(language=language).values_list("term", flat=True))
            assert set(terms) <= stored, (name, language, set(terms) - stored)


def test_the_ruling_reason_is_said_in_french_too():
    with translation.override("fr"):
        results = search.search("camisole tank top", as_of=DAY)
    assert any("décision publiée NY T00001" in reason for reason in results[0].why)
