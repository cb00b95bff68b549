from datetime import date

import pytest

from tariff.loader import LoadError, load_hs, load_notes
from tariff.models import Chapter, HsCode, LegalNote, Section

from .conftest import DATA, edited_copy

SECTIONS, CHAPTERS = DATA / "section-notes-sample.csv", DATA / "chapter-notes-sample.csv"


def test_notes_give_sections_and_chapters_their_titles(notes):
    assert Section.objects.get(number=1).title_en == "Live Animals; Animal Products"
    assert Section.objects.get(number=9).roman == "IX"
    chapter = Chapter.objects.get(number="44")
    assert chapter.section_id == 9 and chapter.title_en.startswith("Wood")


def test_each_kind_of_note_is_kept_apart(notes):
    kinds = set(LegalNote.objects.filter(chapter_id="01").values_list("kind", flat=True))
    assert kinds == {"note", "supplementary", "statistical"}
    assert LegalNote.objects.get(chapter_id="01", kind="note").text_en.startswith(
        "1. This Chapter covers all live animals"
    )
    assert notes.notes.added == LegalNote.objects.count()


def test_reloading_the_notes_is_a_no_op(notes):
    assert load_notes(SECTIONS, CHAPTERS, date(2019, 1, 1)).already_loaded
    assert LegalNote.objects.count() == notes.notes.added


def test_new_notes_close_the_notes_they_change(notes, tmp_path):
    amended = edited_copy(
        CHAPTERS,
        tmp_path / "chapters.csv",
        ("1. This Chapter covers all live animals", "1. This Chapter covers live animals"),
    )
    report = load_notes(SECTIONS, amended, date(2022, 1, 1))
    assert report.notes.amended == 1
    texts = LegalNote.objects.filter(chapter_id="01", kind="note").order_by("valid_from")
    assert [(n.valid_from, n.valid_to) for n in texts] == [
        (date(2019, 1, 1), date(2022, 1, 1)),
        (date(2022, 1, 1), None),
    ]
    assert (
        LegalNote.objects.as_of(date(2021, 1, 1))
        .get(chapter_id="01", kind="note")
        .text_en.startswith("1. This Chapter covers all")
    )


def test_older_notes_cannot_be_loaded_after_newer_ones(notes, tmp_path):
    amended = edited_copy(CHAPTERS, tmp_path / "chapters.csv", ("Live animals", "Live animals!"))
    with pytest.raises(LoadError):
        load_notes(SECTIONS, amended, date(2018, 1, 1))


def test_a_chapter_of_an_unknown_section_is_rejected(notes, tmp_path):
    orphan = edited_copy(CHAPTERS, tmp_path / "chapters.csv", (",1\n", ",42\n"))
    report = load_notes(SECTIONS, orphan, date(2022, 1, 1))
    assert sorted(r.code for r in report.rejected) == ["01", "02"]  # both in section 1


def test_the_hs_nomenclature_loads_once(hs):
    assert HsCode.objects.count() == hs.lines.added == 191
    assert HsCode.objects.get(code="010121").description == "Horses; live, pure-bred breeding animals"
    assert load_hs(DATA / "hs-sample.csv", edition=2022).already_loaded
