from django.contrib import admin

from .models import RegisteredEntity, RegisteredProgramAccount


class ProgramAccountInline(admin.TabularInline):
    model = RegisteredProgramAccount
    extra = 0


@admin.register(RegisteredEntity)
class RegisteredEntityAdmin(admin.ModelAdmin):
    list_display = ["bn9", "legal_name", "city", "province"]
    search_fields = ["bn9", "legal_name"]
    inlines = [ProgramAccountInline]
