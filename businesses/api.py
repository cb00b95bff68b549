"""Businesses and program accounts API (/api/v1/businesses, /api/v1/program-accounts): read-only,
scoped by the rights kernel (a token naming a business sees that business only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError

import rights
from rights import Action
from rights.api import AuthorizedAPIMixin, OwnRowsMixin

from .models import Business, ProgramAccount


class ProgramAccountSerializer(serializers.ModelSerializer):
    business = serializers.CharField(source="business.bn9", help_text="BN9 of the business")

    class Meta:
        model = ProgramAccount
        fields = ["number", "business", "program", "account_type", "is_active"]


class BusinessSerializer(serializers.ModelSerializer):
    program_accounts = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "bn9",
            "legal_name",
            "operating_name",
            "address_line",
            "city",
            "province",
            "postal_code",
            "kind",
            "registered_at",
            "program_accounts",
        ]

    def get_program_accounts(self, business) -> list[str]:
        """The program accounts of the business the caller may view."""
        return [a.number for a in business.program_accounts.all() if a.pk in self.context["visible_accounts"]]


class BusinessScope(AuthorizedAPIMixin):
    def get_queryset(self):
        return Business.objects.visible_to(self.request).prefetch_related("program_accounts")

    def get_serializer_context(self):
        visible = set(ProgramAccount.objects.visible_to(self.request).values_list("pk", flat=True))
        return {**super().get_serializer_context(), "visible_accounts": visible}


@extend_schema(tags=["businesses"], summary="The businesses I may view")
class BusinessList(OwnRowsMixin, BusinessScope, generics.ListAPIView):
    serializer_class = BusinessSerializer


@extend_schema(tags=["businesses"], summary="One business I may view (404 otherwise)")
class BusinessDetail(BusinessScope, generics.RetrieveAPIView):
    serializer_class = BusinessSerializer
    lookup_field = "bn9"

    def get_object(self):
        return rights.get_visible_or_404(self.get_queryset(), self.request, bn9=self.kwargs["bn9"])


class ProgramAccountScope(AuthorizedAPIMixin):
    serializer_class = ProgramAccountSerializer

    def get_queryset(self):
        action = self.request.query_params.get("action", Action.VIEW)
        if action not in Action.values:
            raise ValidationError({"action": [f"Choose one of: {', '.join(Action.values)}."]}, code="invalid_action")
        return ProgramAccount.objects.visible_to(self.request, action).select_related("business")


ACTION = OpenApiParameter(
    "action", enum=Action.values, description="Only the accounts I may do this on (default view)."
)


@extend_schema(tags=["businesses"], summary="The program accounts I may act on", parameters=[ACTION])
class ProgramAccountList(OwnRowsMixin, ProgramAccountScope, generics.ListAPIView):
    pass


@extend_schema(tags=["businesses"], summary="One program account I may view (404 otherwise)")
class ProgramAccountDetail(ProgramAccountScope, generics.RetrieveAPIView):
    def get_object(self):
        return rights.get_visible_or_404(self.get_queryset(), self.request, number=self.kwargs["number"])
