"""Importing a labour plan: one row per vacancy line (an occupation and its positions at a
site), the site's employer, county and housing places repeated on each of its rows; a row
without an occupation sets up the site and its housing only.

Employers are found by name, sites by employer and name, vacancy lines by site and occupation,
so importing the plan again changes only what changed. Each row is checked with the labour
pages' own forms and refused in words when they refuse it; every change is audited.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils.translation import gettext as _

from imports.fields import LABOUR_FIELDS
from imports.models import ImportJob
from imports.register import Outcome
from labour.forms import EmployerForm, SiteForm, VacancyForm
from labour.models import Employer, Site, SiteKind, Vacancy
from labour.models.sites import HousingType
from labour.services.access import ACTING_ROLES
from people.audit import AuditEntry, record_audit
from stations.access import can_see_province, require, staff_profile_of

YES = {"yes", "y", "true", "1", "예", "是", "x"}


class _Refused(Exception):
    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__()
        self.problems = problems


def _kind(text: str) -> str:
    plain = text.strip().lower()
    for value, label in SiteKind.choices:
        if plain in {value, str(label).lower()}:
            return str(value)
    return plain


def _save(
    user: Any, form_class: type[ModelForm], instance: Any, data: dict[str, Any], dry_run: bool
) -> tuple[Any, dict[str, list[str]]]:
    """Check `data` with the labour pages' form; save and audit it when it changed."""
    form = form_class(data, instance=instance)
    if not form.is_valid():
        return None, {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    if dry_run or (instance is not None and not form.has_changed()):
        return form.instance, {}
    saved = form.save()
    record_audit(
        user=user,
        action=AuditEntry.Action.UPDATE if instance is not None else AuditEntry.Action.CREATE,
        obj=saved,
        reason=_("Imported from a labour plan"),
        detail={"changed": form.changed_data},
    )
    return saved, {}


def _row(job: ImportJob, cells: list[str]) -> dict[str, str]:
    return {
        target.name: cells[index] if isinstance(index, int) and 0 <= index < len(cells) else ""
        for target in LABOUR_FIELDS
        for index in [job.mapping.get(target.name)]
    }


def _one(job: ImportJob, values: dict[str, str]) -> dict[str, list[str]]:
    """Set up one row's employer, site and vacancy line; the problems, by field."""
    user, dry_run = job.created_by, job.dry_run
    province, kind = values["province"].strip(), _kind(values["kind"])
    if province and not can_see_province(staff_profile_of(user), province):
        return {"province": [_("This province is outside your scope.")]}
    employer = Employer.objects.filter(name=values["employer"].strip()).first()
    employer_data = {"name": values["employer"], "kind": kind, "province": province}
    if employer is not None:  # an employer keeps its own kind and province
        employer_data.update(kind=employer.kind, province=employer.province)
    employer, problems = _save(user, EmployerForm, employer, employer_data, dry_run)
    if problems:
        return {{"name": "employer"}.get(k, k): v for k, v in problems.items()}
    site = (
        Site.objects.filter(employer=employer, name=values["site"].strip()).first()
        if employer.pk
        else None
    )
    site_data = {
        "employer": employer.pk,
        "name": values["site"],
        "kind": kind,
        "province": province,
        "county": values["county"],
        "housing_places": values["housing_places"],
        "x_km": values["x_km"] or (site.x_km if site else 0),
        "y_km": values["y_km"] or (site.y_km if site else 0),
        "housing_type": values["housing_type"].strip().lower()
        or (site.housing_type if site else HousingType.MIXED),
        "is_active": True,
    }
    if dry_run and employer.pk is None:
        site_data.pop("employer")
        form = SiteForm(site_data)
        form.fields["employer"].required = False
        problems = {k: [str(m) for m in v] for k, v in form.errors.items() if k != "employer"}
        site = None
    else:
        site, problems = _save(user, SiteForm, site, site_data, dry_run)
    if problems:
        return {{"name": "site"}.get(k, k): v for k, v in problems.items()}
    if not values["occupation"].strip():
        return {}
    vacancy = (
        Vacancy.objects.filter(site=site, occupation=values["occupation"].strip()).first()
        if site is not None and site.pk
        else None
    )
    vacancy_data = {
        "site": site.pk if site is not None else None,
        "occupation": values["occupation"],
        "slots": values["slots"],
        "required_credential": values["required_credential"],
        "skilled": values["skilled"].strip().lower() in YES,
        "heavy_work": values["heavy_work"].strip().lower() in YES,
        "heaviness": values["heaviness"].strip().lower() or (vacancy.heaviness if vacancy else ""),
        "skill_level": values["skill_level"] or (vacancy.skill_level if vacancy else ""),
        "min_age": values["min_age"] or (vacancy.min_age if vacancy else 16),
        "language": values["language"],
        "difficulty": values["difficulty"] or (vacancy.difficulty if vacancy else 0.5),
        "is_open": True,
    }
    if site is None or site.pk is None:
        lines = VacancyForm(vacancy_data)
        return {k: [str(m) for m in v] for k, v in lines.errors.items() if k != "site"}
    _vacancy, problems = _save(user, VacancyForm, vacancy, vacancy_data, dry_run)
    return problems


def run_labour_plan(job: ImportJob, progress: Callable[[int], None]) -> Outcome:
    require(job.created_by, ACTING_ROLES)
    outcome = Outcome()
    headings = {
        target.name: job.header[index]
        if isinstance(index, int) and index < len(job.header)
        else str(target.label)
        for target in LABOUR_FIELDS
        for index in [job.mapping.get(target.name)]
    }
    headings.update(name=headings["site"])
    for done, (number, cells) in enumerate(job.rows, start=1):
        try:
            with transaction.atomic():  # a refused row leaves nothing half set up
                problems = _one(job, _row(job, cells))
                if problems:
                    raise _Refused(problems)
        except _Refused as refused:
            problems = refused.problems
        for name, messages in problems.items():
            for message in messages:
                outcome.refuse(number, headings.get(name, name), message)
        outcome.count("refused" if problems else ("checked" if job.dry_run else "imported"))
        if done % 100 == 0:
            progress(done)
    progress(job.total)
    return outcome
