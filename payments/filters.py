"""The filters of the payments list, shared by the page and the API (GET /api/v1/payments/): the same
names, the same validation, the same labels in English and French."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from businesses.models import ProgramAccount
from rights import Action

from .models import Method, Payment, Status


def _accounts(request):
    """Only accounts the person may see: another's number is refused like an unknown one."""
    if request is None:
        return ProgramAccount.objects.none()
    return ProgramAccount.objects.visible_to(request, Action.VIEW).order_by("number")


class PaymentFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("The start date must be on or before the end date."), code="bad_range")
        return data


class PaymentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, empty_label=_("All statuses"))
    method = django_filters.ChoiceFilter(label=_("Method"), choices=Method.choices, empty_label=_("All methods"))
    account = django_filters.ModelChoiceFilter(
        label=_("Program account"),
        field_name="lines__program_account",
        to_field_name="number",
        queryset=_accounts,
        empty_label=_("All program accounts"),
    )
    date_from = django_filters.DateFilter(
        label=_("From (YYYY-MM-DD)"), field_name="created_at", lookup_expr="date__gte"
    )
    date_to = django_filters.DateFilter(label=_("To (YYYY-MM-DD)"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Payment
        fields = ["status", "method", "account", "date_from", "date_to"]
        form = PaymentFilterForm
