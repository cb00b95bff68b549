import csv
from datetime import date

import pytest
from django.core.management import call_command

from tariff.loader import LoadError, load_schedule
from tariff.models import Change, DataLoad, Rate, TariffLine
from tariff.sources import SourceError
from tariff.treatments import TREATMENTS

from .conftest import T2021, T2021_DAY, T2026, T2026_DAY, edited_copy, write_csv

TPHS_HEADER = T2021.read_text(encoding="utf-8").splitlines()[0]


def open_line(code, day):
    return TariffLine.objects.as_of(day).get(code=code)


def open_rate(code, treatment, day):
    return Rate.objects.as_of(day).get(code=code, treatment=treatment)


def expected_rate_count(path):
    """Non-empty treatment cells on the rows that bear rates: 8-digit rows, and 10-digit rows with
    no 8-digit row above them."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    codes = {row["TARIFF"].replace(".", "") for row in rows}
    count = 0
    for row in rows:
        code = row["TARIFF"].replace(".", "")
        if len(code) == 8 or (len(code) == 10 and code[:8] not in codes):
            count += sum(1 for treatment in TREATMENTS if row.get(treatment))
    return count


def test_loading_counts_match_the_file(t2021):
    data_rows = len(list(csv.DictReader(T2021.open(encoding="utf-8"))))
    assert t2021.rows_read == data_rows == 151
    assert t2021.rejected == []
    assert TariffLine.objects.count() == t2021.lines.added == data_rows
    assert Rate.objects.count() == t2021.rates.added == expected_rate_count(T2021)


def test_the_version_takes_effect_on_the_files_latest_eff_date(t2021):
    assert t2021.version.effective_date == T2021_DAY
    line = open_line("01012100", T2021_DAY)
    assert line.valid_from == T2021_DAY and line.valid_to is None
    assert line.amended_on == date(2021, 4, 1)  # the row's own EFF_DATE is kept


def test_reloading_the_same_file_is_a_no_op(t2021):
    lines, rates = list(TariffLine.objects.values_list("pk", "valid_to")), Rate.objects.count()
    again = load_schedule(T2021)
    assert again.already_loaded and again.version == t2021.version
    assert list(TariffLine.objects.values_list("pk", "valid_to")) == lines
    assert Rate.objects.count() == rates
    assert DataLoad.objects.filter(kind="schedule").count() == 1


def test_rates_sit_on_the_tariff_item_not_on_its_classification_numbers(t2021):
    assert open_rate("01012100", "MFN", T2021_DAY).text == "Free"
    assert not Rate.objects.filter(code="0101210000").exists()


def test_a_classification_number_without_a_tariff_item_bears_its_own_rates(t2021):
    assert open_rate("0207119200", "MFN", T2021_DAY).text == "238 % but not less than $1.67/kg"


def test_rates_are_stored_as_printed_and_as_the_engine_reads_them(t2021):
    rate = open_rate("02071191", "MFN", T2021_DAY)
    assert rate.text == "5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg"
    assert rate.structured["kind"] == "min"
    assert open_rate("01012100", "MFN", T2021_DAY).structured == {"kind": "free"}


def test_grouping_rows_become_parents_of_the_rows_below_them(t2021):
    assert open_line("0101", T2021_DAY).parent_code == "01"
    assert open_line("01012", T2021_DAY).parent_code == "0101"
    assert open_line("01012100", T2021_DAY).parent_code == "01012"
    assert open_line("0101210000", T2021_DAY).parent_code == "01012100"


def test_a_second_version_closes_changed_rows_instead_of_overwriting_them(t2026):
    reworded = TariffLine.objects.filter(code="44029010").order_by("valid_from")
    assert [(line.valid_from, line.valid_to) for line in reworded] == [(T2021_DAY, T2026_DAY), (T2026_DAY, None)]
    assert reworded[0].description_en != reworded[1].description_en


def test_a_second_version_closes_removed_rows_and_opens_new_ones(t2026):
    removed = TariffLine.objects.get(code="4402901010")
    assert removed.valid_to == T2026_DAY
    added = TariffLine.objects.get(code="44022010")
    assert added.valid_from == T2026_DAY and added.version == t2026.version
    assert t2026.lines.added > 0 and t2026.lines.removed > 0 and t2026.lines.amended > 0


def test_unchanged_rows_are_left_alone(t2026):
    line = TariffLine.objects.get(code="0101210000")
    assert (line.valid_from, line.valid_to, line.version.label) == (T2021_DAY, None, "T2021")


def test_as_of_answers_differ_before_and_after_the_second_version(t2026):
    day_before = date(2025, 12, 31)
    assert TariffLine.objects.as_of(day_before).filter(code="4402901010").exists()
    assert not TariffLine.objects.as_of(T2026_DAY).filter(code="4402901010").exists()
    assert not TariffLine.objects.as_of(day_before).filter(code="44022010").exists()
    assert TariffLine.objects.as_of(T2026_DAY).filter(code="44022010").exists()
    assert not Rate.objects.as_of(day_before).filter(code="01012100", treatment="GT").exists()
    assert open_rate("01012100", "GT", T2026_DAY).text == "35%"


def test_a_schedule_with_only_some_treatments_leaves_the_other_treatments_rates_open(t2026):
    assert t2026.version.treatments == ["MFN", "UST", "MXT", "GT"]
    ceta = open_rate("01012100", "CEUT", T2026_DAY)
    assert ceta.version.label == "T2021" and ceta.valid_to is None


def test_an_empty_cell_in_a_carried_treatment_closes_that_rate(t2021, tmp_path):
    no_ust = edited_copy(
        T2026, tmp_path / "t2026.csv", ("44021090,4402.10.90,Other,6.5 %,Free,", "44021090,4402.10.90,Other,6.5 %,,")
    )
    load_schedule(no_ust, effective_date=T2026_DAY)
    assert Rate.objects.get(code="44021090", treatment="UST").valid_to == T2026_DAY
    assert not Rate.objects.as_of(T2026_DAY).filter(code="44021090", treatment="UST").exists()


def test_a_removed_tariff_item_closes_every_treatment_rate(t2021, tmp_path):
    without_item = edited_copy(T2026, tmp_path / "t2026.csv", drop=("44029090", "4402909000"))
    load_schedule(without_item, effective_date=T2026_DAY)
    rates = Rate.objects.filter(code="44029090")
    assert rates.count() > 20  # CEUT, CPTPT, UKT... which the 2026 file does not carry
    assert set(rates.values_list("valid_to", flat=True)) == {T2026_DAY}


def test_a_rate_printed_differently_but_meaning_the_same_is_not_a_change(t2021, tmp_path):
    respaced = edited_copy(
        T2026, tmp_path / "t2026.csv", ("44021090,4402.10.90,Other,6.5 %", "44021090,4402.10.90,Other,6.5%")
    )
    load_schedule(respaced, effective_date=T2026_DAY)
    assert open_rate("44021090", "MFN", T2026_DAY).version.label == "T2021"


def test_changes_are_recorded_against_the_previous_version_only(t2026):
    assert not Change.objects.filter(version__label="T2021").exists()
    added = Change.objects.get(version=t2026.version, code="01012100", treatment="GT")
    assert (added.action, added.before, added.after) == ("added", None, {"text": "35%"})
    reworded = Change.objects.get(version=t2026.version, code="44029010", treatment="")
    assert reworded.action == "amended" and set(reworded.after) == {"description_en"}


def test_a_version_dated_on_or_before_the_latest_is_refused(t2021):
    with pytest.raises(LoadError, match="already loaded"):
        load_schedule(T2026, effective_date=T2021_DAY)
    assert DataLoad.objects.filter(kind="schedule").count() == 1


def test_a_file_without_effective_dates_needs_one(notes):
    with pytest.raises(LoadError, match="effective date"):
        load_schedule(T2026)


def test_an_unknown_file_layout_is_refused(db, tmp_path):
    with pytest.raises(SourceError, match="unknown tariff file layout"):
        load_schedule(write_csv(tmp_path / "other.csv", "code,text\n0101,Horses\n"))
    with pytest.raises(SourceError, match="empty"):
        load_schedule(write_csv(tmp_path / "empty.csv", ""))


CORRUPT_ROWS = {
    "01.0X": "malformed code",
    "0101.21.00": "duplicate of the row",
    "0101.29": "no description",
    "0101.30.00": "unreadable date",
    "0101.30.00.00": "unknown unit of measure",
    "0101.90.00": "longer than 255",
}


def test_corrupt_rows_are_rejected_one_by_one_and_the_rest_loaded(notes, tmp_path):
    rows = [
        "01.0X,1/1/1998 0:00:00,0,,Bad code" + "," * 29,
        "0101.21.00,4/1/2021 0:00:00,0,,Again" + "," * 29,
        "0101.29,1/1/1998 0:00:00,0,," + "," * 29,
        "0101.30.00,31/31/2021,0,,Asses" + "," * 29,
        "0101.30.00.00,1/1/1998 0:00:00,0,,Asses,,,,KILOGRAMS" + "," * 25,
        "0101.90.00,1/1/1998 0:00:00,0,,Other,,,,," + "9" * 300 + "," * 24,
    ]
    good = T2021.read_text(encoding="utf-8").splitlines()[1:6]  # 01.01, 0101.2, 0101.21.00, ...
    path = write_csv(tmp_path / "corrupt.csv", "\n".join([TPHS_HEADER, *good, *rows]) + "\n")
    report = load_schedule(path)
    reasons = {r.line_number: r.reason for r in report.rejected}
    assert len(report.rejected) == len(CORRUPT_ROWS)
    for line_number, expected in zip(range(7, 13), CORRUPT_ROWS.values(), strict=True):
        assert expected in reasons[line_number]
    assert TariffLine.objects.count() == len(good)


def test_invalid_utf8_rejects_only_its_row(notes, tmp_path):
    lines = T2021.read_bytes().splitlines(keepends=True)
    lines[3] = lines[3].replace(b"Pure-bred", b"Pure\xff-bred")
    path = tmp_path / "bad-bytes.csv"
    path.write_bytes(b"".join(lines))
    report = load_schedule(path)
    assert [(r.code, r.reason) for r in report.rejected] == [("01012100", "invalid UTF-8 bytes")]
    assert TariffLine.objects.count() == 150


def test_a_rejected_row_keeps_its_previous_version_open(t2021, tmp_path):
    blanked = edited_copy(
        T2026, tmp_path / "t2026.csv", ("01012100,0101.21.00,Pure-bred breeding animals", "01012100,0101.21.00,")
    )
    report = load_schedule(blanked, effective_date=T2026_DAY)
    assert [r.code for r in report.rejected] == ["01012100"]
    line = open_line("01012100", T2026_DAY)
    assert line.version.label == "T2021"
    assert open_rate("01012100", "MFN", T2026_DAY).version.label == "T2021"
    assert open_line("0101210000", T2026_DAY).parent_code == "01012100"


def test_a_failure_midway_leaves_nothing_half_applied(t2021, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Rate.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        load_schedule(T2026, effective_date=T2026_DAY)
    assert DataLoad.objects.filter(kind="schedule").count() == 1
    assert not TariffLine.objects.filter(valid_to__isnull=False).exists()
    assert not TariffLine.objects.filter(valid_from=T2026_DAY).exists()


def test_a_dry_run_counts_but_saves_nothing(t2021):
    report = load_schedule(T2026, effective_date=T2026_DAY, dry_run=True)
    assert report.lines.added > 0
    assert not DataLoad.objects.filter(label="tariff_2026_sample").exists()
    assert not TariffLine.objects.filter(valid_from=T2026_DAY).exists()


def test_the_command_reports_counts_and_rejected_rows(notes, tmp_path, capsys):
    path = edited_copy(
        T2021, tmp_path / "t.csv", ("0101.29.00,4/1/2021 0:00:00,0,,Other", "0101.29.00,4/1/2021 0:00:00,0,,")
    )
    call_command("load_tariff", str(path), "--label", "T2021")
    out = capsys.readouterr().out
    assert "rows read: 151, rejected: 1" in out
    assert "lines: added 150" in out
    assert "rejected line" in out and "01012900: no description" in out
    call_command("load_tariff", str(path))
    assert "already loaded" in capsys.readouterr().out


def test_the_command_refuses_clearly(notes, capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="effective date"):
        call_command("load_tariff", str(T2026))
    with pytest.raises(CommandError, match="No such file"):
        call_command("load_tariff", "/nonexistent.csv")


def test_rows_of_chapters_the_notes_did_not_create_are_rejected(db):
    report = load_schedule(T2021)
    assert TariffLine.objects.count() == 0
    assert len(report.rejected) == 151
    assert "load the section and chapter notes first" in report.rejected[0].reason
