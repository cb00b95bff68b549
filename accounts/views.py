import time

from allauth.account import app_settings as allauth_settings
from allauth.account.authentication import get_authentication_records
from allauth.core.exceptions import ReauthenticationRequired
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.services import record
from rights.policy import signed_in

from .forms import ApiTokenForm, ProfileForm
from .services import create_api_token, revoke_api_token


@signed_in
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        before = {name: form.initial.get(name) for name in form.changed_data}
        form.save()
        record(
            "profile.updated",
            request=request,
            obj=request.user,
            before=before,
            after={name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def _signed_in_recently(request) -> bool:
    """Signed in or re-authenticated (password or second factor) within ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    records = get_authentication_records(request, request.user)
    return bool(records) and time.time() - records[-1]["at"] < allauth_settings.REAUTHENTICATION_TIMEOUT


@signed_in
def api_tokens(request):
    if request.method == "POST" and not _signed_in_recently(request):
        raise ReauthenticationRequired  # a token outlives the session: allauth asks again, then resumes the POST
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = create_api_token(request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("days" if error.code == "expiry_out_of_range" else "business_number", error)
        else:
            form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@signed_in
@require_POST
def revoke_token(request, token_id):
    # Scoped to the signed-in person: another person's token id is simply not found.
    token = get_object_or_404(request.user.api_tokens, pk=token_id)
    revoke_api_token(token, request=request)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:api_tokens")
