"""Extract the French chapter titles and chapter notes of the CBSA French schedule's markdown
(data/tariff/cbsa-customs-tariff-fr-partial/README.md says where it comes from) into a CSV with the
columns of the English notes file, for the tariff loader.

    .venv/bin/python scripts/extract_cbsa_fr_notes.py SOURCE_MARKDOWN_DIR \
        data/tariff/cbsa-customs-tariff-fr-partial/chapter-notes-fr-2026.csv
"""

import csv
import re
import sys
from pathlib import Path

TITLE = re.compile(r"^# Chapitre (\d{1,2}) — (.+)$")
HEADING_SECTION = re.compile(r"^(Position )?\d{2}\.\d{2}\b")  # where the notes end and the rows begin
COLUMNS = ["chapter", "title", "note", "subheading note", "supplementary note", "statistical note"]


def kind_of(title: str) -> str | None:
    lowered = title.lower()
    if lowered.startswith("remarque"):
        return None  # the markdown's authors' own summary of the rates, not a note
    if "supplémentaire" in lowered:
        return "supplementary note"
    if "statistique" in lowered:
        return "statistical note"
    return "subheading note" if "sous-position" in lowered else "note"


def chapter_notes(path: Path) -> dict | None:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = TITLE.match(lines[0]) if lines else None
    if not found:
        return None  # the 2023 edition's file: T2026 has the same chapter
    record = dict.fromkeys(COLUMNS, "")
    record.update(chapter=found[1].zfill(2), title=found[2].strip())
    sections = re.split(r"^## ", "\n".join(lines[1:]), flags=re.MULTILINE)[1:]
    for section in sections:
        title, _, body = section.partition("\n")
        if HEADING_SECTION.match(title):
            break
        kind = kind_of(title)
        kept = (line.strip() for line in body.replace("**", "").splitlines())
        body = "\n".join(line for line in kept if line and line != "---")  # "---": a markdown rule
        if kind is None or not body:
            continue
        label = title.split(" — ")[0].strip()
        if "chapitre" not in label.lower():  # "Note 2 — Portée du numéro 14.01": the number, not the gloss
            body = f"{label}. {body}"
        record[kind] = "\n".join(filter(None, (record[kind], body)))
    return record


def main(source: str, target: str) -> None:
    records = filter(None, (chapter_notes(path) for path in sorted(Path(source).glob("*.md"))))
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(sorted(records, key=lambda record: record["chapter"]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
