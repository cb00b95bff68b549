from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from assessment_engine import AssessmentError, Rate, parse_rate

from ..codes import dotted
from ..models import FrenchSource
from ..treatments import treatment_name as _treatment_name

register = template.Library()


@register.simple_tag
def localized(obj, name: str, multiline: bool = False):
    """obj.<name>_fr on French pages when the source has French, else the English marked lang="en"
    (the schedule data we load is mostly English-only)."""
    french = getattr(obj, f"{name}_fr")
    in_french = get_language() == "fr"
    text = french if in_french and french else getattr(obj, f"{name}_en")
    if multiline:
        text = linebreaksbr(text, autoescape=True)
    if in_french and not french:
        return format_html('<span lang="en">{}</span>', text)
    if in_french and getattr(obj, f"{name}_fr_source", "") == FrenchSource.HS:
        return format_html('{} <sup><abbr title="{}">{}</abbr></sup>', text, HS_WORDING, _("HS"))
    return format_html("{}", text)


HS_WORDING = _("French wording of the Harmonized System, not the Customs Tariff's own")


@register.inclusion_tag("tariff/includes/french_wording.html")
def french_wording_note(*shown):
    """On French pages, what the "HS" mark beside a text means, when a row shown (a line, a chapter,
    or a list of them) has the Harmonized System's French wording."""
    lines = [line for item in shown for line in (item if hasattr(item, "__iter__") else [item])]
    return {"hs": get_language() == "fr" and any(_french_source(line) == FrenchSource.HS for line in lines)}


def _french_source(shown) -> str:
    """Where a row's French comes from: a tariff row's description, a chapter's or section's title,
    a legal note's text."""
    for name in ("description", "title", "text"):
        if source := getattr(shown, f"{name}_fr_source", ""):
            return source
    return ""


FREE_FR = "En franchise"  # the schedule abbreviates it "En fr."; pages spell it out, as "Free" is in English


@register.filter
def printed_rate(rate) -> str:
    """A rate as printed, in French on French pages (written back from its structured form)."""
    if rate is None:
        return ""
    if get_language() == "fr" and rate.structured:
        try:
            return _spelled_out(Rate.from_dict(rate.structured).to_text("fr"))
        except AssessmentError:
            pass  # an unreadable stored form: show the printed English text
    return rate.text


@register.filter
def rate_words(text) -> str:
    """A rate kept as printed text (a CAD line, an estimate) in the page's language: "6.5 %" is
    "6,5 %" and "Free" is "En franchise" on French pages; text that is not a rate stays as it is."""
    if not text or get_language() != "fr":
        return text or ""
    try:
        return _spelled_out(parse_rate(str(text)).to_text("fr"))
    except AssessmentError:
        return text


def _spelled_out(french: str) -> str:
    return FREE_FR if french == "En fr." else french


@register.filter
def rate_of(rates_by_code: dict, code: str):
    return rates_by_code.get(code)


@register.filter
def treatment_name(code: str) -> str:
    return _treatment_name(code)


@register.filter(name="dotted")
def dotted_code(digits: str) -> str:
    return dotted(digits)
