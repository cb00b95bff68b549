"""Django's permission API (`user.has_perm("rights.manage_people", business)`, the admin, templates'
`perms.rights.decide_adjustments`) answered by the kernel, so nothing can disagree with views and the API."""

from .kernel import OFFICER_ACTIONS, Action, may

PREFIX = "rights."


class RightsBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        action = perm.removeprefix(PREFIX)
        if not perm.startswith(PREFIX) or action not in Action.values:
            return False
        if obj is None and action not in OFFICER_ACTIONS:  # business actions are on a business or account
            return False
        return may(user_obj, Action(action), obj)
