"""The set-up pages' forms: they only read what was typed; stations/setup.py checks and saves."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.models import Province, Station
from stations.roles import Role
from supplies.models import SleepingPlace
from waystation.widgets import DateInput


class ProvinceForm(forms.Form):
    name = forms.CharField(label=_("Name (English)"), max_length=120)
    name_ko = forms.CharField(label=_("Name (Korean)"), max_length=120, required=False)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120, required=False)
    office_prefix = forms.CharField(
        label=_("Office code prefix"),
        max_length=8,
        required=False,
        help_text=_("Begins the codes of the province's issuing offices, e.g. NH for NH-LAB."),
    )


class StationForm(forms.Form):
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.all())
    code = forms.SlugField(
        label=_("Code"),
        max_length=32,
        help_text=_("Letters, digits and dashes; the station's address in the pages."),
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=120)
    name_ko = forms.CharField(
        label=_("Name (Korean)"), max_length=120, required=False, help_text=_("Empty: English")
    )
    name_zh = forms.CharField(
        label=_("Name (Chinese)"), max_length=120, required=False, help_text=_("Empty: English")
    )
    county = forms.CharField(label=_("County"), max_length=120)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Sleeping place"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=SleepingPlace.Kind.choices)
    capacity = forms.IntegerField(label=_("Beds"), min_value=1, max_value=100_000)
    in_use = forms.BooleanField(label=_("In use"), required=False, initial=True)


class OfficesForm(forms.Form):
    activated_on = forms.DateField(
        label=_("Keys valid from"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for today."),
    )


class StaffForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.all(),
        required=False,
        help_text=_("For a registrar, a medical officer or a supplies clerk."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),
        required=False,
        help_text=_("For a labour officer or a documents officer."),
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Needed for a new account; leave empty to keep the current one."),
    )
    is_active = forms.BooleanField(label=_("May sign in"), required=False, initial=True)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True
