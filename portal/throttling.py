"""API rate limits, on every endpoint (REST_FRAMEWORK's DEFAULT_THROTTLE_CLASSES): anonymous callers
per client address (as the trusted proxy chain gives it, audit.services.client_ip, never a header the
client writes), signed-in callers per token (per person on a session), and per business: the one a
token names or a provider acts for, else each business the person works for, so many tokens or people
of one business share its allowance."""

from django.db.models import Q
from rest_framework.throttling import SimpleRateThrottle

import rights
from access.models import RoleGrant
from audit.services import client_ip


class ClientAddressThrottle(SimpleRateThrottle):
    scope = "anon"

    def get_ident(self, request):
        return client_ip(request._request if hasattr(request, "_request") else request) or ""

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(SimpleRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        token = getattr(request._request, "api_token", None)
        ident = f"token-{token.pk}" if token is not None else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class BusinessThrottle(SimpleRateThrottle):
    scope = "business"

    def businesses(self, request) -> list[str]:
        actor = rights.actor_of(request)
        if actor.acting_for or actor.only_business:
            return [actor.acting_for or actor.only_business]
        grants = RoleGrant.objects.filter(Q(user=actor.user) | Q(group__members=actor.user))
        return sorted(set(grants.values_list("business__bn9", flat=True)))

    def allow_request(self, request, view):
        if not (request.user and request.user.is_authenticated) or self.rate is None:
            return True
        self.now = self.timer()
        histories = {}
        for bn9 in self.businesses(request):
            key = self.cache_format % {"scope": self.scope, "ident": bn9}
            history = [moment for moment in self.cache.get(key, []) if moment > self.now - self.duration]
            if len(history) >= self.num_requests:
                self.history = history
                return self.throttle_failure()
            histories[key] = history
        for key, history in histories.items():
            self.cache.set(key, [self.now, *history], self.duration)
        return True

    def get_cache_key(self, request, view):  # allow_request reads the keys itself (one per business)
        return None
