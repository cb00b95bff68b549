"""Extract the Harmonized System levels of the EU TARIC goods nomenclature in French (chapters,
headings, subheadings and the one-dash groupings above subheadings) into the CSV the tariff loader
reads (data/tariff/hs-fr-eu-taric-2025/README.md says where the workbook comes from).

    .venv/bin/python scripts/extract_taric_fr.py fr.xlsx data/tariff/hs-fr-eu-taric-2025/hs_fr_2025.csv
"""

import csv
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
COLUMNS = {"A": "goods_code", "C": "end_date", "E": "hier_pos", "F": "indent", "G": "description"}
GROUPING, LEAF = "10", "80"  # TARIC product-line suffixes: a heading-less grouping row, a code row


def rows(workbook: str):
    sheet = ET.fromstring(zipfile.ZipFile(workbook).read("xl/worksheets/sheet1.xml"))
    for row in list(sheet.iter(f"{SHEET}row"))[1:]:
        cells = {}
        for cell in row.iter(f"{SHEET}c"):
            column = "".join(ch for ch in cell.get("r") if ch.isalpha())
            if column in COLUMNS:
                value = cell.find(f"{SHEET}v")
                text = "".join(part.text or "" for part in cell.iter(f"{SHEET}t"))
                cells[COLUMNS[column]] = text or (value.text if value is not None else "")
        yield cells


def clean(text: str) -> str:
    """TARIC's print markup to plain text: '8471|41' is subheading 8471.41, '|' elsewhere a
    non-breaking space, '$o$' a superscript, '!x!' a multiplication sign, '@2' a subscript."""
    text = re.sub(r"(\d{4})\|(\d{2})\b", r"\1.\2", text)
    text = text.replace("!x!", "×").replace("!o!", "°").replace("|", "\u00a0").replace("$", "")
    text = re.sub(r"@(\d)", r"\1", text)
    return " ".join(text.split())


def hs_rows(workbook: str):
    for row in rows(workbook):
        code, suffix = (row.get("goods_code") or " ").split(" ")
        level, indent = int(float(row.get("hier_pos") or 0)), (row.get("indent") or "").count("-")
        if row.get("end_date") or level not in (2, 4, 6) or code[:2] > "97":
            continue  # the EU's chapters 98-99 are its own, not the Harmonized System's
        if suffix == LEAF:
            kind = {2: "chapter", 4: "heading", 6: "subheading"}[level]
            digits = code[:level]
        elif suffix == GROUPING and level == 6 and indent == 1:
            kind, digits = "grouping", code[:5]  # "- Horses:": Canada prints it as a 5-digit row
        else:
            continue
        yield {"code": digits, "level": kind, "indent": indent, "description_fr": clean(row["description"])}


def main(workbook: str, target: str) -> None:
    seen = set()
    with open(target, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["code", "level", "indent", "description_fr"])
        writer.writeheader()
        for row in hs_rows(workbook):
            if row["code"] not in seen:  # a 5-digit grouping can repeat under later subheadings
                seen.add(row["code"])
                writer.writerow(row)


if __name__ == "__main__":
    main(*sys.argv[1:3])
