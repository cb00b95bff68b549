"""Tariff fixtures: small files cut from the real ones (tests/tariff/data/README.md)."""

from datetime import date
from pathlib import Path

import pytest

from tariff.loader import load_hs, load_notes, load_schedule

DATA = Path(__file__).parent / "data"
T2021 = DATA / "tphs_2021_sample.csv"
T2026 = DATA / "tariff_2026_sample.csv"
T2021_DAY = date(2021, 4, 1)  # the sample's latest EFF_DATE (the full file's is 2021-07-01)
T2026_DAY = date(2026, 1, 1)


@pytest.fixture
def notes(db):
    return load_notes(DATA / "section-notes-sample.csv", DATA / "chapter-notes-sample.csv", date(2019, 1, 1))


@pytest.fixture
def hs(db):
    return load_hs(DATA / "hs-sample.csv", edition=2022)


@pytest.fixture
def t2021(notes):
    return load_schedule(T2021, label="T2021")


@pytest.fixture
def t2026(t2021):
    return load_schedule(T2026, effective_date=T2026_DAY, label="T2026")


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def edited_copy(source: Path, target: Path, *replacements: tuple[str, str], drop: tuple[str, ...] = ()) -> Path:
    """A copy of a sample file with some text replaced and the lines starting with `drop` removed."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if not line.startswith(drop))
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return write_csv(target, text)
