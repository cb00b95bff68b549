import csv
import io
import json

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tariff import search as tariff_search
from tariff.loader import load_schedule

from .conftest import T2026, T2026_DAY

API = "/api/v1/tariff"


@pytest.fixture(autouse=True)
def _fresh_search_index():
    tariff_search.clear_cache()


def errors(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def test_sections_list_their_chapters_without_sign_in(client, t2021):
    response = client.get(f"{API}/sections?as_of=2021-05-01")
    assert response.status_code == 200
    body = response.json()
    assert body["schedule"] == "T2021" and body["as_of"] == "2021-05-01"
    assert body["sections"][0]["roman"] == "I"
    assert [c["number"] for c in body["sections"][0]["chapters"]] == ["01", "02"]


def test_a_chapter_comes_with_its_notes_and_headings(client, t2021):
    body = client.get(f"{API}/chapters/01?as_of=2021-05-01").json()
    assert body["section"]["roman"] == "I"
    assert body["headings"][0] == {
        "number": "0101",
        "printed_code": "01.01",
        "level": "heading",
        "description": "Live horses, asses, mules and hinnies.",
        "description_fr": "",
        "description_fr_source": "",
        "unit_of_measure": "",
    }
    assert {note["applies_to"] for note in body["notes"]} == {"section 1", "chapter 01"}


def test_a_heading_comes_with_every_row_under_it(client, t2021):
    body = client.get(f"{API}/headings/01.01?as_of=2021-05-01").json()
    assert body["heading"]["number"] == "0101"
    item = next(row for row in body["descendants"] if row["number"] == "01012100")
    assert (item["parent"], item["depth"], item["mfn"]) == ("01012", 2, "Free")


@pytest.mark.parametrize("number", ["0101210000", "0101.21.00.00", "0101.21.00.00"])
def test_a_classification_number_is_found_with_or_without_dots(client, t2021, number):
    body = client.get(f"{API}/classifications/{number}?as_of=2021-05-01").json()
    assert body["number"] == "0101210000" and body["unit_of_measure"] == "NMB"
    assert [step["number"] for step in body["path"]] == ["I", "01", "0101", "01012", "01012100"]
    assert body["rates_from"] == "01012100"
    mfn = body["rates"][0]
    assert mfn == {
        "treatment": "MFN",
        "treatment_name": "Most-Favoured-Nation Tariff",
        "text": "Free",
        "structured": {"kind": "free"},
        "valid_from": "2021-04-01",
        "schedule": "T2021",
    }
    assert body["valid_from"] == "2021-04-01" and body["valid_to"] is None


def test_a_tariff_item_lists_its_classification_numbers(client, t2021):
    body = client.get(f"{API}/classifications/0101.29.00?as_of=2021-05-01").json()
    assert body["level"] == "tariff_item" and len(body["children"]) == 3


def test_answers_follow_as_of(client, t2026):
    before = client.get(f"{API}/classifications/4402901010?as_of=2025-12-31")
    after = client.get(f"{API}/classifications/4402901010?as_of=2026-01-01")
    assert before.status_code == 200 and before.json()["schedule"] == "T2021"
    assert after.status_code == 404 and errors(after) == [("number", "unknown_code")]
    gt = lambda body: [r for r in body["rates"] if r["treatment"] == "GT"]  # noqa: E731
    assert gt(client.get(f"{API}/classifications/01012100?as_of=2025-12-31").json()) == []
    assert gt(client.get(f"{API}/classifications/01012100?as_of=2026-06-01").json())[0]["text"] == "35%"


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/classifications/9999999999", (404, "number", "unknown_code")),
        ("/classifications/0101.2x", (400, "number", "invalid_code")),
        ("/classifications/0101", (400, "number", "invalid_code")),
        ("/classifications/01012100000000", (400, "number", "invalid_code")),
        ("/chapters/7a", (400, "number", "invalid_code")),
        ("/chapters/03", (404, "number", "unknown_code")),
        ("/headings/9999", (404, "number", "unknown_code")),
        ("/classifications/0101210000?as_of=2021-02-30", (400, "as_of", "invalid_date")),
        ("/classifications/0101210000?as_of=yesterday", (400, "as_of", "invalid_date")),
        ("/classifications/0101210000?as_of=1990-01-01", (404, "as_of", "no_schedule_in_force")),
        ("/sections?as_of=20210501", (400, "as_of", "invalid_date")),
        ("/changes", (400, "since", "required")),
        ("/changes?since=01/01/2021", (400, "since", "invalid_date")),
        ("/search?q=", (400, "q", "required")),
        ("/search?q=" + "x" * 501, (400, "q", "too_long")),
        ("/search?q=horse&limit=1000", (400, "limit", "invalid")),
        ("/export.csv?as_of=1990-01-01", (404, "as_of", "no_schedule_in_force")),
    ],
)
def test_bad_requests_get_a_structured_error_never_a_500(client, t2021, path, error):
    response = client.get(API + path)
    status, field, code = error
    assert response.status_code == status
    assert errors(response) == [(field, code)]


def test_search_finds_codes_and_words(client, t2021, hs):
    by_code = client.get(f"{API}/search?q=0101.21&as_of=2021-05-01").json()
    assert by_code["results"][0]["number"] == "0101210000" and by_code["results"][0]["score"] == 1.0
    by_words = client.get(f"{API}/search?q=charcoal+bamboo&as_of=2021-05-01&limit=5").json()
    assert by_words["results"] and all(
        set(hit) >= {"number", "description", "path", "score", "why"} for hit in by_words["results"]
    )
    assert len(by_words["results"]) <= 5


@pytest.mark.parametrize("query", ["'; DROP TABLE tariff_tariffline; --", ".*(", "%_\\", "<script>"])
def test_search_queries_with_sql_or_regex_characters_are_just_text(client, t2021, query):
    response = client.get(f"{API}/search", {"q": query, "as_of": "2021-05-01"})
    assert response.status_code == 200


def test_changes_list_what_a_version_changed(client, t2026):
    body = client.get(f"{API}/changes?since=2021-01-01&limit=500").json()
    assert body["count"] == len(body["results"]) > 0
    changes = {(c["number"], c["treatment"]): c for c in body["results"]}
    assert changes[("4402901010", "")]["action"] == "removed"
    assert changes[("01012100", "GT")]["after"] == {"text": "35%"}
    assert {c["schedule"] for c in body["results"]} == {"T2026"}
    assert client.get(f"{API}/changes?since=2026-01-02").json()["count"] == 0
    assert client.get(f"{API}/changes?since=2021-01-01&as_of=2025-01-01").json()["count"] == 0


def test_versions_are_listed(client, t2026):
    body = client.get(f"{API}/versions").json()
    assert [(v["label"], v["effective_date"]) for v in body] == [("T2021", "2021-04-01"), ("T2026", "2026-01-01")]
    assert body[1]["treatments"] == ["MFN", "UST", "MXT", "GT"]


def test_the_schedule_exports_as_streamed_csv(client, t2026):
    response = client.get(f"{API}/export.csv?as_of=2026-01-01")
    assert response.status_code == 200 and response.streaming
    assert 'filename="tariff-T2026-2026-01-01.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    item = next(row for row in rows if row["number"] == "44021090")
    assert (item["MFN"], item["GT"], item["UKT"]) == ("6.5 %", "35%", "Free")


def test_the_schedule_exports_as_streamed_json(client, t2026):
    response = client.get(f"{API}/export.json?as_of=2025-06-01")
    body = json.loads(b"".join(response.streaming_content))
    assert body["schedule"] == "T2021" and body["as_of"] == "2025-06-01"
    assert len(body["rows"]) == 151


def test_answers_carry_an_etag_and_a_match_gets_304(client, t2021):
    url = f"{API}/classifications/0101210000?as_of=2021-05-01"
    first = client.get(url)
    etag = first["ETag"]
    assert etag and "max-age" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert (
        client.get(f"{API}/export.csv", HTTP_IF_NONE_MATCH=client.get(f"{API}/export.csv")["ETag"]).status_code == 304
    )


def test_a_new_load_changes_the_etag(client, t2021):
    url = f"{API}/classifications/0101210000?as_of=2021-05-01"
    etag = client.get(url)["ETag"]
    load_schedule(T2026, effective_date=T2026_DAY)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_errors_carry_no_etag(client, t2021):
    assert not client.get(f"{API}/classifications/9999999999").has_header("ETag")


def test_the_api_is_rate_limited(client, t2021, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "5/min", "business": "9/min"})
    statuses = [client.get(f"{API}/sections").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert errors(client.get(f"{API}/sections"))[0][1] == "throttled"


def test_every_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    paths = {path for path in schema["paths"] if path.startswith("/api/v1/tariff")}
    assert paths == {
        "/api/v1/tariff/sections",
        "/api/v1/tariff/chapters/{number}",
        "/api/v1/tariff/headings/{code}",
        "/api/v1/tariff/classifications/{number}",
        "/api/v1/tariff/search",
        "/api/v1/tariff/changes",
        "/api/v1/tariff/versions",
        "/api/v1/tariff/export.csv",
        "/api/v1/tariff/export.json",
    }
    as_of = schema["paths"]["/api/v1/tariff/classifications/{number}"]["get"]["parameters"]
    assert any(p["name"] == "as_of" for p in as_of)
