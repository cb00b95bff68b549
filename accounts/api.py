from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    legal_name = serializers.CharField()
    preferred_language = serializers.CharField()
    is_officer = serializers.BooleanField(source="is_staff")
    token_business_number = serializers.SerializerMethodField()

    def get_token_business_number(self, user) -> str:
        token = self.context.get("token")
        return token.business_number if token is not None else ""


class MeView(APIView):
    """The person behind the token or session: lets a system check its credentials."""

    permission_classes = [IsAuthenticated]
    access_policy = "signed-in"

    @extend_schema(responses=MeSerializer, summary="Who am I", tags=["accounts"])
    def get(self, request):
        token = getattr(request._request, "api_token", None)
        return Response(MeSerializer(request.user, context={"token": token}).data)
