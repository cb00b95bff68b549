"""Personal API tokens end with the credentials they were made under: a password change or reset, or a
second factor removed, revokes every token of the person (allauth's signals)."""

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_removed, authenticator_reset
from django.dispatch import receiver

from .services import revoke_all_api_tokens


@receiver(password_changed)
@receiver(password_set)
@receiver(password_reset)
def _password_changed(sender, request, user, **kwargs):
    revoke_all_api_tokens(user, "password changed", request)


@receiver(authenticator_removed)
@receiver(authenticator_reset)
def _second_factor_removed(sender, request, user, **kwargs):
    revoke_all_api_tokens(user, "second factor removed", request)
