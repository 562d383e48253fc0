"""The set-up pages (/setup/): an administrator creates the province, its stations with their
quarantine beds and sleeping places, its issuing offices and keys, and the staff accounts;
auditors may read them. The rules are in stations/setup.py; these views only show forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.models import IssuingOffice
from stations import setup
from stations.access import StaffRequest, role_required
from stations.forms_setup import OfficesForm, PlaceForm, ProvinceForm, StaffForm, StationForm
from stations.models import Province, StaffProfile, Station
from stations.roles import Role
from supplies.models import SleepingPlace
from supplies.places import set_up_sleeping_place

READERS = (Role.ADMINISTRATOR, Role.AUDITOR)


def _errors_into(form: Form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)


def _province_or_404(pk: int) -> Province:
    province = Province.objects.filter(pk=pk).first()
    if province is None:
        raise Http404
    return province


def _station_or_404(code: str) -> Station:
    station = Station.objects.filter(code=code).first()
    if station is None:
        raise Http404
    return station


@role_required(*READERS)
def setup_home(request: StaffRequest) -> HttpResponse:
    stations = Station.objects.annotate(
        places=Count("sleeping_places", distinct=True),
        beds=Sum("sleeping_places__capacity"),
    ).order_by("province", "name_en")
    offices = dict(
        IssuingOffice.objects.values("province")
        .annotate(n=Count("id"))
        .values_list("province", "n")
    )
    provinces = [(province, offices.get(province.name, 0)) for province in Province.objects.all()]
    context = {
        "provinces": provinces,
        "stations": stations,
        "staff_profiles": setup.staff_accounts(),
        "empty": not provinces,
    }
    return render(request, "stations/setup/home.html", context)


@role_required(Role.ADMINISTRATOR)
def province_edit(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    province = _province_or_404(pk) if pk is not None else None
    initial = (
        {f: getattr(province, f) for f in ("name", "name_ko", "name_zh", "office_prefix")}
        if province
        else {}
    )
    form = ProvinceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved, _changed = setup.save_province(
                user=request.user, province=province, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved the province %(name)s.") % {"name": saved})
            return redirect("setup-province", pk=saved.pk)
    offices = (
        IssuingOffice.objects.filter(province=province.name).order_by("code") if province else []
    )
    context = {
        "form": form,
        "province": province,
        "offices": offices,
        "offices_form": OfficesForm(),
        "stations": Station.objects.filter(province=province.name) if province else [],
    }
    return render(request, "stations/setup/province.html", context, status=_status(form))


def _status(form: Form) -> int:
    return 422 if form.is_bound and form.errors else 200


@require_POST
@role_required(Role.ADMINISTRATOR)
def province_offices(request: StaffRequest, pk: int) -> HttpResponse:
    province = _province_or_404(pk)
    form = OfficesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the keys are valid from, or leave it empty."))
        return redirect("setup-province", pk=province.pk)
    try:
        offices = setup.set_up_offices(
            user=request.user, province=province, activated_on=form.cleaned_data["activated_on"]
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("The province has %(n)d issuing offices, each with a signing key.")
            % {"n": len(offices)},
        )
    return redirect("setup-province", pk=province.pk)


@role_required(Role.ADMINISTRATOR)
def station_edit(request: StaffRequest, code: str | None = None) -> HttpResponse:
    station = _station_or_404(code) if code is not None else None
    initial: dict[str, Any] = {}
    if station is not None:
        initial = {
            f: getattr(station, f) for f in ("code", "name_en", "name_ko", "name_zh", "county")
        }
        initial.update(
            province=Province.objects.filter(name=station.province).first(),
            is_active=station.is_active,
        )
    elif "province" in request.GET:
        initial["province"] = Province.objects.filter(pk=request.GET["province"]).first()
    form = StationForm(request.POST or None, initial=initial)
    if station is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            saved, _changed = setup.save_station(
                user=request.user, station=station, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved the station %(name)s.") % {"name": saved})
            return redirect("setup-station", code=saved.code)
    places = SleepingPlace.objects.filter(station=station).order_by("name") if station else []
    context = {
        "form": form,
        "station": station,
        "places": places,
        "place_form": PlaceForm(prefix="place"),
    }
    return render(request, "stations/setup/station.html", context, status=_status(form))


@require_POST
@role_required(Role.ADMINISTRATOR)
def station_place(request: StaffRequest, code: str) -> HttpResponse:
    station = _station_or_404(code)
    form = PlaceForm(request.POST, prefix="place")
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, str(problem))
        return redirect("setup-station", code=station.code)
    data = form.cleaned_data
    try:
        place, _changed = set_up_sleeping_place(
            user=request.user,
            station=station,
            name=data["name"],
            kind=data["kind"],
            capacity=data["capacity"],
            is_active=data["in_use"],
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("%(place)s has %(n)d beds.") % {"place": place.name, "n": place.capacity},
        )
    return redirect("setup-station", code=station.code)


@role_required(Role.ADMINISTRATOR)
def staff_edit(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    account = get_user_model().objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and account is None:
        raise Http404
    initial: dict[str, Any] = {"is_active": True}
    if account is not None:
        profile = StaffProfile.objects.filter(user=account).first()
        initial = {
            "username": account.username,
            "full_name": account.get_full_name(),
            "is_active": account.is_active,
            "role": profile.role if profile else "",
            "station": profile.station if profile else None,
            "province": Province.objects.filter(name=profile.province).first()
            if profile and profile.province
            else None,
        }
    form = StaffForm(request.POST or None, initial=initial, editing=account is not None)
    if request.method == "POST" and form.is_valid():
        try:
            saved, _changed = setup.save_staff(
                user=request.user, account=account, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Saved the account %(name)s.") % {"name": saved.username})
            return redirect("setup-home")
    context = {"form": form, "account": account}
    return render(request, "stations/setup/staff.html", context, status=_status(form))
