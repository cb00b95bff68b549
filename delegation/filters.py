"""The filters of the relationships list, shared by the page (a business's relationships) and the
API (GET /api/v1/relationships): the same names, the same validation, the same labels in English and
French."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Relationship

BN9 = RegexValidator(r"^\d{9}$", _("A business number has 9 digits."), code="invalid")


class RelationshipFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Relationship.Status.choices, empty_label=_("All statuses")
    )
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=Relationship.Scope.choices, empty_label=_("All scopes")
    )
    business = django_filters.CharFilter(
        label=_("Other business (business number)"), validators=[BN9], method="filter_business"
    )

    class Meta:
        model = Relationship
        fields = ["status", "scope", "business"]

    def filter_business(self, relationships, name, value):
        """The relationships with that business, as the provider or as the importer."""
        return relationships.filter(Q(provider__bn9=value) | Q(importer__bn9=value))
