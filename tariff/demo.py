"""Demo data of the tariff: the shipped schedules, legal notes and HS nomenclature (seed_demo runs
`seed`). Every load is skipped when its file is already loaded, so a second run takes a moment."""

from datetime import date
from pathlib import Path

from django.conf import settings

from .loader import (
    LoadReport,
    load_french_descriptions,
    load_french_notes,
    load_hs,
    load_hs_french,
    load_notes,
    load_schedule,
)

T2021_DAY = date(2021, 7, 1)  # the latest EFF_DATE in the shipped T2021 file


def seed(stdout=None):
    """Search works on keywords at once; `manage.py embed_tariff` adds the meaning-based ranking
    (minutes of CPU, so `make run` starts it in the background)."""
    load_hs(data_folder() / "hs-nomenclature-2022" / "harmonized-system.csv", edition=2022)
    load_shipped_schedules()
    load_french()
    if stdout:
        stdout.write("  French text loaded: `manage.py tariff_french_coverage` counts it")


def load_french():
    """Canada's French schedule first (20 chapters, with their notes), then the Harmonized System's
    French wording for the rows it leaves without French."""
    canadian = data_folder() / "cbsa-customs-tariff-fr-partial"
    load_french_descriptions(canadian / "tariff_fr_partial.csv")
    load_french_notes(canadian / "chapter-notes-fr-2026.csv")
    load_hs_french(data_folder() / "hs-fr-eu-taric-2025" / "hs_fr_2025.csv")


def load_shipped_schedules() -> list[LoadReport]:
    """The legal notes (they create the sections and chapters), then T2021 as amended to 2021-07-01
    (its latest EFF_DATE), then the T2026 subset from its first day."""
    data = data_folder()
    notes = data / "cbsa-tariff-notes-2019"
    load_notes(notes / "section-notes-2019.csv", notes / "chapter-notes-2019.csv", date(2019, 1, 1), "2019 notes")
    return [
        # Dated explicitly, so a cut of the file (the test suite's) starts on the same day as the whole.
        load_schedule(data / "cbsa-customs-tariff-2021" / "tphs_2021.csv", effective_date=T2021_DAY, label="T2021"),
        load_schedule(
            data / "cbsa-customs-tariff-2026-partial" / "ca_tariff_2026_subset.csv",
            effective_date=date(2026, 1, 1),
            label="T2026",
        ),
    ]


def data_folder() -> Path:
    """The shipped tariff files (data/tariff), or the same files cut to a few chapters where
    settings.CARM_TARIFF_DATA_DIR says so (the test suite: its demo loads in seconds)."""
    return Path(settings.CARM_TARIFF_DATA_DIR)
