"""Odd input anywhere gets a clear answer, never a 500."""

import pytest

from tariff import search as tariff_search


@pytest.fixture(autouse=True)
def _fresh_search_index():
    tariff_search.clear_cache()


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/tariff/classifications/0101%002100", "number"),
        ("/api/v1/tariff/classifications/%D9%A0%D9%A1%D9%A0%D9%A1%D9%A0%D9%A1%D9%A0%D9%A1", "number"),
        ("/api/v1/tariff/headings/01%2501", "code"),
        ("/api/v1/tariff/chapters/-1", "number"),
        ("/api/v1/tariff/sections?as_of=%00", "as_of"),
        ("/api/v1/tariff/search?q=horse&limit=-1", "limit"),
        ("/api/v1/tariff/changes?since=2021-01-01&limit=abc", "limit"),
    ],
)
def test_malformed_api_input_is_refused_naming_the_field(client, t2021, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_a_nul_character_in_a_search_is_ignored_not_an_error(client, t2021):
    assert client.get("/api/v1/tariff/search?q=%00").json()["results"] == []
    assert client.get("/en/tariff/search/?q=%00").status_code == 200


def test_a_heading_page_with_an_emoji_code_is_a_bad_request(client, t2021):
    assert client.get("/en/tariff/headings/%F0%9F%90%B4/").status_code == 400
