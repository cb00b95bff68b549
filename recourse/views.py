"""Appeals and compliance pages: the client's overview (every penalty notice, statement of
adjustment and request, with its deadline and appeal button), filing, a request's page
(documents, decision, the Tribunal step); the officers' queue, decision page, outage declaration
and s.59 re-determinations (under /cbsa/: find a CAD, prepare, preview the delta, issue). Rows
are fetched through `visible_to`; the services check rights and rules."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import rights
from businesses.models import ProgramAccount
from core import formats
from declarations import services as declarations
from declarations.models import Declaration
from penalties import services as penalties
from penalties.models import PenaltyNotice
from rights import Action
from rights.policy import officer, signed_in

from . import services
from .forms import (
    AssessForm,
    DecisionForm,
    DocumentForm,
    FindCadForm,
    OutageForm,
    PenaltyAppealForm,
    RationaleForm,
    RedeterminationForm,
    RedetermineForm,
    TribunalForm,
)
from .models import Appeal, StatementOfAdjustment


def _refused(form, error: services.RecourseError | penalties.PenaltyError):
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.messages[0]))


def _one_posted(request, form_classes: dict, act):
    """A page of several forms told apart by the POST's "what" (the last form when it names none):
    the posted one is bound and, when valid, `act(what, cleaned_data)` calls its service. Returns the
    forms (the posted one bound, with the service's refusal on it) and whether it was saved."""
    forms = {what: form_class() for what, form_class in form_classes.items()}
    if request.method != "POST":
        return forms, False
    what = request.POST.get("what")
    what = what if what in forms else list(forms)[-1]
    form = forms[what] = form_classes[what](request.POST, request.FILES)
    if form.is_valid():
        try:
            act(what, form.cleaned_data)
        except services.RecourseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return forms, True
    return forms, False


def _appeal_page(request, appeal, page: str, form_classes: dict, act, **context):
    """An appeal's page of several forms, `page` its URL name and template (the client's "detail", the
    officer's "decide"): back to itself once one is saved; else the appeal, its documents and each form
    as `<what>_form`, 400 when the posted one was refused."""
    forms, saved = _one_posted(request, form_classes, act)
    if saved:
        return redirect(f"recourse:{page}", appeal.number)
    context |= {f"{what}_form": form for what, form in forms.items()}
    context |= {"appeal": appeal, "appealed": services.appealed(appeal), "documents": appeal.documents.all()}
    status = 400 if any(form.errors for form in forms.values()) else 200
    return render(request, f"recourse/{page}.html", context, status=status)


@signed_in
@require_GET
def overview(request):
    return render(request, "recourse/overview.html", services.client_overview(request))


@signed_in
def appeal_notice(request, number):
    notice = rights.get_visible_or_404(
        PenaltyNotice.objects.visible_to(request, Action.VIEW).select_related("program_account"), request, number=number
    )
    form = PenaltyAppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.appeal_penalty(request, notice, request=request, **form.cleaned_data)
        except services.RecourseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Appeal %(number)s filed.") % {"number": appeal.number})
            return redirect("recourse:detail", appeal.number)
    context = {"form": form, "notice": notice, "deadline": penalties.appeal_deadline(notice)}
    return render(request, "recourse/appeal_notice.html", context, status=400 if form.errors else 200)


@signed_in
def request_statement(request, number):
    statement = rights.get_visible_or_404(
        StatementOfAdjustment.objects.visible_to(request, Action.VIEW).select_related("declaration"),
        request,
        number=number,
    )
    form = RedeterminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeal = services.request_redetermination(request, statement, request=request, **form.cleaned_data)
        except services.RecourseError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Request %(number)s filed.") % {"number": appeal.number})
            return redirect("recourse:detail", appeal.number)
    context = {"form": form, "statement": statement, "free": services.free_security(statement.program_account)}
    return render(request, "recourse/request_statement.html", context, status=400 if form.errors else 200)


@signed_in
def detail(request, number):
    appeal = rights.get_visible_or_404(
        Appeal.objects.visible_to(request, Action.VIEW).select_related("notice", "program_account"),
        request,
        number=number,
    )

    def act(what, data):
        if what == "document":
            services.add_document(request, appeal, data["file"], request=request)
        else:
            services.record_further_recourse(request, appeal, request=request, **data)

    return _appeal_page(request, appeal, "detail", {"document": DocumentForm, "tribunal": TribunalForm}, act)


# --- officers -------------------------------------------------------------------------------------


@officer
@require_GET
def queue(request):
    return render(
        request,
        "recourse/queue.html",
        {
            "items": services.officer_queue(),
            "outages": penalties.officer_queue(),
            "may_declare": rights.may(request, Action.DECLARE_OUTAGES),
            "may_assess": rights.may(request, Action.ASSESS_PENALTIES),
        },
    )


@officer
def decide(request, number):
    if not (rights.may(request, Action.DECIDE_APPEALS) or rights.may(request, Action.VIEW_CLIENTS)):
        raise PermissionDenied
    appeal = rights.get_visible_or_404(
        Appeal.objects.select_related("notice", "program_account"), request, number=number
    )

    def act(what, data):
        if what == "rationale":
            services.share_rationale(request, appeal, data["rationale"], request=request)
        else:
            services.decide(request, appeal, request=request, **data)

    forms = {"rationale": RationaleForm, "decision": DecisionForm}
    return _appeal_page(request, appeal, "decide", forms, act, may_decide=rights.may(request, Action.DECIDE_APPEALS))


@officer
def declare_outage(request):
    if not rights.may(request, Action.DECLARE_OUTAGES):
        raise PermissionDenied
    form = OutageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            penalties.declare_outage(request, request=request, **form.cleaned_data)
        except penalties.PenaltyError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Outage declared."))
            return redirect("recourse:queue")
    return render(request, "recourse/outage.html", {"form": form}, status=400 if form.errors else 200)


@officer
def assess_penalty(request):
    """An officer's manual Notice of Penalty Assessment (officers holding ASSESS_PENALTIES)."""
    if not rights.may(request, Action.ASSESS_PENALTIES):
        raise PermissionDenied
    form = AssessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = ProgramAccount.objects.filter(number=data["account"].strip().upper()).first()
        if account is None:
            form.add_error("account", _("No program account has this number."))
        else:
            try:
                notice = penalties.assess(
                    request,
                    account,
                    data["contravention"],
                    occurred_on=data["occurred_on"],
                    reference=data["reference"],
                    reason=data["reason"],
                    request=request,
                )
            except penalties.PenaltyError as error:
                _refused(form, error)
            else:
                messages.success(
                    request,
                    _("Notice %(number)s issued at level %(level)s.")
                    % {"number": notice.number, "level": notice.level},
                )
                return redirect("recourse:queue")
    return render(request, "recourse/assess.html", {"form": form}, status=400 if form.errors else 200)


# --- officers: s.59 re-determinations (/cbsa/redeterminations/) -----------------------------------


@officer
@require_GET
def redeterminations(request):
    """Find the CAD to re-determine; the statements of adjustment issued lately."""
    rights.require(request, Action.VERIFY_DECLARATIONS, request=request)
    form = FindCadForm(request.GET or None)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["transaction_number"]
        if Declaration.objects.filter(transaction_number=number).exists():
            return redirect("compliance:redetermine", number)
        form.add_error("transaction_number", _("No CAD has this transaction number."))
    recent = StatementOfAdjustment.objects.select_related("declaration", "version", "program_account")[:20]
    context = {"form": form, "statements": recent}
    return render(request, "recourse/redeterminations.html", context, status=400 if form.errors else 200)


@officer
def redetermine(request, transaction_number):
    """Prepare a re-determination from the version in force, preview its delta (nothing saved),
    then issue it: the CAD version, the ledger delta and the importer's Statement of Adjustment."""
    rights.require(request, Action.VERIFY_DECLARATIONS, request=request)
    declaration = get_object_or_404(
        Declaration.objects.select_related("program_account"), transaction_number=transaction_number
    )
    in_force = declaration.version()
    form = RedetermineForm(
        request.POST or None, initial={"payload": json.dumps(in_force.payload, indent=2, ensure_ascii=False)}
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Issuing checks the payload as the preview does, so its errors read the same (pointer: message).
        preview = declarations.preview_redetermination(request, declaration, data["payload"], request=request)
        for error in preview.errors:
            form.add_error(None, f"{error.pointer or '/'}: {error.message}")
        if not preview.errors and request.POST.get("what") == "issue":
            try:
                statement = services.redetermine(request, declaration, request=request, **data)
            except services.RecourseError as error:
                _refused(form, error)
            else:
                messages.success(
                    request,
                    _("Statement of adjustment %(number)s issued: %(delta)s.")
                    % {"number": statement.number, "delta": formats.money(statement.delta)},
                )
                return redirect("compliance:redeterminations")
    context = {"declaration": declaration, "in_force": in_force, "form": form, "preview": preview}
    return render(request, "recourse/redetermine.html", context, status=400 if form.errors else 200)
