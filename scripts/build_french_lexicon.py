"""Learn a French -> English word list from the schedule's own bilingual text.

    DATABASE_URL=... python scripts/build_french_lexicon.py > tariff/data/search-lexicon-fr-en.json

Every tariff row and chapter that has both an English and a French description is one aligned pair
(Canada's French schedule for its chapters, the Harmonized System's French wording of the EU
TARIC for headings and subheadings: data/tariff/). Each French word (a Snowball stem, so
plurals and genders are one) is scored against each English word of the same pairs by the Dice
coefficient 2·both / (French + English): words sharing pairs only by chance score low. Then in each
pair the best-scoring words are linked first, each word once (competitive linking), and a French
word's translation is the English word it was linked to most often: at least MIN_PAIRS times and
in MIN_SHARE of its pairs, at a Dice of MIN_DICE or more; a tie goes to the better Dice, then to the
English word spelt most like it (coton/cotton). Prints JSON {french word as printed, accents off: english word}, sorted.
"""

import json
import os
import sys
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Checked on the tune split's French rows (HS6 top-1/top-5): flat at 28.0/56.0 for MIN_DICE 0.2-0.4 and
# MIN_SHARE 0.2-0.3; MIN_SHARE 0.5 gave 26.0/54.0, MIN_PAIRS 3 gave 28.0/54.0.
MIN_PAIRS = 2
MIN_DICE = 0.3
MIN_SHARE = 0.3  # of the pairs holding the French word: "feu" (armes à feu, résistant au feu) is no one word


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carm.settings")
    import django

    django.setup()
    from tariff.models import Chapter, TariffLine
    from tariff.search_text import FR_PREFIX, STOPWORDS_EN, STOPWORDS_FR, stem_fr, words

    pairs = set(TariffLine.objects.exclude(description_fr="").values_list("description_en", "description_fr"))
    pairs |= set(Chapter.objects.exclude(title_fr="").values_list("title_en", "title_fr"))
    french_count, english_count, both = Counter(), Counter(), Counter()
    shown = defaultdict(Counter)  # French stem -> the words it stands for
    aligned = []
    for english_text, french_text in sorted(pairs):  # sorted: ties resolve the same every run
        english = {w for w in words(english_text) if w not in STOPWORDS_EN and w.isalpha()}
        french = set()
        for word in words(french_text):
            if word not in STOPWORDS_FR and word.isalpha():
                stem = stem_fr(word).removeprefix(FR_PREFIX)
                shown[stem][word] += 1
                french.add(stem)
        english_count.update(english)
        french_count.update(french)
        both.update((f, e) for f in french for e in english)
        aligned.append((french, english))

    def dice(f: str, e: str) -> float:
        return 2 * both[f, e] / (french_count[f] + english_count[e])

    # Competitive linking: in each pair the best-scoring French and English words are linked
    # first and each word once, so a word's frequent neighbours ("articles similaires") do not
    # each count as its translation.
    links = Counter()
    for french, english in aligned:
        scored = sorted(((dice(f, e), f, e) for f in french for e in english), reverse=True)
        used_f, used_e = set(), set()
        for score, f, e in scored:
            if score >= MIN_DICE and f not in used_f and e not in used_e:
                links[f, e] += 1
                used_f.add(f)
                used_e.add(e)
    best = {}
    for (f, e), n in links.items():
        if n >= MIN_PAIRS and n >= MIN_SHARE * french_count[f]:
            french_word = shown[f].most_common(1)[0][0]
            key = (n, dice(f, e), SequenceMatcher(None, french_word, e).ratio())
            if f not in best or key > best[f][0]:
                best[f] = (key, e)
    # Filed under each French spelling the schedule prints, not under the stem: Snowball gives
    # "mere" (carte mère) and "mer" (sea) one stem, and a query word never seen spelt so is left alone.
    lexicon = {word: e for f, (_key, e) in best.items() for word in shown[f] if word != e}
    json.dump(dict(sorted(lexicon.items())), sys.stdout, ensure_ascii=False, indent=0)
    print()
    print(f"{len(pairs)} aligned descriptions, {len(lexicon)} French words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
