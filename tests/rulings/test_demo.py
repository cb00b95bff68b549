"""The demo's rulings load on the demo data, once."""

import datetime as dt

from rulings import demo, services
from rulings.models import RulingRequest
from tariff.models import Chapter, DataLoad, Section, TariffLine


def _t_shirts():
    """6109.10.00.11 as the shipped schedule prints it, alone (the whole schedule takes a minute)."""
    section = Section.objects.create(number=11, roman="XI", title_en="Textiles and textile articles")
    Chapter.objects.create(number="61", section=section, title_en="Articles of apparel, knitted or crocheted")
    version = DataLoad.objects.create(
        kind="schedule", label="T2021", effective_date=dt.date(2021, 1, 1), source_name="fixture", sha256="1" * 64
    )
    for code, printed, level, parent in (
        ("6109", "61.09", "heading", "61"),
        ("61091000", "6109.10.00", "tariff_item", "6109"),
        ("6109100011", "6109.10.00.11", "classification", "61091000"),
    ):
        TariffLine.objects.create(
            code=code,
            printed_code=printed,
            level=level,
            chapter="61",
            parent_code=parent,
            description_en="T-shirts",
            valid_from=dt.date(2021, 1, 1),
            version=version,
        )


def test_the_demo_holds_a_published_ruling_and_a_request_awaiting_information(maple, olivia):
    _t_shirts()
    demo.seed()
    demo.seed()  # a second run adds nothing
    assert RulingRequest.objects.count() == 2
    [published] = services.register()
    assert published.ruling_classification == "6109100011"
    assert services.days_elapsed(published) == 78  # 3 March to 20 May 2025
    assert RulingRequest.objects.exclude(pk=published.pk).get().paused == "information"
