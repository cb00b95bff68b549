"""The parser against every distinct rate text of the real tariff files (see data/README.md)."""

import csv
from pathlib import Path

import pytest

from assessment_engine import Rate, RateParseError, parse_rate

DATA = Path(__file__).with_name("data") / "distinct_rate_texts.csv"

# Cut short in the 2026 subset's source database; the 2021 file has them whole. Guessing the
# missing part of a duty rate is not the parser's job: the tariff loader must take these items
# from a complete export.
TRUNCATED = {
    "Fre": "Free",  # 7202.49.00.00 general tariff
    "1.9 ¢": "1.9 ¢/kg",  # 0105.94.91, 0105.99.11 MFN
    "8.47 ¢/kg plus 8.": "8.47 ¢/kg plus 8.5 %",  # 1905.90.33 general tariff (8.5 % assumed)
    # 0207.11.91 MFN
    "5 % but not less than 4.74 ¢/kg or more than 9.48 ¢": "5 % but not less than 4.74 ¢/kg or more than 9.48 ¢/kg",
}


def load_rate_texts() -> dict[str, int]:
    with DATA.open(newline="", encoding="utf-8") as file:
        return {row["text"]: int(row["count"]) for row in csv.DictReader(file)}


def unparsed(texts) -> dict[str, str]:
    failures = {}
    for text in texts:
        try:
            parse_rate(text)
        except RateParseError as error:
            failures[text] = error.reason
    return failures


def test_every_well_formed_rate_text_in_the_tariff_parses():
    texts = load_rate_texts()
    failures = unparsed(texts)
    parsed_share = 1 - len(failures) / len(texts)
    cell_share = 1 - sum(texts[t] for t in failures) / sum(texts.values())
    listing = "\n".join(f"  {text!r} ({texts[text]} cells): {why}" for text, why in failures.items())
    print(
        f"\nparsed {len(texts) - len(failures)}/{len(texts)} distinct rate texts "
        f"({parsed_share:.2%}; {cell_share:.4%} of cells); unparsed:\n{listing}"
    )
    assert set(failures) == set(TRUNCATED), (
        f"parsed {parsed_share:.2%} of {len(texts)} distinct rate texts; unparsed:\n{listing}"
    )


def test_fixture_covers_the_forms_of_both_files():
    texts = load_rate_texts()
    assert len(texts) > 300
    assert {"Free", "35%", "N/A", "See Note 1", "238 % but not less than 30.8 ¢each"} <= set(texts)


@pytest.mark.parametrize(("truncated", "whole"), TRUNCATED.items())
def test_truncated_texts_are_refused_and_their_whole_form_parses(truncated, whole):
    with pytest.raises(RateParseError):
        parse_rate(truncated)
    assert isinstance(parse_rate(whole), Rate)


def test_every_parsed_rate_round_trips_through_its_stored_dict_and_text():
    for text in load_rate_texts().keys() - TRUNCATED.keys():
        rate = parse_rate(text)
        assert Rate.from_dict(rate.to_dict()) == rate, text
        assert parse_rate(rate.to_text()) == rate, text
        assert parse_rate(rate.to_text("fr")) == rate, text
