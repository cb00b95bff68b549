"""CSV bulk requests: a report line per row, nothing partial when something crashes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from delegation import services
from delegation.bulk import bulk_request
from delegation.models import Relationship
from tests.conftest import sign_in

CSV = "bn,program_accounts\n123456782,123456782RM0002\n12345678,\n456789122\n123456782\n876543216\n"


def test_each_row_is_sent_or_refused_with_its_reason(bob, northern, maple, tidewater):
    report = bulk_request(bob, northern, CSV)
    assert [(r.line, r.sent, r.code) for r in report] == [
        (2, True, ""),
        (3, False, "bn_length"),
        (4, False, "cannot_relate"),
        (5, False, "duplicate"),
        (6, False, "cannot_relate"),
    ]
    assert Relationship.objects.get().program_accounts.get().number == "123456782RM0002"


def test_a_row_for_a_client_already_related_is_refused(relate, bob, northern):
    relate("business")
    assert bulk_request(bob, northern, "123456782\n")[0].code == "already_related"


def test_nothing_is_sent_when_the_run_crashes(bob, northern, maple, monkeypatch):
    real = services.request_relationship

    def sends_then_crashes(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "request_relationship", sends_then_crashes)
    with pytest.raises(RuntimeError):
        bulk_request(bob, northern, "123456782\n")
    assert not Relationship.objects.exists()


def test_the_page_shows_the_report(client, bob, northern, maple):
    sign_in(client, bob)
    upload = SimpleUploadedFile("requests.csv", CSV.encode(), content_type="text/csv")
    response = client.post(f"/en/relationships/{northern.bn9}/send/bulk/", {"file": upload})
    assert response.status_code == 200
    assert response.content.count(b"Refused:") == 4
    assert Relationship.objects.filter(status="pending").count() == 1
