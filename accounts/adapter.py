from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url

from audit.services import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Land in the person's preferred language after sign-in."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "")
        return translate_url(url, language) if language else url

    def get_client_ip(self, request):
        """The sign-in lockout counts per client as the trusted proxy chain gives it (audit.services.client_ip)."""
        return client_ip(request) or super().get_client_ip(request)
