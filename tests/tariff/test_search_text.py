"""Words of the tariff search (tariff.search_text): pure functions, no database."""

from tariff.search_text import Speller, damerau_levenshtein, english_of, stem_en, terms_en, terms_fr, words


def test_hyphenated_words_give_their_joined_form_and_their_parts():
    assert words("T-shirts, singlets") == ["tshirts", "shirts", "singlets"]


def test_possessives_numbers_and_single_letters_are_dropped():
    assert words("Men's or boys' 100 kg, type A") == ["men", "or", "boys", "kg", "type"]


def test_accents_and_case_do_not_matter():
    assert words("CHEMISES de Coton, Été") == ["chemises", "de", "coton", "ete"]


def test_french_elisions_lose_their_article_not_their_word():
    assert words("Sac d'enfant en l'acier, jusqu'au genou") == ["sac", "enfant", "en", "acier", "au", "genou"]
    assert words("T-shirt d'homme") == ["tshirt", "shirt", "homme"]  # not "dhomme"


def test_the_learned_lexicon_reads_a_french_word_in_either_number_and_leaves_unknown_words_alone():
    assert english_of("huitres") == english_of("huitre") == "oysters"  # the schedule prints "Huîtres"
    assert english_of("acier") == "steel"
    assert english_of("kvm") is None  # never printed in the schedule: the query keeps it as typed


def test_plurals_share_a_stem_irregular_ones_too():
    assert stem_en("horses") == stem_en("horse")
    assert stem_en("knives") == stem_en("knife")
    assert stem_en("women") == stem_en("woman")


def test_stopwords_say_nothing_about_goods():
    assert terms_en("Other, of cotton, not knitted") == ["cotton", "knit"]
    assert terms_fr("Autres, de coton") == ["fr:coton"]
    assert terms_fr("Vis pour le bois, sous pression dans un tube") == ["fr:vis", "fr:bois", "fr:pression", "fr:tub"]


def test_edit_distance_counts_a_transposition_as_one():
    assert damerau_levenshtein("tshrit", "tshirt", 2) == 1
    assert damerau_levenshtein("cotten", "cotton", 2) == 1
    assert damerau_levenshtein("abcdef", "uvwxyz", 2) == 3  # capped at limit + 1


def test_the_speller_picks_the_closest_then_the_most_frequent_word():
    speller = Speller({"cotton": 50, "cotter": 2, "knitted": 30, "wool": 10})
    assert speller.correct("cotten") == "cotton"
    assert speller.correct("knited") == "knitted"
    assert speller.correct("cotton") is None  # known words stay
    assert speller.correct("wol") is None  # too short to guess
    assert speller.correct("zzzzzz") is None
