"""Every page and API view declares who may reach it. A test walks the URL resolver and fails
on any view without a declared policy, so no route is left open by omission.

Pages use the decorators below; DRF views declare `permission_classes`, and a view that is
public on purpose says so with `AllowAny` and `access_policy = PUBLIC`. These policies only
guard the door: which rows a person reaches, and what they may do on them, is `rights.restrict`
and `rights.may` (an officer view's service requires its officer action itself).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .kernel import actor_of

PUBLIC = "public"
SIGNED_IN = "signed-in"
OFFICER = "officer"


def _mark(view, policy):
    view.access_policy = policy
    return view


def public(view):
    """Anyone, signed in or not (tariff look-ups, the sign-in page...)."""
    return _mark(view, PUBLIC)


def signed_in(view):
    """Any signed-in person; object rules are checked inside through the rights kernel."""
    return _mark(login_required(view), SIGNED_IN)


def officer(view):
    """People holding an officer role only."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not actor_of(request).is_officer:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _mark(login_required(guarded), OFFICER)


def policy_of(callback) -> str | None:
    """The declared policy of a resolved URL callback (function view, class view or DRF view)."""
    declared = getattr(callback, "access_policy", None)
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if declared is None and view_class is not None:
        declared = getattr(view_class, "access_policy", None)
    return declared
