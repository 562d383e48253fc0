"""Employers, sites and vacancies: a list for the province and edit pages (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from labour.forms import EmployerForm, SiteForm, VacancyForm
from labour.models import Employer, Site, Vacancy
from labour.services.access import ACTING_ROLES, READING_ROLES
from labour.services.sites import sites_with_vacancies
from people.audit import AuditEntry, record_audit
from stations.access import can_see_province, require, role_required
from stations.roles import Role

FORMS: dict[str, tuple[type, type[ModelForm]]] = {
    "employer": (Employer, EmployerForm),
    "site": (Site, SiteForm),
    "vacancy": (Vacancy, VacancyForm),
}


def _province_of(record: Employer | Site | Vacancy) -> str:
    return record.site.province if isinstance(record, Vacancy) else record.province


@role_required(*READING_ROLES)
def site_list(request: HttpRequest) -> HttpResponse:
    sites = Site.objects.select_related("employer")
    vacancies = Vacancy.objects.all()
    if request.staff.role not in (Role.ADMINISTRATOR, Role.AUDITOR):
        sites = sites.filter(province=request.staff.province)
        vacancies = vacancies.filter(site__province=request.staff.province)
    rows = sites_with_vacancies(list(sites), list(vacancies))
    totals: dict[str, list[int]] = {}
    for site, found in rows:
        total = totals.setdefault(site.get_kind_display(), [0, 0])
        total[0] += sum(v.slots for v in found)
        total[1] += sum(max(0, v.slots - v.filled) for v in found)
    context = {
        "rows": rows,
        "totals": sorted(totals.items()),
        "can_act": request.staff.role in ACTING_ROLES,
    }
    return render(request, "labour/sites.html", context)


@role_required(*ACTING_ROLES)
def edit_record(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    if kind not in FORMS:
        return redirect("labour-sites")
    model, form_class = FORMS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    if instance is not None and not can_see_province(request.staff, _province_of(instance)):
        raise Http404
    form = form_class(request.POST or None, instance=instance, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        province = form.cleaned_data.get("province") or form.cleaned_data["site"].province
        require(request.user, ACTING_ROLES, province=province)
        saved = form.save()
        record_audit(
            user=request.user,
            action=AuditEntry.Action.UPDATE if instance else AuditEntry.Action.CREATE,
            obj=saved,
            detail={"changed": form.changed_data},
        )
        messages.success(request, _("Saved."))
        return redirect("labour-sites")
    return render(
        request,
        "labour/edit.html",
        {"form": form, "kind": model._meta.verbose_name, "instance": instance},
    )
