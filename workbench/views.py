"""The officer's workbench pages. Every page is for officers (`rights.policy.officer`) and requires
its officer action; the services check the action again and audit the officer's reason."""

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import rights
from accounts.models import User
from businesses.models import Business
from rights import Action, OfficerRole
from rights.models import OfficerAppointment
from rights.policy import officer, signed_in

from . import charts, dashboards, extensions, services
from .forms import (
    AnswerForm,
    AppointForm,
    AskForm,
    AssignForm,
    DecideForm,
    LaunchForm,
    NoteForm,
    PeriodForm,
    ReasonForm,
)
from .models import Run, SupportRequest


def _error(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@officer
@require_GET
def home(request):
    rights.require(request, Action.VIEW_CLIENTS, request=request)
    context = {
        "queues": services.queue_summary(request),
        "roles": _role_labels(request),
        "may_appoint": rights.may(request, Action.APPOINT_OFFICERS),
        "may_verify": rights.may(request, Action.VERIFY_DECLARATIONS),
        "may_release": rights.may(request, Action.RELEASE_GOODS),
    }
    return render(request, "workbench/home.html", context)


def _role_labels(request) -> list[str]:
    return [str(OfficerRole(role).label) for role in sorted(request.actor.officer_roles)]


# --- appointments ----------------------------------------------------------------------------------


@officer
@require_http_methods(["GET", "POST"])
def appointments(request):
    rights.require(request, Action.APPOINT_OFFICERS, request=request)
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if user is None:
            form.add_error("email", _("No active person has this e-mail address."))
        else:
            try:
                services.appoint(
                    user,
                    form.cleaned_data["role"],
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(email)s is appointed.") % {"email": user.email})
                return redirect("workbench:appointments")
    current = OfficerAppointment.objects.filter(ended_at__isnull=True).select_related("user", "appointed_by")
    ended = OfficerAppointment.objects.filter(ended_at__isnull=False).select_related("user", "ended_by")
    context = {
        "form": form,
        "current": current.order_by("user__email", "role"),
        "ended": ended.order_by("-ended_at")[:20],
        "end_form": ReasonForm(),
    }
    return render(request, "workbench/appointments.html", context)


@officer
@require_POST
def end_appointment(request, pk):
    rights.require(request, Action.APPOINT_OFFICERS, request=request)
    appointment = get_object_or_404(OfficerAppointment, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason: every officer action is recorded with one."))
        services.end_appointment(appointment, by=request.user, reason=form.cleaned_data["reason"], request=request)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The appointment has ended."))
    return redirect("workbench:appointments")


# --- client 360 ------------------------------------------------------------------------------------


@officer
@require_GET
def clients(request):
    query = request.GET.get("q", "")
    results = services.search_clients(request, query) if query else None
    return render(request, "workbench/clients.html", {"query": query, "results": results})


@officer
@require_http_methods(["GET", "POST"])
def client(request, bn9):
    rights.require(request, Action.VIEW_CLIENTS, request=request)
    business = rights.get_visible_or_404(Business.objects.visible_to(request), request, bn9=bn9)
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_note(business, form.cleaned_data["text"], by=request.user, request=request)
        messages.success(request, _("The note is saved."))
        return redirect("workbench:client", bn9=bn9)
    if request.method == "GET":
        services.viewed_client(business, request=request)
    panels = [
        {"panel": panel, **panel.context(business, request)}
        for panel in sorted(extensions.panels.values(), key=lambda panel: panel.order)
    ]
    return render(request, "workbench/client.html", {"business": business, "panels": panels, "note_form": form})


# --- queues ----------------------------------------------------------------------------------------


def _queue(key):
    if key not in extensions.queues:
        raise Http404
    return extensions.queues[key]


@officer
@require_http_methods(["GET", "POST"])
def queue(request, key):
    queue = _queue(key)
    may_assign = rights.may(request, Action.ASSIGN_WORK)
    may_decide = queue.decide is not None and rights.may(request, queue.action)
    deciding = request.method == "POST" and request.POST.get("what") == "decide"
    form = AssignForm(
        request.POST if request.method == "POST" and not deciding else None,
        officers=services.officers_for(queue) if may_assign else [],
    )
    decide_form = DecideForm(request.POST if deciding else None)
    if deciding and _decided(request, key, decide_form):
        return redirect("workbench:queue", key=key)
    if request.method == "POST" and not deciding and _assigned(request, key, form):
        return redirect("workbench:queue", key=key)
    context = {
        "queue": queue,
        "rows": services.queue_items(key, request),
        "may_assign": may_assign,
        "may_decide": may_decide,
        "may_work": rights.may(request, queue.action),
        "form": form,
        "decide_form": decide_form,
    }
    return render(request, "workbench/queue.html", context)


def _on_selected(request, form, work):
    """`work(items, data)` on the items selected in the queue's table, or None: the form's errors stay
    on the page, a service's refusal becomes its error messages."""
    if not form.is_valid():
        return None
    try:
        return work(request.POST.getlist("items"), form.cleaned_data)
    except ValidationError as error:
        _error(request, error)
        return None


def _assigned(request, key, form) -> bool:
    rights.require(request, Action.ASSIGN_WORK, request=request)
    count = _on_selected(
        request,
        form,
        lambda items, data: services.assign(
            key, items, User.objects.get(pk=data["officer"]), by=request.user, reason=data["reason"], request=request
        ),
    )
    if count is not None:
        messages.success(request, _("%(count)s item(s) assigned.") % {"count": count})
    return count is not None


def _decided(request, key, form) -> bool:
    """The bulk decision: a message for what was decided and one per refused item, with its reason."""
    rights.require(request, extensions.queues[key].action, request=request)
    results = _on_selected(
        request,
        form,
        lambda items, data: services.decide_many(
            key, items, data["decision"] == "approve", by=request.user, reason=data["reason"], request=request
        ),
    )
    if results is None:
        return False
    approve = form.cleaned_data["decision"] == "approve"
    done = sum(1 for row in results if not row["error"])
    if done:
        text = _("%(count)s item(s) approved.") if approve else _("%(count)s item(s) rejected.")
        messages.success(request, text % {"count": done})
    for row in results:
        if row["error"]:
            text = _("%(item)s: not decided. %(error)s")
            messages.error(request, text % {"item": row["title"], "error": row["error"]})
    return True


# --- support requests ------------------------------------------------------------------------------


@officer
@require_http_methods(["GET", "POST"])
def support(request, pk):
    rights.require(request, Action.VIEW_CLIENTS, request=request)
    item = rights.get_visible_or_404(SupportRequest.objects.visible_to(request), request, pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(item, form.cleaned_data["answer"], by=request.user, request=request)
        except ValidationError as error:
            _error(request, error)
        else:
            messages.success(request, _("The answer is sent."))
            return redirect(
                "workbench:queue", key="registrations" if item.kind == item.Kind.REGISTRATION else "support"
            )
    context = {"item": item, "form": form, "may_answer": rights.may(request, Action.ANSWER_SUPPORT)}
    return render(request, "workbench/support.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def ask(request):
    """A client's side: ask CBSA, and read the answers."""
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ask(user=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("Your request is sent to CBSA."))
        return redirect("workbench:ask")
    mine = rights.held(SupportRequest.objects.all(), request).order_by("-asked_at")
    return render(request, "workbench/ask.html", {"form": form, "mine": mine})


# --- runs ------------------------------------------------------------------------------------------


@officer
@require_http_methods(["GET", "POST"])
def runs(request):
    rights.require(request, Action.VIEW_DASHBOARDS, request=request)
    may_run = rights.may(request, Action.RUN_JOBS)
    form = LaunchForm(request.POST or None, jobs=extensions.jobs)
    if request.method == "POST":
        rights.require(request, Action.RUN_JOBS, request=request)
        if form.is_valid():
            data = form.cleaned_data
            run = services.launch(data["job"], data["day"], by=request.user, reason=data["reason"], request=request)
            return redirect("workbench:run", pk=run.pk)
    context = {
        "form": form,
        "may_run": may_run,
        "jobs": extensions.jobs.values(),
        "runs": Run.objects.select_related("launched_by")[:50],
    }
    return render(request, "workbench/runs.html", context)


@officer
@require_GET
def run(request, pk):
    rights.require(request, Action.VIEW_DASHBOARDS, request=request)
    item = get_object_or_404(Run.objects.select_related("launched_by"), pk=pk)
    template = "workbench/_run_progress.html" if request.htmx else "workbench/run.html"
    return render(request, template, {"run": item, "job": extensions.jobs.get(item.job)})


# --- dashboards ------------------------------------------------------------------------------------


@officer
@require_GET
def dashboard(request):
    rights.require(request, Action.VIEW_DASHBOARDS, request=request)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1) - dt.timedelta(days=365), "end": today}
    form = PeriodForm(request.GET or initial)
    start, end = (form.cleaned_data["start"], form.cleaned_data["end"]) if form.is_valid() else initial.values()
    figures = {
        "revenue": dashboards.revenue(start, end),
        "volumes": dashboards.cad_volumes(start, end),
        "reasons": dashboards.rejection_reasons(start, end),
        "overdue": dashboards.overdue_debt(end),
        "compliance": dashboards.standard_compliance(start, end),
        "adjustments": dashboards.adjustment_compliance(start, end),
    }
    if request.GET.get("format") == "csv":
        return _dashboard_csv(figures, start, end)
    revenue, volumes = figures["revenue"], figures["volumes"]
    context = {
        "form": form,
        "start": start,
        "end": end,
        **figures,
        "revenue_chart": charts.bar_chart(
            _("Revenue assessed and collected by billing period"),
            [row["period"].strftime("%Y-%m-%d") for row in revenue],
            {
                _("Assessed"): [row["assessed"] for row in revenue],
                _("Collected"): [row["collected"] for row in revenue],
            },
        ),
        "volumes_chart": charts.bar_chart(
            _("CADs saved and rejected by month"),
            [row["month"] for row in volumes],
            {
                _("CADs saved"): [row["accepted"] for row in volumes],
                _("Submissions rejected"): [row["rejected"] for row in volumes],
            },
        ),
    }
    return render(request, "workbench/dashboard.html", context)


def _dashboard_csv(figures, start, end) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dashboard-{start}-{end}.csv"'
    writer = csv.writer(response)
    writer.writerow(["figure", "period", "key", "value"])
    for row in figures["revenue"]:
        writer.writerow(["revenue_assessed", row["period"], "", row["assessed"]])
        writer.writerow(["revenue_collected", row["period"], "", row["collected"]])
    for row in figures["volumes"]:
        writer.writerow(["cads_saved", row["month"], "", row["accepted"]])
        writer.writerow(["cads_rejected", row["month"], "", row["rejected"]])
    for row in figures["reasons"]:
        writer.writerow(["rejection_reason", f"{start}/{end}", row["code"], row["count"]])
    writer.writerow(["overdue_total", end, "", figures["overdue"]["total"]])
    writer.writerow(["overdue_accounts", end, "", figures["overdue"]["accounts"]])
    for row in figures["compliance"]:
        writer.writerow(["rulings_within_standard", row["month"], row["kind"], f"{row['within']}/{row['rendered']}"])
    for row in figures["adjustments"]:
        writer.writerow(["adjustments_within_standard", row["month"], "", f"{row['within']}/{row['decided']}"])
    return response
