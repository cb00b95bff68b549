"""Evidence beyond the rows' own words (issue #25): legal notes, headings as documents of their
children, the French glossary, and the question that tells the first two suggestions apart."""

from datetime import date

import pytest

from tariff import search
from tariff.models import Chapter, LegalNote, Section
from tariff.search import SearchResult
from tariff.search_models import SearchSynonym
from tariff.search_notes import note_items
from tariff.search_question import question

from .test_search import DAY, LINES_2026, load_schedule

CHAPTER_61_NOTE = """1. This Chapter applies only to made up knitted or crocheted articles.

2. This Chapter does not cover:

(a) Sports footwear with outer soles of rubber (heading 64.02);
(b) Worn clothing or other worn articles of heading 63.09; or
(c) Knitted articles of Chapter 61 weighing 10.50 kg.

3. For the purpose of headings 61.03 and 61.04, a suit is a set of garments."""


@pytest.fixture(autouse=True)
def schedule(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    search.clear_cache()
    version = load_schedule(LINES_2026, date(2026, 1, 1), "t2026")
    section = Section.objects.create(number=11, roman="XI", title_en="Textiles")
    Chapter.objects.create(number="61", section=section, title_en="Apparel, knitted or crocheted")
    LegalNote.objects.create(
        chapter_id="61", kind=LegalNote.Kind.NOTE, text_en=CHAPTER_61_NOTE, valid_from=date(2019, 1, 1), version=version
    )
    yield version
    search.clear_cache()


def test_note_lines_that_point_elsewhere_become_items_with_their_targets():
    items = note_items(CHAPTER_61_NOTE, "61", ("61",))
    assert [item.targets for item in items] == [("6402",), ("6309",)]
    assert all(item.excludes for item in items)
    assert {"sport", "footwear", "rubber"} <= items[0].terms
    assert "6402" not in " ".join(items[0].terms)  # the reference is not a word of the item


def test_a_note_to_its_own_chapter_or_a_figure_is_not_a_reference():
    items = note_items("1. Goods of headings 61.03 and 61.04.\n2. Goods weighing 10.50 kg.", "61", ("61",))
    assert items == []


def test_a_matched_note_supports_the_heading_it_points_to_and_says_why():
    results = search.search("sports footwear rubber soles", as_of=DAY)
    assert results[0].code == "6402190000"
    assert any("legal note of Chapter 61 points here" in reason for reason in results[0].why)


def test_an_exclusion_explains_why_the_excluding_chapter_is_not_the_answer():
    results = search.search("sports footwear rubber soles knitted", as_of=DAY, limit=10)
    knitted = next(r for r in results if r.code.startswith("61"))
    assert any(reason.startswith("Chapter 61 excludes") for reason in knitted.why)


def test_a_heading_is_scored_on_the_words_of_all_its_numbers():
    index = search.index_for(DAY)
    groups = index.groups("cotton polyesters")
    numbers = index.keyword_scores(groups)
    headings = index.keyword_scores(groups, "en", index.headings)
    t_shirts = index.headings.names.index("6109")
    # No number of 6109 names both; the heading holds both words, so it outscores each of them.
    assert headings[t_shirts] == headings.max()
    assert headings[t_shirts] > numbers.max()


def test_a_french_description_finds_an_english_only_number_through_the_glossary():
    SearchSynonym.objects.get_or_create(language="fr", term="homme", defaults={"means": "men's"})
    results = search.search("t-shirt de coton pour homme", as_of=DAY)
    assert results[0].code == "6109100012"
    assert any("coton" in reason and "cotton" in reason for reason in results[0].why)


def test_the_model_reads_a_french_query_in_the_glossary_s_english():
    index = search.index_for(DAY)
    assert index.for_model("chemise de coton") == "shirts cotton"
    assert index.for_model("cotton shirt for men") == "cotton shirt for men"  # English: unchanged


def test_french_words_outside_the_glossary_read_in_english_through_the_learned_lexicon():
    assert not SearchSynonym.objects.filter(term__in=["huitres", "saumons", "saumure"]).exists()
    index = search.index_for(DAY)
    # The schedule prints "Huîtres" beside "Oysters", "Saumons" beside "Salmon", "en saumure" beside "in brine".
    assert index.for_model("huîtres et saumons, dans la saumure") == "oysters salmon brine"


def _result(code, description, path=()):
    return SearchResult(code, code, description, tuple(path), 0.5, ())


def test_two_suggestions_differing_by_material_give_a_question_in_the_tariff_s_words():
    first = _result("6109100012", "Other T-shirts", ["T-shirts, knitted", "Of cotton"])
    second = _result("6109900010", "Of polyesters", ["T-shirts, knitted", "Of synthetic fibres"])
    asked = question([first, second])
    assert asked.startswith("What is it made of")
    assert "“Of cotton” (6109100012)" in asked and "“Of synthetic fibres” (6109900010)" in asked


def test_a_difference_of_use_is_asked_when_the_material_is_the_same():
    first = _result("6109100012", "Other T-shirts", ["Of cotton", "Men's or boys'"])
    second = _result("6110200010", "Other", ["Of cotton", "Women's or girls'"])
    assert question([first, second]).startswith("Who or what is it for")


def test_a_word_only_one_of_the_two_prints_is_asked_as_yes_or_no():
    first = _result("6109100012", "Other T-shirts", ["T-shirts, knitted or crocheted", "Of cotton"])
    second = _result("6205200090", "Other", ["Men's or boys' shirts", "Of cotton"])
    asked = question([first, second])
    assert asked == "Is it as “T-shirts, knitted or crocheted” says? Yes: 6109100012; no: 6205200090."


def test_no_question_when_the_first_two_share_a_subheading_or_differ_in_nothing_known():
    same = [_result("6109100012", "Of cotton"), _result("6109100019", "Of cotton, other")]
    assert question(same) is None
    assert question([_result("0101210000", "Horses"), _result("8211910000", "Knives")]) is None
    assert question([_result("0101210000", "Horses")]) is None


def test_the_search_page_and_the_api_ask_the_distinguishing_question(client):
    query = {"q": "t-shirts of cotton or polyesters", "as_of": DAY.isoformat()}
    body = client.get("/api/v1/tariff/search", query).json()
    assert body["results"][0]["number"][:6] != body["results"][1]["number"][:6]
    assert body["question"].startswith("What is it made of")
    page = client.get("/en/tariff/search/", query)
    assert "A question to tell the first two apart" in page.content.decode()
    assert client.get("/api/v1/tariff/search", {"q": "horses", "as_of": DAY.isoformat()}).json()["question"] is None
