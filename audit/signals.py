"""Sign-ins, failed sign-ins and MFA changes go to the audit trail as they happen."""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from .services import record


@receiver(auth_signals.user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    record("auth.sign_in", actor=user, request=request, obj=user)


@receiver(auth_signals.user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.sign_out", actor=user, request=request, obj=user)


@receiver(auth_signals.user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the identifier tried is kept, never the password.
    tried = credentials.get("email") or credentials.get("username") or ""
    record("auth.sign_in_failed", request=request, actor_label=str(tried)[:254], after={"identifier": tried})


@receiver(mfa_signals.authenticator_added)
def _mfa_added(sender, request, user, authenticator, **kwargs):
    record("mfa.added", actor=user, request=request, obj=user, after={"type": authenticator.type})


@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    record("mfa.removed", actor=user, request=request, obj=user, before={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(sender, request, user, authenticator, **kwargs):
    record("mfa.reset", actor=user, request=request, obj=user, after={"type": authenticator.type})


@receiver(mfa_signals.authentication_failed)
def _mfa_code_failed(sender, request, user, authenticator, reauthentication, **kwargs):
    record("mfa.code_failed", actor=user, request=request, obj=user, after={"type": authenticator.type})
