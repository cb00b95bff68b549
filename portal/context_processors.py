from django.conf import settings
from django.utils.functional import SimpleLazyObject

from businesses.models import Business


def portal(request):
    """`acting_for_business`: the client a provider's employee acts for (the persistent "Acting for"
    banner), looked up only when a page shows it."""

    def acting_for():
        actor = getattr(request, "actor", None)
        bn9 = actor.acting_for if actor is not None and request.user.is_authenticated else None
        return Business.objects.filter(bn9=bn9).first() if bn9 else None

    return {"mfa_required": settings.CARM_MFA_REQUIRED, "acting_for_business": SimpleLazyObject(acting_for)}
