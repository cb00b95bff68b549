from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import translate_url
from django.utils import translation
from django.utils.translation import gettext_lazy as _

import rights
from audit.services import client_ip

SERVICE_ACCOUNT_REFUSED = _(
    "This is a service account: it works through the API with its token and cannot sign in to the portal."
)


def refuse_service_account(request):
    """Back to the sign-in page, saying why."""
    messages.error(request, SERVICE_ACCOUNT_REFUSED)
    return redirect("account_login")


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Land in the person's preferred language after sign-in."""
        url = super().get_login_redirect_url(request)
        language = getattr(request.user, "preferred_language", "")
        return translate_url(url, language) if language else url

    def pre_login(self, request, user, **kwargs):
        """Right after its password, before its second factor: a service account opens no session."""
        if rights.actor_of(user).token_only:
            clear_login(request)
            return refuse_service_account(request)
        return super().pre_login(request, user, **kwargs)

    def add_message(self, request, *args, **kwargs):
        """Messages to a signed-in person in their preferred language: signing in on /fr/ as an
        English speaker lands on the English dashboard, with "Successfully signed in" in English."""
        language = getattr(getattr(request, "user", None), "preferred_language", "") or translation.get_language()
        with translation.override(language):
            super().add_message(request, *args, **kwargs)

    def get_client_ip(self, request):
        """The sign-in lockout counts per client as the trusted proxy chain gives it (audit.services.client_ip)."""
        return client_ip(request) or super().get_client_ip(request)
