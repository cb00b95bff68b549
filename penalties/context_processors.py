from django.utils.translation import get_language

from .services import current_outages


def outage_banner(request):
    """The message of each outage in progress, in the page's language: the base template shows it."""
    french = (get_language() or "en").startswith("fr")
    return {"outage_messages": [o.message_fr if french else o.message_en for o in current_outages()]}
