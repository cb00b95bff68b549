"""The CBSA offices shipped in data/cbsa_offices.csv (see data/README.md for the source)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "cbsa_offices.csv"


def load(office_model) -> int:
    """Create or update every office of the file; `office_model` is the Office model (a migration's
    historical one, or rulings.models.Office). Returns how many rows were read."""
    with DATA.open(encoding="utf-8") as rows:
        read = list(csv.DictReader(rows))
    for row in read:
        names = {key: row[key] for key in ("name_en", "name_fr", "province")}
        office_model.objects.update_or_create(code=row["code"], defaults=names)
    return len(read)
