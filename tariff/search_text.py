"""Words for the tariff search: normalising, stemming and typo correction (pure functions, no
database). tariff.search builds its index and reads queries with these, so both sides agree.

Terms are Snowball stems. English stems are bare ("shirt"); French stems carry a "fr:" prefix so a
French word never collides with an English one ("lait" vs "lait").
"""

import json
import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

FR_PREFIX = "fr:"
K1, B = 1.2, 0.5  # BM25 saturation and length normalisation

# Words that say nothing about goods ("Other", "of", "whether or not"). "not" goes too: a keyword
# index cannot honour a negation, and "not knitted" must not rank knitted goods first.
STOPWORDS_EN = frozenset(
    """a an and any are as at be been but by each for from has having in into is it its kind kinds
    nes nesoi no not of on or other others otherwise than that the their thereof these this those to
    used whether which with within without""".split()
)
STOPWORDS_FR = frozenset(
    """a apres au aux autre autres avant avec ce ces cet cette chez comme contre d dans de des dont
    du elle elles en entre est et etre il ils l la laquelle le lequel les lesquelles lesquels leur
    leurs lors meme n ne ni non on ou par pas peut pour que qui sa sans se selon ses son sont sous
    sur tous tout toute toutes tres un une vers y""".split()
)
# Plurals the stemmer leaves apart ("knives"/"knife", "women"/"woman").
IRREGULAR = {
    "knives": "knife", "leaves": "leaf", "shelves": "shelf", "halves": "half", "loaves": "loaf",
    "wolves": "wolf", "calves": "calf", "women": "woman", "men": "man", "children": "child",
    "teeth": "tooth", "feet": "foot", "geese": "goose", "mice": "mouse", "oxen": "ox",
}  # fmt: skip

# French articles and pronouns elided before a vowel: "l'acier", "d'enfant", "qu'il".
FRENCH_ELISIONS = frozenset("c d j l m n qu s t jusqu lorsqu puisqu quoiqu".split())

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def normalise(text: str) -> str:
    """Lower case without accents or curly quotes: "Hommes’ CHEMISES" -> "hommes' chemises"."""
    text = text or ""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u2018", "'"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.lower()


def words(text: str) -> list[str]:
    """The words of a text, in order: hyphenated compounds give their joined form and their parts
    ("t-shirts" -> "tshirts", "shirts"); possessives lose their "'s"; numbers and single letters
    are dropped (codes are searched apart, and "t" alone means nothing)."""
    out = []
    for token in _WORD.findall(normalise(text)):
        if token.endswith("'s"):
            token = token[:-2]
        article, apostrophe, rest = token.partition("'")
        if apostrophe and article in FRENCH_ELISIONS:  # "l'acier" is "acier", never "lacier"
            token = rest
        if "-" in token or "'" in token:
            parts = token.replace("'", "-").split("-")
            candidates = ["".join(parts), *parts]
        else:
            candidates = (token,)
        out.extend(w for w in candidates if len(w) > 1 and not w.isdigit())
    return out


@cache
def _stemmer(language: str):
    """Imported when first asked: snowballstemmer loads every language's module, which at start-up
    would sit in every process's heap (the pages and the nightly runs alike) for each full garbage
    collection to walk."""
    import snowballstemmer

    return snowballstemmer.stemmer(language)


# Snowball is pure Python (tens of microseconds a word); the schedule has ~10,000 distinct words.
@lru_cache(maxsize=100_000)
def stem_en(word: str) -> str:
    return _stemmer("english").stemWord(IRREGULAR.get(word, word))


@lru_cache(maxsize=100_000)
def stem_fr(word: str) -> str:
    return FR_PREFIX + _stemmer("french").stemWord(word)


def terms_en(text_or_words: str | list[str]) -> list[str]:
    """English index terms of a text (or of its words, when already split)."""
    ws = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    return [stem_en(w) for w in ws if w not in STOPWORDS_EN]


def terms_fr(text_or_words: str | list[str]) -> list[str]:
    ws = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    return [stem_fr(w) for w in ws if w not in STOPWORDS_FR]


LEXICON_FR = Path(__file__).resolve().parent / "data" / "search-lexicon-fr-en.json"


@cache
def lexicon_fr() -> dict[str, str]:
    """French word (as `words` gives it: no accents) -> English word, learned from the schedule's own bilingual
    text (scripts/build_french_lexicon.py; tariff/data/README.md)."""
    with open(LEXICON_FR, encoding="utf-8") as handle:
        return json.load(handle)


def english_of(word: str) -> str | None:
    """A French word's English in the learned lexicon; the other number of a word printed only in
    the singular or only in the plural ("poignee"/"poignees", "chapeau"/"chapeaux") counts too."""
    lexicon = lexicon_fr()
    other = word[:-1] if word[-1:] in ("s", "x") else word + "s"
    return lexicon.get(word) or lexicon.get(other) or lexicon.get(word + "x")


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent transpositions; anything above `limit` returns limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


class Speller:
    """Corrects a misspelt word to the closest word of a vocabulary.

    Symmetric-delete lookup: every vocabulary word is filed under itself and its one-letter
    deletions; a query word is looked up the same way, which finds every word within two edits
    (and most within a transposition) without scanning the vocabulary. Ties go to the word found
    in more documents."""

    def __init__(self, frequencies: dict[str, int]):
        self.frequencies = frequencies
        self._by_variant: dict[str, set[str]] = defaultdict(set)
        for word in frequencies:
            for variant in self._variants(word):
                self._by_variant[variant].add(word)

    @staticmethod
    def _variants(word: str) -> set[str]:
        return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}

    def correct(self, word: str) -> str | None:
        """The closest known word, or None: words under 4 letters are never corrected (too many
        near neighbours), and longer words allow 1 edit up to 5 letters, 2 edits beyond."""
        if len(word) < 4 or word in self.frequencies:
            return None
        limit = 1 if len(word) <= 5 else 2
        candidates = set()
        for variant in self._variants(word):
            candidates |= self._by_variant.get(variant, set())
        scored = [(damerau_levenshtein(word, c, limit), -self.frequencies[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None


def bm25(weighted: list[dict], lengths) -> dict:
    """term -> (document numbers, BM25 contribution, best contribution): a query word costs one
    array operation. `lengths` is a numpy array of document lengths."""
    import numpy as np  # on first use: start-up stays free of numpy (tests/core/test_start_up.py)

    average = float(lengths.mean()) if len(lengths) else 1.0
    norms = K1 * (1 - B + B * lengths / max(average, 1.0))
    by_term = defaultdict(list)
    for d, terms in enumerate(weighted):
        for term, tf in terms.items():
            by_term[term].append((d, tf))
    n = len(weighted)
    postings = {}
    for term, entries in by_term.items():
        docs = np.fromiter((d for d, _ in entries), np.int32, len(entries))
        tf = np.fromiter((t for _, t in entries), np.float32, len(entries))
        idf = np.log(1 + (n - len(entries) + 0.5) / (len(entries) + 0.5))
        contribution = (idf * tf * (K1 + 1) / (tf + norms[docs])).astype(np.float32)
        postings[term] = (docs, contribution, float(contribution.max()))
    return postings
