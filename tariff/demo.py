"""Demo data of the tariff: the shipped schedules, legal notes and HS nomenclature (seed_demo runs
`seed`). Every load is skipped when its file is already loaded, so a second run takes a moment."""

from datetime import date
from pathlib import Path

from django.conf import settings

from .loader import LoadReport, load_hs, load_notes, load_schedule

DATA = Path(settings.BASE_DIR) / "data" / "tariff"
NOTES = DATA / "cbsa-tariff-notes-2019"


def seed(stdout=None):
    """Search works on keywords at once; `manage.py embed_tariff` adds the meaning-based ranking
    (minutes of CPU, so `make run` starts it in the background)."""
    load_hs(DATA / "hs-nomenclature-2022" / "harmonized-system.csv", edition=2022)
    load_shipped_schedules()


def load_shipped_schedules() -> list[LoadReport]:
    """The legal notes (they create the sections and chapters), then T2021 as amended to 2021-07-01
    (its latest EFF_DATE), then the T2026 subset from its first day."""
    load_notes(NOTES / "section-notes-2019.csv", NOTES / "chapter-notes-2019.csv", date(2019, 1, 1), "2019 notes")
    return [
        load_schedule(DATA / "cbsa-customs-tariff-2021" / "tphs_2021.csv", label="T2021"),
        load_schedule(
            DATA / "cbsa-customs-tariff-2026-partial" / "ca_tariff_2026_subset.csv",
            effective_date=date(2026, 1, 1),
            label="T2026",
        ),
    ]
