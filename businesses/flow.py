"""Register my business: BN → identity → affinity → terms → review → done. The answers so far
live in the session; nothing is written until the review is confirmed (one transaction). A flow
older than FLOW_LIFETIME, or a session that lost it, restarts with a message."""

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from registry.adapters import registry
from rights.policy import signed_in

from . import affinity, services
from .forms import AffinityForm, BusinessNumberForm, IdentityForm, TermsForm
from .models import Business
from .terms import current_terms

SESSION_KEY = "carm.registration"
FLOW_LIFETIME = timedelta(minutes=30)
STEPS = ["bn", "identity", "affinity", "terms", "review"]


def _state(request):
    """The flow in progress, or None when it was never started, lost or is too old."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    started = parse_datetime(state.get("started_at", ""))
    if started is None or timezone.now() - started > FLOW_LIFETIME:
        del request.session[SESSION_KEY]
        return None
    return state


def _save(request, state, passed_step):
    state["passed"] = STEPS[: STEPS.index(passed_step) + 1]
    request.session[SESSION_KEY] = state


def _restart(request):
    messages.warning(request, _("Your registration session expired or was interrupted. Please start again."))
    return redirect("businesses:register")


def _render(request, step, form, **context):
    return render(
        request,
        "businesses/register.html",
        {
            "step": step,
            "step_number": STEPS.index(step) + 1,
            "total_steps": len(STEPS),
            "form": form,
            **context,
        },
    )


def _step(step):
    """Guard a step: the flow must exist and every earlier step must have been passed."""

    def decorate(view):
        @wraps(view)
        def guarded(request):
            state = _state(request)
            if state is None:
                return _restart(request)
            earlier = STEPS[: STEPS.index(step)]
            missing = next((s for s in earlier if s not in state.get("passed", [])), None)
            if missing is not None:
                return redirect("businesses:register" if missing == "bn" else f"businesses:register_{missing}")
            return view(request, state)

        return signed_in(guarded)

    return decorate


@signed_in
def start(request):
    form = BusinessNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.find_for_registration(request.user, form.cleaned_data["bn"])
        except ValidationError as error:
            form.add_error("bn", error)
        else:
            state = {"bn9": found.bn9, "started_at": timezone.now().isoformat()}
            _save(request, state, "bn")
            return redirect("businesses:register_identity")
    return _render(request, "bn", form)


@_step("identity")
def identity(request, state):
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        typed = {k: v for k, v in form.cleaned_data.items() if k != "kind"}
        found = registry().lookup(state["bn9"])
        try:
            services.verify_identity(request.user, found, request=request, **typed)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            state["kind"] = form.cleaned_data["kind"]
            _save(request, state, "identity")
            return redirect("businesses:register_affinity")
    return _render(request, "identity", form, bn9=state["bn9"])


@_step("affinity")
def affinity_questions(request, state):
    questions = affinity.questions(affinity.import_history(state["bn9"]))
    if not questions:  # no import history: the registry questions were enough
        _save(request, state, "affinity")
        return redirect("businesses:register_terms")
    form = AffinityForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_affinity(request.user, state["bn9"], form.answers(), request=request)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _save(request, state, "affinity")
            return redirect("businesses:register_terms")
    return _render(request, "affinity", form, bn9=state["bn9"])


@_step("terms")
def terms(request, state):
    current = current_terms()
    form = TermsForm(request.POST if request.method == "POST" else None)  # an unticked box posts nothing
    if request.method == "POST" and form.is_valid():
        state["terms"] = current.version
        _save(request, state, "terms")
        return redirect("businesses:register_review")
    return _render(request, "terms", form, terms=current)


@_step("review")
def review(request, state):
    found = registry().lookup(state["bn9"])
    current = current_terms()
    if state.get("terms") != current.version:  # the terms changed meanwhile: read the new ones
        return redirect("businesses:register_terms")
    error = None
    if request.method == "POST":
        try:
            business = services.register_business(
                request.user, state["bn9"], kind=state["kind"], terms=current, request=request
            )
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                _("%(name)s is registered. You are its business account manager.") % {"name": business.legal_name},
            )
            return redirect("businesses:profile", bn9=business.bn9)
    return _render(
        request, "review", None, found=found, kind=Business.Kind(state["kind"]).label, terms=current, error=error
    )
