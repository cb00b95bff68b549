"""Published rulings as evidence for the search (tariff.search_rulings, issue #25): the nearest
rulings vote for the code they gave, never a ruling of the held-out test split."""

import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
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


def _overlap(a, b):
    return len(_words(a) & _words(b)) / len(_words(a) | _words(b))


@pytest.mark.parametrize("name", ["cbp_rulings.jsonl", "atlas_rulings.jsonl"])
def test_no_ruling_of_the_held_out_splits_is_evidence(name):
    """By number, or by near-identical text (the same goods ruled twice): test and fresh rows. An
    ATLAS row's text is a model's rewording of its ruling, so sharing the ruled subheading and
    0.3 of the words already counts as the same ruling (scripts/import_atlas_rulings.py)."""
    with open(ROOT / "data" / "eval" / "rulings.jsonl", encoding="utf-8") as handle:
        test = [row for row in map(json.loads, filter(str.strip, handle)) if row["split"] in ("test", "fresh")]
    evidence = search_rulings.load(ROOT / "data" / "rulings-evidence" / name)
    assert len(evidence) > 250 and test
    assert not {r.number for r in evidence} & {row["ruling"] for row in test}
    for ruling in evidence:
        assert max(_overlap(ruling.description, row["description"]) for row in test) < 0.5, ruling.number
        if ruling.number.startswith("ATLAS-"):
            digits = ruling.code.replace(".", "")
            same_code = [row for row in test if digits.startswith(row["expected"].replace(".", ""))]
            assert all(_overlap(ruling.description, row["description"]) < 0.3 for row in same_code), ruling.number


class _CountingEncoder:
    """Stands in for MiniLM: a unit vector per text, and how many texts it was asked for."""

    def __init__(self):
        self.encoded = 0

    def encode(self, texts):
        self.encoded += len(texts)
        vectors = np.array([[len(t), t.count("e") + 1, 1.0] for t in texts], np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_rulings_vectors_are_computed_once_and_read_back():
    rulings = [search_rulings.Ruling(f"NY T{i}", "6109.90", f"cotton tank top style {i}") for i in range(5)]
    rulings.append(search_rulings.Ruling("NY T9", "9999.99", "goods under no code"))  # dropped, still filed
    encoder = _CountingEncoder()
    first = search_rulings.Neighbours(rulings, ["6109900010"])
    first.attach_vectors(encoder)
    again = search_rulings.Neighbours(rulings, ["6109900010"])
    again.attach_vectors(encoder)
    assert encoder.encoded == 6  # the second index read the file
    assert first.vectors.shape == (5, 3) and np.array_equal(first.vectors, again.vectors)


def test_the_partial_sort_orders_as_a_full_sort_would():
    similarity = np.round(np.random.default_rng(25).random(2000), 2)  # many ties
    candidates = np.flatnonzero(similarity >= 0.3)
    full = candidates[np.argsort(-similarity[candidates], kind="stable")]
    assert list(search_rulings._best_first(similarity, candidates, 7)) == list(full)


def test_a_query_reads_past_the_first_rulings_when_they_cannot_vote():
    """Ten women's rulings are nearer than the two men's: a men's query still gets its votes."""
    women = [search_rulings.Ruling(f"NY W{i}", "6204.62", "women's woven cotton trousers") for i in range(10)]
    men = [search_rulings.Ruling(f"NY M{i}", "6203.42", "men's cotton denim trousers, five pockets") for i in range(2)]
    neighbours = search_rulings.Neighbours(women + men, ["6203420000", "6204620000"])
    votes = neighbours.votes("men's woven cotton trousers")
    assert [ruling.number for _code, _weight, ruling, direct in votes if direct] == ["NY M0", "NY M1"]


def _import_script():
    spec = importlib.util.spec_from_file_location("import_atlas_rulings", ROOT / "scripts" / "import_atlas_rulings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_atlas_import_keeps_only_rulings_that_gave_their_goods_one_subheading(tmp_path):
    rows = tmp_path / "atlas_rows.tsv"
    rows.write_text(
        "# split\trow\tcodes\tothers\tgoods\n"
        "test\t0\t6110.30.3025;6110.30.3077\t\ta girls cardigan of knit man-made fabric from China\n"
        "test\t1\t7016.10.0000;6908.90.0051\t\tglass tiles and porcelain tiles\n"
        "test\t2\t8205.60.0000\t8203.20,8214.20\ta gift set of a watch, tweezers and nail clippers\n"
        "validation\t3\t9903.88.03;8467.99.0190\t\ttool attachments for a power unit\n",
        encoding="utf-8",
    )
    kept, dropped = _import_script().candidates(rows)
    assert [(r["ruling"], r["code"], r["description"]) for r in kept] == [
        ("ATLAS-T000", "6110.30", "a girls cardigan of knit man-made fabric"),  # suffixes differ: one subheading
        ("ATLAS-V003", "8467.99", "tool attachments for a power unit"),  # chapter 99 is no classification
    ]
    assert dropped == {"several subheadings": 1, "parts classified elsewhere": 1, "repeated": 0}


def test_the_atlas_import_leaves_out_rewordings_of_a_held_out_ruling():
    script = _import_script()
    row = {"code": "8467.21", "description": "a power tool kit with a rechargeable drill, worklight, charger and bag"}
    held_out = {"expected": "8467.21", "description": "18V cordless power tool kit: rechargeable drill, battery, bits"}
    elsewhere = dict(held_out, expected="8467.29")
    assert script.same_goods(row, [held_out], lambda r: r["expected"], script.SAME_GOODS_SAME_CODE) is held_out
    assert script.same_goods(row, [elsewhere], lambda r: r["expected"], script.SAME_GOODS_SAME_CODE) is None


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
