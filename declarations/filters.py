"""The filters of the declarations list, shared by the page and the API (GET /api/v1/declarations):
the same names, the same validation, the same labels in English and French. The declarations
filtered carry `adjustment_pending` (an accepted CAD with an adjustment waiting for CBSA)."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from businesses.models import ProgramAccount
from rights import Action

from .models import DeclarationVersion, Status


def _accounts(request):
    """Only accounts the person may see: another's number is refused like an unknown one."""
    if request is None:
        return ProgramAccount.objects.none()
    return ProgramAccount.objects.visible_to(request, Action.VIEW).order_by("number")


# "pending" is an accepted declaration with an adjustment waiting for CBSA.
STATUS_CHOICES = [
    (value, _("Adjustment pending approval") if value == Status.PENDING else label) for value, label in Status.choices
]


class DeclarationFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        if data.get("released_from") and data.get("released_to") and data["released_from"] > data["released_to"]:
            raise ValidationError(_("The start date must be on or before the end date."), code="bad_range")
        return data


class DeclarationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=_("All statuses"), method="filter_status"
    )
    released_from = django_filters.DateFilter(
        label=_("Released from (YYYY-MM-DD)"), field_name="release_date", lookup_expr="gte"
    )
    released_to = django_filters.DateFilter(
        label=_("Released to (YYYY-MM-DD)"), field_name="release_date", lookup_expr="lte"
    )
    program_account = django_filters.ModelChoiceFilter(
        label=_("Importer account"), to_field_name="number", queryset=_accounts, empty_label=_("All accounts")
    )
    submitted_by = django_filters.CharFilter(
        label=_("Submitted by (business number)"), max_length=9, method="filter_submitted_by"
    )
    transaction_number = django_filters.CharFilter(
        label=_("Transaction number"), max_length=20, method="filter_transaction_number"
    )

    class Meta:
        form = DeclarationFilterForm
        fields = ["status", "released_from", "released_to", "program_account", "submitted_by", "transaction_number"]

    def __init__(self, data=None, queryset=None, **kwargs):
        pending = DeclarationVersion.objects.filter(declaration=OuterRef("pk"), status=Status.PENDING)
        super().__init__(data, queryset.annotate(adjustment_pending=Exists(pending)), **kwargs)

    def filter_status(self, declarations, name, value):
        if value == Status.PENDING:
            return declarations.filter(adjustment_pending=True)
        return declarations.filter(status=value)

    def filter_submitted_by(self, declarations, name, value):
        return declarations.filter(submitted_by_business__bn9=value.strip()) if value.strip() else declarations

    def filter_transaction_number(self, declarations, name, value):
        number = value.replace(" ", "")
        return declarations.filter(transaction_number=number) if number else declarations
