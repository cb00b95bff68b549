"""The full shipped tariff loads, and the three-chapter cut the test suite's demo loads (tests/data/demo-tariff,
named by carm/test_settings.py) is a faithful copy of it: the same lines and rates for Chapters 09, 22 and 61."""

from pathlib import Path

from tariff import demo
from tariff.models import Change, Chapter, DataLoad, HsCode, LegalNote, Rate, Section, TariffLine

DEMO_CHAPTERS = ("09", "22", "61")


def loaded_demo_chapters():
    lines = TariffLine.objects.filter(chapter__in=DEMO_CHAPTERS)
    rates = Rate.objects.filter(code__regex=r"^(09|22|61)")
    return (
        set(lines.values_list("code", "printed_code", "description_en", "unit_of_measure", "valid_from", "valid_to")),
        set(rates.values_list("code", "treatment", "text", "valid_from", "valid_to")),
    )


def test_the_shipped_tariff_loads_and_the_test_cut_matches_it(db, settings):
    assert Path(settings.CARM_TARIFF_DATA_DIR).parts[-2:] == ("data", "demo-tariff")
    demo.seed()
    cut = loaded_demo_chapters()
    for model in (Change, Rate, LegalNote, TariffLine, HsCode, DataLoad, Chapter, Section):
        model.objects.all().delete()

    settings.CARM_TARIFF_DATA_DIR = Path(settings.BASE_DIR) / "data" / "tariff"
    reports = demo.load_shipped_schedules()

    # T2021's file has rows the loader rightly refuses (e.g. 7323.93.10.00 with no description); none in the cut.
    assert [report.version.label for report in reports] == ["T2021", "T2026"]
    assert not [r for report in reports for r in report.rejected if r.code[:2] in DEMO_CHAPTERS]
    assert TariffLine.objects.filter(valid_to__isnull=True).count() > 20_000
    assert TariffLine.objects.filter(code="2201900000").exists()  # the demo's mineral water
    assert loaded_demo_chapters() == cut
    assert cut[0] and cut[1]
