"""Administrators keep the policy tables and the disease and vaccine lists in the admin site
(Django's admin log records every change). Clinical records are not edited here."""

from django.contrib import admin

from health.models import Disease, OutbreakRule, QuarantinePolicy, Vaccine


@admin.register(QuarantinePolicy)
class QuarantinePolicyAdmin(admin.ModelAdmin):
    list_display = ("category", "station", "quarantine_days", "contagious_extension_days")
    list_filter = ("category",)


@admin.register(OutbreakRule)
class OutbreakRuleAdmin(admin.ModelAdmin):
    list_display = ("disease", "threshold", "window_days")


@admin.register(Disease)
class DiseaseAdmin(admin.ModelAdmin):
    list_display = ("icd10", "name_en", "name_ko", "name_zh", "is_active")
    search_fields = ("icd10", "name_en")

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # retire a disease (not in use) instead: cases refer to it


@admin.register(Vaccine)
class VaccineAdmin(admin.ModelAdmin):
    list_display = ("code", "name_en", "cvx", "doses_required")

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
