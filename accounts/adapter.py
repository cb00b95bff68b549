from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url
from django.utils import translation

from audit.services import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Land in the person's preferred language after sign-in."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "")
        return translate_url(url, language) if language else url

    def add_message(self, request, *args, **kwargs):
        """Messages to a signed-in person in their preferred language: signing in on /fr/ as an
        English speaker lands on the English dashboard, with "Successfully signed in" in English."""
        language = getattr(getattr(request, "user", None), "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().add_message(request, *args, **kwargs)

    def get_client_ip(self, request):
        """The sign-in lockout counts per client as the trusted proxy chain gives it (audit.services.client_ip)."""
        return client_ip(request) or super().get_client_ip(request)
