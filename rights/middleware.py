from django.utils.functional import SimpleLazyObject

from .kernel import actor_of


class ActorMiddleware:
    """`request.actor`: the acting person, built once per request on first use (API token
    authentication, which runs later inside DRF, builds it again for the token's owner)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_of(request))
        return self.get_response(request)
