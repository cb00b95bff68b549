"""Personal accounts: API tokens and MFA helpers shared by pages, API and commands."""

import hmac
from datetime import timedelta

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.ca import bn as stdnum_bn

from audit.services import record

from .models import ApiToken, User


def has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists() or (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists()
    )


@transaction.atomic
def create_api_token(user: User, *, name: str, days: int, business_number: str = "", request=None):
    """Return (token, key). The key is shown once; only its hash is kept."""
    if not 1 <= days <= settings.CARM_API_TOKEN_MAX_DAYS:
        raise ValidationError(
            _("A token must expire within 1 to %(max)s days.") % {"max": settings.CARM_API_TOKEN_MAX_DAYS},
            code="expiry_out_of_range",
        )
    business_number = stdnum_bn.compact(business_number or "")
    if business_number and not stdnum_bn.is_valid(business_number):
        raise ValidationError(_("Enter a valid 9-digit business number."), code="invalid_bn")
    key = ApiToken.new_key()
    while ApiToken.objects.filter(prefix=key[: ApiToken.PREFIX_LENGTH]).exists():
        key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=ApiToken.hash_key(key),
        business_number=business_number,
        expires_at=timezone.now() + timedelta(days=days),
    )
    record(
        "api_token.created",
        actor=user,
        request=request,
        obj=token,
        after={"name": name, "expires_at": token.expires_at.isoformat(), "business_number": business_number},
    )
    return token, key


def revoke_api_token(token: ApiToken, *, request=None) -> None:
    if token.revoked_at is not None:
        return
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    record("api_token.revoked", actor=token.user, request=request, obj=token)


def revoke_all_api_tokens(user, reason: str, request=None) -> int:
    """Revoke every usable token of `user` (their password changed, or a second factor was removed:
    a token made under the old credentials must not outlive them). Audited."""
    tokens = list(ApiToken.objects.usable().filter(user=user))
    ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=timezone.now())
    for token in tokens:
        record("api_token.revoked", actor=user, request=request, obj=token, after={"reason": reason})
    return len(tokens)


def authenticate_api_token(key: str) -> ApiToken | None:
    """The usable token matching `key`, compared in constant time, or None. Its last use is written
    at most every CARM_API_TOKEN_LAST_USE_SECONDS, not on every call (a busy client's calls would
    otherwise all write the same row)."""
    token = ApiToken.objects.usable().select_related("user").filter(prefix=key[: ApiToken.PREFIX_LENGTH]).first()
    if token is None or not hmac.compare_digest(token.key_hash, ApiToken.hash_key(key)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= timedelta(
        seconds=settings.CARM_API_TOKEN_LAST_USE_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
