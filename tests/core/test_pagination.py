"""Every paginated API list reads `limit` and `offset` or says why not: DRF alone would quietly
serve its default page for a limit it cannot read, and pass a huge offset to the database."""

import pytest
from django.test import RequestFactory
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from core.pagination import BoundedLimitOffsetPagination


def _page(query):
    request = Request(RequestFactory().get("/api/v1/anything", query))
    return BoundedLimitOffsetPagination().paginate_queryset(list(range(1000)), request)


@pytest.mark.parametrize("limit", ["abc", "0", "-1", "501", "1.5", "٣"])
def test_a_limit_it_cannot_serve_is_refused_naming_the_parameter(limit):
    with pytest.raises(ValidationError) as refused:
        _page({"limit": limit})
    assert list(refused.value.detail) == ["limit"]
    assert str(refused.value.detail["limit"][0]) == "Give a number from 1 to 500."


def test_an_offset_beyond_what_the_database_holds_is_refused():
    with pytest.raises(ValidationError) as refused:
        _page({"offset": str(10**9 + 1)})
    assert list(refused.value.detail) == ["offset"]


def test_a_limit_within_bounds_gives_that_many_rows():
    assert _page({"limit": "500", "offset": "10"}) == list(range(10, 510))
    assert _page({"limit": "7"}) == list(range(7))
