"""Django's permission API (`user.has_perm("rights.manage_people", business)`, the admin, templates'
`perms.rights.decide_adjustments`) answered by the kernel, so nothing can disagree with views and the API."""

from .kernel import OFFICER_ACTIONS, Action, may

PREFIX = "rights."


class RightsBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        if not perm.startswith(PREFIX):
            # The admin reads like the client 360: an officer holding VIEW_CLIENTS views every model
            # there; changes go through the pages and services that check and audit them.
            return perm.split(".", 1)[-1].startswith("view_") and _reads_clients(user_obj)
        action = perm.removeprefix(PREFIX)
        if action not in Action.values:
            return False
        if obj is None and action not in OFFICER_ACTIONS:  # business actions are on a business or account
            return False
        return may(user_obj, Action(action), obj)

    def has_module_perms(self, user_obj, app_label):
        return _reads_clients(user_obj)


def _reads_clients(user_obj) -> bool:
    return user_obj.is_active and user_obj.is_staff and may(user_obj, Action.VIEW_CLIENTS)
