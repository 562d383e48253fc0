"""Administrators keep employers, sites and vacancies in the admin site too (Django's admin
log records every change). Credentials, runs and placements are read here, never edited:
their rules (evidence, reasons, the journey) live in the services."""

from django.contrib import admin

from labour.models import (
    Credential,
    Employer,
    Placement,
    PlacementRun,
    Preference,
    ProposedAssignment,
    Site,
    Vacancy,
)


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # close or end records instead: placements refer to them


class ReadOnly(NoDelete):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Employer)
class EmployerAdmin(NoDelete):
    list_display = ("name", "kind", "province")
    list_filter = ("kind", "province")
    search_fields = ("name",)


class VacancyInline(admin.TabularInline):
    model = Vacancy
    extra = 0
    can_delete = False


@admin.register(Site)
class SiteAdmin(NoDelete):
    list_display = ("name", "employer", "kind", "province", "county", "housing_places", "is_active")
    list_filter = ("kind", "province", "is_active")
    search_fields = ("name", "county")
    inlines = [VacancyInline]


@admin.register(Vacancy)
class VacancyAdmin(NoDelete):
    list_display = (
        "occupation",
        "site",
        "slots",
        "required_credential",
        "heavy_work",
        "min_age",
        "is_open",
    )
    list_filter = ("site__kind", "heavy_work", "is_open")
    search_fields = ("occupation", "site__name")


@admin.register(Credential)
class CredentialAdmin(ReadOnly):
    list_display = ("person", "name", "status", "evidence", "decided_on")
    list_filter = ("status", "evidence", "kind")
    raw_id_fields = ("person",)


@admin.register(Preference)
class PreferenceAdmin(ReadOnly):
    list_display = ("household", "person", "rank", "kind", "sector", "county", "superseded_at")
    list_filter = ("kind",)


@admin.register(PlacementRun)
class PlacementRunAdmin(ReadOnly):
    list_display = ("pk", "scope", "province", "station", "status", "created_by", "created_at")
    list_filter = ("scope", "status", "province")
    exclude = ("inputs",)


@admin.register(ProposedAssignment)
class ProposedAssignmentAdmin(ReadOnly):
    list_display = ("run", "person", "status", "vacancy", "site", "score", "edited")
    list_filter = ("status", "edited")
    raw_id_fields = ("person",)


@admin.register(Placement)
class PlacementAdmin(ReadOnly):
    list_display = ("person", "site", "vacancy", "start_date", "end_date", "status")
    list_filter = ("status",)
    raw_id_fields = ("person",)
