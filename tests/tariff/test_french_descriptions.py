"""French pages show the French tariff descriptions wherever the French schedule has them (issue 17,
item 6): loaded on the rows in force on 1 January 2026, once."""

import datetime as dt

from tariff import demo
from tariff.loader import load_french_descriptions
from tariff.models import TariffLine


def test_french_pages_show_the_french_description_where_the_french_schedule_has_one(client, db):
    demo.seed()
    line = TariffLine.objects.as_of(dt.date(2026, 1, 1)).get(code="0901210020")
    assert line.description_fr == "Non certifié biologique"
    french = client.get("/fr/tariff/classifications/0901210020/").content.decode()
    english = client.get("/en/tariff/classifications/0901210020/").content.decode()
    assert "Non certifié biologique" in french and "Non certifié biologique" not in english
    path = demo.data_folder() / "cbsa-customs-tariff-fr-partial" / "tariff_fr_partial.csv"
    assert load_french_descriptions(path) == 0  # loading again changes nothing


def test_a_heading_shows_the_french_title_of_the_french_schedule(db):
    demo.seed()
    heading = TariffLine.objects.as_of(dt.date(2026, 1, 1)).get(code="0901")
    assert heading.description_fr.startswith("Café, même torréfié ou décaféiné")
