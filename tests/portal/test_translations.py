"""French from day one: every string of every app has its French translation."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("*/locale/fr/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_every_app_with_pages_has_a_french_catalogue():
    apps_with_templates = {p.parts[len(ROOT.parts)] for p in ROOT.glob("*/templates") if ".venv" not in p.parts}
    with_catalogue = {p.parts[len(ROOT.parts)] for p in CATALOGUES}
    assert apps_with_templates <= with_catalogue, f"no French catalogue: {apps_with_templates - with_catalogue}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_french_translation_is_missing_or_fuzzy(catalogue):
    po = polib.pofile(str(catalogue))
    missing = [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]
    assert not missing, f"{len(missing)} strings lack French in {catalogue.name}: {missing[:10]}"
