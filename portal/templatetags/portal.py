import datetime as dt
import json

from django import template
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.translation import get_language

from core import formats

register = template.Library()


@register.simple_tag(takes_context=True)
def other_language_url(context):
    """The same page in the other official language (the GC header's language toggle)."""
    request = context["request"]
    target = "fr" if get_language() == "en" else "en"
    return translate_url(request.get_full_path(), target)


@register.filter
def error_links(form):
    """JSON for <gcds-error-summary error-links>: each invalid field's anchor and first message."""
    links = {}
    for name, errors in form.errors.items():
        anchor = "#" + (form[name].id_for_label if name in form.fields else "main-content")
        links[anchor] = str(errors[0])
    return json.dumps(links)


@register.filter
def is_select(bound_field) -> bool:
    return bound_field.field.widget.__class__.__name__ in ("Select", "NullBooleanSelect")


@register.filter
def is_textarea(bound_field) -> bool:
    return bound_field.field.widget.__class__.__name__ == "Textarea"


_GCDS_INPUT_TYPES = {"email", "number", "password", "search", "tel", "text", "url"}


@register.filter
def gcds_input_type(widget_type: str) -> str:
    """gcds-input supports a subset of input types; dates and others fall back to text."""
    return widget_type if widget_type in _GCDS_INPUT_TYPES else "text"


@register.filter
def hint_text(help_text) -> str:
    """A field's help text as one plain sentence run (gcds-input hints are plain text)."""
    from django.utils.html import strip_tags

    return " ".join(strip_tags(str(help_text).replace("</li>", "</li> ")).split())


@register.filter
def input_value(value):
    """A field's value as its input accepts it back: a date as YYYY-MM-DD (what every date label
    asks for), never the localized "Dec. 5, 2026"; anything else unchanged (issue 17, item 5)."""
    return value.isoformat() if isinstance(value, dt.date) else value


@register.filter
def money(amount) -> str:
    """Canadian dollars as each language writes them: $1,500.00 in English, 1 500,00 $ in French."""
    return formats.money(amount)


@register.filter
def account_link(account) -> str:
    """A program account number (BN15, RM) as a link to its ledger page: every RM number is a way in.
    `account` is a ProgramAccount or its number; the page itself checks who may see it."""
    number = getattr(account, "number", account)
    if not number:
        return ""
    return format_html('<gcds-link href="{}">{}</gcds-link>', reverse("ledger:account", args=[number]), number)
