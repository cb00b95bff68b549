from django.contrib import admin

from .models import Business, ProgramAccount, TermsAcceptance, TermsVersion


class ProgramAccountInline(admin.TabularInline):
    model = ProgramAccount
    extra = 0


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ["bn9", "legal_name", "kind", "registered_at"]
    search_fields = ["bn9", "legal_name"]
    inlines = [ProgramAccountInline]


admin.site.register(TermsVersion)
admin.site.register(TermsAcceptance)
