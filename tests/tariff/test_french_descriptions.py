"""French pages show French tariff text wherever a French source has it (issue 17, item 6): Canada's
French schedule first (20 chapters, with their notes), then the Harmonized System's French wording
for headings and subheadings of every chapter, marked as such. Each French file loads once."""

import datetime as dt
import re

from django.core.management import call_command

from tariff import demo
from tariff.loader import load_french_descriptions, load_hs_french, load_schedule
from tariff.models import Chapter, DataLoad, FrenchSource, LegalNote, TariffLine

from .conftest import T2026, T2026_DAY, edited_copy, write_csv

DAY = dt.date(2026, 1, 1)
HS_FRENCH = """code,level,indent,description_fr
01,chapter,0,ANIMAUX VIVANTS
0101,heading,0,"Chevaux, ânes, mulets et bardots, vivants"
01012,grouping,1,Chevaux
010121,subheading,2,reproducteurs de race pure
010129,subheading,2,autres
0102,heading,0,Animaux vivants de l'espèce bovine
010221,subheading,2,reproducteurs de race pure
440210,subheading,1,de bambou
"""
CBSA_HEADER = "edition,source_file,chapter,heading,heading_desc_fr,tariff_item,ss,code8,code10,description_fr\n"


def french_of(code):
    line = TariffLine.objects.as_of(DAY).get(code=code)
    return line.description_fr, line.description_fr_source


def test_french_pages_show_the_french_description_where_the_french_schedule_has_one(client, db):
    demo.seed()
    assert french_of("0901210020") == ("Non certifié biologique", FrenchSource.CBSA)
    french = client.get("/fr/tariff/classifications/0901210020/").content.decode()
    english = client.get("/en/tariff/classifications/0901210020/").content.decode()
    assert "Non certifié biologique" in french and "Non certifié biologique" not in english
    path = demo.data_folder() / "cbsa-customs-tariff-fr-partial" / "tariff_fr_partial.csv"
    assert load_french_descriptions(path) == 0  # loading again changes nothing


def test_a_heading_shows_the_french_title_of_the_french_schedule(db):
    demo.seed()
    heading = TariffLine.objects.as_of(DAY).get(code="0901")
    assert heading.description_fr.startswith("Café, même torréfié ou décaféiné")


def test_a_chapter_outside_the_french_schedule_shows_the_harmonized_systems_french_marked_as_such(client, db):
    demo.seed()  # chapter 61 is not among the French schedule's 20 chapters
    assert french_of("61091000") == ("De coton", FrenchSource.HS)
    french = client.get("/fr/tariff/classifications/61091000/").content.decode()
    english = client.get("/en/tariff/classifications/61091000/").content.decode()
    assert "De coton" in french and "T-shirts et maillots de corps, en bonneterie" in french
    assert re.search(r"De coton <sup><abbr title=\"[^\"]+\">SH</abbr></sup>", french)
    assert "libellé français du Système harmonisé" in french
    assert "Of cotton" in english and "De coton" not in english and "Harmonized System" not in english
    heading = client.get("/fr/tariff/headings/6109/").content.decode()
    assert "D&#x27;autres matières textiles" in heading or "D'autres matières textiles" in heading
    assert Chapter.objects.get(number="61").title_fr == "Vêtements et accessoires du vêtement, en bonneterie"
    api = client.get("/api/v1/tariff/classifications/61091000?as_of=2026-06-01").json()
    assert (api["description_fr"], api["description_fr_source"]) == ("De coton", "hs")


def test_the_french_schedules_chapter_notes_and_title_show_on_french_pages(client, db):
    demo.seed()
    assert Chapter.objects.get(number="09").title_fr == "Café, thé, maté et épices"  # Canada's, not the HS's capitals
    note = LegalNote.objects.as_of(DAY).get(chapter_id="09", kind=LegalNote.Kind.NOTE)
    assert note.text_fr.startswith("Note 1. Les mélanges entre eux des produits des n° 09.04 à 09.10")
    french = client.get("/fr/tariff/chapters/09/").content.decode()
    english = client.get("/en/tariff/chapters/09/").content.decode()
    assert "ne comprend pas le poivre dit « de Cubèbe »" in french
    assert "Cubèbe" not in english and note.text_en.split()[1] in english


def test_the_harmonized_systems_french_goes_where_the_hs_and_the_row_are_the_same_provision(t2026, tmp_path):
    french = load_hs_french(write_csv(tmp_path / "hs_fr.csv", HS_FRENCH))
    assert french_of("0101") == ("Chevaux, ânes, mulets et bardots, vivants", FrenchSource.HS)
    assert french_of("01012")[0] == "Chevaux"  # the one-dash grouping "Horses:"
    # A tariff item alone under its subheading is the subheading; its 10-digit number repeats it.
    assert french_of("01012100")[0] == french_of("0101210000")[0] == "Reproducteurs de race pure"
    assert french_of("01012900")[0] == "Autres"
    assert french_of("0101290010") == ("", "")  # "For slaughter": Canada's own suffix
    assert french_of("0102210010") == ("", "")  # "Dairy" does not repeat its tariff item
    assert french_of("440210")[0] == "De bambou"  # a printed subheading
    assert french_of("44021010") == ("", "")  # Canada's split of that subheading
    assert Chapter.objects.get(number="01").title_fr == "Animaux vivants"
    assert french == TariffLine.objects.as_of(DAY).filter(description_fr_source=FrenchSource.HS).count()
    load = DataLoad.objects.get(kind=DataLoad.Kind.FRENCH)
    assert load.summary == {"lines": french}
    assert load_hs_french(tmp_path / "hs_fr.csv") == 0
    assert DataLoad.objects.filter(kind=DataLoad.Kind.FRENCH).count() == 1


def test_canadas_french_comes_before_the_harmonized_systems(t2026, tmp_path):
    breeding = "2026,x,01,01.01,,0101.21.00,,01012100,,Reproducteurs de race pure (Canada)\n"
    other = "2026,x,01,01.01,,0101.29.00,,01012900,,Autres (Canada)\n"
    load_french_descriptions(write_csv(tmp_path / "first.csv", CBSA_HEADER + breeding))
    load_hs_french(write_csv(tmp_path / "hs_fr.csv", HS_FRENCH))
    assert french_of("01012100") == ("Reproducteurs de race pure (Canada)", FrenchSource.CBSA)  # kept
    assert french_of("01012900") == ("Autres", FrenchSource.HS)
    load_french_descriptions(write_csv(tmp_path / "second.csv", CBSA_HEADER + breeding + other))
    assert french_of("01012900") == ("Autres (Canada)", FrenchSource.CBSA)  # Canada's replaces the HS's


def test_french_text_stays_with_its_row_when_a_later_schedule_version_leaves_the_row_unchanged(t2026, tmp_path):
    load_hs_french(write_csv(tmp_path / "hs_fr.csv", HS_FRENCH))
    mfn_changed = ("01012900,0101.29.00,Other,Free", "01012900,0101.29.00,Other,2 %")
    later = edited_copy(T2026, tmp_path / "t2027.csv", mfn_changed)
    load_schedule(later, effective_date=T2026_DAY.replace(year=2027), label="T2027")
    line = TariffLine.objects.as_of(dt.date(2027, 1, 1)).get(code="01012900")
    assert (line.description_fr, line.description_fr_source) == ("Autres", FrenchSource.HS)


def test_the_coverage_command_counts_what_has_french(t2026, tmp_path, capsys):
    load_hs_french(write_csv(tmp_path / "hs_fr.csv", HS_FRENCH))
    call_command("tariff_french_coverage")
    out = capsys.readouterr().out
    lines = TariffLine.objects.as_of(DAY)
    for level in (TariffLine.Level.HEADING, TariffLine.Level.TARIFF_ITEM):
        total, french = lines.filter(level=level).count(), lines.filter(level=level).exclude(description_fr="").count()
        assert re.search(rf"{level.label}\s+{french} of\s+{total} in French", out), out
    chapters = Chapter.objects.count()
    assert re.search(
        rf"chapter titles\s+1 of\s+{chapters} in French \(.*\): Customs Tariff 0, Harmonized System 1", out
    )


def test_a_chapter_title_in_the_harmonized_systems_wording_is_marked_and_canadas_is_not(client, db):
    demo.seed()  # chapter 61's French title is the HS's; chapter 09's is the French schedule's
    assert Chapter.objects.get(number="61").title_fr_source == FrenchSource.HS
    assert Chapter.objects.get(number="09").title_fr_source == FrenchSource.CBSA
    assert LegalNote.objects.as_of(DAY).get(chapter_id="09", kind=LegalNote.Kind.NOTE).text_fr_source == "cbsa"
    hs_mark = r'<sup><abbr title="[^"]+">SH</abbr></sup>'
    french = client.get("/fr/tariff/chapters/61/").content.decode()
    assert re.search(rf"Vêtements et accessoires du vêtement, en bonneterie {hs_mark}", french)
    canadian = client.get("/fr/tariff/chapters/09/").content.decode()
    assert "Café, thé, maté et épices" in canadian
    assert not re.search(rf"Café, thé, maté et épices {hs_mark}", canadian)
    section = client.get("/fr/tariff/sections/11/").content.decode()
    assert re.search(rf"Vêtements et accessoires du vêtement, en bonneterie {hs_mark}", section)
    assert "libellé français du Système harmonisé" in section
    english = client.get("/en/tariff/chapters/61/").content.decode()
    assert (
        "Articles of apparel and clothing accessories, knitted or crocheted" in english and ">SH</abbr>" not in english
    )
