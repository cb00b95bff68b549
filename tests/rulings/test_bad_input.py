"""Bad input: missing answers, an unknown port, a classification not in the tariff on the day, a file
of the wrong type or too big. Each error is specific and translated; the draft keeps what was typed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from rulings import attachments, services
from rulings.models import Status

from .conftest import FILED

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _codes(error) -> dict:
    return {e.field: e.code for e in error.errors}


def test_missing_answers_are_named_one_by_one_and_the_draft_stays(draft, alice):
    ruling = draft(under_verification=None, description="", proposed_reasons="", offices=[])
    with pytest.raises(services.RulingError) as refused:
        services.submit(alice, ruling, today=FILED)
    assert _codes(refused.value) == {
        "under_verification": "required",
        "description": "required",
        "proposed_reasons": "required",
        "offices": "required",
    }
    ruling.refresh_from_db()
    assert ruling.status == Status.DRAFT and ruling.composition == "Natural spring water, no additives"


def test_an_origin_ruling_names_its_agreement(draft, alice):
    with pytest.raises(services.RulingError) as refused:
        services.submit(alice, draft(kind="origin_fta", agreement=""), today=FILED)
    assert _codes(refused.value) == {"agreement": "required"}


def test_an_unknown_port_is_reported_and_the_known_ones_kept(draft, alice):
    ruling = draft()
    errors = services.update_draft(alice, ruling, {"offices": ["0497", "9999"]})
    assert [(e.field, e.code) for e in errors] == [("offices", "unknown_office")]
    assert "9999" in str(errors[0].message)
    assert list(ruling.offices.values_list("code", flat=True)) == ["0497"]


def test_a_classification_not_in_force_on_the_day_is_refused_in_both_languages(draft, alice):
    ruling = draft(proposed_classification="2201.90.00.99")  # kept in the draft as typed
    with pytest.raises(services.RulingError) as refused:
        services.submit(alice, ruling, today=FILED)
    [error] = refused.value.errors
    assert (error.field, error.code) == ("proposed_classification", "unknown_classification")
    assert str(error.message) == "2201.90.00.99 is not in the Customs Tariff in force on 2026-01-05."
    with translation.override("fr"), pytest.raises(services.RulingError) as refused:
        services.submit(alice, ruling, today=FILED)
    assert (
        str(refused.value.errors[0].message)
        == "2201.90.00.99 n’est pas dans le Tarif des douanes en vigueur le 2026-01-05."
    )
    ruling.refresh_from_db()
    assert ruling.status == Status.DRAFT and ruling.proposed_classification == "2201900099"
    # Before the schedule took effect (1 Jan 2020) no number exists.
    assert services.submission_errors(draft(), dt.date(2019, 12, 31))[0].code == "unknown_classification"


def test_a_file_that_is_not_a_pdf_or_image_is_refused_whatever_its_name(draft, alice):
    ruling = draft()
    fake = SimpleUploadedFile("brochure.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(services.RulingError) as refused:
        services.add_attachment(alice, ruling, fake)
    assert _codes(refused.value) == {"file": "wrong_type"}
    with translation.override("fr"):
        assert (
            str(refused.value.errors[0].message) == "Joignez un document PDF ou une image PNG ou JPEG."
        )  # a lazy message
    assert ruling.attachments.count() == 0


def test_a_file_over_the_limit_is_refused(draft, alice):
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * attachments.MAX_BYTES, content_type="application/pdf")
    with pytest.raises(services.RulingError) as refused:
        services.add_attachment(alice, draft(), big)
    assert _codes(refused.value) == {"file": "too_large"}


def test_pdf_and_png_files_are_kept_with_the_type_read_from_their_content(draft, alice):
    ruling = draft()
    services.add_attachment(alice, ruling, SimpleUploadedFile("label.bin", PNG))
    services.add_attachment(alice, ruling, SimpleUploadedFile("sheet.pdf", PDF))
    assert list(ruling.attachments.values_list("name", "content_type")) == [
        ("label.bin", "image/png"),
        ("sheet.pdf", "application/pdf"),
    ]


def infected_when_eicar(content: bytes):
    """A test double of an antivirus: refuses files carrying the EICAR test string."""
    if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in content:
        raise attachments.Infected


@override_settings(CARM_VIRUS_SCANNER="tests.rulings.test_bad_input.infected_when_eicar")
def test_a_file_the_virus_scanner_refuses_is_not_kept(draft, alice):
    ruling = draft()
    with pytest.raises(services.RulingError) as refused:
        services.add_attachment(alice, ruling, SimpleUploadedFile("x.pdf", PDF + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"))
    assert _codes(refused.value) == {"file": "infected"}
    services.add_attachment(alice, ruling, SimpleUploadedFile("ok.pdf", PDF))
    assert ruling.attachments.count() == 1


def test_a_decision_on_a_number_not_in_the_tariff_is_refused(filed, olivia):
    ruling = filed()
    with pytest.raises(services.RulingError) as refused:
        services.transition(
            olivia, ruling, services.Event.RENDERED, today=FILED, classification="2201900099", reasons="GIR 1."
        )
    assert _codes(refused.value) == {"classification": "unknown_classification"}
    assert ruling.status == Status.ASSIGNED


def test_a_number_of_the_wrong_length_is_kept_in_the_draft_and_refused_on_submission(draft, alice):
    ruling = draft(proposed_classification="2201.90.00.00.99")
    with pytest.raises(services.RulingError) as refused:
        services.submit(alice, ruling, today=FILED)
    assert _codes(refused.value) == {"proposed_classification": "invalid_code"}
    ruling.refresh_from_db()
    assert ruling.proposed_classification == "220190000099"
