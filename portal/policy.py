"""Every page and API view declares who may reach it. A test walks the URL resolver and fails
on any view without a declared policy, so no route is left open by omission.

Pages use the decorators/mixins below; DRF views declare `permission_classes`, and a view
that is public on purpose says so with `AllowAny` and `access_policy = PUBLIC`.
Object-level rules (who may do what on which business or program account) live in the
authorization layer of the business apps; these policies only guard the door.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

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
    """Any signed-in person; object rules are checked inside through the authorization layer."""
    return _mark(login_required(view), SIGNED_IN)


def officer(view):
    """CBSA officers (staff) only."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not request.user.is_staff:
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
