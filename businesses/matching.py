"""Lenient comparison of what a registrant types with what CRA holds [DESIGN]: the real portal
demands an exact match, punctuation included — a top complaint. We ignore case, accents,
punctuation, spacing, and common abbreviations of legal forms and street types."""

import re
import unicodedata

ABBREVIATIONS = {
    "incorporated": "inc",
    "incorporee": "inc",
    "limited": "ltd",
    "limitee": "ltee",
    "corporation": "corp",
    "company": "co",
    "compagnie": "cie",
    "street": "st",
    "avenue": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "west": "w",
    "east": "e",
    "north": "n",
    "south": "s",
    "ouest": "o",
    "est": "e",
}


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def normalize_postal_code(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def same_identity(record, *, legal_name, address_line, city, province, postal_code) -> bool:
    """Do the typed legal name and address match the registry's `record` (leniently)?"""
    return (
        normalize(legal_name) == normalize(record.legal_name)
        and normalize(address_line) == normalize(record.address_line)
        and normalize(city) == normalize(record.city)
        and normalize(province) == normalize(record.province)
        and normalize_postal_code(postal_code) == normalize_postal_code(record.postal_code)
    )
