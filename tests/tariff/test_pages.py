import pytest
from django.utils import translation

from tariff import search as tariff_search

AS_OF = "?as_of=2021-05-01"


@pytest.fixture(autouse=True)
def _fresh_search_index():
    tariff_search.clear_cache()


def page(client, url):
    response = client.get(url)
    return response, response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        "sections/1/",
        "chapters/01/",
        "headings/0101/",
        "classifications/0101210000/",
        "classifications/01012900/",
        "search/",
    ],
)
def test_every_page_renders_in_both_languages_without_sign_in(client, t2021, language, path):
    response, html = page(client, f"/{language}/tariff/{path}{AS_OF}")
    assert response.status_code == 200
    assert f'<html lang="{language}">' in html


def test_the_classification_page_shows_the_path_unit_and_every_rate(client, t2021):
    response, html = page(client, f"/en/tariff/classifications/0101.21.00.00/{AS_OF}")
    assert "Classification number 0101.21.00.00" in html
    assert "Live horses, asses, mules and hinnies." in html and "Horses:" in html
    assert "NMB" in html
    assert "Most-Favoured-Nation Tariff" in html and "United Kingdom Tariff" in html
    assert "Guidance, not a ruling" in html
    assert "d11-11-3-eng.html" in html
    assert "/en/assessment/estimate/?classification=0101210000" in html


def test_the_french_classification_page_prints_rates_in_french_and_marks_english_text(client, t2021):
    with translation.override("fr"):
        response, html = page(client, f"/fr/tariff/classifications/0207.11.91.00/{AS_OF}")
    assert "5 % mais pas moins de 4,74 ¢/kg ou plus de 9,48 ¢/kg" in html
    assert '<span lang="en">Within access commitment</span>' in html
    assert "Conseil, pas une décision" in html
    assert "d11-11-3-fra.html" in html


def test_the_chapter_page_shows_its_legal_notes(client, t2021):
    response, html = page(client, f"/en/tariff/chapters/01/{AS_OF}")
    assert "<gcds-details" in html and "This Chapter covers all live animals" in html
    assert "Notes of section I" in html


def test_the_heading_page_shows_the_tree_with_mfn_rates(client, t2021):
    response, html = page(client, f"/en/tariff/headings/01.01/{AS_OF}")
    assert 'class="tariff-depth-2"' in html and "Pure-bred breeding animals" in html
    assert "/en/tariff/classifications/0101210000/?as_of=2021-05-01" in html


def test_a_full_code_in_search_goes_straight_to_its_page(client, t2021):
    response = client.get("/en/tariff/search/?q=0101.21.00.00&as_of=2021-05-01")
    assert response.status_code == 302
    assert response["Location"] == "/en/tariff/classifications/0101210000/?as_of=2021-05-01"


def test_search_lists_results_and_why_they_matched(client, t2021, hs):
    response, html = page(client, "/en/tariff/search/?q=horses+breeding&as_of=2021-05-01")
    assert response.status_code == 200 and "0101.21.00.00" in html and "Why it matched" in html


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/en/tariff/classifications/9999999999/", 404),
        ("/en/tariff/classifications/99x/", 400),
        ("/en/tariff/chapters/03/", 404),
        ("/en/tariff/sections/30/", 404),
        ("/en/tariff/sections/99999999999999999999999/", 404),
        ("/en/tariff/headings/0101/?as_of=1990-01-01", 404),
        ("/en/tariff/?as_of=not-a-date", 400),
        ("/en/tariff/search/?q=" + "x" * 600, 400),
    ],
)
def test_bad_input_gets_a_page_saying_why(client, t2021, url, status):
    response, html = page(client, url)
    assert response.status_code == status
    assert "Tariff information not available" in html


def test_pages_without_any_schedule_say_so(client, db):
    response, html = page(client, "/en/tariff/")
    assert response.status_code == 404 and "No tariff schedule is loaded." in html
