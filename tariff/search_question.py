"""The question a classifier would ask when the two best suggestions differ (pure functions).

When the first two results of a search sit in different subheadings, their descriptions (with the
rows above them) usually differ by what the goods are made of, their form or state, or who or what
they are for: "Of cotton" / "Of synthetic fibres", "Fresh or chilled" / "Frozen", "Men's" /
"Women's". question() finds the first of these three kinds on which the two differ and words the
question with the tariff's own words, so the person answers by adding the word to the search.
"""

from django.utils.translation import gettext as _

from .search_text import words

# The tariff's words for each kind of difference, as search_text.words() reads them.
MATERIALS = (
    "cotton", "wool", "silk", "flax", "synthetic", "artificial", "manmade", "plastics", "rubber",
    "leather", "textile", "wood", "bamboo", "paper", "paperboard", "glass", "ceramic", "porcelain",
    "stone", "iron", "steel", "stainless", "aluminum", "aluminium", "copper", "brass", "zinc", "nickel",
    "titanium", "gold", "silver", "platinum",
)  # fmt: skip
FORMS = (
    "knitted", "crocheted", "woven", "fresh", "chilled", "frozen", "dried", "smoked", "salted",
    "cooked", "roasted", "powder", "liquid", "bulk", "doses", "retail", "unwrought", "fillets", "whole",
    "cordless", "portable", "electric", "nonelectric",
)  # fmt: skip
USES = (
    "men", "boys", "women", "girls", "babies", "household", "domestic", "industrial", "medical",
    "surgical", "veterinary", "agricultural", "vehicles", "aircraft", "office", "kitchen", "toilet",
    "sports", "children",
)  # fmt: skip


def _kind_words(result, kind: tuple[str, ...]) -> list[str]:
    present = set(words(" ".join([*result.path, result.description])))
    return [w for w in kind if w in present]


def question(results: list) -> str | None:
    """A question telling the first two results apart, or None when they agree (same subheading)
    or differ in nothing this knows how to ask. A kind on which both print their own words is
    asked as "this or that"; failing that, a word only one of them prints is asked as yes or no."""
    if len(results) < 2 or results[0].code[:6] == results[1].code[:6]:
        return None
    first, second = results[0], results[1]
    asks = (
        (MATERIALS, _("What is it made of: %(first)s (%(first_code)s), or %(second)s (%(second_code)s)?")),
        (FORMS, _("What form is it in: %(first)s (%(first_code)s), or %(second)s (%(second_code)s)?")),
        (USES, _("Who or what is it for: %(first)s (%(first_code)s), or %(second)s (%(second_code)s)?")),
    )
    one_sided = None  # a word only one of the two prints: asked as yes or no if nothing better
    for kind, wording in asks:
        a, b = _kind_words(first, kind), _kind_words(second, kind)
        only_a, only_b = [w for w in a if w not in b], [w for w in b if w not in a]
        if only_a and only_b:
            return wording % {
                "first": _phrase(first, only_a),
                "first_code": first.printed_code,
                "second": _phrase(second, only_b),
                "second_code": second.printed_code,
            }
        if one_sided is None and (only_a or only_b):
            yes, no, found = (first, second, only_a) if only_a else (second, first, only_b)
            one_sided = _("Is it as %(which)s says? Yes: %(yes_code)s; no: %(no_code)s.") % {
                "which": _phrase(yes, found),
                "yes_code": yes.printed_code,
                "no_code": no.printed_code,
            }
    return one_sided


def _phrase(result, found: list[str]) -> str:
    """The printed words of the result that carry the difference (its own description when it
    names one of them, else the row above that does)."""
    for text in [result.description, *reversed(result.path)]:
        if set(found) & set(words(text)):
            return f"“{text.strip().rstrip(':;.')}”"
    return ", ".join(found)
