"""django-rules permissions `access.<action>` (e.g. {% has_perm 'access.manage_people' user business %}),
answered by the authorization layer so templates and the admin agree with views and the API.
Registered from AccessConfig.ready: a module named rules.py would shadow the rules package when
tools (makemessages) run inside this folder."""

import rules

from .authz import Action, may


def _permission(action):
    @rules.predicate
    def allowed(user, obj):
        return obj is not None and may(user, action, obj)

    return allowed


for _action in Action:
    rules.add_perm(f"access.{_action.value}", _permission(_action))
